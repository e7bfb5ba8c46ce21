"""``conceptmap report``: the gap report over many maps, for a team, a portfolio or CI."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import typer

from conceptmap import api
from conceptmap.cli._app import app, say
from conceptmap.cli.gaps import parse_as_of
from conceptmap.errors import UsageError

__all__ = ["report"]

_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def _progress_wanted() -> bool:
    """A bar only for a person watching a terminal: not in CI, not with NO_COLOR."""
    return (
        sys.stderr.isatty()
        and "NO_COLOR" not in os.environ
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


def _fail_states(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out += [s.strip().lower() for s in v.split(",") if s.strip()]
    return out


@app.command()
def report(
    paths: list[Path] = typer.Argument(
        ..., help="Map files and folders (searched recursively for *.cmap.json)."
    ),
    format: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="md, json or html (default: from the -o suffix, else md).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."
    ),
    fail_on: list[str] = typer.Option(
        [],
        "--fail-on",
        help="Exit 1 when any map has claims in this state: unsupported, contradicted, "
        "contested, weak, stale, undermined, contradiction, or new (gaps not in --baseline). "
        "Repeat it or separate with commas.",
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", help="Worker processes (default min(2, number of CPUs))."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Analyse as on this day (YYYY-MM-DD), so the report is reproducible. Default: today.",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="Settings for every map (default: the conceptmap.toml next to or above each map).",
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help='Leave evidence quotes and links out; sources read "source 1", "source 2"…',
    ),
    baseline: Path | None = typer.Option(
        None,
        "--baseline",
        help="An earlier JSON report: gaps not in it are marked new and listed first.",
    ),
    top: int = typer.Option(10, "--top", "-n", help="Gaps shown per map and across the maps."),
    set_: list[str] = typer.Option(
        [], "--set", help="Override one setting for every map, e.g. --set states.weak_u=0.6."
    ),
    history: bool = typer.Option(
        False,
        "--history",
        help="For maps kept in git: add each map's uncertainty-debt burn-down per week "
        "(reads every committed version, so it takes longer).",
    ),
) -> None:
    """The gap report over many maps: one section per map and a summary across them.

    Maps are analysed in parallel worker processes. A map that cannot be read appears in the
    report as an error and never hides the results of the others.

    \b
    Exit codes (for CI):
      0  every map analysed, nothing you asked to fail on
      1  a --fail-on state was found (with --fail-on new: only gaps not in --baseline)
      2  an input was invalid (a map, the baseline, --config, an option); the report is
         still written, with the invalid map shown as an error

    \b
    Examples:
      conceptmap report maps/ --format html -o gaps.html --as-of 2026-11-23
      conceptmap report maps/ --format json -o baseline.json
      conceptmap report maps/ --baseline baseline.json --fail-on new
    """
    fmt = format
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), "md") if output is not None else "md"
    if fmt not in ("md", "json", "html"):
        raise UsageError(f"--format {fmt!r}: use md, json or html")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more worker processes")
    day = parse_as_of(as_of)
    if day is None:
        import datetime as dt

        day = dt.date.today()
    from conceptmap.analysis.settings import parse_overrides

    if output is not None and output.is_dir():
        raise UsageError("-o names a folder; give a file name", path=str(output))
    if output is not None and not output.absolute().parent.is_dir():
        # said before the maps are analysed, not after minutes of work
        raise UsageError("-o: the folder does not exist", path=str(output))

    options: dict[str, Any] = {
        "fmt": fmt,
        "as_of": day,
        "top": top,
        "jobs": jobs if jobs is not None else _default_jobs(),
        "config": config,
        "overrides": parse_overrides(set_) or None,
        "fail_on": _fail_states(fail_on),
        "baseline": baseline,
        "redact": redact,
        "history": history,
    }
    # the report is streamed to its destination as the maps come in (memory stays flat in
    # the number of maps): -o is replaced atomically once it is complete (a device or pipe
    # such as /dev/null is written to instead); stdout gets it once every map is in
    options["output"] = output if output is not None else sys.stdout
    if _progress_wanted():
        result = _with_progress(paths, options)
    else:
        result = api.report_paths(paths, **options)
    _tell(result, output, options["fail_on"])
    raise typer.Exit(result.exit_code)


def _default_jobs() -> int:
    from conceptmap.report.batch import default_jobs

    return default_jobs()


def _with_progress(paths: list[Path], options: dict[str, Any]) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("analysing maps"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        # no refresh thread: the worker processes are forked while the bar is up, and a
        # thread holding stderr's lock at that moment would leave it locked in every worker
        auto_refresh=False,
    ) as bar:
        task = bar.add_task("maps", total=None)

        def started(total: int) -> None:
            bar.update(task, total=total, refresh=True)

        last = [0.0]

        def step(n: int) -> None:
            bar.advance(task, n)
            now = time.monotonic()
            if now - last[0] >= 0.1:  # ten frames a second, not one per map
                last[0] = now
                bar.refresh()

        return api.report_paths(paths, progress=step, started=started, **options)


def _tell(result: Any, output: Path | None, fail_on: list[str]) -> None:
    """Errors and a one-line summary on stderr (the report itself is the data)."""
    for line in result.errors:
        say(f"conceptmap: error: {line}")
    s = result.summary
    line = (
        f"report: {s['maps']} map{'s' if s['maps'] != 1 else ''} "
        f"({s['analysed']} analysed, {s['invalid']} invalid), {s['counts']['gaps']} gaps"
    )
    if s["new_gaps"] is not None:
        line += f", {len(s['new_gaps'])} new since the baseline"
    found = {k: s["counts"][k] for k in fail_on if s["counts"].get(k)}
    if found:
        line += "; found " + ", ".join(f"{n} {k}" for k, n in found.items())
    if output is not None:
        line += f"; written to {output}"
    say(line)
