"""DOT text for a concept map, drawn the way Novak and CmapTools draw one.

:func:`map_to_dot` is a pure function of the map, the optional claim marks (state, staleness
and evidence summary of each claim, see :mod:`conceptmap.render.marks`) and the options. It
never runs Graphviz (that is :mod:`conceptmap.render.graphviz`), so it is cheap to test and to
time.

How it reads:

* the focus question is the graph's title; general concepts at the top (``rankdir=TB``,
  levels from :func:`conceptmap.model.hierarchy.hierarchy`);
* linking phrases are small unboxed text between concepts: concept — phrase → concept, one
  phrase fanning out to several targets as in CmapTools;
* cross-links (propositions joining two branches) are dashed and do not constrain the ranks;
  links that run back up the hierarchy do not constrain them either;
* examples are square grey boxes in a smaller type, concepts rounded white boxes;
* each claim's state shows as an Okabe–Ito colour **and** a glyph in its label ("? unsupported")
  plus a border style for concepts, so it survives grayscale printing; a legend explains them.

Node names are synthetic (``n17``); the SVG ``id`` of every element starts with the map id
(``<mapid>-n17``, ``<mapid>-e4``) and classes name what it is (``cm-concept``,
``cm-state-weak``, ``cm-id-<record id>``), so a wiki can link to or style any part. Every piece
of text goes through :func:`conceptmap.safety.dot_string`. The output is deterministic.
"""

from __future__ import annotations

import functools
import itertools
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from conceptmap.model import ConceptMap, collector_paused
from conceptmap.model.hierarchy import hierarchy
from conceptmap.safety import dot_string, safe_link

__all__ = [
    "FONT",
    "PALETTE",
    "STATE_GLYPHS",
    "STATE_ORDER",
    "STATE_TINTS",
    "ClaimMark",
    "DotOptions",
    "map_to_dot",
    "node_names",
    "wrap_label",
]

FONT = "DejaVu Sans"

#: Worst first: when several claims share one drawn element, the first state here shows.
STATE_ORDER: tuple[str, ...] = ("contradicted", "unsupported", "contested", "weak", "supported")

#: Okabe & Ito (2008), the colour-blind-safe palette.
PALETTE: dict[str, str] = {
    "unsupported": "#E69F00",  # orange
    "contradicted": "#D55E00",  # vermillion
    "contested": "#CC79A7",  # reddish purple
    "weak": "#56B4E9",  # sky blue
    "supported": "#009E73",  # bluish green
}
#: The same colours at about 22 % over white: fills that keep black text readable.
STATE_TINTS: dict[str, str] = {
    "unsupported": "#FBEACA",
    "contradicted": "#F6D5C0",
    "contested": "#F4E1EC",
    "weak": "#D8EEFA",
    "supported": "#C4EAE0",
}
#: The glyphs of the analysis interface (``conceptmap.analysis.STATE_GLYPHS``).
STATE_GLYPHS: dict[str, str] = {
    "unsupported": "?",
    "contradicted": "✗",
    "contested": "±",
    "weak": "~",
    "supported": "✓",
}
STALE_GLYPH = "↻"

# Border of a concept that is a claim, per state: (style, peripheries). Dashes, dots and
# double borders stay visible when the colours are printed grey.
_BORDER: dict[str, tuple[str, int]] = {
    "unsupported": ("rounded,filled,dashed", 1),
    "contradicted": ("rounded,filled,bold", 2),
    "contested": ("rounded,filled,dashed", 2),
    "weak": ("rounded,filled,dotted", 1),
    "supported": ("rounded,filled", 1),
}

TOOLTIP_MAX = 1200
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass(frozen=True)
class ClaimMark:
    """What the drawing shows about one claim: its state (a ``State`` value), whether its
    evidence is stale, and the evidence summary shown when hovering."""

    state: str
    stale: bool = False
    summary: str = ""
    evidence_count: int = 0


@dataclass(frozen=True)
class DotOptions:
    """How to draw. ``engine`` changes the graph attributes that only one engine reads;
    ``fast`` adds dot's cheaper ranking settings for big maps; ``wrap`` is the label width in
    characters."""

    engine: str = "dot"
    fast: bool = False
    wrap: int = 22
    legend: bool = True
    extra_graph_attrs: Mapping[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=8192)
def wrap_label(text: str, width: int = 22) -> str:
    """``text`` wrapped to lines of about ``width`` characters, keeping its own line breaks."""
    if "\n" not in text and "\r" not in text:  # one line (most labels)
        if len(text) <= width:
            return text.strip()
        raw = text.strip()
        return raw if len(raw) <= width else "\n".join(_wrap_line(raw, width))
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        raw = raw.strip()
        if len(raw) <= width:
            lines.append(raw)
        else:
            lines.extend(_wrap_line(raw, width))
    return "\n".join(lines)


def _wrap_line(raw: str, width: int) -> list[str]:
    """``textwrap.wrap(raw, width, break_long_words=True, break_on_hyphens=False) or [""]``.

    Labels are mostly words joined by single spaces, none longer than a line: those are filled
    greedily here (each line ends at the last space that leaves it at most ``width`` long: the
    lines textwrap gives), several times faster. Anything else goes to textwrap."""
    if (
        raw
        and "  " not in raw
        and raw[0] != " " != raw[-1]
        and "\t" not in raw
        and "\x0b" not in raw
        and "\x0c" not in raw
        # a word of other (Unicode) spaces counts as a space for textwrap's dropping
        and (raw.isascii() or not any(w.isspace() for w in raw.split(" ")))
    ):
        lines = []
        rest = raw
        while len(rest) > width:
            cut = rest.rfind(" ", 0, width + 1)
            if cut <= 0:  # a word longer than a line: textwrap breaks it
                break
            lines.append(rest[:cut])
            rest = rest[cut + 1 :]
        else:
            lines.append(rest)
            return lines
    return textwrap.wrap(raw, width, break_long_words=True, break_on_hyphens=False) or [""]


# Text with none of what dot_string changes (quotes, backslashes, &, line breaks, controls):
# most attribute values. Checking is several times cheaper than escaping.
_PLAIN = re.compile(r"[\w .,:;#%/=+()'?!*@<>{}\[\]|~^$-]*")


# What dot_string changes besides line feeds: controls (tab and CR among them), surrogates,
# ampersands, backslashes and quotes. Text with none of them (plain text among it) only has
# its line feeds written as \n: the same as dot_string, without its passes over the text.
_ESCAPED = re.compile(r'[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff&\\"]')


def _q(text: str) -> str:
    multiline = "\n" in text
    flat = text.replace("\n", "") if multiline else text
    # printable: no controls and no surrogates (a quicker scan than the regex, for long text)
    if (flat.isprintable() and "&" not in flat and "\\" not in flat and '"' not in flat) or (
        _ESCAPED.search(text) is None
    ):
        return '"' + text.replace("\n", "\\n") + '"' if multiline else f'"{text}"'
    return f'"{dot_string(text)}"'


def _attrs(pairs: Iterable[tuple[str, str | int | float]]) -> str:
    return "[" + _attr_list(pairs) + "]"


def _attr_list(pairs: Iterable[tuple[str, str | int | float]]) -> str:
    out = []
    for key, value in pairs:
        out.append(f"{key}={value}" if isinstance(value, int | float) else f"{key}={_q(value)}")
    return ", ".join(out)


_KNOWN_STATES = frozenset(STATE_ORDER)


def _worst(states: list[str]) -> str | None:
    if len(states) == 1:  # most drawn elements carry one claim
        return states[0] if states[0] in _KNOWN_STATES else None
    found = set(states)
    return next((s for s in STATE_ORDER if s in found), None)


def _clip(text: str) -> str:
    return text if len(text) <= TOOLTIP_MAX else text[: TOOLTIP_MAX - 1] + "…"


def node_names(m: ConceptMap) -> dict[str, str]:
    """The synthetic node name of every concept and linking phrase (``n0``, ``n1`` …):
    concepts first, then phrases, each in id order."""
    names: dict[str, str] = {}
    for rid in sorted(m.concepts):
        names[rid] = f"n{len(names)}"
    for rid in sorted(m.linking_phrases):
        names[rid] = f"n{len(names)}"
    return names


_EXAMPLE_ATTRS: list[tuple[str, str | int | float]] = [
    ("shape", "box"),
    ("style", "filled"),
    ("fillcolor", "#EFEFEF"),
    ("color", "#6E6E6E"),
    ("fontsize", 12),
]


def _concept_style(example: bool, state: str | None) -> str:
    """The attributes between a concept's id and its label, as written (``""`` or ending in
    ``", "``): the example look, then the state's border and colours."""
    attrs = list(_EXAMPLE_ATTRS) if example else []
    if state is not None:
        style, peripheries = _BORDER.get(state, ("rounded,filled", 1))
        if example:
            style = style.replace("rounded,", "")
        attrs = [a for a in attrs if a[0] not in ("style", "fillcolor", "color")]
        attrs += [
            ("style", style),
            ("fillcolor", STATE_TINTS.get(state, "white")),
            ("color", PALETTE.get(state, "black")),
            ("penwidth", 2),
        ]
        if peripheries > 1:
            attrs.append(("peripheries", peripheries))
    return _attr_list(attrs) + ", " if attrs else ""


def _phrase_style(state: str) -> str:
    """The attributes between a linking phrase's id and its label when it carries claims."""
    tint = STATE_TINTS.get(state, "white")
    return (
        _attr_list(
            [("shape", "box"), ("style", "rounded,filled"), ("fillcolor", tint), ("color", tint)]
        )
        + ", "
    )


def _glyph(state: str, stale: bool) -> str:
    """What a concept's label says under its text: "? unsupported", "~ weak ↻ stale"."""
    glyph = f"{STATE_GLYPHS.get(state, '')} {state}"
    return glyph + f" {STALE_GLYPH} stale" if stale else glyph


def map_to_dot(
    m: ConceptMap,
    marks: Mapping[str, ClaimMark] | None = None,
    *,
    options: DotOptions | None = None,
) -> str:
    """The DOT text of ``m``; with ``marks`` (claim id → :class:`ClaimMark`) the gaps show."""
    with collector_paused():
        return _map_to_dot(m, marks, options)


def _map_to_dot(
    m: ConceptMap, marks: Mapping[str, ClaimMark] | None, options: DotOptions | None
) -> str:
    opt = options or DotOptions()
    h = hierarchy(m)
    names = node_names(m)
    mid = m.id
    # every element's id starts with the map id (validated, so almost always plain)
    mid_text = mid if _PLAIN.fullmatch(mid) else dot_string(mid)
    level = h.level
    cross_links = h.cross_links
    parent_prop = h.parent_prop
    concepts, phrases, props = m.concepts, m.linking_phrases, m.propositions
    wrap = opt.wrap
    out: list[str] = ["digraph conceptmap {"]
    emit = out.append

    title = m.focus_question.strip() or m.title
    graph = [
        ("id", mid),
        ("class", "cm-map"),
        ("label", wrap_label(title, 70)),
        ("labelloc", "t"),
        ("fontname", FONT),
        ("fontsize", 18),
        ("tooltip", m.title),
        ("bgcolor", "white"),
        ("pad", "0.3"),
    ]
    if opt.engine == "dot":
        graph += [("rankdir", "TB"), ("nodesep", "0.3"), ("ranksep", "0.35")]
        if opt.fast:
            graph += [("mclimit", "0.1"), ("nslimit", "1"), ("nslimit1", "1")]
    else:
        graph += [("overlap", "prism"), ("splines", "true" if opt.engine == "neato" else "false")]
        if opt.engine == "sfdp":
            graph += [("K", "0.6"), ("repulsiveforce", "1.2")]
    graph += list(opt.extra_graph_attrs.items())
    emit("  graph " + _attrs(graph) + ";")
    emit("  node " + _attrs([("fontname", FONT)]) + ";")
    emit("  edge " + _attrs([("fontname", FONT), ("arrowsize", "0.7"), ("color", "#555555")]) + ";")

    mark_of: Mapping[str, ClaimMark] = marks if marks is not None else {}
    get_mark = mark_of.get

    # --- concepts (defaults first: fewer attributes to write and for dot to read)
    concept_defaults = [
        ("shape", "box"),
        ("style", "rounded,filled"),
        ("fontsize", 14),
        ("fillcolor", "white"),
        ("color", "black"),
    ]
    emit("  node " + _attrs(concept_defaults) + ";")
    styles: dict[tuple[bool, str | None], str] = {}
    # record ids are validated, so classes made of them and known states need no escaping
    ids = "".join(concepts) + "".join(phrases)
    plain_ids = "\n" not in ids and _ESCAPED.search(ids) is None
    for cid in sorted(concepts):
        c = concepts[cid]
        name = names[cid]
        label = wrap_label(c.label, wrap)
        classes = f"cm-concept cm-id-{cid}"
        if c.example:
            classes += " cm-example"
        mark = get_mark(cid)
        if mark is not None:
            state = mark.state
            classes += f" cm-claim cm-state-{state}" + (" cm-stale" if mark.stale else "")
            label = f"{label}\n{_glyph(state, mark.stale)}"
            tooltip = mark.summary or c.label
            key: tuple[bool, str | None] = (bool(c.example), state)
            class_q = f'"{classes}"' if plain_ids and state in _KNOWN_STATES else _q(classes)
        else:
            tooltip = f"{c.label}\n{c.notes}" if c.notes else c.label
            key = (bool(c.example), None)
            class_q = f'"{classes}"' if plain_ids else _q(classes)
        style = styles.get(key)
        if style is None:
            style = styles[key] = _concept_style(*key)
        line = (
            f'  {name} [id="{mid_text}-{name}", {style}label={_q(label)}, '
            f"tooltip={_q(_clip(tooltip))}, class={class_q}"
        )
        if c.links:
            link = next((safe_link(lk.url) for lk in c.links if safe_link(lk.url)), None)
            if link:
                # Graphviz writes URL into href without escaping <, > or quotes: percent-encode.
                line += f', URL={_q(quote(link, safe=_URL_SAFE))}, target="_blank"'
        emit(line + "];")

    # --- propositions grouped per drawn edge
    def constraining(pid: str) -> bool:
        if pid in cross_links:
            return False
        p = props[pid]
        if parent_prop.get(p.target) == pid:
            return True
        ls, lt = level.get(p.source), level.get(p.target)
        return not (ls is not None and lt is not None and lt <= ls)

    in_edges: dict[tuple[str, str], list[str]] = {}  # (concept, phrase) → props
    out_edges: dict[tuple[str, str], list[str]] = {}  # (phrase, concept) → props
    direct: list[str] = []
    by_phrase: dict[str, list[str]] = {}
    for pid in sorted(props):
        p = props[pid]
        via = p.via
        if via is None:
            direct.append(pid)
            continue
        in_edges.setdefault((p.source, via), []).append(pid)
        out_edges.setdefault((via, p.target), []).append(pid)
        by_phrase.setdefault(via, []).append(pid)

    def states_of(pids: list[str]) -> list[str]:
        return [mk.state for pid in pids if (mk := get_mark(pid)) is not None]

    # --- linking phrases
    phrase_defaults = [
        ("shape", "plaintext"),
        ("style", ""),
        ("fontsize", 11),
        ("margin", "0.04,0.02"),
        ("height", "0.2"),
        ("width", "0.2"),
        ("fillcolor", "white"),
    ]
    emit("  node " + _attrs(phrase_defaults) + ";")
    mixed_phrase: set[str] = set()
    phrase_styles: dict[str, str] = {}
    phrase_labels: dict[str, str] = {}
    for lid in sorted(phrases):
        lp = phrases[lid]
        name = names[lid]
        pids = by_phrase.get(lid, [])
        label = wrap_label(lp.label, wrap)
        classes = f"cm-phrase cm-id-{lid}"
        style = ""
        if len(pids) == 1:  # most phrases carry one claim
            pid = pids[0]
            mk = get_mark(pid)
            worst = mk.state if mk is not None and mk.state in _KNOWN_STATES else None
            stale = worst is not None and bool(mk.stale)  # type: ignore[union-attr]
            cross = pid in cross_links
            tooltip = mk.summary if mk and mk.summary else m.proposition_text(pid)
        else:
            states = states_of(pids)
            worst = _worst(states) if states else None
            if worst is not None:
                if len(set(states)) > 1:
                    mixed_phrase.add(lid)
                stale = any((mk := get_mark(pid)) is not None and mk.stale for pid in pids)
            cross = bool(pids) and all(pid in cross_links for pid in pids)
            tips = []
            for pid in pids:
                mk = get_mark(pid)
                tips.append(mk.summary if mk and mk.summary else m.proposition_text(pid))
            tooltip = "\n\n".join(tips)
        if worst is not None:
            glyph = STATE_GLYPHS.get(worst, "") + (f" {STALE_GLYPH}" if stale else "")
            label = f"{glyph} {label}"
            classes += f" cm-claim cm-state-{worst}" + (" cm-stale" if stale else "")
            style = phrase_styles.get(worst) or phrase_styles.setdefault(
                worst, _phrase_style(worst)
            )
        if cross:
            classes += " cm-cross-link"
        tooltip = _clip(tooltip) or lp.label
        class_q = f'"{classes}"' if plain_ids else _q(classes)  # worst is a known state
        label_q = phrase_labels.get(label)  # phrases repeat: "includes", "? needs"…
        if label_q is None:
            label_q = phrase_labels[label] = _q(label)
        emit(
            f'  {name} [id="{mid_text}-{name}", {style}label={label_q}, '
            f"tooltip={_q(tooltip)}, class={class_q}];"
        )

    # --- edges
    # Written by hand rather than through _attrs: edges are the most numerous element, and
    # ids, classes and numbers need no escaping (record ids are validated).
    edge_no = 0
    for (cid, lid), pids in sorted(in_edges.items()):
        # concept — phrase: no arrowhead; a phrase always sits below its source
        if all(pid in cross_links for pid in pids):
            emit(
                f'  {names[cid]} -> {names[lid]} [id="{mid}-e{edge_no}", arrowhead=none, '
                'style=dashed, class="cm-connection cm-cross-link"];'
            )
        else:
            emit(
                f'  {names[cid]} -> {names[lid]} [id="{mid}-e{edge_no}", arrowhead=none, '
                'class="cm-connection"];'
            )
        edge_no += 1

    arrow_styles: dict[tuple[str, str], str] = {}  # (worst state, glyph place) → attributes

    def arrow_style(worst: str, where: str) -> str:
        colour = PALETTE.get(worst, "black")
        style = f', color="{colour}", penwidth=1.6'
        if where:
            glyph = STATE_GLYPHS.get(worst, "")
            style += f', {where}="{glyph}", labeldistance=1.8, fontcolor="{colour}", fontsize=12'
        return style

    def arrow(a: str, b: str, pids: list[str]) -> None:
        # phrase → concept or concept → concept: only the arrow into the target of a
        # cross-link (or of a link back up the hierarchy) leaves the ranks alone
        nonlocal edge_no
        if len(pids) == 1:  # most arrows carry one proposition
            pid = pids[0]
            cross = pid in cross_links
            constrain = b in phrases or constraining(pid)
            mk = get_mark(pid)
            worst = mk.state if mk is not None and mk.state in _KNOWN_STATES else None
            text = m.proposition_text(pid)
        else:
            cross = all(pid in cross_links for pid in pids)
            constrain = b in phrases or any(constraining(p) for p in pids)
            states = states_of(pids)
            worst = _worst(states) if states else None
            text = "\n".join([m.proposition_text(pid) for pid in pids])
        line = f'  {names[a]} -> {names[b]} [id="{mid}-e{edge_no}"'
        edge_no += 1
        if cross:
            line += ", style=dashed"
        if not constrain:
            line += ", constraint=false"
        classes = "cm-connection cm-cross-link" if cross else "cm-connection"
        if worst is not None:
            # A fan-out phrase whose claims differ shows each claim's glyph at its arrow; a
            # direct concept → concept link has no phrase to carry the glyph.
            where = "headlabel" if a in mixed_phrase else ("label" if a in concepts else "")
            style = arrow_styles.get((worst, where))
            if style is None:
                style = arrow_styles[(worst, where)] = arrow_style(worst, where)
            line += style
            classes += f" cm-state-{worst}"
        emit(f'{line}, tooltip={_q(_clip(text))}, class="{classes}"];')

    for (lid, cid), pids in sorted(out_edges.items()):
        arrow(lid, cid, pids)
    for pid in direct:
        p = props[pid]
        arrow(p.source, p.target, [pid])

    if marks is not None and opt.legend:
        out.extend(_legend(mid, h.level, names))
    emit("}")
    emit("")  # the final line break, without copying the whole text once more
    return "\n".join(out)


# Stands for the map id in the legend's lines, which are written once and then given the id
# of each map (escaping is character by character, so escaping the id alone is the same).
_MAP_ID = "cmLegendMapIdSentinel"


@functools.cache
def _legend_cluster() -> tuple[str, ...]:
    return tuple(_legend_lines(_MAP_ID))


def _legend(mid: str, level: Mapping[str, int], names: Mapping[str, str]) -> list[str]:
    """A cluster explaining the states, staleness, examples and cross-links, put under the
    deepest level of the map by one invisible edge."""
    mid_text = mid if _PLAIN.fullmatch(mid) else dot_string(mid)
    lines = [line.replace(_MAP_ID, mid_text) for line in _legend_cluster()]
    if level:
        # the first in id order of the deepest concepts (max over the sorted ids, found
        # without sorting them)
        bottom = max(level.values())
        deepest = min(c for c, lv in level.items() if lv == bottom)
        lines.append(f"  {names[deepest]} -> legend0 [style=invis];")
    return lines


def _legend_lines(mid: str) -> list[str]:
    """The legend's cluster for the map ``mid``."""
    lines = [
        "  subgraph cluster_legend {",
        "    graph "
        + _attrs(
            [
                ("id", f"{mid}-legend"),
                ("class", "cm-legend"),
                ("label", "Legend"),
                ("labelloc", "t"),
                ("fontsize", 12),
                ("style", "rounded"),
                ("color", "#999999"),
            ]
        )
        + ";",
        "    node "
        + _attrs([("fontsize", 10), ("height", "0.3"), ("margin", "0.11,0.055"), ("width", "0.5")])
        + ";",
    ]
    keys = []
    for i, state in enumerate(STATE_ORDER):
        style, peripheries = _BORDER[state]
        key = f"legend{i}"
        keys.append(key)
        attrs: list[tuple[str, str | int | float]] = [
            ("id", f"{mid}-legend-{state}"),
            ("class", f"cm-legend-item cm-state-{state}"),
            ("shape", "box"),
            ("style", style),
            ("fillcolor", STATE_TINTS[state]),
            ("color", PALETTE[state]),
            ("penwidth", 2),
            ("label", f"{STATE_GLYPHS[state]} {state}"),
            ("tooltip", _LEGEND_TIPS[state]),
        ]
        if peripheries > 1:
            attrs.append(("peripheries", peripheries))
        lines.append(f"    {key} {_attrs(attrs)};")
    extras = [
        ("stale", f"{STALE_GLYPH} stale: evidence getting old", "box", "rounded"),
        ("example", "example", "box", "filled"),
    ]
    for j, (what, label, shape, style) in enumerate(extras):
        key = f"legend{len(STATE_ORDER) + j}"
        keys.append(key)
        attrs = [
            ("id", f"{mid}-legend-{what}"),
            ("class", f"cm-legend-item cm-legend-{what}"),
            ("shape", shape),
            ("style", style),
            ("label", label),
            ("tooltip", label),
        ]
        if what == "example":
            attrs += [("fillcolor", "#EFEFEF"), ("color", "#6E6E6E")]
        lines.append(f"    {key} {_attrs(attrs)};")
    lines.append(
        "    legend_x1 "
        + _attrs([("shape", "point"), ("width", "0.05"), ("id", f"{mid}-legend-x1")])
        + ";"
    )
    lines.append(
        "    legend_x2 "
        + _attrs(
            [
                ("id", f"{mid}-legend-cross-link"),
                ("class", "cm-legend-item cm-legend-cross-link"),
                ("shape", "plaintext"),
                ("label", "cross-link"),
                ("tooltip", "a dashed arrow joins two branches of the map (a cross-link)"),
            ]
        )
        + ";"
    )
    lines.append("    { rank=same; " + " ".join([*keys, "legend_x1", "legend_x2"]) + " }")
    for a, b in itertools.pairwise([*keys, "legend_x1"]):
        lines.append(f"    {a} -> {b} [style=invis];")
    lines.append(
        "    legend_x1 -> legend_x2 "
        + _attrs([("style", "dashed"), ("id", f"{mid}-legend-x-edge"), ("minlen", "2")])
        + ";"
    )
    lines.append("  }")
    return lines


_LEGEND_TIPS = {
    "unsupported": "no evidence yet: an assumption nobody has checked",
    "contradicted": "the evidence says the belief is wrong: revise the map",
    "contested": "evidence points both ways: find out why",
    "weak": "some evidence, not enough to lean on",
    "supported": "enough recent evidence",
}
