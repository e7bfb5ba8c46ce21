"""The registry of analysis passes and the pipeline that runs them in dependency order.

A pass is a plain function ``run(ctx) -> result`` with a name and the names of the passes whose
results it reads (``ctx.results[name]``). :func:`register` adds one; :func:`analyse` runs them
all (topologically, ties by name) and assembles the :class:`~conceptmap.analysis.results.Analysis`,
recording the seconds each pass took. Adding a pass never touches the others.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

from conceptmap.analysis import argumentation, evidence, importance, opinion, states, structure
from conceptmap.analysis.forecast import turns_gap_on
from conceptmap.analysis.opinion import degree_of_conflict
from conceptmap.analysis.ranking import gap_score, next_step, reason, uncertainty
from conceptmap.analysis.results import Analysis, ClaimResult, State
from conceptmap.analysis.settings import Settings
from conceptmap.model import ConceptMap

__all__ = ["PASSES", "Context", "Pass", "analyse", "register", "run_passes"]


@dataclass
class Context:
    """What every pass sees: the map, the settings, the date, and earlier passes' results."""

    map: ConceptMap
    settings: Settings
    as_of: dt.date
    results: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Pass:
    name: str
    run: Callable[[Context], Any]
    requires: tuple[str, ...] = ()


PASSES: dict[str, Pass] = {}


def register(name: str, *requires: str) -> Callable[[Callable[[Context], Any]], Callable]:
    """Decorator: register ``fn`` as the pass ``name`` reading the results of ``requires``."""

    def deco(fn: Callable[[Context], Any]) -> Callable[[Context], Any]:
        PASSES[name] = Pass(name, fn, tuple(requires))
        return fn

    return deco


@register("evidence")
def _evidence(ctx: Context) -> Any:
    items = evidence.evidence_items(ctx.map, ctx.as_of)
    cfg = ctx.settings.evidence
    return items, {cid: evidence.claim_evidence(its, ctx.as_of, cfg) for cid, its in items.items()}


@register("opinion", "evidence")
def _opinion(ctx: Context) -> Any:
    return opinion.opinion_pass(ctx.results["evidence"][1], ctx.settings)


@register("states", "evidence", "opinion")
def _states(ctx: Context) -> Any:
    return states.states_pass(
        ctx.results["evidence"][1], ctx.results["opinion"], ctx.settings, ctx.as_of
    )


@register("structure", "states")
def _structure(ctx: Context) -> Any:
    return structure.structure_pass(ctx.map, ctx.settings, ctx.results["states"])


@register("importance")
def _importance(ctx: Context) -> Any:
    measures = importance.structure_measures(ctx.map, ctx.settings)
    return importance.importance_pass(ctx.map, measures, ctx.settings)


@register("argumentation", "opinion")
def _argumentation(ctx: Context) -> Any:
    tau = {cid: o.b for cid, o in ctx.results["opinion"].items()}
    return argumentation.argumentation_pass(ctx.map, tau, ctx.settings)


@register("contradictions", "states")
def _contradictions(ctx: Context) -> Any:
    return argumentation.map_contradictions(ctx.map, ctx.results["states"])


@register("forecast", "evidence", "states")
def _forecast(ctx: Context) -> Any:
    items = ctx.results["evidence"][0]
    out = {}
    for cid, st in ctx.results["states"].items():
        if st.state is State.supported and not st.stale:
            out[cid] = turns_gap_on(items[cid], ctx.as_of, ctx.settings)
    return out


def run_passes(ctx: Context, names: list[str] | None = None) -> dict[str, float]:
    """Run the passes (all, or ``names`` and what they need) in dependency order; return the
    seconds each took."""
    wanted = set(names or PASSES)
    todo = list(wanted)
    while todo:
        for dep in PASSES[todo.pop()].requires:
            if dep not in wanted:
                wanted.add(dep)
                todo.append(dep)
    ts = TopologicalSorter({n: PASSES[n].requires for n in sorted(wanted)})
    timings: dict[str, float] = {}
    for name in ts.static_order():
        start = time.perf_counter()
        ctx.results[name] = PASSES[name].run(ctx)
        timings[name] = time.perf_counter() - start
    return timings


def analyse(
    m: ConceptMap, settings: Settings | None = None, as_of: dt.date | None = None
) -> Analysis:
    """The whole analysis of ``m`` on ``as_of`` (default today)."""
    settings = settings or Settings()
    as_of = as_of or dt.date.today()
    ctx = Context(m, settings, as_of)
    timings = run_passes(ctx)
    start = time.perf_counter()
    a = _assemble(ctx)
    timings["ranking"] = time.perf_counter() - start
    return a.model_copy(update={"timings": timings})


def _assemble(ctx: Context) -> Analysis:
    m, cfg, r = ctx.map, ctx.settings, ctx.results
    ev_of, op_of, st_of = r["evidence"][1], r["opinion"], r["states"]
    imp_of, arg, forecast = r["importance"], r["argumentation"], r["forecast"]
    contradictions = r["contradictions"]
    in_contra = {x.a for x in contradictions} | {x.b for x in contradictions}
    drop = cfg.argumentation.undermined_drop
    claims: dict[str, ClaimResult] = {}
    for cid in m.claim_ids():
        ev, o, st, imp = ev_of[cid], op_of[cid], st_of[cid], imp_of[cid]
        tau = o.b
        sigma = arg.sigma.get(cid, tau)
        undermined = sigma - tau <= -drop + 1e-12
        big_u = uncertainty(o)
        test_first = imp.rating >= cfg.ranking.test_first_rating and o.u >= cfg.ranking.test_first_u
        is_gap = st.state is not State.supported or st.stale
        say_op = opinion.opinion(ev.say_r, ev.say_s, cfg.opinion)
        do_op = opinion.opinion(ev.do_r, ev.do_s, cfg.opinion)
        dc = degree_of_conflict(say_op, do_op)
        says_not_does = dc >= cfg.ranking.say_do_conflict - 1e-9
        claims[cid] = ClaimResult.build(
            id=cid,
            kind="proposition" if cid in m.propositions else "concept",
            text=m.claim_text(cid),
            state=st.state,
            stale=st.stale,
            r=o.r,
            s=o.s,
            b=o.b,
            d=o.d,
            u=o.u,
            P=o.P,
            tau=tau,
            sigma=sigma,
            undermined=undermined,
            in_map_contradiction=cid in in_contra,
            importance=imp,
            U=big_u,
            gap_score=gap_score(imp.value, o),
            is_gap=is_gap,
            test_first=test_first,
            evidence_count=ev.count,
            newest_evidence=ev.newest,
            behavioural=ev.max_level >= 4,
            say_do_conflict=dc,
            says_not_does=says_not_does,
            say_P=say_op.P,
            do_P=do_op.P,
            reason=reason(
                st.state,
                o,
                ev,
                stale=st.stale,
                undermined=undermined,
                tau=tau,
                sigma=sigma,
                rating=imp.rating,
                test_first=test_first,
                as_of=ctx.as_of,
                says_not_does=says_not_does,
            ),
            next_step=next_step(st.state, ev, stale=st.stale, undermined=undermined),
            turns_gap_on=forecast.get(cid),
        )
    ranked = sorted(claims.values(), key=lambda c: (-c.gap_score, c.id))
    return Analysis.model_construct(
        map_id=m.id,
        title=m.title,
        focus_question=m.focus_question,
        as_of=ctx.as_of,
        settings=cfg,
        claims=claims,
        gaps=[c for c in ranked if c.is_gap and c.state is not State.contradicted],
        revise=[c for c in ranked if c.state is State.contradicted],
        contradictions=contradictions,
        undermined=[c for c in ranked if c.undermined],
        stale=[c for c in ranked if c.stale],
        structure=r["structure"],
        debt=sum(c.gap_score for c in claims.values()),
        converged=arg.converged,
        timings={},
    )
