"""Several people, one map: ``conceptmap merge`` and ``conceptmap git-setup``."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import typer

from conceptmap import api
from conceptmap.cli._app import app, say
from conceptmap.errors import EXIT_FOUND, EnvironmentProblem, UsageError

__all__ = ["git_setup", "merge"]


@app.command()
def merge(
    base: Path = typer.Argument(..., help="The common ancestor version of the map."),
    ours: Path = typer.Argument(..., help="Our version."),
    theirs: Path = typer.Argument(..., help="Their version."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the merged map."),
) -> None:
    """Merge two versions of a map that grew from one base (a three-way merge by record id).

    Concepts, propositions, evidence and relations added on either side all arrive. A true
    conflict (the same field changed two ways, a record deleted on one side and edited on the
    other) is written into the merged map as a marked conflict, never dropped: `conceptmap
    validate` lists it and the exit code is 1, so git stops the merge for you as it does for
    text conflicts.
    """
    result = api.merge_files(base, ours, theirs, output)
    n = result.conflicts
    added = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.added.items() if v)
    say(f"merged into {output}" + (f" (new: {added})" if added else ""))
    if n:
        say(
            f"{n} conflict{'s' if n != 1 else ''} kept in the map: see `conceptmap validate {output}`"
        )
        raise typer.Exit(EXIT_FOUND)


@app.command("git-setup")
def git_setup() -> None:
    """Install conceptmap as git's merge driver for *.cmap.json in the current repository.

    Adds `*.cmap.json merge=conceptmap` to .gitattributes and sets merge.conceptmap.driver in
    the repository's git config, so `git merge` combines maps record by record.
    """
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise EnvironmentProblem("git is not installed") from None
    if top.returncode != 0:
        raise UsageError("not inside a git repository (run it in the repository of your maps)")
    root = Path(top.stdout.strip())
    attributes = root / ".gitattributes"
    line = "*.cmap.json merge=conceptmap"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line not in existing.splitlines():
        sep = "" if not existing or existing.endswith("\n") else "\n"
        attributes.write_text(existing + sep + line + "\n", encoding="utf-8")
    driver = f"{shlex.quote(sys.executable)} -m conceptmap merge %O %A %B -o %A"
    for key, value in (
        ("merge.conceptmap.name", "conceptmap three-way merge of concept maps"),
        ("merge.conceptmap.driver", driver),
    ):
        subprocess.run(["git", "config", key, value], cwd=root, check=True)
    say(f"git will merge *.cmap.json with conceptmap in {root} (.gitattributes and .git/config)")


@app.command()
def resolve(
    path: Path = typer.Argument(..., help="The merged map holding conflicts."),
    conflict: str = typer.Argument(
        ..., help="The conflict id (x-…), as `validate` lists it; 'all' for every one."
    ),
    take: str = typer.Option(..., "--take", help="ours or theirs."),
    force: bool = typer.Option(False, "--force", help="Save even if the file changed on disk."),
) -> None:
    """Resolve merge conflicts left in a map by `conceptmap merge`, taking one side."""
    if take not in ("ours", "theirs"):
        raise UsageError(f"--take must be 'ours' or 'theirs', not {take!r}")
    mf = api.load(path)
    ids = api.resolve_conflicts(mf.map, conflict, take, path=path)  # as the TUI does
    mf.save(force=force)
    left = len(mf.map.conflicts)
    say(f"resolved {len(ids)} conflict{'s' if len(ids) != 1 else ''}; {left} left")
