"""The learning plan: who tests which gap, with what, by when (``conceptmap plan``)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import TableFormat, app, emit_json, parse_date, say
from conceptmap.errors import UsageError
from conceptmap.safety import markdown_text, terminal_text

__all__ = ["plan"]


PlanFormat = TableFormat


def _claim(mf: api.MapFile, query: str) -> str:
    found = mf.map.find_claims(query)
    if not found:
        raise UsageError(
            f"no claim matches {query!r} (give an id, a concept label, or "
            "'source | linking phrase | target')",
            path=str(mf.path),
        )
    if len(found) > 1:
        raise UsageError(
            f"{query!r} matches {len(found)} claims ({', '.join(found[:4])}); give the id",
            path=str(mf.path),
        )
    return found[0]


@app.command()
def plan(
    path: Path = typer.Argument(..., help="The map."),
    set_: str | None = typer.Option(
        None,
        "--set",
        help="Plan a test for this claim (id, concept label, or 'source | phrase | target').",
    ),
    owner: str | None = typer.Option(None, "--owner", help="Who runs the test (with --set)."),
    test: str | None = typer.Option(
        None, "--test", help="The next test to run, e.g. 'watch 5 lunch rushes' (with --set)."
    ),
    due: str | None = typer.Option(None, "--due", help="Due date, YYYY-MM-DD (with --set)."),
    done: str | None = typer.Option(None, "--done", help="Mark this claim's test as done."),
    remove: str | None = typer.Option(None, "--remove", help="Take this claim out of the plan."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge overdue items and states as of this date."
    ),
    format: PlanFormat = typer.Option(PlanFormat.table, "--format", help="table, md or json."),
    force: bool = typer.Option(False, "--force", help="Save even if the file changed on disk."),
) -> None:
    """List the learning plan (overdue first), or change it.

    After a workshop, every gap worth closing needs an owner, a next test and a due date.
    Examples:

    \b
      conceptmap plan map.cmap.json --set "café owners | value | fast delivery" --owner Ana --test "observe 5 lunch rushes" --due 2026-12-15
      conceptmap plan map.cmap.json --done "café owners | value | fast delivery"
      conceptmap plan map.cmap.json
    """
    today = parse_date(as_of, "--as-of")
    changes = [x for x in (set_, done, remove) if x is not None]
    if len(changes) > 1:
        raise UsageError("use one of --set, --done and --remove at a time")
    if changes:
        mf = api.load(path)
        if set_ is not None:
            if not (owner and test and due):
                raise UsageError("--set needs --owner, --test and --due")
            due_date = parse_date(due, "--due")
            claim = _claim(mf, set_)
            mf.map.set_plan(claim, owner=owner, next_test=test, due=due_date)
            say(f"planned: {mf.map.claim_text(claim)} → {owner}, due {due_date}")
        elif done is not None:
            claim = _claim(mf, done)
            item = mf.map.plan_for(claim)
            if item is None:
                raise UsageError(f"{mf.map.claim_text(claim)!r} is not in the plan", path=str(path))
            mf.map.set_plan(
                claim, owner=item.owner, next_test=item.next_test, due=item.due, done=True
            )
            say(f"done: {mf.map.claim_text(claim)}")
        else:
            claim = _claim(mf, remove or "")
            mf.map.remove_plan(claim)
            say(f"removed from the plan: {mf.map.claim_text(claim)}")
        mf.save(force=force)
        return
    rows = api.plan_rows(api.read_map(path), as_of=today)
    if format is PlanFormat.json:
        emit_json({"schema": "conceptmap.plan/1", "items": rows})
        return
    if not rows:
        sys.stdout.write("The plan is empty: give a gap an owner with --set.\n")
        return
    for r in rows:
        status = "✓ done" if r["done"] else ("! OVERDUE" if r["overdue"] else "· open")
        if format is PlanFormat.md:
            sys.stdout.write(
                f"- **{r['due']}** {status} — {markdown_text(r['text'])} "
                f"({markdown_text(r['state'])}): {markdown_text(r['owner'])} will "
                f"{markdown_text(r['next_test'])}\n"
            )
        else:
            t = terminal_text
            sys.stdout.write(
                f"{r['due']}  {status:<10} {t(r['owner'])}: {t(r['next_test'])}\n"
                f"            {t(r['text'])}  [{r['state']}]\n"
            )
