"""One call per export: pick the part of the map, judge its claims, write the format.

:func:`export_bytes` is what ``conceptmap export`` runs (through :mod:`conceptmap.api`) for
every format but CXL, which lives in :mod:`conceptmap.formats.cxl` and gets its positions from
:func:`layout_boxes`. It returns the bytes, the lines to tell the user (engine switched,
positions computed…) and the time spent in our own code and in Graphviz, which
``bench/bench_export.py`` compares.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from conceptmap.errors import UsageError
from conceptmap.model import ConceptMap, collector_paused
from conceptmap.render.dot import ClaimMark, DotOptions, map_to_dot, node_names
from conceptmap.render.graphviz import choose_layout, plain_positions, run_graphviz

if TYPE_CHECKING:
    from conceptmap.analysis import Settings

__all__ = [
    "EXPORT_FORMATS",
    "Exported",
    "build_marks",
    "export_bytes",
    "format_for",
    "layout_boxes",
]

#: Output formats by file suffix, with what each is.
EXPORT_FORMATS: dict[str, str] = {
    "svg": "SVG drawing (Graphviz)",
    "png": "PNG picture (Graphviz)",
    "pdf": "PDF (Graphviz)",
    "dot": "Graphviz DOT text",
    "cxl": "CmapTools CXL",
    "graphml": "GraphML (Gephi, yEd, Cytoscape)",
    "md": "Markdown outline",
    "mmd": "Mermaid flowchart",
    "csv": "propositions as a CSV table",
}


@dataclass
class Exported:
    data: bytes
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def format_for(path: str | Path) -> str:
    """The export format named by the file's suffix; an unknown one is a usage error that
    lists the valid suffixes."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in EXPORT_FORMATS:
        valid = ", ".join(f".{s}" for s in EXPORT_FORMATS)
        shown = f"'.{suffix}'" if suffix else "no suffix"
        raise UsageError(f"cannot tell the format from {shown}; use one of {valid}", path=str(path))
    return suffix


def build_marks(
    m: ConceptMap,
    *,
    as_of: dt.date | None = None,
    redact: bool = False,
    settings: Settings | None = None,
) -> dict[str, ClaimMark]:
    """Judge every claim of ``m`` and turn the verdicts into the marks the drawings show (the
    states and reasons of the full analysis, without the ranking it does not draw)."""
    from conceptmap.analysis import claim_verdicts
    from conceptmap.render.marks import marks_from_claims

    with collector_paused():
        return marks_from_claims(
            m, claim_verdicts(m, settings=settings, as_of=as_of), redact=redact
        )


def export_bytes(
    m: ConceptMap,
    fmt: str,
    *,
    engine: str | None = None,
    as_of: dt.date | None = None,
    gaps: bool = True,
    around: str | None = None,
    depth: int = 1,
    redact: bool = False,
    settings: Settings | None = None,
) -> Exported:
    """The map in ``fmt`` (any of :data:`EXPORT_FORMATS` but ``cxl``); the states are judged
    with ``settings`` (default: those of analysis.md)."""
    if fmt not in EXPORT_FORMATS or fmt == "cxl":
        raise UsageError(f"export_bytes cannot write {fmt!r}")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    notes: list[str] = []
    marks = build_marks(m, as_of=as_of, redact=redact, settings=settings) if gaps else None
    timings["analysis"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    part = m
    if around is not None:
        from conceptmap.render.select import neighbourhood

        part = neighbourhood(m, around, depth)
        notes.append(
            f"drawing {len(part.concepts)} of {len(m.concepts)} concepts "
            f"(within {depth} of {part.concepts[part.meta.root or ''].label!r})"
        )
    if fmt in ("graphml", "md", "mmd", "csv"):
        from conceptmap.render import other

        writer = {
            "graphml": other.to_graphml,
            "md": other.to_markdown,
            "mmd": other.to_mermaid,
            "csv": other.to_csv,
        }[fmt]
        out = writer(part, marks)
        data = out if isinstance(out, bytes) else out.encode("utf-8")
        timings["build"] = time.perf_counter() - t1
        return Exported(data, notes, timings)
    layout = choose_layout(len(part.concepts) + len(part.linking_phrases), engine)
    if layout.note:
        notes.append(layout.note)
    dot_text = map_to_dot(part, marks, options=DotOptions(engine=layout.engine, fast=layout.fast))
    timings["build"] = time.perf_counter() - t1
    if fmt == "dot":
        return Exported(dot_text.encode("utf-8"), notes, timings)
    t2 = time.perf_counter()
    data = run_graphviz(dot_text, fmt, layout.engine)
    timings["layout"] = time.perf_counter() - t2
    return Exported(data, notes, timings)


def layout_boxes(
    m: ConceptMap,
) -> tuple[dict[str, tuple[float, float, float, float]] | None, str]:
    """Positions for a map that has none, by record id, from a dot layout (top-down, as the
    drawing), with a note saying so; ``None`` when Graphviz is not installed (the caller
    falls back to a grid)."""
    from conceptmap.errors import GraphvizMissingError

    names = node_names(m)
    layout = choose_layout(len(names))
    dot_text = map_to_dot(m, None, options=DotOptions(engine=layout.engine, fast=layout.fast))
    try:
        by_name = plain_positions(dot_text, layout.engine)
    except GraphvizMissingError:
        return None, "positions: a simple grid (Graphviz is not installed)"
    boxes = {rid: by_name[name] for rid, name in names.items() if name in by_name}
    return boxes, f"positions: computed by a Graphviz {layout.engine} layout"
