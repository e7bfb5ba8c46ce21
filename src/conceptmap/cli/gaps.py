"""``conceptmap gaps``: the ranked gap list of one map, and what else the analysis found."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import TableFormat, app, colour_ok, emit_json, parse_date, say
from conceptmap.errors import UsageError

__all__ = ["gaps", "parse_as_of"]

GapsFormat = TableFormat


def parse_as_of(value: str | None) -> dt.date | None:
    """``--as-of YYYY-MM-DD`` → a date (``None`` → today); anything else is a usage error."""
    return parse_date(value, "--as-of")


@app.command()
def gaps(
    path: Path = typer.Argument(..., help="The map to analyse (*.cmap.json)."),
    top: int | None = typer.Option(None, "--top", "-n", help="Show only the N highest gaps."),
    format: GapsFormat = typer.Option(GapsFormat.table, "--format", help="table, md or json."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Analyse as on this day (YYYY-MM-DD): evidence decays to that day and later "
        "evidence is left out, so a report is reproducible. Default: today.",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="Settings file (default: conceptmap.toml next to the map or in a folder above).",
    ),
    set_: list[str] = typer.Option(
        [], "--set", help="Override one setting for this run, e.g. --set states.weak_u=0.6."
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="Accepted for symmetry with reports: this output never holds quotes or sources.",
    ),
) -> None:
    """Which beliefs about customers are unsupported, weak, contested, contradicted or stale,
    and which of those matter most.

    Lists the gaps by gap score (importance × uncertainty), each with its state (glyph and
    word), the reason in words and a next step; then "revise the map" (claims the evidence
    contradicts), contradictions in the map, undermined claims, stale claims, supported claims
    with the date each turns into a gap, and the structural findings and scores.

    Example:

      conceptmap gaps cafe.cmap.json --top 10 --as-of 2026-11-23
    """
    from conceptmap.analysis.settings import parse_overrides
    from conceptmap.report.gaps_text import gaps_json, gaps_markdown, gaps_table

    if top is not None and top < 1:
        raise UsageError(f"--top {top}: give a number of gaps of 1 or more")
    day = parse_as_of(as_of)
    settings = api.analysis_settings(config, near=path, overrides=parse_overrides(set_))
    m = api.read_map(path)
    if m.conflicts:
        say(
            f"{path}: {len(m.conflicts)} unresolved merge conflict(s); analysing the values "
            "kept so far (conceptmap validate lists them)"
        )
    a = api.analyse(m, settings=settings, as_of=day)
    if format is GapsFormat.json:
        emit_json(gaps_json(a, top=top))
    elif format is GapsFormat.md:
        sys.stdout.write(gaps_markdown(a, top=top))
    else:
        sys.stdout.write(gaps_table(a, top=top, colour=colour_ok()))
