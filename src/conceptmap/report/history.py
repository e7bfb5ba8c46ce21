"""Are we learning enough, quick enough? Diff and history of a map (analysis.md §7).

:func:`diff_report` compares two versions: records added, removed and changed, claims whose
state changed, gaps opened and closed — closed *by evidence* (the claim is still there and its
uncertainty U fell) apart from closed *by editing* (the claim was deleted, stopped being a
claim, or its rating was lowered) — and the uncertainty debt D = Σ I·U before and after.

:func:`history_report` walks a map's versions in git and gives, per week or month: the debt,
gaps open, gaps closed by evidence and by editing, new evidence by kind, and the median time
from a belief's first appearance to its first behavioural (level 4–5) evidence. Each version
is analysed as of its own commit date, so the history replays what the team knew then.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conceptmap.analysis import Analysis, analyse
from conceptmap.errors import ConceptmapError
from conceptmap.model import KIND_LEVEL, ConceptMap
from conceptmap.model.diff import diff_maps

__all__ = [
    "Version",
    "VersionFacts",
    "burndown_svg",
    "burndown_text",
    "diff_report",
    "facts_of",
    "facts_of_versions",
    "gap_changes",
    "history_from_git",
    "history_report",
    "period_cells",
    "period_of",
]


def _changes(
    old_u: dict[str, float], old_gaps: set[str], new_u: dict[str, float], new_gaps: set[str]
) -> dict[str, list[str]]:
    by_evidence, by_editing = [], []
    for cid in sorted(old_gaps - new_gaps):
        if cid in new_u and new_u[cid] < old_u[cid]:
            by_evidence.append(cid)
        else:
            by_editing.append(cid)
    return {
        "opened": sorted(new_gaps - old_gaps),
        "closed_by_evidence": by_evidence,
        "closed_by_editing": by_editing,
    }


def gap_changes(
    a_old: Analysis, a_new: Analysis, id_map: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Gaps opened, closed by evidence (the claim is still there and its U fell) and closed by
    editing (deleted, no longer a claim, or its rating lowered) between two analyses."""
    id_map = id_map or {}
    old_u = {id_map.get(c, c): r.U for c, r in a_old.claims.items()}
    old_gaps = {id_map.get(c, c) for c, r in a_old.claims.items() if r.is_gap}
    new_u = {c: r.U for c, r in a_new.claims.items()}
    new_gaps = {c for c, r in a_new.claims.items() if r.is_gap}
    return _changes(old_u, old_gaps, new_u, new_gaps)


def diff_report(old: ConceptMap, new: ConceptMap, as_of: dt.date | None = None) -> dict[str, Any]:
    """Everything that changed between ``old`` and ``new``, analysed on the same date."""
    d = diff_maps(old, new)
    a_old, a_new = analyse(old, as_of=as_of), analyse(new, as_of=as_of)
    states = []
    for cid, now in sorted(a_new.claims.items()):
        old_id = next((o for o, n in d.id_map.items() if n == cid), cid)
        before = a_old.claims.get(old_id)
        if before is not None and (before.state != now.state or before.stale != now.stale):
            states.append(
                {
                    "claim": cid,
                    "text": now.text,
                    "before": before.state.value + (" (stale)" if before.stale else ""),
                    "after": now.state.value + (" (stale)" if now.stale else ""),
                }
            )
    gaps = gap_changes(a_old, a_new, d.id_map)
    texts = {
        **{c: r.text for c, r in a_old.claims.items()},
        **{c: r.text for c, r in a_new.claims.items()},
    }
    return {
        "schema": "conceptmap.diff/1",
        "as_of": a_new.as_of.isoformat(),
        "old": {"id": old.id, "title": old.title},
        "new": {"id": new.id, "title": new.title},
        "records": d.as_dict(),
        "states_changed": states,
        "gaps": {k: [{"claim": c, "text": texts.get(c, c)} for c in v] for k, v in gaps.items()},
        "debt": {
            "before": round(a_old.debt, 4),
            "after": round(a_new.debt, 4),
            "change": round(a_new.debt - a_old.debt, 4),
        },
    }


@dataclass(frozen=True)
class Version:
    """One committed version of a map: its commit and the map (or the error it failed with)."""

    sha: str
    date: dt.datetime
    map: ConceptMap | None
    error: ConceptmapError | None = None


@dataclass(frozen=True)
class VersionFacts:
    """What the history needs of one analysed version: small enough to send between
    processes, so versions can be analysed in parallel."""

    sha: str
    date: dt.date
    error: str | None = None
    debt: float = 0.0
    u: dict[str, float] = field(default_factory=dict)
    gaps: frozenset[str] = frozenset()
    evidence: tuple[tuple[str, str, str], ...] = ()  # (id, kind, claim)


def facts_of(v: Version, prev_map: ConceptMap | None = None) -> VersionFacts:
    """Analyse one version as of its own commit date (what the team knew then)."""
    day = v.date.date()
    if v.map is None:
        return VersionFacts(v.sha, day, v.error.lines()[0] if v.error else "invalid")
    if prev_map is not None:
        v.map.adopt_derived(prev_map)  # same structure: no need to redo PageRank & co.
    a = analyse(v.map, as_of=day)
    return VersionFacts(
        v.sha,
        day,
        None,
        a.debt,
        {c: r.U for c, r in a.claims.items()},
        frozenset(c for c, r in a.claims.items() if r.is_gap),
        tuple((e.id, e.kind.value, e.claim) for e in v.map.evidence.values()),
    )


def facts_of_versions(versions: Iterable[Version]) -> Iterator[VersionFacts]:
    """Facts of consecutive versions, reusing structural results between them."""
    prev_map = None
    for v in versions:
        yield facts_of(v, prev_map)
        if v.map is not None:
            prev_map = v.map


def _chunk_facts(args: tuple[Path, list[tuple[str, dt.datetime]]]) -> list[VersionFacts]:
    """Read and analyse a run of consecutive versions (one worker process's share)."""
    from conceptmap.formats.gitrev import read_revision

    path, revs = args

    def versions() -> Iterator[Version]:
        for sha, date in revs:
            try:
                yield Version(sha, date, read_revision(path, sha))
            except ConceptmapError as err:
                yield Version(sha, date, None, err)

    return list(facts_of_versions(versions()))


def history_from_git(
    path: Path, *, since: dt.date | None = None, by: str = "week", jobs: int | None = None
) -> dict[str, Any]:
    """The history of a map file in git: its versions read and analysed in ``jobs`` worker
    processes (each takes a run of consecutive versions, so structural results carry over
    between them), then summed up per period in order."""
    from conceptmap.formats.gitrev import map_revisions

    revs = [(r.sha, r.date) for r in map_revisions(path, since)]
    jobs = jobs or min(2, os.cpu_count() or 1)
    if jobs <= 1 or len(revs) < 8:
        facts = _chunk_facts((path, revs))
    else:
        size = -(-len(revs) // jobs)
        chunks = [(path, revs[i : i + size]) for i in range(0, len(revs), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            facts = [f for part in pool.map(_chunk_facts, chunks) for f in part]
    return history_report(facts, by=by)


def period_of(day: dt.date, by: str) -> str:
    """The period label of a day: ISO week ``2026-W47`` or month ``2026-11``."""
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def history_report(facts: Iterable[VersionFacts], by: str = "week") -> dict[str, Any]:
    """Per-period learning figures over a map's analysed versions (oldest first)."""
    rows: dict[str, dict[str, Any]] = {}
    skipped = []
    first_seen: dict[str, dt.date] = {}
    first_behaviour: dict[str, dt.date] = {}
    seen_evidence: set[str] = set()
    prev: VersionFacts | None = None
    for f in facts:
        if f.error is not None:
            skipped.append({"sha": f.sha, "date": f.date.isoformat(), "error": f.error})
            continue
        period = period_of(f.date, by)
        row = rows.setdefault(
            period,
            {
                "period": period,
                "versions": 0,
                "debt": 0.0,
                "gaps_open": 0,
                "closed_by_evidence": 0,
                "closed_by_editing": 0,
                "opened": 0,
                "new_evidence": Counter(),
            },
        )
        row["versions"] += 1
        row["debt"] = round(f.debt, 4)
        row["gaps_open"] = len(f.gaps)
        if prev is not None:
            ch = _changes(prev.u, set(prev.gaps), f.u, set(f.gaps))
            row["opened"] += len(ch["opened"])
            row["closed_by_evidence"] += len(ch["closed_by_evidence"])
            row["closed_by_editing"] += len(ch["closed_by_editing"])
        for cid in f.u:
            first_seen.setdefault(cid, f.date)
        for eid, kind, claim in f.evidence:
            if eid in seen_evidence:
                continue
            seen_evidence.add(eid)
            row["new_evidence"][kind] += 1
            if KIND_LEVEL[kind] >= 4 and claim in first_seen:
                first_behaviour.setdefault(claim, f.date)
        prev = f
    lags = [
        (first_behaviour[c] - first_seen[c]).days
        for c in first_behaviour
        if first_behaviour[c] >= first_seen[c]
    ]
    out_rows = []
    for period in sorted(rows):
        r = rows[period]
        r["new_evidence"] = dict(sorted(r["new_evidence"].items()))
        out_rows.append(r)
    return {
        "schema": "conceptmap.history/1",
        "by": by,
        "periods": out_rows,
        "skipped": skipped,
        "median_days_to_behavioural_evidence": statistics.median(lags) if lags else None,
        "claims_with_behavioural_evidence": len(lags),
    }


def period_cells(period: dict[str, Any]) -> list[str]:
    """One period of a :func:`history_report` as the cells of a table row (period, versions,
    debt, gaps open, opened, closed by evidence, closed by editing, new evidence), as
    ``conceptmap history`` and the TUI's burn-down screen show it."""
    p = period
    return [
        p["period"],
        str(p["versions"]),
        f"{p['debt']:.2f}",
        str(p["gaps_open"]),
        str(p["opened"]),
        str(p["closed_by_evidence"]),
        str(p["closed_by_editing"]),
        ", ".join(f"{k} {v}" for k, v in p["new_evidence"].items()) or "—",
    ]


def burndown_svg(history: dict[str, Any], title: str = "Uncertainty debt") -> str:
    """A small self-contained SVG line chart of the debt per period (a burn-down)."""
    from conceptmap.safety import html_text

    periods = history["periods"]
    w, h, pad = 640, 320, 48
    values = [p["debt"] for p in periods] or [0.0]
    top = max(values) or 1.0
    n = max(len(values) - 1, 1)
    pts = [
        (pad + i * (w - 2 * pad) / n, h - pad - v / top * (h - 2 * pad))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    labels = "".join(
        f'<text x="{x:.1f}" y="{h - pad + 18}" font-size="11" text-anchor="middle">'
        f"{html_text(p['period'])}</text>"
        for (x, _), p in zip(pts, periods, strict=False)
    )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#0072B2"><title>{html_text(p["period"])}: '
        f"{p['debt']:.2f}</title></circle>"
        f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="middle">{p["debt"]:.1f}</text>'
        for (x, y), p in zip(pts, periods, strict=False)
    )
    dots += (
        f'<text x="{pad - 6}" y="{h - pad + 4}" font-size="11" text-anchor="end">0</text>'
        f'<text x="{pad - 6}" y="{pad + 4}" font-size="11" text-anchor="end">{top:.0f}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="DejaVu Sans, sans-serif">'
        f'<rect width="{w}" height="{h}" fill="white"/>'
        f'<text x="{pad}" y="24" font-size="15" font-weight="bold">{html_text(title)}</text>'
        f'<text x="{w - pad}" y="24" font-size="11" text-anchor="end">Σ importance × uncertainty</text>'
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#333"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="#333"/>'
        f'<polyline points="{path}" fill="none" stroke="#0072B2" stroke-width="2.5"/>'
        f"{dots}{labels}</svg>\n"
    )


def burndown_text(history: dict[str, Any], width: int = 40) -> str:
    """The same chart for a terminal: one bar per period, with the figure (no colour needed)."""
    periods = history["periods"]
    top = max((p["debt"] for p in periods), default=0.0) or 1.0
    lines = []
    for p in periods:
        bar = "█" * max(1 if p["debt"] > 0 else 0, round(p["debt"] / top * width))
        lines.append(f"{p['period']:>9}  {bar} {p['debt']:.2f}")
    return "\n".join(lines) + ("\n" if lines else "")
