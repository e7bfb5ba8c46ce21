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
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from conceptmap.analysis import Analysis, analyse
from conceptmap.errors import ConceptmapError
from conceptmap.model import KIND_LEVEL, ConceptMap
from conceptmap.model.diff import diff_maps

__all__ = [
    "Version",
    "burndown_svg",
    "burndown_text",
    "diff_report",
    "gap_changes",
    "history_report",
    "period_of",
]


def gap_changes(
    a_old: Analysis, a_new: Analysis, id_map: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Gaps opened, closed by evidence and closed by editing between two analyses."""
    id_map = id_map or {}
    old_gaps = {id_map.get(c, c) for c, r in a_old.claims.items() if r.is_gap}
    old_by_new = {id_map.get(c, c): r for c, r in a_old.claims.items()}
    new_gaps = {c for c, r in a_new.claims.items() if r.is_gap}
    opened = sorted(new_gaps - old_gaps)
    by_evidence, by_editing = [], []
    for cid in sorted(old_gaps - new_gaps):
        now = a_new.claims.get(cid)
        before = old_by_new[cid]
        if now is not None and now.U < before.U:
            by_evidence.append(cid)
        else:
            by_editing.append(cid)
    return {"opened": opened, "closed_by_evidence": by_evidence, "closed_by_editing": by_editing}


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


def period_of(day: dt.date, by: str) -> str:
    """The period label of a day: ISO week ``2026-W47`` or month ``2026-11``."""
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def history_report(
    versions: Iterable[Version],
    by: str = "week",
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Per-period learning figures over a map's versions (oldest first)."""
    rows: dict[str, dict[str, Any]] = {}
    skipped = []
    first_seen: dict[str, dt.date] = {}
    first_behaviour: dict[str, dt.date] = {}
    seen_evidence: set[str] = set()
    prev: Analysis | None = None
    for i, v in enumerate(versions):
        if progress:
            progress(i)
        if v.map is None:
            skipped.append(
                {
                    "sha": v.sha,
                    "date": v.date.date().isoformat(),
                    "error": v.error.lines()[0] if v.error else "invalid",
                }
            )
            continue
        day = v.date.date()
        a = analyse(v.map, as_of=day)
        period = period_of(day, by)
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
        row["debt"] = round(a.debt, 4)
        row["gaps_open"] = sum(1 for r in a.claims.values() if r.is_gap)
        if prev is not None:
            ch = gap_changes(prev, a)
            row["opened"] += len(ch["opened"])
            row["closed_by_evidence"] += len(ch["closed_by_evidence"])
            row["closed_by_editing"] += len(ch["closed_by_editing"])
        for cid in a.claims:
            first_seen.setdefault(cid, day)
        for e in v.map.evidence.values():
            if e.id in seen_evidence:
                continue
            seen_evidence.add(e.id)
            row["new_evidence"][e.kind.value] += 1
            if KIND_LEVEL[e.kind.value] >= 4 and e.claim in first_seen:
                first_behaviour.setdefault(e.claim, day)
        prev = a
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
