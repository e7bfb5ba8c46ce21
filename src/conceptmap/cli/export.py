"""Commands that take a map out of conceptmap and bring CmapTools maps in: export, import."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import app, parse_date, say
from conceptmap.safety import terminal_text

__all__ = ["export", "import_cxl"]


class Engine(StrEnum):
    dot = "dot"
    sfdp = "sfdp"
    neato = "neato"


@app.command()
def export(
    path: Path = typer.Argument(..., help="The map to export (*.cmap.json)."),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="The file to write; its suffix picks the format: .svg .png .pdf .dot (drawings), "
        ".cxl (CmapTools), .graphml, .md (outline), .mmd (Mermaid), .csv (propositions).",
    ),
    engine: Engine | None = typer.Option(
        None,
        "--engine",
        help="Graphviz layout engine. Default: dot (top-down), switching on its own to faster "
        "settings or sfdp for very big maps (it says so).",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge the evidence as on this date (YYYY-MM-DD); default today."
    ),
    no_gaps: bool = typer.Option(
        False, "--no-gaps", help="Draw the plain map, without claim states or legend."
    ),
    around: str | None = typer.Option(
        None, "--around", help="Only the neighbourhood of this concept (its id or label)."
    ),
    depth: int = typer.Option(
        1, "--depth", min=0, help="With --around: how many propositions away to include."
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help='Leave source names out of the output ("source 1", "source 2"…); quotes are '
        "never exported.",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="Settings the states are judged with (default: conceptmap.toml next to the map "
        "or in a folder above, as for `gaps`).",
    ),
) -> None:
    """Draw a map (SVG, PNG, PDF, DOT) with its gaps, or write it as CXL, GraphML, Markdown,
    Mermaid or CSV.

    Example:

      conceptmap export customers.cmap.json -o customers.svg --as-of 2026-06-01
    """
    m = api.read_map(path)
    notes = api.export_map(
        m,
        output,
        engine=engine.value if engine else None,
        as_of=parse_date(as_of, "--as-of"),
        gaps=not no_gaps,
        around=around,
        depth=depth,
        redact=redact,
        settings=api.analysis_settings(config, near=path) if not no_gaps else None,
    )
    for note in notes:
        say(terminal_text(note))
    say(f"wrote {output}")


@app.command("import")
def import_cxl(
    path: Path = typer.Argument(..., help="A CmapTools CXL export (File → Export Cmap As → CXL)."),
    output: Path = typer.Option(..., "--output", "-o", help="The new map file (*.cmap.json)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing map file."),
) -> None:
    """Read a CmapTools CXL file into a new map: concepts, linking phrases, connections,
    title, focus question, positions and resource links. Says in one line what it left out
    (styles, images, nesting).

    Example:

      conceptmap import cafe.cxl -o cafe.cmap.json
    """
    mf, notes = api.import_cxl(path, output, force=force)
    for note in notes:
        say(terminal_text(note))
    m = mf.map
    say(
        f"imported {len(m.concepts)} concepts, {len(m.linking_phrases)} linking phrases, "
        f"{len(m.propositions)} propositions into {mf.path}"
    )
