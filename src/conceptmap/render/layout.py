"""Graphviz layout for drawing a map on a character grid (the TUI's map view).

:func:`terminal_layout` writes a DOT graph whose boxes are sized in character cells (one
column = :data:`COL` inches, one row = :data:`ROW` inches, labels left to the caller, so dot
measures no text), runs ``dot -Tplain`` and returns :class:`PlainLayout`: node boxes and edge
polylines in the same cell units, y growing downwards. :func:`parse_plain` reads any
``-Tplain`` output.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from conceptmap.model import ConceptMap
from conceptmap.render.graphviz import run_graphviz

__all__ = [
    "COL",
    "ROW",
    "Box",
    "Edge",
    "PlainLayout",
    "box_lines",
    "parse_plain",
    "terminal_dot",
    "terminal_layout",
]

#: Inches per character column and per text row (terminal cells are about twice as tall as wide).
COL = 0.1
ROW = 0.2
#: Widest line of a concept box, in characters.
WRAP = 22


@dataclass(frozen=True, slots=True)
class Box:
    """A node: its record id, kind ("concept" or "phrase") and centre/size in cells."""

    id: str
    kind: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Edge:
    """A connector from one record to another as a polyline in cells (tail first)."""

    tail: str
    head: str
    points: tuple[tuple[float, float], ...]
    arrow: bool


@dataclass
class PlainLayout:
    width: float = 0.0
    height: float = 0.0
    boxes: dict[str, Box] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


def box_lines(label: str, width: int = WRAP) -> list[str]:
    """A concept label wrapped to at most three lines (the last one cut with an ellipsis)."""
    lines = textwrap.wrap(" ".join(label.split()), width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: width - 1] + "…"]
    return lines


def _phrase_text(label: str) -> str:
    text = " ".join(label.split())
    return text if len(text) <= 2 * WRAP else text[: 2 * WRAP - 1] + "…"


def _bezier(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along the cubic B-spline pieces dot gives (every 3 control points a piece)."""
    if len(pts) < 4:
        return pts
    out = [pts[0]]
    for i in range(0, len(pts) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[i : i + 4]
        for k in range(1, 9):
            t = k / 8
            u = 1 - t
            out.append(
                (
                    u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3,
                    u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3,
                )
            )
    return out


def parse_plain(text: str, ids: dict[str, tuple[str, str]] | None = None) -> PlainLayout:
    """Boxes and edge polylines from ``dot -Tplain`` output, in cells with y downwards.

    ``ids`` maps DOT node names to (record id, kind); without it names are used as ids."""
    out = PlainLayout()
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "graph" and len(parts) >= 4:
            out.width, out.height = float(parts[2]) / COL, float(parts[3]) / ROW
        elif parts[0] == "node" and len(parts) >= 6:
            rid, kind = (ids or {}).get(parts[1], (parts[1], "concept"))
            x, y, w, h = (float(v) for v in parts[2:6])
            out.boxes[rid] = Box(rid, kind, x / COL, out.height - y / ROW, w / COL, h / ROW)
        elif parts[0] == "edge" and len(parts) >= 4:
            tail, head, n = parts[1], parts[2], int(parts[3])
            coords = [float(v) for v in parts[4 : 4 + 2 * n]]
            pts = [(coords[i] / COL, out.height - coords[i + 1] / ROW) for i in range(0, 2 * n, 2)]
            t = (ids or {}).get(tail, (tail, ""))[0]
            h = (ids or {}).get(head, (head, ""))[0]
            arrow = (ids or {}).get(head, (head, "concept"))[1] == "concept"
            out.edges.append(Edge(t, h, tuple(_bezier(pts)), arrow))
    return out


def terminal_dot(
    m: ConceptMap, keep: Iterable[str] | None = None
) -> tuple[str, dict[str, tuple[str, str]]]:
    """DOT text for the concepts in ``keep`` (all when ``None``) and the linking phrases
    between them, boxes sized in cells; and DOT name → (record id, kind)."""
    kept = set(m.concepts) if keep is None else set(keep) & set(m.concepts)
    names: dict[str, tuple[str, str]] = {}
    by_id: dict[str, str] = {}
    lines = [
        "digraph t {",
        "  graph [rankdir=TB, nodesep=0.3, ranksep=0.45, splines=true];",
        '  node [shape=box, fixedsize=true, label=""];',
        "  edge [arrowhead=none];",
    ]
    for cid in sorted(kept):
        name = f"c{len(by_id)}"
        by_id[cid], names[name] = name, (cid, "concept")
        text = box_lines(m.concepts[cid].label)
        w = (max(len(t) for t in text) + 4) * COL
        h = (len(text) + 2) * ROW
        lines.append(f"  {name} [width={w:.2f}, height={h:.2f}];")
    pairs: dict[tuple[str, str], None] = {}
    for pid in sorted(m.propositions):
        p = m.propositions[pid]
        if p.source not in kept or p.target not in kept:
            continue
        if p.via is None:
            pairs[(by_id[p.source], by_id[p.target])] = None
            continue
        if p.via not in by_id:
            name = f"l{len(by_id)}"
            by_id[p.via], names[name] = name, (p.via, "phrase")
            w = (len(_phrase_text(m.linking_phrases[p.via].label)) + 2) * COL
            lines.append(f"  {name} [peripheries=0, width={w:.2f}, height={ROW:.2f}];")
        pairs[(by_id[p.source], by_id[p.via])] = None
        pairs[(by_id[p.via], by_id[p.target])] = None
    lines.extend(f"  {a} -> {b};" for a, b in pairs)
    lines.append("}")
    return "\n".join(lines) + "\n", names


def terminal_layout(m: ConceptMap, keep: Iterable[str] | None = None) -> PlainLayout:
    """Lay out ``m`` (or the concepts in ``keep``) for a character grid with ``dot``."""
    text, names = terminal_dot(m, keep)
    if len(names) == 0:
        return PlainLayout()
    plain = run_graphviz(text, "plain", "dot").decode("utf-8", "replace")
    return parse_plain(plain, names)


def phrase_text(label: str) -> str:
    """How a linking phrase reads on its connector (one line, cut with an ellipsis)."""
    return _phrase_text(label)
