"""Properties of the analysis on generated maps (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptmap.analysis import analyse
from conceptmap.analysis.argumentation import dfquad
from conceptmap.analysis.opinion import opinion
from conceptmap.formats import dump_map
from conceptmap.formats.native import parse_map
from conceptmap.model import EVIDENCE_KINDS, ConceptMap

DAY = dt.date(2026, 6, 1)
weights = st.floats(min_value=0, max_value=1e4, allow_nan=False)


@given(weights, weights)
def test_belief_disbelief_uncertainty_sum_to_one(r: float, s: float) -> None:
    o = opinion(r, s)
    assert abs(o.b + o.d + o.u - 1) < 1e-9
    assert 0 <= o.P <= 1


evidence_item = st.tuples(
    st.sampled_from(EVIDENCE_KINDS),
    st.sampled_from(["supports", "contradicts"]),
    st.sampled_from(["a", "b", "c", "d"]),
    st.integers(min_value=0, max_value=900),
    st.integers(min_value=1, max_value=50),
)


def claim_with(items: list[tuple[str, str, str, int, int]]) -> tuple[ConceptMap, str]:
    m = ConceptMap.new("t", id="m-t")
    m.add_concept("x", id="c-x")
    m.add_concept("y", id="c-y")
    p = m.add_proposition("c-x", None, "c-y").id
    for i, (kind, stance, src, ago, n) in enumerate(items):
        m.add_evidence(
            p,
            id=f"e-{i}",
            kind=kind,
            stance=stance,
            source=src,
            n=n,
            date=DAY - dt.timedelta(days=ago),
        )
    return m, p


@settings(max_examples=60, deadline=None)
@given(
    st.lists(evidence_item, max_size=6),
    st.sampled_from(EVIDENCE_KINDS),
    st.sampled_from(["a", "b", "e"]),
    st.integers(0, 900),
)
def test_supporting_evidence_never_lowers_P(items, kind, src, ago) -> None:  # type: ignore[no-untyped-def]
    m, p = claim_with(items)
    before = analyse(m, as_of=DAY).claims[p].P
    m.add_evidence(
        p, id="e-new", kind=kind, stance="supports", source=src, date=DAY - dt.timedelta(days=ago)
    )
    after = analyse(m, as_of=DAY).claims[p].P
    assert after >= before - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdef"), st.floats(0, 1), min_size=1),
    st.lists(
        st.tuples(
            st.sampled_from("abcdef"),
            st.sampled_from(["attack", "support"]),
            st.sampled_from("abcdef"),
        ),
        max_size=12,
    ),
)
def test_strengths_stay_in_unit_interval(tau, edges) -> None:  # type: ignore[no-untyped-def]
    edges = [(a, k, b) for a, k, b in edges if a != b]
    r = dfquad(tau, edges)
    assert all(0.0 <= v <= 1.0 for v in r.sigma.values())


def generated_map(seed: int) -> ConceptMap:
    rnd = random.Random(seed)
    m = ConceptMap.new("gen", focus_question="q?", id="m-gen")
    n = rnd.randint(3, 12)
    ids = [m.add_concept(f"concept {i}", id=f"c-{i:02d}").id for i in range(n)]
    for i in range(1, n):
        m.add_proposition(ids[rnd.randrange(i)], rnd.choice(["has", "needs", None]), ids[i])
    for _ in range(n // 3):
        a, b = rnd.sample(ids, 2)
        if not any(p.source == a and p.target == b for p in m.propositions.values()):
            m.add_proposition(a, "affects", b, new_phrase=True)
    claims = m.claim_ids()
    for i in range(rnd.randint(0, 3 * n)):
        m.add_evidence(
            rnd.choice(claims),
            id=f"e-{i:03d}",
            kind=rnd.choice(EVIDENCE_KINDS),
            stance=rnd.choice(["supports", "contradicts"]),
            source=rnd.choice(["Maya", "Ben", "dash", "CEO"]),
            n=rnd.randint(1, 20),
            date=DAY - dt.timedelta(days=rnd.randint(-10, 700)),
        )
    for i in range(rnd.randint(0, n)):
        a, b = rnd.sample(claims, 2)
        if not any({r.source, r.target} == {a, b} for r in m.relations.values()):
            m.add_relation(a, rnd.choice(["supports", "contradicts"]), b, id=f"r-{i:02d}")
    return m


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_results_do_not_depend_on_record_order(seed: int, shuffle_seed: int) -> None:
    m = generated_map(seed)
    doc = json.loads(dump_map(m))
    rnd = random.Random(shuffle_seed)
    for key in ("concepts", "linking_phrases", "propositions", "evidence", "relations"):
        rnd.shuffle(doc[key])
    for lp in doc["linking_phrases"]:
        rnd.shuffle(lp["sources"])
        rnd.shuffle(lp["targets"])
    shuffled = parse_map(json.dumps(doc))
    a1 = analyse(m, as_of=DAY).model_dump_json()
    a2 = analyse(shuffled, as_of=DAY).model_dump_json()
    assert a1 == a2
