"""Belief through the map: DF-QuAD over support and contradiction relations (analysis.md §6),
and contradictions in the map (§3).

The base score of a claim is τ = b, the belief grounded in its own evidence, so a claim nobody
has checked (b = 0) neither supports nor attacks anything. Attackers and supporters aggregate
as ``F(v) = 1 − Π(1 − v_i)``; then ``σ = τ − τ(v_a − v_s)`` if ``v_a ≥ v_s``, else
``σ = τ + (1 − τ)(v_s − v_a)`` (Rago et al., KR 2016). Strongly connected components are
evaluated in topological order; inside a cycle ``dσ/dt = f(σ) − σ`` is integrated (RK4) from
σ = τ until it settles.

>>> r = dfquad({"a": 1.0, "b": 1.0}, [("a", "attack", "b"), ("b", "attack", "a")])
>>> round(r.sigma["a"], 6), r.converged
(0.5, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from conceptmap.analysis.results import MapContradiction, State
from conceptmap.analysis.settings import ArgumentationSettings, Settings
from conceptmap.analysis.states import ClaimState
from conceptmap.model import ConceptMap

__all__ = [
    "ArgumentationResult",
    "aggregate",
    "argumentation_pass",
    "combine",
    "dfquad",
    "map_contradictions",
]

Edge = tuple[str, str, str]  # (source, "attack" | "support", target)


@dataclass(frozen=True)
class ArgumentationResult:
    """σ of every claim, whether every cycle settled, and the steps the slowest one took."""

    sigma: dict[str, float]
    converged: bool
    steps: int
    unsettled: list[str] = field(default_factory=list)


def aggregate(values: Iterable[float]) -> float:
    """``F(v) = 1 − Π(1 − v_i)`` (0 for no arguments)."""
    prod = 1.0
    for v in values:
        prod *= 1.0 - v
    return 1.0 - prod


def combine(tau: float, va: float, vs: float) -> float:
    """DF-QuAD's combination of a base score with aggregated attack and support."""
    if va >= vs:
        return tau - tau * (va - vs)
    return tau + (1.0 - tau) * (vs - va)


def dfquad(
    tau: dict[str, float], edges: Iterable[Edge], cfg: ArgumentationSettings | None = None
) -> ArgumentationResult:
    """Final strengths σ for base scores ``tau`` and argument ``edges``."""
    cfg = cfg or ArgumentationSettings()
    sigma = dict(tau)
    attackers: dict[str, list[str]] = {}
    supporters: dict[str, list[str]] = {}
    preds: dict[str, set[str]] = {}
    for src, kind, tgt in sorted(edges):
        if src not in tau or tgt not in tau:
            continue
        (attackers if kind == "attack" else supporters).setdefault(tgt, []).append(src)
        preds.setdefault(tgt, set()).add(src)
        preds.setdefault(src, set())
    if not preds:
        return ArgumentationResult(sigma=sigma, converged=True, steps=0, unsettled=[])

    def f(node: str, values: dict[str, float]) -> float:
        va = aggregate(values[a] for a in attackers.get(node, ()))
        vs = aggregate(values[s] for s in supporters.get(node, ()))
        return combine(tau[node], va, vs)

    converged, max_steps, unsettled = True, 0, []
    for members in _components_in_order(preds):
        if len(members) == 1:
            sigma[members[0]] = f(members[0], sigma)
            continue
        needed = set(members)
        for n in members:
            needed.update(attackers.get(n, ()), supporters.get(n, ()))
        local = {n: sigma[n] for n in sorted(needed)}
        ok, steps = _settle(members, local, f, cfg)
        for n in members:
            sigma[n] = local[n]
        max_steps = max(max_steps, steps)
        if not ok:
            converged = False
            unsettled.extend(members)
    return ArgumentationResult(
        sigma=sigma, converged=converged, steps=max_steps, unsettled=sorted(unsettled)
    )


def _components_in_order(preds: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of the argument graph (``preds``: node → the nodes
    arguing with it), each sorted, in an order where a component comes after every one that
    argues with it. Most maps' relations have no cycle: then every node is its own component
    and the standard library orders them; networkx's condensation (imported only then) finds
    the cycles. Any such order gives the same σ: a node reads only what comes before it."""
    try:
        return [[n] for n in TopologicalSorter(preds).static_order()]
    except CycleError:
        pass
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(preds)
    g.add_edges_from((src, tgt) for tgt, srcs in preds.items() for src in srcs)
    cond = nx.condensation(g)
    first = {c: min(data["members"]) for c, data in cond.nodes(data=True)}
    return [
        sorted(cond.nodes[comp]["members"])
        for comp in nx.lexicographical_topological_sort(cond, key=first.__getitem__)
    ]


def _settle(members: list[str], sigma: dict[str, float], f, cfg: ArgumentationSettings):  # type: ignore[no-untyped-def]
    """Integrate dσ/dt = f(σ) − σ over one cycle with RK4 until max |f(σ) − σ| < tolerance.
    ``sigma`` holds the cycle's members and the arguments they read (updated in place)."""
    h = cfg.step

    def deriv(state: dict[str, float]) -> dict[str, float]:
        return {n: f(n, state) - state[n] for n in members}

    def shifted(k: dict[str, float], by: float) -> dict[str, float]:
        s = dict(sigma)
        for n in members:
            s[n] = sigma[n] + by * k[n]
        return s

    for step in range(1, cfg.max_steps + 1):
        k1 = deriv(sigma)
        if max(abs(v) for v in k1.values()) < cfg.tolerance:
            return True, step - 1
        k2 = deriv(shifted(k1, h / 2))
        k3 = deriv(shifted(k2, h / 2))
        k4 = deriv(shifted(k3, h))
        for n in members:
            value = sigma[n] + h / 6 * (k1[n] + 2 * k2[n] + 2 * k3[n] + k4[n])
            sigma[n] = min(1.0, max(0.0, value))
    k1 = deriv(sigma)
    return max(abs(v) for v in k1.values()) < cfg.tolerance, cfg.max_steps


def relation_edges(m: ConceptMap) -> list[Edge]:
    """The map's relations as argument edges (sorted by relation id)."""
    out = []
    for rid in sorted(m.relations):
        r = m.relations[rid]
        out.append((r.source, "attack" if r.kind.value == "contradicts" else "support", r.target))
    return out


def argumentation_pass(
    m: ConceptMap, tau: dict[str, float], settings: Settings
) -> ArgumentationResult:
    """σ of every claim, with τ = b. Relation ends that are not claims (a concept with no
    evidence that is not marked as a fact) have no evidence, so τ = 0 and they carry nothing."""
    return dfquad(tau, relation_edges(m), settings.argumentation)


def map_contradictions(m: ConceptMap, states: dict[str, ClaimState]) -> list[MapContradiction]:
    """*Contradicts* relations between two claims that are both supported or weak."""
    held = {State.supported, State.weak}
    out = []
    for rid in sorted(m.relations):
        r = m.relations[rid]
        if r.kind.value != "contradicts":
            continue
        a, b = states.get(r.source), states.get(r.target)
        if a is None or b is None or a.state not in held or b.state not in held:
            continue
        out.append(
            MapContradiction.model_construct(
                relation=rid,
                a=r.source,
                b=r.target,
                message=(
                    f"the team holds both “{m.claim_text(r.source)}” ({a.state.value}) and "
                    f"“{m.claim_text(r.target)}” ({b.state.value}), but one contradicts the "
                    "other: find out which is wrong"
                ),
            )
        )
    return out
