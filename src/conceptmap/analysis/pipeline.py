"""The registry of analysis passes and the pipeline that runs them in dependency order.

A pass is a plain function ``run(ctx) -> result`` with a name and the names of the passes whose
results it reads (``ctx.results[name]``). :func:`register` adds one; :func:`analyse` runs them
all (topologically, ties by name) and assembles the :class:`~conceptmap.analysis.results.Analysis`,
recording the seconds each pass took. Adding a pass never touches the others.

:class:`AnalysisCache` makes re-analysing the same map after an edit cheap (the TUI analyses
after every keypress): ``analyse(m, cache=c)`` gives exactly what ``analyse(m)`` gives, but
reuses what the edit could not have changed — the structure passes while the concepts, linking
phrases and propositions are the same, and every claim's evidence totals, opinion, state,
forecast and result while its evidence items and inputs are the same.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any, NamedTuple

from conceptmap.analysis import argumentation, evidence, importance, opinion, states, structure
from conceptmap.analysis.forecast import turns_gap_on
from conceptmap.analysis.opinion import degree_of_conflict
from conceptmap.analysis.ranking import gap_score, next_step, reason, uncertainty
from conceptmap.analysis.results import Analysis, ClaimResult, State
from conceptmap.analysis.settings import Settings
from conceptmap.model import ConceptMap

__all__ = [
    "PASSES",
    "AnalysisCache",
    "AnalysisStopped",
    "Context",
    "Pass",
    "Verdict",
    "analyse",
    "claim_verdicts",
    "register",
    "run_passes",
]


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


def _forecast_of(items: list[Any], st: Any, as_of: dt.date, settings: Settings) -> Any:
    """The day a claim that is no gap today turns into one (``_NO_FORECAST`` for a gap)."""
    if st.state is State.supported and not st.stale:
        return turns_gap_on(items, as_of, settings)
    return _NO_FORECAST


_NO_FORECAST = object()


@register("forecast", "evidence", "states")
def _forecast(ctx: Context) -> Any:
    items = ctx.results["evidence"][0]
    out = {}
    for cid, st in ctx.results["states"].items():
        day = _forecast_of(items[cid], st, ctx.as_of, ctx.settings)
        if day is not _NO_FORECAST:
            out[cid] = day
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
    m: ConceptMap,
    settings: Settings | None = None,
    as_of: dt.date | None = None,
    *,
    cache: AnalysisCache | None = None,
) -> Analysis:
    """The whole analysis of ``m`` on ``as_of`` (default today). With ``cache`` (kept by the
    caller between analyses of one map) only what changed since the last call is recomputed;
    the result is the same."""
    settings = settings or Settings()
    as_of = as_of or dt.date.today()
    if cache is not None:
        return cache.analyse(m, settings, as_of)
    ctx = Context(m, settings, as_of)
    timings = run_passes(ctx)
    start = time.perf_counter()
    a = _assemble(ctx)
    timings["ranking"] = time.perf_counter() - start
    return a.model_copy(update={"timings": timings})


def _assemble(ctx: Context) -> Analysis:
    m, r = ctx.map, ctx.results
    ev_of, op_of, st_of = r["evidence"][1], r["opinion"], r["states"]
    imp_of, arg, forecast = r["importance"], r["argumentation"], r["forecast"]
    in_contra = _in_contradiction(r["contradictions"])
    claims = {
        cid: _claim_result(
            ctx,
            cid,
            ev_of[cid],
            op_of[cid],
            st_of[cid],
            imp_of[cid],
            arg.sigma.get(cid, op_of[cid].b),
            cid in in_contra,
            forecast.get(cid),
        )
        for cid in m.claim_ids()
    }
    return _analysis(ctx, claims, r["contradictions"], r["structure"], arg.converged)


def _in_contradiction(contradictions: list[Any]) -> set[str]:
    return {x.a for x in contradictions} | {x.b for x in contradictions}


class _Judgement(NamedTuple):
    """The words of one claim and the flags behind them, from its evidence, opinion, state,
    the team's rating and σ: what :func:`_claim_result` and :func:`claim_verdicts` share."""

    undermined: bool
    test_first: bool
    say_do_conflict: float
    says_not_does: bool
    say_P: float
    do_P: float
    reason: str


def _judge(
    cfg: Settings, as_of: dt.date, ev: Any, o: Any, st: Any, rating: int, sigma: float
) -> _Judgement:
    tau = o.b
    undermined = sigma - tau <= -cfg.argumentation.undermined_drop + 1e-12
    test_first = rating >= cfg.ranking.test_first_rating and o.u >= cfg.ranking.test_first_u
    say_op = opinion.opinion(ev.say_r, ev.say_s, cfg.opinion)
    do_op = opinion.opinion(ev.do_r, ev.do_s, cfg.opinion)
    dc = degree_of_conflict(say_op, do_op)
    says_not_does = dc >= cfg.ranking.say_do_conflict - 1e-9
    words = reason(
        st.state,
        o,
        ev,
        stale=st.stale,
        undermined=undermined,
        tau=tau,
        sigma=sigma,
        rating=rating,
        test_first=test_first,
        as_of=as_of,
        says_not_does=says_not_does,
    )
    return _Judgement(undermined, test_first, dc, says_not_does, say_op.P, do_op.P, words)


def _claim_result(
    ctx: Context,
    cid: str,
    ev: Any,
    o: Any,
    st: Any,
    imp: Any,
    sigma: float,
    in_contra: bool,
    turns_gap: dt.date | None,
) -> ClaimResult:
    """The result of one claim from its passes' results (the ranking's words and scores)."""
    m = ctx.map
    j = _judge(ctx.settings, ctx.as_of, ev, o, st, imp.rating, sigma)
    return ClaimResult.build(
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
        tau=o.b,
        sigma=sigma,
        undermined=j.undermined,
        in_map_contradiction=in_contra,
        importance=imp,
        U=uncertainty(o),
        gap_score=gap_score(imp.value, o),
        is_gap=st.state is not State.supported or st.stale,
        test_first=j.test_first,
        evidence_count=ev.count,
        newest_evidence=ev.newest,
        behavioural=ev.max_level >= 4,
        say_do_conflict=j.say_do_conflict,
        says_not_does=j.says_not_does,
        say_P=j.say_P,
        do_P=j.do_P,
        reason=j.reason,
        next_step=next_step(st.state, ev, stale=st.stale, undermined=j.undermined),
        turns_gap_on=turns_gap,
    )


class Verdict(NamedTuple):
    """What a drawing shows of one claim: the same values as its :class:`ClaimResult`."""

    text: str
    state: State
    stale: bool
    reason: str
    evidence_count: int


def claim_verdicts(
    m: ConceptMap, settings: Settings | None = None, as_of: dt.date | None = None
) -> dict[str, Verdict]:
    """Every claim's state, staleness and the sentence that explains them, as :func:`analyse`
    gives them, without what only the gap list needs (importance and its graph measures, the
    structure findings, the forecast, the scores and the ranking): an export draws states, so
    it need not pay for PageRank and betweenness."""
    settings = settings or Settings()
    as_of = as_of or dt.date.today()
    ctx = Context(m, settings, as_of)
    run_passes(ctx, ["states", "argumentation"])
    r = ctx.results
    ev_of, op_of, st_of, sigma_of = (
        r["evidence"][1],
        r["opinion"],
        r["states"],
        r["argumentation"].sigma,
    )
    props, concepts = m.propositions, m.concepts
    out: dict[str, Verdict] = {}
    for cid in m.claim_ids():
        ev, o, st = ev_of[cid], op_of[cid], st_of[cid]
        p = props.get(cid)
        rating = p.importance if p is not None else concepts[cid].importance
        j = _judge(settings, as_of, ev, o, st, rating, sigma_of.get(cid, o.b))
        out[cid] = Verdict(m.claim_text(cid), st.state, st.stale, j.reason, ev.count)
    return out


def _analysis(
    ctx: Context,
    claims: dict[str, ClaimResult],
    contradictions: list[Any],
    structure_result: Any,
    converged: bool,
) -> Analysis:
    m = ctx.map
    ranked = sorted(claims.values(), key=lambda c: (-c.gap_score, c.id))
    return Analysis.model_construct(
        map_id=m.id,
        title=m.title,
        focus_question=m.focus_question,
        as_of=ctx.as_of,
        settings=ctx.settings,
        claims=claims,
        gaps=[c for c in ranked if c.is_gap and c.state is not State.contradicted],
        revise=[c for c in ranked if c.state is State.contradicted],
        contradictions=contradictions,
        undermined=[c for c in ranked if c.undermined],
        stale=[c for c in ranked if c.stale],
        structure=structure_result,
        debt=sum(c.gap_score for c in claims.values()),
        converged=converged,
        timings={},
    )


#: the key under which a map's structural cache holds the token of its current structure
_STRUCTURE_TOKEN = ("analysis-cache", "structure-token")


@dataclass(slots=True)
class _Claim:
    """One claim's evidence-driven results, valid while its evidence items are the same."""

    items: list[Any]
    ev: Any
    opinion: Any
    state: Any
    forecast: Any


class AnalysisStopped(Exception):
    """The analysis was asked to stop (:attr:`AnalysisCache.stop`) and did."""


class AnalysisCache:
    """What the last analysis of a map leaves for the next one (see :func:`analyse`).

    * The structure token: a value the map keeps in its structural cache
      (:meth:`ConceptMap.derived`), so it is new whenever a concept, linking phrase,
      proposition (ratings and facts included) or the root changed. Importance and the
      claims' texts are reused while it is the same (importance also needs the same claims:
      evidence on a concept makes it one); the structure pass while, besides, the map's
      metadata and the propositions the evidence contradicts (all it reads of the states) are
      the same.
    * Per claim: its evidence items (compared record by record). While they are the same,
      its evidence totals, opinion, state and forecast are; its result is rebuilt only when
      those, its importance, σ or its place in a map contradiction changed.
    * Argumentation (σ over the relations) and the map's contradictions run every time (they
      read every claim's belief, and are quick); so does the ranking of the results.

    Settings or the date changing starts afresh. Not thread-safe: one analysis at a time.
    ``stop``, when set, is asked between the steps (and every few thousand claims): once it
    says yes the analysis raises :class:`AnalysisStopped` (or ``stop`` raises its own
    exception): a program quitting while a thread analyses a huge map need not wait for the
    end. What the cache keeps stays consistent either way.
    """

    def __init__(self) -> None:
        self._basis: tuple[Settings, dt.date] | None = None
        self.stop: Callable[[], bool] | None = None
        self._reset()

    def _check(self) -> None:
        if self.stop is not None and self.stop():
            raise AnalysisStopped

    def _reset(self) -> None:
        self._token: object = None
        self._claims: dict[str, _Claim] = {}
        self._results: dict[str, tuple[_Claim, Any, float, bool, ClaimResult]] = {}
        self._importance: tuple[list[str], Any] | None = None
        self._structure: tuple[Any, Any] | None = None
        #: claims recomputed by the last analysis (for tests and the bench)
        self.recomputed: set[str] = set()

    def analyse(self, m: ConceptMap, settings: Settings, as_of: dt.date) -> Analysis:
        clock = time.perf_counter
        timings: dict[str, float] = {}
        if self._basis is None or self._basis[1] != as_of or self._basis[0] != settings:
            self._reset()
            self._basis = (settings, as_of)
        token = m.derived(_STRUCTURE_TOKEN, object)
        if token is not self._token:
            self._token = token
            self._results = {}
            self._importance = None
            self._structure = None
        ctx = Context(m, settings, as_of)

        self._check()
        start = clock()
        items = evidence.evidence_items(m, as_of)
        old, claims_of, fresh = self._claims, {}, {}
        for cid, its in items.items():
            prev = old.get(cid)
            if prev is not None and prev.items == its:
                claims_of[cid] = prev
            else:
                fresh[cid] = its
        cfg = settings.evidence
        ev_new = {cid: evidence.claim_evidence(its, as_of, cfg) for cid, its in fresh.items()}
        timings["evidence"] = clock() - start
        start = clock()
        op_new = opinion.opinion_pass(ev_new, settings)
        timings["opinion"] = clock() - start
        start = clock()
        st_new = states.states_pass(ev_new, op_new, settings, as_of)
        timings["states"] = clock() - start
        start = clock()
        for n, (cid, its) in enumerate(fresh.items()):
            if n % 4096 == 4095:
                self._check()
            day = _forecast_of(its, st_new[cid], as_of, settings)
            claims_of[cid] = _Claim(its, ev_new[cid], op_new[cid], st_new[cid], day)
        claims_of = {cid: claims_of[cid] for cid in items}
        self._claims = claims_of
        self.recomputed = set(fresh)
        timings["forecast"] = clock() - start
        st_of = {cid: c.state for cid, c in claims_of.items()}

        self._check()
        start = clock()
        ids = m.claim_ids()
        if self._importance is None or self._importance[0] != ids:
            measures = importance.structure_measures(m, settings)
            self._importance = (ids, importance.importance_pass(m, measures, settings))
        imp_of = self._importance[1]
        timings["importance"] = clock() - start

        self._check()
        start = clock()
        meta = m.meta
        contradicted = frozenset(
            pid for pid in m.propositions if st_of[pid].state is State.contradicted
        )
        key = (meta.id, meta.title, meta.focus_question, meta.description, meta.root, contradicted)
        if self._structure is None or self._structure[0] != key:
            self._structure = (key, structure.structure_pass(m, settings, st_of))
        structure_result = self._structure[1]
        timings["structure"] = clock() - start

        self._check()
        start = clock()
        tau = {cid: c.opinion.b for cid, c in claims_of.items()}
        arg = argumentation.argumentation_pass(m, tau, settings)
        timings["argumentation"] = clock() - start
        start = clock()
        contradictions = argumentation.map_contradictions(m, st_of)
        timings["contradictions"] = clock() - start

        start = clock()
        in_contra = _in_contradiction(contradictions)
        old_results, results, out = self._results, {}, {}
        for n, cid in enumerate(ids):
            if n % 4096 == 4095:
                self._check()
            c, imp = claims_of[cid], imp_of[cid]
            sigma = arg.sigma.get(cid, c.opinion.b)
            inside = cid in in_contra
            entry = old_results.get(cid)
            if (
                entry is None
                or entry[0] is not c
                or entry[1] is not imp
                or entry[2] != sigma
                or entry[3] != inside
            ):
                fc = None if c.forecast is _NO_FORECAST else c.forecast
                result = _claim_result(ctx, cid, c.ev, c.opinion, c.state, imp, sigma, inside, fc)
                entry = (c, imp, sigma, inside, result)
            # an unchanged claim keeps its entry object: on a big map a new tuple per claim
            # per analysis (10^5 of them outliving it) made Python's collector run a full
            # collection, ~1 s holding the interpreter, after most edits
            results[cid] = entry
            out[cid] = entry[4]
        self._results = results
        a = _analysis(ctx, out, contradictions, structure_result, arg.converged)
        timings["ranking"] = clock() - start
        return a.model_copy(update={"timings": timings})
