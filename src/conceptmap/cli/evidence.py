"""``conceptmap evidence import``: attach evidence in bulk from a spreadsheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import OutputFormat, app, emit_json, parse_date, say

__all__ = ["evidence_app", "import_evidence"]

evidence_app = typer.Typer(
    help="Work with the evidence behind the map's claims.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("import")
def import_evidence(
    path: Path = typer.Argument(..., help="The map to attach the evidence to."),
    csv_file: Path = typer.Argument(..., help="A CSV file, one evidence item per row."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Refuse evidence dated after this day (default today)."
    ),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
    force: bool = typer.Option(
        False, "--force", help="Save even if the map changed on disk since it was read."
    ),
) -> None:
    """Attach evidence from a spreadsheet exported as CSV, all rows or none.

    Columns: claim, stance, kind, source, date; optional quote, link, n, setting,
    reliability. A claim is an id, a concept label, or a proposition written
    "source concept | linking phrase | target concept" (case and spacing ignored). Every
    bad row is listed as FILE:row N: message and nothing is attached; otherwise the import is
    one undoable edit, saved safely. Example row:

    \b
      café owners | value | fast delivery,supports,observation,Ana's shadowing,2026-11-02
    """
    today = parse_date(as_of, "--as-of") or dt.date.today()
    result = api.import_evidence(path, csv_file, today=today, force=force)
    if format is OutputFormat.json:
        emit_json(result)
    say(
        f"attached {result['items']} evidence item{'s' if result['items'] != 1 else ''} to "
        f"{result['claims']} claim{'s' if result['claims'] != 1 else ''} in {path}"
    )
