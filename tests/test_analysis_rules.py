"""The rules of analysis.md §1–§3 and §5 against hand-computed values, through analyse()."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from conceptmap.analysis import STATE_ORDER, Settings, State, analyse
from conceptmap.analysis.evidence import decay, fuse, item_weight
from conceptmap.analysis.opinion import opinion
from conceptmap.analysis.ranking import uncertainty
from conceptmap.analysis.states import state_of
from conceptmap.model import ConceptMap, Evidence

DAY = dt.date(2026, 6, 1)


def claim_map() -> tuple[ConceptMap, str]:
    m = ConceptMap.new("t", focus_question="q?", id="m-t")
    a = m.add_concept("café owners", id="c-a")
    b = m.add_concept("fast delivery", id="c-b")
    p = m.add_proposition(a.id, "value", b.id)
    return m, p.id


def add(
    m: ConceptMap,
    claim: str,
    kind: str,
    source: str,
    *,
    stance: str = "supports",
    days_ago: int = 0,
    **kw: object,
) -> None:
    m.add_evidence(
        claim, stance=stance, kind=kind, source=source, date=DAY - dt.timedelta(days=days_ago), **kw
    )


def result(m: ConceptMap, claim: str, **kw: object):
    return analyse(m, as_of=DAY, **kw).claims[claim]


# ---------------------------------------------------------------- §1 weights


def ev(
    kind: str,
    *,
    days_ago: int = 0,
    n: int = 1,
    setting: str = "real",
    t: float = 1.0,
    stance: str = "supports",
    source: str = "x",
) -> Evidence:
    return Evidence(
        id="e1",
        claim="p",
        stance=stance,
        kind=kind,
        source=source,
        date=DAY - dt.timedelta(days=days_ago),
        n=n,
        setting=setting,
        reliability=t,
    )


@pytest.mark.parametrize(
    ("kind", "m"),
    [
        ("belief", 0.25),
        ("anecdote", 0.25),
        ("survey", 0.5),
        ("interview-opinion", 0.5),
        ("interview", 1.0),
        ("support-ticket", 1.0),
        ("review", 1.0),
        ("analytics", 2.0),
        ("observation", 2.0),
        ("experiment", 2.0),
        ("commitment", 4.0),
    ],
)
def test_ladder_multiplier_per_kind(kind: str, m: float) -> None:
    assert item_weight(ev(kind), DAY, Settings().evidence) == pytest.approx(m)


def test_weight_formula_with_n_lab_reliability_and_decay() -> None:
    # analytics: m=2, n=7 → log2(8)=3, lab 0.75, t=0.5, 90 days at h=90 → λ=0.5
    e = ev("analytics", days_ago=90, n=7, setting="lab", t=0.5)
    assert item_weight(e, DAY, Settings().evidence) == pytest.approx(2 * 3 * 0.75 * 0.5 * 0.5)


@pytest.mark.parametrize(
    ("kind", "h"),
    [
        ("analytics", 90),
        ("support-ticket", 90),
        ("interview", 270),
        ("survey", 180),
        ("commitment", 180),
    ],
)
def test_half_life_per_kind(kind: str, h: int) -> None:
    fresh = item_weight(ev(kind), DAY, Settings().evidence)
    aged = item_weight(ev(kind, days_ago=h), DAY, Settings().evidence)
    assert aged == pytest.approx(fresh / 2)
    assert decay(2 * h, h) == pytest.approx(0.25)


def test_source_counts_once_strongest_each_way() -> None:
    r, s = fuse(
        [
            ("maya", "supports", 1.0),
            ("maya", "supports", 2.0),
            ("maya", "contradicts", 0.5),
            ("ben", "supports", 0.25),
        ]
    )
    assert (r, s) == (2.25, 0.5)


def test_source_matched_ignoring_case_and_spaces() -> None:
    m, p = claim_map()
    add(m, p, "interview", "Maya Bean")
    add(m, p, "interview", " maya  bean ")
    assert result(m, p).r == pytest.approx(1.0)


def test_evidence_after_the_analysis_date_is_left_out() -> None:
    m, p = claim_map()
    add(m, p, "interview", "a", days_ago=-3)
    c = result(m, p)
    assert (c.evidence_count, c.r, c.state) == (0, 0.0, State.unsupported)


# ---------------------------------------------------------------- §2 opinion


def test_opinion_formula() -> None:
    o = opinion(2.0, 6.0)
    assert (o.b, o.d, o.u, o.P) == pytest.approx((0.2, 0.6, 0.2, 0.3))


# ---------------------------------------------------------------- §3 worked checks


def test_one_interview_is_weak() -> None:
    m, p = claim_map()
    add(m, p, "interview", "Maya")
    c = result(m, p)
    assert (c.r, round(c.u, 2), c.state) == (pytest.approx(1.0), 0.67, State.weak)


def test_three_interviews_three_people_are_supported() -> None:
    m, p = claim_map()
    for who in ("Maya", "Ben", "Ana"):
        add(m, p, "interview", who)
    c = result(m, p)
    assert (c.u, c.state) == (pytest.approx(0.4), State.supported)


def test_three_notes_from_one_person_are_weak() -> None:
    m, p = claim_map()
    for _ in range(3):
        add(m, p, "interview", "Maya")
    c = result(m, p)
    assert (c.r, c.state) == (pytest.approx(1.0), State.weak)


def test_one_belief_is_unsupported() -> None:
    m, p = claim_map()
    add(m, p, "belief", "CEO")
    c = result(m, p)
    assert (c.r, round(c.u, 2), c.state) == (pytest.approx(0.25), 0.89, State.unsupported)


def test_two_interviews_for_three_analytics_against_is_contradicted() -> None:
    m, p = claim_map()
    add(m, p, "interview", "Maya")
    add(m, p, "interview", "Ben")
    for src in ("dash 1", "dash 2", "dash 3"):
        add(m, p, "analytics", src, stance="contradicts")
    c = result(m, p)
    assert (c.r, c.s, c.d, c.state) == pytest.approx((2.0, 6.0, 0.6, State.contradicted))
    a = analyse(m, as_of=DAY)
    assert [x.id for x in a.revise] == [p]
    assert p not in [x.id for x in a.gaps]


def test_two_interviews_for_one_analytics_against_is_contested() -> None:
    m, p = claim_map()
    add(m, p, "interview", "Maya")
    add(m, p, "interview", "Ben")
    add(m, p, "analytics", "dash", stance="contradicts")
    c = result(m, p)
    assert (c.b, c.d, c.state) == (pytest.approx(1 / 3), pytest.approx(1 / 3), State.contested)


def test_states_are_evaluated_in_order() -> None:
    assert [s.value for s in STATE_ORDER] == [
        "unsupported",
        "contradicted",
        "contested",
        "weak",
        "supported",
    ]
    # u > 0.8 wins over everything: tiny evidence both ways
    assert state_of(opinion(0.1, 0.3), 2) is State.unsupported
    # contradicted before contested: d=0.5, b=0.25 also has 2·min = 0.5 ≥ 0.3
    assert state_of(opinion(1.0, 2.0), 2) is State.contradicted
    # contested before weak: b=d=0.25, u=0.5
    assert state_of(opinion(1.0, 1.0), 2) is State.contested
    # no evidence is unsupported whatever the figures
    assert state_of(opinion(0.0, 0.0), 0) is State.unsupported


# ---------------------------------------------------------------- staleness


def test_stale_when_decayed_total_under_half() -> None:
    m, p = claim_map()
    for who in ("a", "b", "c", "d", "e", "f"):
        add(m, p, "interview", who, days_ago=280)  # λ = 2^(-280/270) < 0.5
    c = result(m, p)
    assert c.stale and c.is_gap and c.state is State.supported
    m2, p2 = claim_map()
    for who in ("a", "b", "c", "d", "e", "f"):
        add(m2, p2, "interview", who, days_ago=260)
    assert not result(m2, p2).stale


def test_stale_when_newest_older_than_two_half_lives() -> None:
    # a fresh-looking total but an old newest item: with stale_ratio 0 only the age rule acts
    m, p = claim_map()
    add(m, p, "commitment", "a", days_ago=361, n=1000)
    s = Settings.model_validate({"states": {"stale_ratio": 0.0}})
    assert result(m, p, settings=s).stale
    m2, p2 = claim_map()
    add(m2, p2, "commitment", "a", days_ago=360, n=1000)
    assert not result(m2, p2, settings=s).stale


def test_claim_without_evidence_is_not_stale() -> None:
    m, p = claim_map()
    assert not result(m, p).stale


# ---------------------------------------------------------------- §5 ranking


def test_uncertainty_and_gap_score() -> None:
    o = opinion(2.0, 2.0)  # b = d = 1/3, u = 1/3
    assert uncertainty(o) == pytest.approx(1 / 3 + 2 / 3)
    m, p = claim_map()
    c = result(m, p)
    assert c.U == 1.0
    assert c.gap_score == pytest.approx(c.importance.value * c.U)


def test_importance_formula_two_concepts() -> None:
    # two concepts, one link: every percentile ties at 0.5, neither is an articulation point
    m, p = claim_map()
    m.set_importance(p, 5)
    imp = result(m, p).importance
    assert (imp.pagerank_pct, imp.betweenness_pct, imp.articulation) == (0.5, 0.5, False)
    assert imp.value == pytest.approx(0.3 * 1 + 0.4 * 0.5 + 0.2 * 0.5)


def test_test_first_quadrant() -> None:
    m, p = claim_map()
    m.set_importance(p, 4)
    assert result(m, p).test_first
    m.set_importance(p, 3)
    assert not result(m, p).test_first
    m.set_importance(p, 5)
    for who in ("a", "b", "c"):
        add(m, p, "interview", who)  # u = 0.4 < 0.5
    assert not result(m, p).test_first


def test_reasons_and_next_steps_say_what_is_missing() -> None:
    m, p = claim_map()
    c = result(m, p)
    assert "no evidence" in c.reason and "observe or measure" in c.next_step
    add(m, p, "interview", "Maya")
    c = result(m, p)
    assert c.next_step == "no behavioural evidence: observe or measure it, don't ask"
    assert "u=0.67" in c.reason


def test_gaps_ranked_by_score_then_id_and_debt_is_the_sum() -> None:
    m = ConceptMap.new("t", id="m-t")
    ids = [m.add_concept(f"c{i}", id=f"c-{i}").id for i in range(4)]
    props = [m.add_proposition(ids[0], "has", t) for t in ids[1:]]
    m.set_importance(props[2].id, 5)
    a = analyse(m, as_of=DAY)
    scores = [(-g.gap_score, g.id) for g in a.gaps]
    assert scores == sorted(scores)
    assert a.gaps[0].id == props[2].id
    assert a.debt == pytest.approx(sum(c.importance.value * c.U for c in a.claims.values()))
    assert math.isclose(a.debt, sum(c.gap_score for c in a.claims.values()))


def test_concepts_with_evidence_or_fact_are_claims() -> None:
    m, p = claim_map()
    f = m.add_concept("churn is 8 % a month", id="c-f", fact=True)
    add(m, "c-a", "analytics", "dash")
    a = analyse(m, as_of=DAY)
    assert set(a.claims) == {p, f.id, "c-a"}
    assert a.claims["c-a"].kind == "concept" and a.claims[p].kind == "proposition"


def test_say_do_gap() -> None:
    # say: 3 interviews for → b=0.6, u=0.4, P=0.8; do: 3 analytics against → s=6, d=0.75,
    # u=0.25, P=0.125; DC = 0.675 · 0.6 · 0.75 = 0.30375 ≥ 0.25
    m, p = claim_map()
    for who in ("a", "b", "c"):
        add(m, p, "interview", who)
    for src in ("d1", "d2", "d3"):
        add(m, p, "analytics", src, stance="contradicts")
    c = result(m, p)
    assert c.say_do_conflict == pytest.approx(0.30375)
    assert c.says_not_does and "say one thing and do another" in c.reason
    m2, p2 = claim_map()
    add(m2, p2, "interview", "a")
    assert result(m2, p2).say_do_conflict == 0.0


def test_fast_built_results_equal_validated_ones() -> None:
    from conceptmap.analysis import ClaimResult

    m, p = claim_map()
    add(m, p, "interview", "Maya")
    m.add_concept("a fact", id="c-f", fact=True)
    for c in analyse(m, as_of=DAY).claims.values():
        assert set(c.__dict__) == set(ClaimResult.model_fields)
        assert set(c.importance.__dict__) == set(type(c.importance).model_fields)
        assert ClaimResult.model_validate(c.model_dump()) == c
