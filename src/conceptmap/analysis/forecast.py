"""The date a supported claim turns into a gap as its evidence decays (analysis.md §7).

It solves ``u(t) = weak_u`` (0.5) or the stale rule, with no new evidence. Where one half-life
applies to all of a claim's items every weight decays by the same factor ``f = 2^(−Δ/h)``, so:

* ``u(t) = W / (T·f + W) = u_w``  →  ``Δ = h · log2(T·u_w / (W·(1 − u_w)))``  (T = r + s today);
* decayed total under ``ρ`` times the undecayed one  →  ``Δ = h · log2(D₀ / (ρ·T₀))``;
* the newest item older than ``2h``  →  the day after ``newest + 2h``.

With several half-lives the first day is found by bisection over whole days on the same rules
(every part of them only grows with time). The closed-form day is checked against the rules
themselves, so both ways give the first whole day on which the claim is a gap.
"""

from __future__ import annotations

import datetime as dt
import math

from conceptmap.analysis.evidence import claim_evidence
from conceptmap.analysis.opinion import opinion
from conceptmap.analysis.results import State
from conceptmap.analysis.settings import Settings
from conceptmap.analysis.states import is_stale, state_of
from conceptmap.model import Evidence

__all__ = ["gap_on", "turns_gap_on"]

_HORIZON_DAYS = 365 * 200


def gap_on(items: list[Evidence], day: dt.date, settings: Settings) -> bool:
    """Whether the claim with these items is a gap on ``day`` (no new evidence)."""
    ev = claim_evidence(items, day, settings.evidence)
    o = opinion(ev.r, ev.s, settings.opinion)
    return state_of(o, ev.count, settings.states) is not State.supported or is_stale(
        ev, day, settings.states
    )


def _closed_form(items: list[Evidence], as_of: dt.date, settings: Settings) -> int | None:
    ev = claim_evidence(items, as_of, settings.evidence)
    if len(ev.half_lives) != 1:
        return None
    h = ev.half_lives[0]
    w = settings.opinion.prior_weight
    uw = settings.states.weak_u
    candidates = []
    total = ev.r + ev.s
    if total > 0 and uw < 1:
        candidates.append(h * math.log2(total * uw / (w * (1 - uw))))
    t0 = ev.r0 + ev.s0
    rho = settings.states.stale_ratio
    if t0 > 0 and rho > 0 and total > 0:
        candidates.append(h * math.log2(total / (rho * t0)))
    if ev.newest is not None:
        candidates.append((ev.newest - as_of).days + settings.states.stale_half_lives * h)
    positive = [c for c in candidates if c > -1]
    return max(0, math.floor(min(positive))) if positive else None


def turns_gap_on(items: list[Evidence], as_of: dt.date, settings: Settings) -> dt.date | None:
    """The first day after ``as_of`` on which a claim that is no gap today becomes one, or
    ``None`` if it is already a gap (or never becomes one within 200 years)."""
    if not items or gap_on(items, as_of, settings):
        return None

    def gap_after(days: int) -> bool:
        return gap_on(items, as_of + dt.timedelta(days=days), settings)

    guess = _closed_form(items, as_of, settings)
    if guess is not None:
        # exact up to rounding: confirm the day on the rules themselves
        for d in (guess, guess + 1, guess + 2):
            if d >= 1 and gap_after(d) and (d == 1 or not gap_after(d - 1)):
                return as_of + dt.timedelta(days=d)
    lo, hi = 0, 1
    while not gap_after(hi):
        lo, hi = hi, hi * 2
        if hi > _HORIZON_DAYS:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if gap_after(mid):
            hi = mid
        else:
            lo = mid
    return as_of + dt.timedelta(days=hi)
