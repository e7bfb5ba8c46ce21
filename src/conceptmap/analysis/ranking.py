"""Uncertainty, the gap score, the assumption-map quadrant, and the words (analysis.md §5).

``U = u + 2·min(b, d)``; gap score ``= I · U``. A claim rated ≥ 4 with u ≥ 0.5 is *test
first* (Bland's assumption map). Every claim gets a reason a facilitator can read aloud and a
next step that fits what is missing, e.g. "no behavioural evidence: observe or measure it,
don't ask".
"""

from __future__ import annotations

import datetime as dt

from conceptmap.analysis.evidence import ClaimEvidence
from conceptmap.analysis.opinion import Opinion
from conceptmap.analysis.results import State

__all__ = ["gap_score", "next_step", "reason", "uncertainty"]

BEHAVIOUR_LEVEL = 4


def uncertainty(o: Opinion) -> float:
    """``U = u + 2·min(b, d)``: what is not known plus what is in dispute."""
    b, d = o.b, o.d
    return o.u + 2 * (d if d < b else b)  # min(b, d), without the builtin's call


def gap_score(importance: float, o: Opinion) -> float:
    return importance * uncertainty(o)


def _f(x: float) -> str:
    return f"{x:.2f}"


def reason(
    state: State,
    o: Opinion,
    ev: ClaimEvidence,
    *,
    stale: bool,
    undermined: bool,
    tau: float,
    sigma: float,
    rating: int,
    test_first: bool,
    as_of: dt.date,
    says_not_does: bool = False,
) -> str:
    """Why the claim is where it is, in one or two sentences, with the figures."""
    if state is State.unsupported and ev.count == 0:
        text = "Nobody has checked this: there is no evidence for or against it yet."
    else:
        figures = f"(r={o.r:.2f}, s={o.s:.2f}, b={o.b:.2f}, d={o.d:.2f}, u={o.u:.2f})"
        if state is State.unsupported:
            if ev.max_level <= 1:
                text = f"Only opinions and anecdotes so far {figures}: it is still an assumption."
            else:
                text = f"Too little evidence to lean on {figures}: it is still an assumption."
        elif state is State.contradicted:
            text = (
                "The evidence says this belief is wrong: more weighs against it than for it "
                f"{figures}."
            )
        elif state is State.contested:
            text = f"The evidence points both ways {figures}: something about who or when differs."
        elif state is State.weak:
            text = f"Some evidence supports it, but not enough to lean on {figures}."
        else:
            text = f"Supported by the evidence {figures}."
    if stale and ev.newest is not None:
        text += f" The evidence is getting old: the newest item is from {ev.newest.isoformat()}."
    if undermined:
        text += (
            f" Claims it rests on are weak or attacked: its strength drops from "
            f"{_f(tau)} to {_f(sigma)}."
        )
    if says_not_does:
        text += " Customers say one thing and do another: trust what they do."
    if test_first:
        text += f" The team rates it {rating} of 5 yet knows little: test it first."
    return text


def next_step(state: State, ev: ClaimEvidence, *, stale: bool, undermined: bool) -> str:
    """What to do next, in a few words a team can act on."""
    behavioural = ev.max_level >= BEHAVIOUR_LEVEL
    if state is State.contradicted:
        return "revise the map: change or drop this belief, then check what rests on it"
    if state is State.contested:
        return "find out why the evidence disagrees: compare who said yes with who said no"
    if state in (State.unsupported, State.weak) and not behavioural:
        if ev.count == 0:
            return (
                "find evidence: observe or measure what customers do "
                "(analytics, observation, an experiment)"
            )
        return "no behavioural evidence: observe or measure it, don't ask"
    if state in (State.unsupported, State.weak):
        return "gather more evidence from other sources, ideally a commitment (pre-order, payment)"
    if stale:
        return "re-check it: repeat the measurement or observation that supported it"
    if undermined:
        return "check the claims it rests on: they are weak or attacked"
    return "nothing to do now; re-check it before the date it turns into a gap"
