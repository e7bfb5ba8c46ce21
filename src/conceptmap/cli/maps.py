"""Commands about map files themselves: new, validate, show, schema, open."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import OutputFormat, app, emit_json, say
from conceptmap.errors import EXIT_INPUT, UsageError
from conceptmap.safety import terminal_text

__all__ = ["new", "open_map", "schema", "show", "validate"]


@app.command()
def new(
    path: Path = typer.Argument(..., help="The map file to create, named *.cmap.json."),
    title: str = typer.Option(..., "--title", "-t", help="A short name for the map."),
    focus: str = typer.Option(
        "",
        "--focus",
        "-f",
        help="The focus question the map answers (Novak: every map answers one question), "
        'e.g. "What do SMB café owners need from ordering software?"',
    ),
    description: str = typer.Option("", "--description", "-d", help="A longer note on the map."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    open_: bool = typer.Option(False, "--open", help="Open the new map in the workshop TUI."),
) -> None:
    """Create a new, empty, valid map.

    Example:

      conceptmap new customers.cmap.json --title "Café owners" --focus "What do SMB café owners need from ordering software?"
    """
    mf = api.create_map(path, title, focus_question=focus, description=description, force=force)
    say(f"created {mf.path} (map {mf.map.id})")
    if open_:
        open_map(path=mf.path)


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        ..., help="Map files, or folders to search for *.cmap.json."
    ),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Check maps: JSON syntax, the schema, and every reference between records.

    Prints nothing and exits 0 when all are valid (with a one-line summary on stderr); prints
    one line per problem (file:place: message) and exits 2 otherwise.
    """
    results = api.validate_paths(paths)
    if not results:
        raise UsageError("no *.cmap.json maps found in the given folders")
    bad = [(p, e) for p, e in results if e is not None]
    if format is OutputFormat.json:
        emit_json(
            {
                "valid": len(bad) == 0,
                "maps": [
                    {"path": str(p), "valid": e is None, "problems": [] if e is None else e.lines()}
                    for p, e in results
                ],
            }
        )
    else:
        for _, err in bad:
            for line in err.lines():
                print(terminal_text(line))
        say(f"{len(results) - len(bad)} of {len(results)} maps valid")
    if bad:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def show(
    path: Path = typer.Argument(..., help="The map to print."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Print a map as an outline: the focus question, concepts by hierarchy level, and each
    proposition as "concept — linking phrase → concept" in hierarchy order, cross-links
    marked ⤳, with the evidence count of every claim."""
    from conceptmap.report.outline import outline_text

    m = api.read_map(path)
    data = api.outline(m)
    if format is OutputFormat.json:
        emit_json(data)
    else:
        sys.stdout.write(outline_text(data))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the *.cmap.json file format (for editors and validators)."""
    sys.stdout.write(json.dumps(api.json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command("open")
def open_map(
    path: Path | None = typer.Argument(
        None, help="The map to open; without one, a copy of the demo map in this folder."
    ),
) -> None:
    """Open a map in the workshop TUI (`conceptmap MAP` does the same).

    Without a map, the bundled demo map is copied into the current folder (once) and opened,
    so the installed package is never modified.
    """
    from conceptmap.tui import open_app  # Textual loads only for this command

    if path is None:
        path = api.copy_demo(".")
        say(f"opening the demo map {path}")
    tui = open_app(path)  # a bad map is reported here, before any screen
    # A browser session (conceptmap serve) talks through Textual's web driver, not a tty.
    served = bool(os.environ.get("TEXTUAL_DRIVER"))
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the TUI needs a terminal; use `conceptmap show`", path=path)
    tui.run()
