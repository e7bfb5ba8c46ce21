"""The states of a claim, in order, and staleness (analysis.md §3).

=============  ==========================  ===========================================
state          rule (first that holds)     meaning for the team
=============  ==========================  ===========================================
unsupported    no evidence, or u > 0.8     an assumption: nobody has checked it
contradicted   d ≥ 0.4 and d > b           the evidence says the belief is wrong
contested      2·min(b, d) ≥ 0.3           evidence points both ways
weak           u ≥ 0.5                     some evidence, not enough to lean on
supported      otherwise
=============  ==========================  ===========================================

>>> from conceptmap.analysis.opinion import opinion
>>> state_of(opinion(3.0, 0.0), evidence_count=3)
<State.supported: 'supported'>
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from conceptmap.analysis.evidence import ClaimEvidence
from conceptmap.analysis.opinion import Opinion
from conceptmap.analysis.results import State
from conceptmap.analysis.settings import Settings, StatesSettings

__all__ = ["ClaimState", "is_stale", "state_of", "states_pass"]

# Thresholds are compared with a little slack so that 0.4 computed as 0.39999999999999997
# still counts as 0.4 (the worked checks of analysis.md sit exactly on the thresholds).
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class ClaimState:
    state: State
    stale: bool


def state_of(o: Opinion, evidence_count: int, cfg: StatesSettings | None = None) -> State:
    """The first state whose rule holds for opinion ``o``."""
    cfg = cfg or StatesSettings()
    if evidence_count == 0 or o.u > cfg.unsupported_u + _EPS:
        return State.unsupported
    if o.d >= cfg.contradicted_d - _EPS and o.d > o.b + _EPS:
        return State.contradicted
    if 2 * min(o.b, o.d) >= cfg.contested_min - _EPS:
        return State.contested
    if o.u >= cfg.weak_u - _EPS:
        return State.weak
    return State.supported


def is_stale(ev: ClaimEvidence, as_of: dt.date, cfg: StatesSettings | None = None) -> bool:
    """Stale: the decayed total is under half the undecayed one, or the newest item is older
    than two of its half-lives. A claim without evidence is never stale (it is unsupported)."""
    cfg = cfg or StatesSettings()
    if ev.count == 0 or ev.newest is None:
        return False
    undecayed = ev.r0 + ev.s0
    if undecayed > 0 and (ev.r + ev.s) < cfg.stale_ratio * undecayed - _EPS * undecayed:
        return True
    hl = ev.newest_half_life or 0.0
    return (as_of - ev.newest).days > cfg.stale_half_lives * hl


def states_pass(
    evidence: dict[str, ClaimEvidence],
    opinions: dict[str, Opinion],
    settings: Settings,
    as_of: dt.date,
) -> dict[str, ClaimState]:
    cfg = settings.states
    # without evidence a claim is unsupported and never stale, whatever its opinion
    nothing = ClaimState(state=State.unsupported, stale=False)
    return {
        cid: ClaimState(state_of(opinions[cid], ev.count, cfg), is_stale(ev, as_of, cfg))
        if ev.count
        else nothing
        for cid, ev in evidence.items()
    }
