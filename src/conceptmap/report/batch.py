"""The batch gap report: many maps analysed in worker processes, one report out.

Who calls what: ``conceptmap report`` → :func:`conceptmap.api.report_paths` (which finds the
maps) → :func:`make_report` here. Each map is read and analysed in a worker process
(:func:`analyse_path`), which sends back a *compact* entry — counts, the top gaps with their
evidence, the lists the report shows, the ids of every gap — never the whole
:class:`~conceptmap.analysis.Analysis`, so 10,000 maps fit in memory. The parent puts the
entries in path order, builds the document (:func:`conceptmap.report.json_report.build_report`)
and renders it as Markdown, HTML or JSON.

A map that cannot be read, or whose ``conceptmap.toml`` is wrong, becomes an error entry: it
shows in the report next to the others and makes the exit code 2. Anything else raised in a
worker is a bug and propagates (exit 70), never hidden as bad input.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conceptmap.errors import ConceptmapError, UsageError

__all__ = [
    "FORMATS",
    "Job",
    "ReportResult",
    "analyse_path",
    "default_jobs",
    "make_report",
    "render",
    "run_maps",
]

FORMATS = ("md", "json", "html")

# Bidirectional overrides and isolates make text read differently from what it is: the
# Markdown and HTML reports drop them (the JSON keeps the data, written as \u escapes).
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def default_jobs() -> int:
    """``--jobs`` default: two workers, or one on a one-core machine."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Job:
    """What every worker needs to analyse one map the same way (picklable)."""

    as_of: dt.date
    top: int = 10
    config: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    markdown: bool = False
    history: bool = False


@dataclass
class ReportResult:
    """A rendered report: the text, the exit code it calls for, and the error lines of the
    maps that could not be analysed (for stderr)."""

    text: str
    exit_code: int
    errors: list[str]
    summary: dict[str, Any]


# ---------------------------------------------------------------------- in the worker

# Settings per (config, folder): a folder's conceptmap.toml is read once per process.
_SETTINGS: dict[tuple[str | None, str, str], Any] = {}


def _settings(path: Path, job: Job) -> Any:
    from conceptmap.analysis import load_settings

    key = (job.config, str(path.parent), repr(sorted(job.overrides.items())))
    if key not in _SETTINGS:
        try:
            _SETTINGS[key] = load_settings(job.config, path, job.overrides or None)
        except ConceptmapError as err:
            _SETTINGS[key] = err
    found = _SETTINGS[key]
    if isinstance(found, ConceptmapError):
        raise found
    return found


def analyse_path(path: str, job: Job) -> dict[str, Any]:
    """Read and analyse one map; return its compact report entry (or an error entry)."""
    from conceptmap.analysis import analyse
    from conceptmap.formats import read_map
    from conceptmap.report.json_report import error_entry, map_entry

    try:
        settings = _settings(Path(path), job)
        m = read_map(path)
    except ConceptmapError as err:
        return error_entry(path, err)
    a = analyse(m, settings=settings, as_of=job.as_of)
    entry = map_entry(path, m, a, top=job.top)
    if job.history:
        entry["history"] = _history(Path(path), job.as_of)
    if job.markdown:
        from conceptmap.report.gaps_text import gaps_markdown

        entry["_markdown"] = gaps_markdown(a, top=job.top, level=3)
    return entry


def _history(path: Path, as_of: dt.date) -> dict[str, Any] | None:
    """The map's uncertainty debt per week from its versions in git (up to ``as_of``), or
    ``None`` when it is not in git. Read in this worker process (no nested pool)."""
    from conceptmap.report.history import history_from_git

    try:
        h = history_from_git(path, by="week", jobs=1)
    except ConceptmapError:
        return None
    periods = [
        {"period": r["period"], "debt": r["debt"], "gaps_open": r["gaps_open"]}
        for r in h["periods"]
        if r["period"] <= period_of(as_of, "week")
    ]
    return {"by": "week", "periods": periods}


def period_of(day: dt.date, by: str) -> str:
    from conceptmap.report.history import period_of as _period_of

    return _period_of(day, by)


def _analyse_packed(args: tuple[str, Job]) -> dict[str, Any]:
    return analyse_path(*args)


def run_maps(
    paths: Sequence[str],
    job: Job,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The entries of ``paths``, in the order given, analysed by ``jobs`` worker processes
    (``1``: in this process). ``progress(n)`` is called after each map."""
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more worker processes")
    if jobs == 1 or len(paths) < 2:
        for p in paths:
            yield analyse_path(p, job)
            if progress:
                progress(1)
        return
    workers = min(jobs, len(paths))
    # Chunks keep the hand-over cheap for many small maps and the queue short for big ones.
    chunk = max(1, min(32, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map() submits every chunk now (so the workers are forked before a progress thread
        # starts) and yields results in input order, whatever order the workers finish in.
        results = pool.map(_analyse_packed, ((p, job) for p in paths), chunksize=chunk)
        for entry in results:
            yield entry
            if progress:
                progress(1)


# ---------------------------------------------------------------------- in the parent


def render(doc: dict[str, Any], fmt: str) -> str:
    """The report document as ``md``, ``json`` or ``html`` text."""
    if fmt == "json":
        from conceptmap.report.json_report import report_json

        return report_json(doc)
    if fmt == "md":
        from conceptmap.report.markdown import report_markdown

        return _BIDI.sub("", report_markdown(doc))
    if fmt == "html":
        from conceptmap.report.html import report_html

        return _BIDI.sub("", report_html(doc))
    raise UsageError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")


def make_report(
    paths: Sequence[str | os.PathLike[str]],
    *,
    fmt: str = "md",
    as_of: dt.date | None = None,
    top: int = 10,
    config: str | os.PathLike[str] | None = None,
    overrides: dict[str, Any] | None = None,
    redact: bool = False,
    fail_on: Sequence[str] = (),
    baseline: str | os.PathLike[str] | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    started: Callable[[int], None] | None = None,
    history: bool = False,
) -> ReportResult:
    """Analyse the maps at ``paths`` (files, in the order given) and render the report.

    Bad options (an unknown ``--fail-on`` state, a broken ``--config``, a baseline that is
    not a report) raise before any map is analysed. ``started(n)`` is told how many maps
    there are, ``progress(1)`` after each one (the CLI draws its progress bar from these).
    """
    from conceptmap.report.json_report import (
        build_report,
        exit_code,
        read_baseline,
        validate_fail_on,
    )

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if top < 1:
        raise UsageError(f"--top {top}: give a number of gaps of 1 or more")
    validate_fail_on(fail_on, has_baseline=baseline is not None)
    if config is not None:
        from conceptmap.analysis import load_settings

        load_settings(config, None, overrides or None)  # a broken --config fails once, here
    known = read_baseline(baseline) if baseline is not None else None
    names = [os.fspath(p) for p in paths]
    job = Job(
        as_of=as_of or dt.date.today(),
        top=top,
        config=os.fspath(config) if config is not None else None,
        overrides=dict(overrides or {}),
        markdown=fmt == "md",
        history=history,
    )
    if started:
        started(len(names))
    entries = list(run_maps(names, job, jobs=jobs, progress=progress))
    doc = build_report(
        entries,
        as_of=job.as_of,
        top=top,
        fail_on=fail_on,
        baseline=known,
        baseline_name=Path(baseline).name if baseline is not None else None,
        redact=redact,
    )
    errors = [line for e in entries if e["status"] == "error" for line in e["errors"]]
    return ReportResult(render(doc, fmt), exit_code(doc), errors, doc["summary"])
