"""Learning over time: ``conceptmap diff``, ``history`` and ``forecast`` (analysis.md §7)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import TableFormat, app, emit_json, parse_date, say
from conceptmap.safety import terminal_text

__all__ = ["diff", "forecast", "history"]


DiffFormat = TableFormat


@app.command()
def diff(
    old: str = typer.Argument(..., help="The older version: a file, or MAP@REV for a git version."),
    new: str = typer.Argument(
        ..., help="The newer version: a file, or MAP@REV (e.g. map.cmap.json@HEAD)."
    ),
    format: DiffFormat = typer.Option(DiffFormat.table, "--format", help="table, md or json."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Analyse both versions as of this date (default today)."
    ),
) -> None:
    """What changed between two versions of a map, and what the team learned.

    Lists concepts, propositions, relations and evidence added, removed or changed; claims
    whose state changed; gaps opened and closed (closed by evidence kept apart from closed by
    editing); and the uncertainty debt before and after. Example:

      conceptmap diff customers.cmap.json@HEAD~5 customers.cmap.json
    """
    report = api.diff_versions(old, new, as_of=parse_date(as_of, "--as-of"))
    if format is DiffFormat.json:
        emit_json(report)
        return
    md = format is DiffFormat.md
    t = terminal_text
    out = []
    out.append(
        ("# " if md else "") + f"Diff: {t(report['old']['title'])} → {t(report['new']['title'])}"
    )
    rec = report["records"]
    if rec["ids_regenerated"]:
        out.append(
            f"Note: the ids were regenerated between the versions; {rec['matched_by_content']} "
            "records were matched by their labels instead of their ids."
        )
    out.append("")
    for key in ("concepts", "linking_phrases", "propositions", "evidence", "relations"):
        d = rec[key]
        out.append(
            f"{'- ' if md else '  '}{key.replace('_', ' ')}: +{len(d['added'])} added, "
            f"-{len(d['removed'])} removed, ~{len(d['changed'])} changed"
        )
    if rec["meta_changed"]:
        out.append(f"{'- ' if md else '  '}map: changed {', '.join(rec['meta_changed'])}")
    out.append("")
    out.append(("## " if md else "") + "Claims whose state changed")
    for s in report["states_changed"] or [{"text": "(none)", "before": "", "after": ""}]:
        arrow = f": {s['before']} → {s['after']}" if s["before"] else ""
        out.append(f"{'- ' if md else '  '}{t(s['text'])}{arrow}")
    out.append("")
    g = report["gaps"]
    out.append(("## " if md else "") + "Gaps")
    for key, label in (
        ("opened", "opened"),
        ("closed_by_evidence", "closed by evidence"),
        ("closed_by_editing", "closed by editing"),
    ):
        out.append(f"{'- ' if md else '  '}{label}: {len(g[key])}")
        for c in g[key]:
            out.append(f"{'  - ' if md else '      '}{t(c['text'])}")
    debt = report["debt"]
    out.append("")
    out.append(
        f"Uncertainty debt: {debt['before']:.2f} → {debt['after']:.2f} ({debt['change']:+.2f})"
    )
    sys.stdout.write("\n".join(out) + "\n")


class Period(StrEnum):
    week = "week"
    month = "month"


@app.command()
def history(
    path: Path = typer.Argument(..., help="A map file committed in git."),
    since: str | None = typer.Option(None, "--since", help="Only versions from this date on."),
    by: Period = typer.Option(Period.week, "--by", help="Group by week or month."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the burn-down chart as SVG here."
    ),
    format: DiffFormat = typer.Option(DiffFormat.table, "--format", help="table, md or json."),
) -> None:
    """Is the team learning enough, quick enough? The map's versions in git, per period.

    For each week (or month): the uncertainty debt D = Σ importance × uncertainty, the gaps
    open, gaps closed by evidence and by editing, new evidence by kind, and the median time
    from a belief's first appearance to its first behavioural evidence. Versions that fail
    validation are reported and skipped. `-o chart.svg` writes the debt burn-down chart.
    """
    from conceptmap.report.history import burndown_svg, burndown_text

    report = api.map_history(path, since=parse_date(since, "--since"), by=by.value)
    if output is not None:
        api.write_text(output, burndown_svg(report, f"Uncertainty debt: {path.name}"))
        say(f"wrote the burn-down chart to {output}")
    for s in report["skipped"]:
        say(f"skipped {s['sha'][:10]} ({s['date']}): {s['error']}")
    if format is DiffFormat.json:
        emit_json(report)
        return
    t = terminal_text
    md = format is DiffFormat.md
    head = [
        "period",
        "versions",
        "debt",
        "gaps open",
        "opened",
        "closed (evidence)",
        "closed (editing)",
        "new evidence",
    ]
    rows = [api.history_period_cells(p) for p in report["periods"]]
    if md:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    med = report["median_days_to_behavioural_evidence"]
    lines.append("")
    lines.append(
        "Median time from a belief to its first behavioural evidence: "
        + (
            f"{med:g} days ({report['claims_with_behavioural_evidence']} claims)"
            if med is not None
            else "no belief has behavioural evidence yet"
        )
    )
    if not md and report["periods"]:
        lines.append("")
        lines.append("Uncertainty debt")
        lines.append(burndown_text(report).rstrip("\n"))
    sys.stdout.write(t("\n".join(lines), keep_newlines=True) + "\n")


@app.command()
def forecast(
    path: Path = typer.Argument(..., help="The map."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Forecast from this date (default today)."
    ),
    format: DiffFormat = typer.Option(DiffFormat.table, "--format", help="table, md or json."),
) -> None:
    """The re-validation calendar: when each supported claim's evidence decays into a gap.

    Evidence fades with its half-life; for every claim that is supported now, the date it
    turns weak or stale, soonest first. Plan the next interviews before that date.
    """
    rows = api.forecast(api.read_map(path), as_of=parse_date(as_of, "--as-of"))
    if format is DiffFormat.json:
        emit_json({"schema": "conceptmap.forecast/1", "claims": rows})
        return
    t = terminal_text
    if not rows:
        sys.stdout.write("No supported claim: nothing to re-validate yet.\n")
        return
    for r in rows:
        when = r["turns_gap_on"] or "never (no decay)"
        sys.stdout.write(
            f"{when}  {t(r['text'])}\n"
            if format is DiffFormat.table
            else f"- **{when}** {t(r['text'])}\n"
        )
