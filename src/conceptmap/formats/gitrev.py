"""Versions of a map file from git: ``MAP@REV`` and the list of a file's commits.

Maps live in git and keep stable ids, so git's history of a map file is the history of what
the team knew. This module only asks git (``git show``, ``git log``) and parses the answers;
missing revisions, files outside a repository and a missing ``git`` each give one clear line.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conceptmap.errors import EnvironmentProblem, InputError
from conceptmap.formats.native import parse_map, read_map
from conceptmap.model import ConceptMap

__all__ = ["Revision", "load_spec", "map_revisions", "read_revision", "split_spec"]


@dataclass(frozen=True)
class Revision:
    sha: str
    date: dt.datetime
    subject: str


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise EnvironmentProblem("git is not installed") from None


def _repo_path(path: Path) -> tuple[Path, str]:
    """The repository root of ``path`` and the path inside it, or an InputError."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder does not exist", path=str(path))
    res = _git(["rev-parse", "--show-toplevel"], folder)
    if res.returncode != 0:
        raise InputError("is not in a git repository", path=str(path))
    root = Path(res.stdout.decode().strip())
    rel = os.path.relpath(path.resolve(), root.resolve())
    return root, Path(rel).as_posix()


def split_spec(spec: str) -> tuple[Path, str | None]:
    """``"map.cmap.json@HEAD~2"`` → (path, "HEAD~2"); a plain path → (path, None)."""
    if "@" in spec and not Path(spec).exists():
        path, rev = spec.rsplit("@", 1)
        if rev:
            return Path(path), rev
    return Path(spec), None


def read_revision(path: Path, rev: str) -> ConceptMap:
    """The map file ``path`` as it was at git revision ``rev``."""
    root, rel = _repo_path(path)
    res = _git(["show", f"{rev}:{rel}"], root)
    name = f"{path}@{rev}"
    if res.returncode != 0:
        msg = res.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(
            f"git has no such version ({msg[-1] if msg else 'unknown revision'})", path=name
        )
    return parse_map(res.stdout, path=name)


def load_spec(spec: str) -> ConceptMap:
    """A map from a file path or a ``MAP@REV`` git version."""
    path, rev = split_spec(spec)
    return read_map(path) if rev is None else read_revision(path, rev)


def map_revisions(path: Path, since: dt.date | None = None) -> list[Revision]:
    """The commits that changed ``path``, oldest first (following renames)."""
    root, rel = _repo_path(path)
    args = ["log", "--follow", "--format=%H%x1f%cI%x1f%s"]
    if since is not None:
        args.append(f"--since={since.isoformat()}")
    res = _git([*args, "--", rel], root)
    if res.returncode != 0:
        raise InputError(
            res.stderr.decode(errors="replace").strip() or "git log failed", path=str(path)
        )
    out = []
    for line in res.stdout.decode(errors="replace").splitlines():
        sha, date, subject = line.split("\x1f", 2)
        out.append(Revision(sha, dt.datetime.fromisoformat(date), subject))
    out.reverse()
    if not out:
        raise InputError("has no committed versions in git", path=str(path))
    return out
