"""The one façade both shells call: load, create, save, validate, outline.

The CLI (:mod:`conceptmap.cli`) and the TUI (:mod:`conceptmap.tui`) do not reach into
``formats``, ``analysis``, ``render`` or ``report`` directly: they call these functions, so
that both show the same results from the same calls. Importing this module loads neither
Textual nor Typer nor Graphviz.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from conceptmap.errors import ConceptmapError, InputError, MapFormatError, Problem, UsageError
from conceptmap.formats import MAP_SUFFIX, MapFile, atomic_write, dump_map, json_schema, read_map
from conceptmap.model import ConceptMap
from conceptmap.model.hierarchy import Hierarchy, hierarchy
from conceptmap.model.merge import MergeResult, merge_maps

__all__ = [
    "DEMO_MAP",
    "ConceptMap",
    "Hierarchy",
    "MapFile",
    "MergeResult",
    "analyse",
    "analysis_cache",
    "analysis_settings",
    "bundled_maps",
    "burndown_text",
    "conflict_error",
    "copy_demo",
    "create_map",
    "diff_versions",
    "dump_map",
    "export_map",
    "find_maps",
    "forecast",
    "gap_report",
    "hierarchy",
    "history_period_cells",
    "import_cxl",
    "import_evidence",
    "json_schema",
    "load",
    "map_history",
    "merge_files",
    "plan_rows",
    "read_map",
    "report_paths",
    "resolve_conflicts",
    "state_glyphs",
    "validate_paths",
    "write_text",
]

#: File name of the demo map the main job opens.
DEMO_MAP = "cafe-ordering.cmap.json"


def load(path: str | os.PathLike[str]) -> MapFile:
    """Load a map file for editing (remembers what was on disk for the safe save)."""
    return MapFile.load(path)


def create_map(
    path: str | os.PathLike[str],
    title: str,
    *,
    focus_question: str = "",
    description: str = "",
    force: bool = False,
) -> MapFile:
    """Create a new, valid, empty map file. Refuses an existing file unless ``force``."""
    p = Path(path)
    if not p.name.endswith(MAP_SUFFIX):
        raise UsageError(f"map files are named *{MAP_SUFFIX}", path=str(p))
    if p.exists() and not force:
        raise UsageError(
            "already exists; choose another name or pass --force to overwrite it", path=str(p)
        )
    m = ConceptMap.new(title, focus_question=focus_question, description=description)
    return MapFile.create(p, m, force=force)


def find_maps(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every map named by ``paths``: files as given, folders searched for ``*.cmap.json``."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(q for q in p.rglob(f"*{MAP_SUFFIX}") if q.is_file())
        else:
            yield p


def validate_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> list[tuple[Path, ConceptmapError | None]]:
    """Check each map; pair each path with its error, or ``None`` when it is valid."""
    out: list[tuple[Path, ConceptmapError | None]] = []
    for p in find_maps(paths):
        try:
            m = read_map(p)
        except ConceptmapError as err:
            out.append((p, err))
            continue
        out.append((p, conflict_error(m, p)))
    return out


def conflict_error(m: ConceptMap, path: str | os.PathLike[str]) -> ConceptmapError | None:
    """An error listing the map's unresolved merge conflicts, one line each, or ``None``."""
    problems = []
    for x in m.conflicts.values():
        what = x.collection.replace("_", " ")
        where = f"{what} {x.record}" + (f", field {x.field}" if x.field else "")
        problems.append(
            Problem(
                f"unresolved merge conflict {x.id}: {x.message or 'changed on both sides'}", where
            )
        )
    return MapFormatError(path=path, problems=problems) if problems else None


def resolve_conflicts(
    m: ConceptMap,
    which: str | Iterable[str],
    take: str,
    *,
    path: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Settle merge conflicts in ``m`` by taking one side, ``"ours"`` or ``"theirs"`` (what
    ``conceptmap resolve`` and the TUI's conflict screen both do). ``which`` is a conflict id,
    ``"all"``, or a list of ids. All of them are resolved as one undoable edit, or none is
    (an unknown id or side is a :class:`UsageError` naming ``path``). Returns the ids
    resolved; the caller saves the map."""
    if take not in ("ours", "theirs"):
        raise UsageError(f"take 'ours' or 'theirs', not {take!r}")
    if isinstance(which, str):
        ids = sorted(m.conflicts) if which == "all" else [which]
    else:
        ids = list(which)
    for cid in ids:
        if cid not in m.conflicts:
            raise UsageError(
                f"no conflict {cid} in this map", path=os.fspath(path) if path else None
            )
    with m.transaction(f"resolve conflict{'s' if len(ids) != 1 else ''}: take {take}"):
        for cid in ids:
            m.resolve_conflict(cid, take)  # type: ignore[arg-type]
    return ids


def merge_files(
    base: str | os.PathLike[str],
    ours: str | os.PathLike[str],
    theirs: str | os.PathLike[str],
    out: str | os.PathLike[str],
) -> MergeResult:
    """Three-way merge of map files into ``out`` (written atomically; conflicts are kept in
    the merged map as marked conflicts, see :mod:`conceptmap.model.merge`)."""
    result = merge_maps(read_map(base), read_map(ours), read_map(theirs))
    atomic_write(out, dump_map(result.map), force=True)
    return result


def bundled_maps() -> dict[str, Path]:
    """The example maps shipped with conceptmap, by file name."""
    root = resources.files("conceptmap") / "data" / "maps"
    return {
        entry.name: Path(str(entry))
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(MAP_SUFFIX)
    }


def copy_demo(folder: str | os.PathLike[str] = ".") -> Path:
    """Copy the demo map into ``folder`` (once) and return its path: the package is never
    edited in place. An existing copy is reused, so work on it carries on."""
    maps = bundled_maps()
    if DEMO_MAP not in maps:
        raise InputError("the bundled demo map is missing from this installation")
    target = Path(folder) / DEMO_MAP
    if not target.exists():
        shutil.copyfile(maps[DEMO_MAP], target)
    return target


def analyse(
    m: ConceptMap,
    settings: Any = None,
    as_of: dt.date | None = None,
    *,
    cache: Any = None,
) -> Any:
    """The gap analysis of ``m`` (:class:`conceptmap.analysis.Analysis`) on ``as_of``
    (default today) with ``settings`` (:class:`conceptmap.analysis.Settings`; default: those
    of analysis.md — use :func:`analysis_settings` to read a ``conceptmap.toml``). With a
    ``cache`` from :func:`analysis_cache`, kept between analyses of one map, only what an
    edit changed is recomputed (the result is the same)."""
    from conceptmap.analysis import analyse as _analyse

    return _analyse(m, settings=settings, as_of=as_of, cache=cache)


def analysis_cache() -> Any:
    """A cache for :func:`analyse` to re-analyse one map after each edit quickly."""
    from conceptmap.analysis.pipeline import AnalysisCache

    return AnalysisCache()


def state_glyphs() -> dict[str, str]:
    """The glyph of each claim state by its word (``{"supported": "✓", …}``), so a shell can
    show states by glyph and word, never by colour alone."""
    from conceptmap.analysis import STATE_GLYPHS

    return {str(getattr(k, "value", k)): v for k, v in STATE_GLYPHS.items()}


def analysis_settings(
    config: str | os.PathLike[str] | None = None,
    near: str | os.PathLike[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Any:
    """Analysis settings from ``config`` or the ``conceptmap.toml`` next to/above ``near``,
    with ``overrides`` (``{"states.weak_u": 0.6}``) on top; raises ConfigError (exit 2)."""
    from conceptmap.analysis import load_settings

    return load_settings(config, near, overrides)


def outline(m: ConceptMap) -> dict[str, Any]:
    """The map as an outline (what ``conceptmap show`` prints), as plain data."""
    from conceptmap.report.outline import build_outline

    return build_outline(m)


def export_map(
    m: ConceptMap,
    out: str | os.PathLike[str],
    *,
    engine: str | None = None,
    as_of: dt.date | None = None,
    gaps: bool = True,
    around: str | None = None,
    depth: int = 1,
    redact: bool = False,
    settings: Any = None,
) -> list[str]:
    """Write ``m`` to ``out`` in the format its suffix names (svg, png, pdf, dot, cxl, graphml,
    md, mmd, csv; see :mod:`conceptmap.render.export`), atomically, its claims judged with
    ``settings`` (:func:`analysis_settings`; default: those of analysis.md). Returns the lines
    to tell the user (engine switched for a big map, positions computed, what CXL cannot
    hold)."""
    from conceptmap.render.export import export_bytes, format_for, layout_boxes

    fmt = format_for(out)
    if fmt != "cxl":
        done = export_bytes(
            m,
            fmt,
            engine=engine,
            as_of=as_of,
            gaps=gaps,
            around=around,
            depth=depth,
            redact=redact,
            settings=settings,
        )
        _write_output(out, done.data)
        return done.notes
    from conceptmap.formats.cxl import dump_cxl, own_positions
    from conceptmap.render.select import neighbourhood

    part = neighbourhood(m, around, depth) if around is not None else m
    positions, notes = own_positions(part), ["positions: kept from the map"]
    if positions is None:
        positions, note = layout_boxes(part)
        notes = [note]
    skipped = [
        f"{n} {what}"
        for n, what in ((len(part.evidence), "evidence items"), (len(part.relations), "relations"))
        if n
    ]
    if skipped:
        notes.append(f"left out of the CXL (it has no place for them): {', '.join(skipped)}")
    _write_output(out, dump_cxl(part, positions))
    return notes


def _write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace an output file atomically (temp file in the same folder, rename), without the
    lock sidecar of map saves: an exported drawing is not edited by two people."""
    import tempfile

    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise InputError("the folder does not exist", path=str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_cxl(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], *, force: bool = False
) -> tuple[MapFile, list[str]]:
    """Read a CmapTools CXL file and save it as a new map ``dst`` (refused when ``dst``
    exists, unless ``force``). Returns the map file and the lines to tell the user."""
    from conceptmap.formats.cxl import read_cxl

    p = Path(dst)
    if not p.name.endswith(MAP_SUFFIX):
        raise UsageError(f"map files are named *{MAP_SUFFIX}", path=str(p))
    if p.exists() and not force:
        raise UsageError(
            "already exists; choose another name or pass --force to overwrite it", path=str(p)
        )
    imported = read_cxl(src)
    return MapFile.create(p, imported.map, force=force), imported.notes()


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write an output file (a chart, a report) atomically, replacing what was there."""
    atomic_write(path, text.encode("utf-8"), force=True)


def diff_versions(old: str, new: str, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """Compare two versions of a map (files, or ``MAP@REV`` git versions); see
    :func:`conceptmap.report.history.diff_report`."""
    from conceptmap.formats.gitrev import load_spec
    from conceptmap.report.history import diff_report

    return diff_report(load_spec(old), load_spec(new), as_of=as_of)


def map_history(
    path: str | os.PathLike[str],
    *,
    since: dt.date | None = None,
    by: str = "week",
    jobs: int | None = None,
) -> dict[str, Any]:
    """Learning figures per period over the map's versions in git (invalid versions are
    reported and skipped), analysed in parallel worker processes."""
    from conceptmap.report.history import history_from_git

    return history_from_git(Path(path), since=since, by=by, jobs=jobs)


def history_period_cells(period: dict[str, Any]) -> list[str]:
    """One period of a :func:`map_history` as table cells (what ``conceptmap history`` and
    the TUI's burn-down screen list)."""
    from conceptmap.report.history import period_cells

    return period_cells(period)


def burndown_text(history: dict[str, Any], width: int = 40) -> str:
    """The debt burn-down of a :func:`map_history` as terminal text, one bar per period
    (what ``conceptmap history`` prints; the TUI's burn-down screen draws the same)."""
    from conceptmap.report.history import burndown_text as _burndown_text

    return _burndown_text(history, width=width)


def forecast(m: ConceptMap, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The re-validation calendar: supported claims and the date each turns into a gap."""
    from conceptmap.analysis import analyse

    a = analyse(m, as_of=as_of)
    rows = [
        {
            "claim": c.id,
            "text": c.text,
            "state": c.state.value,
            "turns_gap_on": c.turns_gap_on.isoformat() if c.turns_gap_on else None,
        }
        for c in a.claims.values()
        if not c.is_gap
    ]
    return sorted(rows, key=lambda r: (r["turns_gap_on"] or "9999", r["claim"]))


def plan_rows(m: ConceptMap, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The learning plan with each claim's state: overdue first, then by due date."""
    from conceptmap.analysis import analyse

    a = analyse(m, as_of=as_of)
    today = a.as_of
    rows = []
    for item in m.plan.values():
        c = a.claims.get(item.claim)
        state = c.state.value + (" (stale)" if c.stale else "") if c else "no evidence"
        rows.append(
            {
                "claim": item.claim,
                "text": m.claim_text(item.claim),
                "state": state,
                "owner": item.owner,
                "next_test": item.next_test,
                "due": item.due.isoformat(),
                "done": item.done,
                "overdue": not item.done and item.due < today,
            }
        )
    return sorted(rows, key=lambda r: (r["done"], not r["overdue"], r["due"], r["claim"]))


def import_evidence(
    path: str | os.PathLike[str] | MapFile,
    csv_file: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Attach every row of an evidence CSV to a map (a path, or an open :class:`MapFile`
    such as the TUI's) as one undoable edit and save it safely — or, if any row is bad,
    raise one error listing them all and write nothing."""
    from conceptmap.formats.evidence_csv import read_evidence_csv

    mf = path if isinstance(path, MapFile) else MapFile.load(path)
    rows = read_evidence_csv(csv_file, mf.map, today=today or dt.date.today())
    added = []
    with mf.map.transaction("import evidence"):
        for row in rows:
            added.append(mf.map.add_evidence(row.claim, **row.fields).id)
    mf.save(force=force)
    return {
        "map": str(mf.path),
        "items": len(added),
        "claims": len({r.claim for r in rows}),
        "evidence": added,
    }


def gap_report(
    m: ConceptMap,
    *,
    as_of: dt.date | None = None,
    format: str = "markdown",
    redact: bool = False,
    settings: Any = None,
    top: int | None = None,
    path: str | os.PathLike[str] | None = None,
) -> str:
    """One map's gap report as text (the TUI's R key). ``format`` "markdown" (or "md") gives
    what ``conceptmap gaps --format md`` prints, which never holds quotes or sources; "json"
    and "html" give the batch report (``conceptmap report``) of this one map, redacted with
    ``redact``. ``path`` names the map in JSON/HTML (default: its title)."""
    from conceptmap.analysis import analyse as _analyse

    a = _analyse(m, settings=settings, as_of=as_of)
    if format in ("markdown", "md"):
        from conceptmap.report.gaps_text import gaps_markdown

        return gaps_markdown(a, top=top)
    if format not in ("json", "html"):
        raise UsageError(f"format {format!r}: use markdown, json or html")
    from conceptmap.report.batch import render
    from conceptmap.report.json_report import build_report, map_entry

    shown = top if top is not None else max(1, len(a.gaps))
    name = os.fspath(path) if path is not None else a.title
    doc = build_report([map_entry(name, m, a, top=shown)], as_of=a.as_of, top=shown, redact=redact)
    return render(doc, format)


def report_paths(paths: Iterable[str | os.PathLike[str]], **options: Any) -> Any:
    """The batch gap report over the maps named by ``paths`` (files as given, folders searched
    recursively; each file once): a :class:`conceptmap.report.batch.ReportResult` with the
    exit code, the error lines and the text — empty when ``output`` is given, since the
    report is then streamed there map by map. Options as
    :func:`conceptmap.report.batch.make_report` (fmt, as_of, top, config, overrides, redact,
    fail_on, baseline, jobs, progress, started, history, output)."""
    from conceptmap.report.batch import make_report

    given = list(paths)
    seen: set[str] = set()
    maps: list[Path] = []
    for p in find_maps(given):
        key = os.path.normcase(os.path.abspath(p))
        if key not in seen:
            seen.add(key)
            maps.append(p)
    if not maps:
        where = ", ".join(os.fspath(p) for p in given)
        raise UsageError(f"no maps (*{MAP_SUFFIX}) found in {where}")
    return make_report(maps, **options)
