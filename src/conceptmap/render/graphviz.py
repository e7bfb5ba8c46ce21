"""Running Graphviz: DOT text in, SVG/PNG/PDF (or plain layout positions) out.

Graphviz is a separate program; this module runs its engines (``dot``, ``sfdp``, ``neato``) as
subprocesses, feeding the DOT text on stdin. A missing program is
:class:`~conceptmap.errors.GraphvizMissingError` (exit code 3) with the line that installs it.

Big maps: ``dot``'s ranking grows much faster than linear (toolchain.md: 2.2 s at 2,000
nodes, 40 s at 5,000). :func:`choose_layout` picks cheaper settings above measured sizes and
returns a note for the user saying so; ``--engine`` overrides. The thresholds count the nodes
of the DOT graph (concepts and linking phrases), measured with ``bench/bench_export.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from conceptmap.errors import EnvironmentProblem, GraphvizMissingError, UsageError

__all__ = [
    "ENGINES",
    "FAST_DOT_ABOVE",
    "FORMATS",
    "SFDP_ABOVE",
    "Layout",
    "choose_layout",
    "plain_positions",
    "run_graphviz",
]

ENGINES = ("dot", "sfdp", "neato")
FORMATS = ("svg", "png", "pdf", "plain")

#: Above this many DOT nodes, dot runs with -Gmclimit=0.1 -Gnslimit=1 -Gnslimit1=1.
FAST_DOT_ABOVE = 2500
#: Above this many DOT nodes, sfdp (with overlap=prism) replaces dot.
SFDP_ABOVE = 6000

INSTALL_HINT = "Graphviz's {engine} is not installed: sudo apt-get install graphviz"


@dataclass(frozen=True)
class Layout:
    """The engine to run, whether dot takes its fast settings, and what to tell the user."""

    engine: str
    fast: bool = False
    note: str | None = None


def choose_layout(node_count: int, engine: str | None = None) -> Layout:
    """The layout for a DOT graph of ``node_count`` nodes; ``engine`` (the user's choice)
    always wins."""
    if engine is not None:
        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        return Layout(engine)
    if node_count > SFDP_ABOVE:
        return Layout(
            "sfdp",
            note=f"the map has {node_count} boxes, more than dot lays out in reasonable time "
            f"({SFDP_ABOVE}): using sfdp (a force-directed layout, no top-down hierarchy); "
            "pass --engine dot to insist",
        )
    if node_count > FAST_DOT_ABOVE:
        return Layout(
            "dot",
            fast=True,
            note=f"the map has {node_count} boxes (over {FAST_DOT_ABOVE}): dot runs with faster, "
            "rougher ranking (mclimit=0.1, nslimit=1); pass --engine dot for the full layout",
        )
    return Layout("dot")


def _executable(engine: str) -> str:
    exe = shutil.which(engine, path=os.environ.get("PATH", os.defpath))
    if exe is None:
        raise GraphvizMissingError(INSTALL_HINT.format(engine=engine))
    return exe


def run_graphviz(dot_text: str, fmt: str, engine: str = "dot") -> bytes:
    """Lay out ``dot_text`` with ``engine`` and return the output in ``fmt``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown Graphviz output {fmt!r}; choose one of {', '.join(FORMATS)}")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    exe = _executable(engine)
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, check=False
        )
    except FileNotFoundError:  # removed between which() and exec
        raise GraphvizMissingError(INSTALL_HINT.format(engine=engine)) from None
    if done.returncode != 0:
        first = next(
            (ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()),
            f"exit status {done.returncode}",
        )
        raise EnvironmentProblem(f"Graphviz's {engine} failed: {first.strip()}")
    return done.stdout


def plain_positions(
    dot_text: str, engine: str = "dot"
) -> dict[str, tuple[float, float, float, float]]:
    """Box centres and sizes in points, y growing downwards (CmapTools' convention), by node
    name, from Graphviz's ``plain`` output."""
    text = run_graphviz(dot_text, "plain", engine).decode("utf-8", "replace")
    height = 0.0
    out: dict[str, tuple[float, float, float, float]] = {}
    for line in text.splitlines():
        parts = line.split(" ", 6)
        if parts[0] == "graph" and len(parts) >= 4:
            height = float(parts[3])
        elif parts[0] == "node" and len(parts) >= 6:
            name = parts[1]
            x, y, w, h = (float(v) for v in parts[2:6])
            out[name] = (
                round(x * 72, 1),
                round((height - y) * 72, 1),
                round(w * 72, 1),
                round(h * 72, 1),
            )
    return out
