"""The other ways out of a map, each a few lines over a library or a format that does the work.

* :func:`to_graphml`: GraphML through networkx's writer (opens in Gephi, yEd, Cytoscape);
* :func:`to_markdown`: an outline in Markdown, concepts and linking phrases on alternating
  levels as in CmapTools' "Cmap Outline";
* :func:`to_mermaid`: a Mermaid ``flowchart TD`` with every label escaped;
* :func:`to_csv`: one row per proposition with its state and evidence count, safe to open in
  a spreadsheet (cells that would start a formula get a leading quote).

All take the map and the optional claim marks of :mod:`conceptmap.render.marks` and return
bytes or text; all are deterministic.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

import networkx as nx

from conceptmap.model import ConceptMap
from conceptmap.model.hierarchy import hierarchy
from conceptmap.render.dot import (
    PALETTE,
    STALE_GLYPH,
    STATE_GLYPHS,
    ClaimMark,
    _worst,
    node_names,
)
from conceptmap.safety import markdown_text, strip_controls

__all__ = ["csv_cell", "to_csv", "to_graphml", "to_markdown", "to_mermaid"]

Marks = Mapping[str, ClaimMark] | None


def _state(marks: Marks, rid: str) -> tuple[str, bool, int]:
    mk = marks.get(rid) if marks is not None else None
    return (mk.state, mk.stale, mk.evidence_count) if mk is not None else ("", False, 0)


# ---------------------------------------------------------------------------- GraphML
def to_graphml(m: ConceptMap, marks: Marks = None) -> bytes:
    """GraphML: concepts and linking phrases as nodes (``kind``, ``label``, ``state``),
    connections as edges; direct concept → concept links as edges with ``kind=link``."""
    g = nx.DiGraph(id=m.id, title=m.title, focus_question=m.focus_question)
    h = hierarchy(m)
    for cid in sorted(m.concepts):
        c = m.concepts[cid]
        state, stale, n = _state(marks, cid)
        g.add_node(
            cid,
            kind="example" if c.example else "concept",
            label=c.label,
            level=h.level.get(cid, -1),
            state=state,
            stale=stale,
            evidence=n if state else len(m.evidence_for(cid)),
        )
    for lid in sorted(m.linking_phrases):
        lp = m.linking_phrases[lid]
        g.add_node(lid, kind="linking-phrase", label=lp.label, level=-1, state="", stale=False)
        for s in lp.sources:
            g.add_edge(s, lid, kind="connection", propositions="")
        for t in lp.targets:
            g.add_edge(lid, t, kind="connection", propositions="")
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        if p.via is None:
            g.add_edge(p.source, p.target, kind="link", propositions=pid)
        else:
            for a, b in ((p.source, p.via), (p.via, p.target)):
                ids = g.edges[a, b]["propositions"]
                g.edges[a, b]["propositions"] = f"{ids} {pid}".strip()
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


# ---------------------------------------------------------------------------- Markdown
def _note(marks: Marks, rid: str, what: str = "") -> str:
    state, stale, n = _state(marks, rid)
    if not state:
        return ""
    stale_text = f", {STALE_GLYPH} stale" if stale else ""
    return f" [{what}{STATE_GLYPHS.get(state, '')} {state}{stale_text}, {n} evidence]"


def to_markdown(m: ConceptMap, marks: Marks = None) -> str:
    """The map as a nested Markdown list read from the most general concept down: each
    concept, under it its linking phrases, under each phrase the concepts it leads to with the
    proposition's state. A concept met again (a cross-link, a second parent) is named, not
    expanded again."""
    h = hierarchy(m)
    lines = [f"# {markdown_text(m.title)}", ""]
    if m.focus_question:
        lines += [f"**Focus question:** {markdown_text(m.focus_question)}", ""]
    out_by_source: dict[str, list[str]] = {}
    for pid in sorted(m.propositions):
        out_by_source.setdefault(m.propositions[pid].source, []).append(pid)
    expanded: set[str] = set()

    def concept_line(cid: str, depth: int, via_pid: str | None = None) -> None:
        c = m.concepts[cid]
        label = markdown_text(c.label)
        text = f"*{label}* (example)" if c.example else f"**{label}**"
        if via_pid is not None:
            kind = "cross-link to " if via_pid in h.cross_links else ""
            text = f"{kind}{text}{_note(marks, via_pid)}"
        text += _note(marks, cid, "concept: ")
        again = cid in expanded
        lines.append(
            f"{'  ' * depth}- {text}" + (" (see above)" if again and out_by_source.get(cid) else "")
        )
        if again:
            return
        expanded.add(cid)
        groups: dict[str | None, list[str]] = {}
        for pid in out_by_source.get(cid, []):
            groups.setdefault(m.propositions[pid].via, []).append(pid)
        for via in sorted(groups, key=lambda v: (v is None, v or "")):
            phrase = f"*{markdown_text(m.linking_phrases[via].label)}*" if via else "→"
            lines.append(f"{'  ' * (depth + 1)}- {phrase}")
            for pid in groups[via]:
                concept_line(m.propositions[pid].target, depth + 2, pid)

    for r in h.roots:
        concept_line(r, 0)
    for cid in h.unreachable:
        if cid not in expanded:
            concept_line(cid, 0)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- Mermaid
def _mermaid_text(text: str) -> str:
    """A label inside Mermaid's ``"…"``: letters, digits and spaces stay, everything else is a
    numeric entity code (``#35;``), which Mermaid shows as the character."""
    text = strip_controls(text, keep_newlines=False)
    return "".join(
        ch if (ch.isalnum() and ch.isascii()) or ch == " " else f"#{ord(ch)};" for ch in text
    )


def to_mermaid(m: ConceptMap, marks: Marks = None) -> str:
    """A Mermaid ``flowchart TD``: concepts as rounded boxes, linking phrases as borderless
    text nodes, cross-links dotted, each claim's state as a class (colour) and a glyph."""
    h = hierarchy(m)
    names = node_names(m)
    out = ["---", f'title: "{_mermaid_text(m.focus_question or m.title)}"', "---", "flowchart TD"]
    for state in PALETTE:
        out.append(
            f"  classDef {state} stroke:{PALETTE[state]},stroke-width:3px"
            + (",stroke-dasharray:5 5" if state == "unsupported" else "")
        )
    out.append("  classDef phrase fill:none,stroke:none,font-size:12px")
    out.append("  classDef example fill:#EFEFEF,stroke:#6E6E6E")
    for cid in sorted(m.concepts):
        c = m.concepts[cid]
        label = "<br/>".join(_mermaid_text(line) for line in c.label.split("\n"))
        state, _stale, _ = _state(marks, cid)
        if state:
            label += f"<br/>{_mermaid_text(STATE_GLYPHS.get(state, '') + ' ' + state)}"
        out.append(f'  {names[cid]}("{label}")')
        if c.example:
            out.append(f"  class {names[cid]} example")
        if state:
            out.append(f"  class {names[cid]} {state}")
    by_phrase: dict[str, list[str]] = {}
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        if p.via:
            by_phrase.setdefault(p.via, []).append(pid)
    for lid in sorted(m.linking_phrases):
        lp = m.linking_phrases[lid]
        states = [s for pid in by_phrase.get(lid, []) if (s := _state(marks, pid)[0])]
        glyph = ""
        if states:
            worst = _worst(states) or ""
            glyph = _mermaid_text(STATE_GLYPHS.get(worst, "") + " ")
        out.append(f'  {names[lid]}["{glyph}{_mermaid_text(lp.label)}"]')
        out.append(f"  class {names[lid]} phrase")
        for s in lp.sources:
            cross = all(
                pid in h.cross_links
                for pid in by_phrase.get(lid, [])
                if m.propositions[pid].source == s
            )
            out.append(f"  {names[s]} {'-.-' if cross else '---'} {names[lid]}")
        for t in lp.targets:
            cross = all(
                pid in h.cross_links
                for pid in by_phrase.get(lid, [])
                if m.propositions[pid].target == t
            )
            out.append(f"  {names[lid]} {'-.->' if cross else '-->'} {names[t]}")
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        if p.via is None:
            arrow = "-.->" if pid in h.cross_links else "-->"
            out.append(f"  {names[p.source]} {arrow} {names[p.target]}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP: prefix with ``'``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


CSV_COLUMNS = (
    "proposition",
    "source",
    "linking_phrase",
    "target",
    "text",
    "kind",
    "importance",
    "state",
    "stale",
    "evidence",
)


def to_csv(m: ConceptMap, marks: Marks = None) -> str:
    """One row per proposition, in id order: ends by label, its kind in the hierarchy
    (tree, cross-link, link), importance, state, staleness and evidence count."""
    h = hierarchy(m)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        state, stale, n = _state(marks, pid)
        kind = (
            "cross-link"
            if pid in h.cross_links
            else ("tree" if h.parent_prop.get(p.target) == pid else "link")
        )
        row = [
            pid,
            m.concepts[p.source].label,
            m.linking_phrases[p.via].label if p.via else "",
            m.concepts[p.target].label,
            m.proposition_text(pid),
            kind,
            p.importance,
            state,
            ("yes" if stale else "no") if state else "",
            n if state else len(m.evidence_for(pid)),
        ]
        w.writerow([csv_cell(strip_controls(str(v))) for v in row])
    return buf.getvalue()
