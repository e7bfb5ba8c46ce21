"""The batch gap report: many maps analysed in worker processes, one report out.

Who calls what: ``conceptmap report`` → :func:`conceptmap.api.report_paths` (which finds the
maps) → :func:`make_report` here. Each map is read and analysed in a worker process
(:func:`analyse_path`), which sends back a *compact* entry — counts, the top gaps with their
evidence, the lists the report shows, the ids of every gap — never the whole
:class:`~conceptmap.analysis.Analysis`.

The report is streamed, so its memory does not grow with the number of maps: the entries come
back in path order (a bounded number of chunks in flight, see :func:`run_maps`), each is
taken in by :class:`~conceptmap.report.json_report.ReportSummary` (which keeps the totals,
the top gaps and the new gaps only), rendered at once and spooled to anonymous temporary files
(in the output's folder). The summary comes first in every format but needs every map, so
when the last map is in, the head is written and the spooled parts copied after it, into a
temporary file renamed over ``-o`` (atomic: on any error nothing is written there). The bytes
are those of :func:`render` of the whole document (:func:`~conceptmap.report.json_report.
build_report`), which the one-map report of the TUI still uses.

A map that cannot be read, or whose ``conceptmap.toml`` is wrong, becomes an error entry: it
shows in the report next to the others and makes the exit code 2. Anything else raised in a
worker is a bug and propagates (exit 70), never hidden as bad input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from conceptmap.errors import ConceptmapError, EnvironmentProblem, UsageError

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
    """A rendered report: the text (empty when it was written to ``output``), the exit code
    it calls for, the error lines of the maps that could not be analysed (for stderr), and the
    document's summary."""

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


def _analyse_chunk(paths: Sequence[str], job: Job) -> list[dict[str, Any]]:
    return [analyse_path(p, job) for p in paths]


def run_maps(
    paths: Sequence[str],
    job: Job,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The entries of ``paths``, in the order given, analysed by ``jobs`` worker processes
    (``1``: in this process). ``progress(n)`` is called after each map.

    Only a few chunks are in flight at a time (four per worker), and the next is handed out
    when the first in line is taken: results never pile up in this process ahead of the one
    being consumed, whatever order the workers finish in, and the entries come out in the
    order given. (``Executor.map`` submits every chunk at once, so a fast pool and a slow
    reader kept every result waiting in memory.)"""
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
    starts = iter(range(0, len(paths), chunk))
    pending: deque[Future[list[dict[str, Any]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:

        def hand_out() -> None:
            start = next(starts, None)
            if start is not None:
                pending.append(pool.submit(_analyse_chunk, paths[start : start + chunk], job))

        try:
            # four chunks per worker: a worker that is a chunk or two ahead of the one the
            # reader waits for keeps working, and at most 8 × 32 entries wait in memory
            for _ in range(4 * workers):  # every worker is forked here, before any result
                hand_out()
            while pending:
                entries = pending.popleft().result()
                hand_out()
                for entry in entries:
                    yield entry
                    if progress:
                        progress(1)
        finally:
            # a bug raised in a worker, or the reader stopped: don't analyse the rest
            for f in pending:
                f.cancel()


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


def _writer(fmt: str, top: int) -> Any:
    if fmt == "json":
        from conceptmap.report.json_report import JsonWriter

        return JsonWriter()
    if fmt == "md":
        from conceptmap.report.markdown import MarkdownWriter

        return MarkdownWriter()
    from conceptmap.report.html import HtmlWriter

    return HtmlWriter(top)


@contextlib.contextmanager
def _atomic_text(target: Path) -> Iterator[IO[str]]:
    """A text file that replaces ``target`` when the block ends without an error (the safe
    save's :func:`~conceptmap.formats.storage.atomic_writer`); on an error nothing is written
    at ``target``."""
    from conceptmap.formats.storage import atomic_writer

    with atomic_writer(target, force=True) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield fh
            fh.flush()  # a failure here is the error path: nothing is written at target
        finally:
            # hand ``raw`` back unclosed; on the error path the temporary file is dropped,
            # so a flush failing again here changes nothing
            with contextlib.suppress(OSError, ValueError):
                fh.detach()


class _Spools:
    """One anonymous temporary file per part of the report (already unlinked: nothing is
    left behind, even by a killed process), in ``folder`` (None: the system's)."""

    def __init__(self, parts: Sequence[str], folder: Path | None, strip: bool) -> None:
        self._strip = strip
        self.files: dict[str, IO[str]] = {}
        with contextlib.ExitStack() as stack:
            for part in parts:
                self.files[part] = stack.enter_context(
                    tempfile.TemporaryFile(
                        "w+", encoding="utf-8", newline="", dir=folder, prefix=".conceptmap-report-"
                    )
                )
            self._stack = stack.pop_all()

    def clean(self, text: str) -> str:
        # the Markdown and HTML reports drop bidirectional controls (render() does the same)
        return _BIDI.sub("", text) if self._strip else text

    def add(self, pieces: Iterator[tuple[str, str]]) -> None:
        for part, text in pieces:
            self.files[part].write(self.clean(text))

    def copy_into(self, out: IO[str]) -> Callable[[str], None]:
        def copy(part: str) -> None:
            fh = self.files[part]
            fh.flush()
            fh.seek(0)
            shutil.copyfileobj(fh, out, 1 << 20)

        return copy

    def close(self) -> None:
        self._stack.close()


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
    output: str | os.PathLike[str] | IO[str] | None = None,
) -> ReportResult:
    """Analyse the maps at ``paths`` (files, in the order given) and render the report.

    ``output``: a file name (written atomically; a device or pipe such as ``/dev/null`` is
    written to directly), an open text stream (written to once every map is in), or ``None``:
    the text is returned in the result. Memory stays flat in the number of maps either way
    (except for the returned text).

    Bad options (an unknown ``--fail-on`` state, a broken ``--config``, a baseline that is
    not a report) raise before any map is analysed. ``started(n)`` is told how many maps
    there are, ``progress(1)`` after each one (the CLI draws its progress bar from these).
    """
    from conceptmap.report.json_report import (
        ReportSummary,
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
    job = Job(
        as_of=as_of or dt.date.today(),
        top=top,
        config=os.fspath(config) if config is not None else None,
        overrides=dict(overrides or {}),
        markdown=fmt == "md",
        history=history,
    )
    known = read_baseline(baseline) if baseline is not None else None
    summary = ReportSummary(
        as_of=job.as_of,
        top=top,
        fail_on=fail_on,
        baseline=known,
        baseline_name=Path(baseline).name if baseline is not None else None,
        redact=redact,
    )
    names = [os.fspath(p) for p in paths]

    target: Path | None = None  # a file to replace atomically
    if output is not None and not hasattr(output, "write"):
        target = Path(os.fspath(output))  # type: ignore[arg-type]
        if target.exists() and not target.is_file():
            target = None  # /dev/null, /dev/stdout, a pipe: written to, never replaced
    where = os.fspath(output) if output is not None and not hasattr(output, "write") else None

    def cannot_write(err: OSError) -> EnvironmentProblem:
        return EnvironmentProblem(
            f"could not write the report: {err.strerror or err}", path=where or "<stdout>"
        )

    writer = _writer(fmt, top)
    try:
        # in the output's folder: the spools are on the disk the report goes to, and a
        # folder that cannot be written to is said now, before the maps are analysed
        spools = _Spools(writer.parts, target.absolute().parent if target else None, fmt != "json")
    except OSError as err:
        raise cannot_write(err) from None
    try:
        if started:
            started(len(names))
        for i, entry in enumerate(run_maps(names, job, jobs=jobs, progress=progress), 1):
            summary.add(entry)
            pieces = writer.entry(i, entry)
            try:
                spools.add(pieces)
            except OSError as err:
                raise cannot_write(err) from None
            del entry, pieces
        doc = summary.document()

        def assemble(out: IO[str]) -> None:
            writer.assemble(doc, lambda text: out.write(spools.clean(text)), spools.copy_into(out))

        text = ""
        try:
            if target is not None:
                with _atomic_text(target) as fh:
                    assemble(fh)
            elif where is not None:
                with open(where, "w", encoding="utf-8", newline="") as fh:
                    assemble(fh)
            elif output is not None:
                assemble(output)  # type: ignore[arg-type]
                output.flush()  # type: ignore[union-attr]
            else:
                buf = io.StringIO(newline="")
                assemble(buf)
                text = buf.getvalue()
        except OSError as err:
            raise cannot_write(err) from None
    finally:
        spools.close()
    return ReportResult(text, exit_code(doc), summary.errors, doc["summary"])
