"""§4–§6 on hand-built maps: structure, importance measures, DF-QuAD, contradictions, and the
date a claim turns into a gap."""

from __future__ import annotations

import datetime as dt
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conceptmap.analysis import Settings, State, analyse, importance
from conceptmap.analysis.argumentation import _components_in_order, aggregate, combine, dfquad
from conceptmap.analysis.forecast import gap_on, turns_gap_on
from conceptmap.analysis.importance import (
    _adjacency,
    articulation_points,
    betweenness,
    pagerank,
    percentile_ranks,
    sampled_betweenness,
)
from conceptmap.model import ConceptMap, Evidence

DAY = dt.date(2026, 6, 1)


# ---------------------------------------------------------------- §6 DF-QuAD


def test_aggregate_and_combine() -> None:
    assert aggregate([]) == 0
    assert aggregate([0.5, 0.5]) == pytest.approx(0.75)
    assert combine(0.4, 0.5, 0.0) == pytest.approx(0.2)  # τ − τ(va − vs)
    assert combine(0.4, 0.0, 0.5) == pytest.approx(0.7)  # τ + (1 − τ)(vs − va)
    assert combine(0.4, 0.3, 0.3) == pytest.approx(0.4)


def test_mutual_attack_tau_one_settles_at_half() -> None:
    r = dfquad({"a": 1.0, "b": 1.0}, [("a", "attack", "b"), ("b", "attack", "a")])
    assert r.converged
    assert r.sigma == pytest.approx({"a": 0.5, "b": 0.5}, abs=1e-5)


@pytest.mark.parametrize("tau", [0.1, 0.3, 0.6, 0.9])
def test_mutual_attack_equal_tau_settles_at_tau_over_one_plus_tau(tau: float) -> None:
    r = dfquad({"a": tau, "b": tau}, [("a", "attack", "b"), ("b", "attack", "a")])
    assert r.converged
    assert r.sigma["a"] == pytest.approx(tau / (1 + tau), abs=1e-5)


def test_acyclic_chain_in_topological_order() -> None:
    # c supports b, b attacks a: σc = 0.5, σb = 0.2 + 0.8·0.5 = 0.6, σa = 0.9 − 0.9·0.6 = 0.36
    r = dfquad({"a": 0.9, "b": 0.2, "c": 0.5}, [("b", "attack", "a"), ("c", "support", "b")])
    assert r.sigma == pytest.approx({"a": 0.36, "b": 0.6, "c": 0.5})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
def test_components_come_in_an_order_networkx_agrees_with(pairs: list[tuple[int, int]]) -> None:
    """The argument graph's components (the standard library's order when it has no cycle,
    networkx's condensation when it has) are networkx's strongly connected components, and
    each comes after every component that argues with it: so σ is the same either way."""
    preds: dict[str, set[str]] = {}
    for a, b in pairs:
        preds.setdefault(f"n{b}", set()).add(f"n{a}")
        preds.setdefault(f"n{a}", set())
    order = _components_in_order(preds)
    g = nx.DiGraph()
    g.add_nodes_from(preds)
    g.add_edges_from((src, tgt) for tgt, srcs in preds.items() for src in srcs)
    assert sorted(map(tuple, order)) == sorted(
        tuple(sorted(c)) for c in nx.strongly_connected_components(g)
    )
    place = {n: i for i, comp in enumerate(order) for n in comp}
    for tgt, srcs in preds.items():
        for src in srcs:
            assert place[src] <= place[tgt]
            if place[src] == place[tgt]:
                assert len(order[place[tgt]]) > 1 or src == tgt


def test_unchecked_claim_carries_nothing() -> None:
    r = dfquad({"a": 0.7, "b": 0.0}, [("b", "attack", "a")])
    assert r.sigma["a"] == pytest.approx(0.7)


def test_non_convergence_is_reported() -> None:
    s = Settings.model_validate({"argumentation": {"max_steps": 2}})
    r = dfquad({"a": 1.0, "b": 1.0}, [("a", "attack", "b"), ("b", "attack", "a")], s.argumentation)
    assert not r.converged and r.unsettled == ["a", "b"]


def two_claims(kind: str) -> tuple[ConceptMap, str, str]:
    m = ConceptMap.new("t", focus_question="q?", id="m-t")
    for i in range(4):
        m.add_concept(f"c{i}", id=f"c-{i}")
    p1 = m.add_proposition("c-0", "r", "c-1").id
    p2 = m.add_proposition("c-2", "r", "c-3").id
    m.add_relation(p1, kind, p2)
    return m, p1, p2


def support(m: ConceptMap, claim: str, n_sources: int, stance: str = "supports") -> None:
    for i in range(n_sources):
        m.add_evidence(claim, stance=stance, kind="interview", source=f"{claim}-{i}", date=DAY)


def test_undermined_and_contradiction_in_the_map_through_analyse() -> None:
    m, p1, p2 = two_claims("contradicts")
    support(m, p1, 3)  # supported: b = 0.6
    support(m, p2, 3)
    a = analyse(m, as_of=DAY)
    c2 = a.claims[p2]
    assert c2.tau == pytest.approx(0.6)
    assert c2.sigma == pytest.approx(0.6 - 0.6 * 0.6)  # attacked by σ1 = 0.6
    assert c2.undermined and [c.id for c in a.undermined] == [p2]
    assert [(x.a, x.b) for x in a.contradictions] == [(p1, p2)]
    assert c2.in_map_contradiction and a.claims[p1].in_map_contradiction


def test_no_contradiction_when_one_side_is_unsupported() -> None:
    m, _p1, p2 = two_claims("contradicts")
    support(m, p2, 3)
    a = analyse(m, as_of=DAY)
    assert a.contradictions == [] and not a.claims[p2].undermined


# ---------------------------------------------------------------- §4 structure


def novak_map() -> ConceptMap:
    """root → A, root → B; A → A1 → A2 → D (chain under A); B → B1 (example); A1 → B1
    cross-link; an orphan; two duplicate labels (A one, a-one!); no focus question."""
    m = ConceptMap.new("t", id="m-t")
    for cid, label in [
        ("r", "Root"),
        ("a", "A"),
        ("b", "B"),
        ("a1", "A one"),
        ("a2", "A two"),
        ("b1", "B one"),
        ("o", "orphan"),
        ("d", "a-one!"),
    ]:
        m.add_concept(label, id=cid, example=(cid == "b1"))
    m.set_meta(root="r")
    for s, t in [("r", "a"), ("r", "b"), ("a", "a1"), ("a1", "a2"), ("b", "b1"), ("a1", "b1")]:
        m.add_proposition(s, "to", t, new_phrase=True)
    m.add_proposition("a2", None, "d")
    return m


def test_structure_scores_and_findings() -> None:
    a = analyse(novak_map(), as_of=DAY)
    s = a.structure
    # 7 propositions (none contradicted), 4 levels below the root, 1 cross-link, 1 example
    assert s.novak_gowin.model_dump() == {
        "propositions": 7,
        "levels": 4,
        "cross_links": 1,
        "examples": 1,
        "score": 7 + 5 * 4 + 10 * 1 + 1,
    }
    # NC = 7 others, NH = 2 (a, b), HH = 4 (r→a→a1→a2→d), NCL = 1 (a1→b1)
    t = s.traditional
    assert (t.root, t.NC, t.NH, t.HH, t.NCL, t.score) == ("r", 7, 2, 4, 1, 7 + 20 + 10)
    assert s.shape == "net"
    kinds = {f.kind: f.ids for f in s.findings}
    assert kinds["orphan"] == ["o"]
    assert kinds["duplicate"] == ["a1", "d"]
    assert kinds["no-focus-question"] == ["m-t"]
    assert "unlinked-branches" not in kinds  # the only two branches are cross-linked


def test_unlinked_branches_and_shapes() -> None:
    m = ConceptMap.new("t", focus_question="q?", id="m-t")
    for cid in ("r", "x", "y", "z"):
        m.add_concept(cid.upper(), id=cid)
    for t in ("x", "y", "z"):
        m.add_proposition("r", "has", t)
    a = analyse(m, as_of=DAY)
    assert a.structure.shape == "spoke"
    pairs = [f.ids for f in a.structure.findings if f.kind == "unlinked-branches"]
    assert pairs == [["x", "y"], ["x", "z"], ["y", "z"]]
    chain = ConceptMap.new("t", focus_question="q?", id="m-c")
    for i in range(5):
        chain.add_concept(f"k{i}", id=f"k{i}")
    for i in range(4):
        chain.add_proposition(f"k{i}", None, f"k{i + 1}")
    assert analyse(chain, as_of=DAY).structure.shape == "chain"


def test_unreachable_and_dangling_phrase() -> None:
    m = ConceptMap.new("t", focus_question="q?", id="m-t")
    for cid in ("r", "x", "y"):
        m.add_concept(cid, id=cid)
    m.add_proposition("r", None, "x")
    m.add_proposition("x", None, "y")
    m.add_proposition("y", None, "x")  # x, y: a cycle reached from r, so all reachable
    assert not [f for f in analyse(m, as_of=DAY).structure.findings if f.kind == "unreachable"]
    m.add_concept("p", id="p")
    m.add_concept("q", id="q")
    m.add_proposition("p", None, "q")
    m.add_proposition("q", None, "p")  # a cycle nothing leads into
    found = {f.kind: f.ids for f in analyse(m, as_of=DAY).structure.findings}
    assert found["unreachable"] == ["p", "q"]


# ---------------------------------------------------------------- §5 importance measures


def random_graph(seed: int, n: int = 40) -> nx.Graph:
    g = nx.gnm_random_graph(n, 70, seed=seed)
    return nx.relabel_nodes(g, {i: f"c{i:03d}" for i in g})


def map_of(g: nx.Graph) -> ConceptMap:
    m = ConceptMap.new("g", id="m-g")
    for node in sorted(g):
        m.add_concept(node, id=node)
    for u, v in sorted(g.edges()):
        m.add_proposition(u, None, v)
    return m


@pytest.mark.parametrize("seed", [1, 2])
def test_measures_match_networkx(seed: int) -> None:
    g = random_graph(seed)
    ids, adj = _adjacency(map_of(g))
    ug = nx.Graph()
    ug.add_nodes_from(ids)
    ug.add_edges_from(g.edges())
    pr = pagerank(adj)
    ref = nx.pagerank(ug, tol=1e-13)
    assert pr == pytest.approx([ref[i] for i in ids], abs=1e-8)
    exact = betweenness(adj, list(range(len(ids))))
    ref_b = nx.betweenness_centrality(ug, normalized=False)
    assert exact / 2 == pytest.approx([ref_b[i] for i in ids], abs=1e-9)
    # sampled: the same sources networkx draws (sorted node order, fixed seed), up to scale
    ours = sampled_betweenness(adj, 8, seed)
    ref_k = nx.betweenness_centrality(ug, k=8, seed=random.Random(seed), normalized=False)
    assert ours == pytest.approx([ref_k[i] for i in ids], abs=1e-9)
    art = articulation_points(adj)
    assert {ids[i] for i in np.flatnonzero(art)} == set(nx.articulation_points(ug))


def _shape(name: str, n: int) -> nx.Graph:
    rnd = random.Random(n)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    if name == "chain":
        g.add_edges_from((i, i + 1) for i in range(n - 1))
    elif name == "star":
        g.add_edges_from((0, i) for i in range(1, n))
    elif name == "tree":
        g.add_edges_from((rnd.randrange(i), i) for i in range(1, n))
    elif name == "dense":
        g.add_edges_from((a, b) for a in range(n) for b in range(a + 1, n) if rnd.random() < 0.4)
    elif name == "disconnected":  # chains of 7 with chords, a few isolated concepts
        g.add_edges_from((i, i + 1) for i in range(n - 4) if i % 7 != 6)
        g.add_edges_from((i, i + 3) for i in range(0, n - 7, 5))
    return nx.relabel_nodes(g, {i: f"c{i:03d}" for i in g})


@pytest.mark.parametrize("name", ["chain", "star", "tree", "dense", "disconnected"])
@pytest.mark.parametrize("n", [2, 9, 70])
def test_betweenness_shapes_match_networkx(
    name: str, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the sources are searched in chunks (a disjoint union of copies of the graph): the same
    # figures as networkx for every shape, and the same bits whatever the chunk size
    g = _shape(name, n)
    ids, adj = _adjacency(map_of(g))
    ref = nx.betweenness_centrality(g, normalized=False)
    assert betweenness(adj, list(range(n))) / 2 == pytest.approx([ref[i] for i in ids], abs=1e-9)
    for k in sorted({2, 3, 8, n - 1}):  # networkx divides by k − 1
        if k >= n:
            continue
        ours = sampled_betweenness(adj, k, 11)
        ref_k = nx.betweenness_centrality(g, k=k, seed=random.Random(11), normalized=False)
        assert ours == pytest.approx([ref_k[i] for i in ids], abs=1e-9)
        for chunk in (1, 2, 5):
            monkeypatch.setattr(importance, "CHUNK_EDGES", chunk * max(len(adj.eu), n))
            assert np.array_equal(sampled_betweenness(adj, k, 11), ours)
        monkeypatch.undo()
    art = articulation_points(adj)
    assert {ids[i] for i in np.flatnonzero(art)} == set(nx.articulation_points(g))


def test_percentile_ranks() -> None:
    assert list(percentile_ranks(np.array([3.0, 1.0, 2.0]))) == [1.0, 0.0, 0.5]
    assert list(percentile_ranks(np.array([1.0, 1.0 + 1e-15, 5.0]))) == [0.25, 0.25, 1.0]


def test_articulation_point_and_proposition_mean() -> None:
    m = ConceptMap.new("t", id="m-t")
    for cid in ("a", "b", "c"):
        m.add_concept(cid, id=cid)
    p = m.add_proposition("a", None, "b").id
    m.add_proposition("b", None, "c")
    imp = analyse(m, as_of=DAY).claims[p].importance
    # b is the middle (pct 1 for both measures, articulation), a a leaf (pct 0.25 ties with c)
    assert imp.articulation and imp.articulation_part == 0.5
    assert imp.pagerank_pct == pytest.approx((1.0 + 0.25) / 2)
    assert imp.betweenness_pct == pytest.approx((1.0 + 0.25) / 2)
    assert imp.value == pytest.approx(0.3 * 0.5 + 0.4 * 0.625 + 0.2 * 0.625 + 0.1 * 0.5)


# ---------------------------------------------------------------- §7 the date it turns


def items(*specs: tuple[str, str, int]) -> list[Evidence]:
    return [
        Evidence(
            id=f"e{i}",
            claim="p",
            stance="supports",
            kind=k,
            source=s,
            date=DAY - dt.timedelta(days=ago),
        )
        for i, (k, s, ago) in enumerate(specs)
    ]


def brute_force(its: list[Evidence]) -> dt.date:
    day = DAY
    while not gap_on(its, day, Settings()):
        day += dt.timedelta(days=1)
    return day


def test_turns_gap_closed_form_one_half_life() -> None:
    # three fresh interviews: r = 3, h = 270 → u = 0.5 when 3f = 2 → Δ = 270·log2(1.5) = 157.9
    its = items(("interview", "a", 0), ("interview", "b", 0), ("interview", "c", 0))
    day = turns_gap_on(its, DAY, Settings())
    assert day == DAY + dt.timedelta(days=158) == brute_force(its)


def test_turns_gap_bisection_mixed_half_lives() -> None:
    its = items(
        ("interview", "a", 10), ("analytics", "b", 5), ("survey", "c", 0), ("commitment", "d", 30)
    )
    day = turns_gap_on(its, DAY, Settings())
    assert day == brute_force(its)
    assert day is not None and day > DAY


def test_no_date_for_a_gap() -> None:
    assert turns_gap_on(items(("interview", "a", 0)), DAY, Settings()) is None


def test_analyse_fills_turns_gap_on_for_supported_claims_only() -> None:
    m, p1, p2 = two_claims("supports")
    support(m, p1, 3)
    a = analyse(m, as_of=DAY)
    assert a.claims[p1].state is State.supported
    assert a.claims[p1].turns_gap_on == DAY + dt.timedelta(days=158)
    assert a.claims[p2].turns_gap_on is None
