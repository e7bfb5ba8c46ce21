"""The map as a readable outline: focus question, concepts by level, propositions in tree order.

:func:`build_outline` gives plain data (``conceptmap show --format json``);
:func:`outline_text` the text a person reads (``conceptmap show``). Labels are made safe for
the terminal by the caller's writer, not here.
"""

from __future__ import annotations

from typing import Any

from conceptmap.model import ConceptMap
from conceptmap.model.hierarchy import hierarchy
from conceptmap.safety import terminal_text

__all__ = ["build_outline", "outline_text"]


def build_outline(m: ConceptMap) -> dict[str, Any]:
    """Outline data: levels of concepts, propositions in hierarchy order, cross-links marked."""
    h = hierarchy(m)
    by_level: dict[int, list[str]] = {}
    for cid, lvl in h.level.items():
        by_level.setdefault(lvl, []).append(cid)

    def concept_entry(cid: str) -> dict[str, Any]:
        c = m.concepts[cid]
        return {
            "id": cid,
            "label": c.label,
            "example": c.example,
            "claim": m.is_claim(cid),
            "evidence": len(m.evidence_for(cid)),
        }

    levels = [
        {
            "level": lvl,
            "concepts": [
                concept_entry(c)
                for c in sorted(ids, key=lambda c: (m.concepts[c].label.casefold(), c))
            ],
        }
        for lvl, ids in sorted(by_level.items())
    ]
    props: list[dict[str, Any]] = []
    seen: set[str] = set()

    def walk(cid: str, depth: int) -> None:
        for p in sorted(
            m.propositions_of(cid), key=lambda p: (m.claim_text(p.id).casefold(), p.id)
        ):
            if p.source != cid or p.id in seen:
                continue
            seen.add(p.id)
            kind = (
                "cross-link"
                if p.id in h.cross_links
                else ("tree" if h.parent_prop.get(p.target) == p.id else "link")
            )
            props.append(
                {
                    "id": p.id,
                    "text": m.proposition_text(p.id),
                    "source": p.source,
                    "linking_phrase": m.linking_phrases[p.via].label if p.via else None,
                    "target": p.target,
                    "kind": kind,
                    "depth": depth,
                    "evidence": len(m.evidence_for(p.id)),
                    "importance": p.importance,
                }
            )
            if kind == "tree":
                walk(p.target, depth + 1)

    for r in h.roots:
        walk(r, 0)
    for cid in h.unreachable:
        walk(cid, 0)
    return {
        "id": m.id,
        "title": m.title,
        "focus_question": m.focus_question,
        "counts": {
            "concepts": len(m.concepts),
            "linking_phrases": len(m.linking_phrases),
            "propositions": len(m.propositions),
            "evidence": len(m.evidence),
            "relations": len(m.relations),
            "cross_links": len(h.cross_links),
        },
        "root": h.main_root,
        "levels": levels,
        "unreachable": [concept_entry(c) for c in h.unreachable],
        "propositions": props,
    }


def _ev(n: int) -> str:
    return "no evidence" if n == 0 else f"{n} evidence" if n > 1 else "1 evidence"


def outline_text(data: dict[str, Any]) -> str:
    """The outline as text for a terminal or a pipe."""
    t = terminal_text
    out = [t(data["title"])]
    fq = data["focus_question"]
    out.append(
        f"Focus question: {t(fq)}" if fq else "Focus question: (none — add one with --focus)"
    )
    c = data["counts"]
    out.append(
        f"{c['concepts']} concepts, {c['propositions']} propositions "
        f"({c['cross_links']} cross-links), {c['evidence']} evidence items"
    )
    out.append("")
    out.append("Concepts by level")
    for lvl in data["levels"]:
        names = []
        for ce in lvl["concepts"]:
            extra = []
            if ce["example"]:
                extra.append("example")
            if ce["claim"]:
                extra.append(_ev(ce["evidence"]))
            names.append(t(ce["label"]) + (f" ({', '.join(extra)})" if extra else ""))
        out.append(f"  {lvl['level']}: " + " · ".join(names))
    if data["unreachable"]:
        out.append(
            "  not reachable from the root: "
            + " · ".join(t(ce["label"]) for ce in data["unreachable"])
        )
    out.append("")
    out.append("Propositions")
    if not data["propositions"]:
        out.append("  (none yet)")
    for p in data["propositions"]:
        mark = "⤳ cross-link: " if p["kind"] == "cross-link" else ""
        out.append(f"  {'  ' * p['depth']}{mark}{t(p['text'])}  [{_ev(p['evidence'])}]")
    return "\n".join(out) + "\n"
