"""The incremental analysis (``analyse(m, cache=...)``) gives exactly what a fresh full
analysis gives, whatever sequence of edits came before (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptmap import api
from conceptmap.analysis import Settings, Verdict, analyse, claim_verdicts
from conceptmap.analysis.pipeline import AnalysisCache
from conceptmap.errors import InputError
from conceptmap.model import EVIDENCE_KINDS, ConceptMap

DAY = dt.date(2026, 6, 1)


def base_map() -> ConceptMap:
    m = ConceptMap.new("Cafés", id="m-cafes", focus_question="What do café owners need?")
    for i in range(8):
        m.add_concept(f"concept {i}", id=f"c-{i}")
    for i in range(1, 8):
        m.add_proposition(f"c-{(i - 1) // 2}", f"leads to {i}", f"c-{i}")
    m.add_proposition("c-3", "relates to", "c-6")  # a cross-link
    m.set_meta(root="c-0")
    return m


def full(m: ConceptMap, day: dt.date, cfg: Settings | None = None) -> dict[str, Any]:
    return analyse(m, settings=cfg, as_of=day).model_dump()


def incremental(
    m: ConceptMap, cache: AnalysisCache, day: dt.date, cfg: Settings | None = None
) -> dict[str, Any]:
    return analyse(m, settings=cfg, as_of=day, cache=cache).model_dump()


def pick(seq: list[str], n: int) -> str | None:
    return seq[n % len(seq)] if seq else None


def apply(m: ConceptMap, op: str, a: int, b: int, c: int) -> None:
    concepts, props = sorted(m.concepts), sorted(m.propositions)
    claims = m.claim_ids()
    evidence, relations = sorted(m.evidence), sorted(m.relations)
    if op == "add_evidence":
        # most evidence lands on a few claims, so that states really change (and contradict)
        target = pick(claims[:3], a) if a % 4 else pick(claims + concepts, a)
        if target is None:
            return
        if target in m.concepts and not m.is_claim(target):
            m.update_concept(target, fact=True)
        m.add_evidence(
            target,
            kind=EVIDENCE_KINDS[b % len(EVIDENCE_KINDS)],
            stance="supports" if c % 3 else "contradicts",
            source=f"source {c % 4}",
            n=1 + c % 20,
            date=DAY - dt.timedelta(days=(b * 37 + c * 11) % 900),
        )
    elif op == "remove_evidence" and evidence:
        m.remove_evidence(pick(evidence, a))  # type: ignore[arg-type]
    elif op == "update_evidence" and evidence:
        m.update_evidence(
            pick(evidence, a),  # type: ignore[arg-type]
            stance="supports" if b % 2 else "contradicts",
            date=DAY - dt.timedelta(days=c % 700),
        )
    elif op == "move_evidence" and evidence and claims:
        m.update_evidence(pick(evidence, a), claim=pick(claims, b))  # type: ignore[arg-type]
    elif op == "add_concept":
        new = m.add_concept(f"new concept {a}-{b}")
        if concepts:
            m.add_proposition(pick(concepts, c), "needs", new.id)  # type: ignore[arg-type]
    elif op == "add_proposition" and len(concepts) > 1:
        m.add_proposition(pick(concepts, a), f"phrase {b % 3}", pick(concepts, c))  # type: ignore[arg-type]
    elif op == "remove_proposition" and props:
        m.remove_proposition(pick(props, a))  # type: ignore[arg-type]
    elif op == "remove_concept" and len(concepts) > 2:
        m.remove_concept(pick(concepts[1:], a))  # type: ignore[arg-type]
    elif op == "rename_concept" and concepts:
        m.update_concept(pick(concepts, a), label=f"renamed {b}")  # type: ignore[arg-type]
    elif op == "set_importance" and claims:
        m.set_importance(pick(claims, a), 1 + b % 5)  # type: ignore[arg-type]
    elif op == "fact" and concepts:
        m.update_concept(pick(concepts, a), fact=bool(b % 2))  # type: ignore[arg-type]
    elif op == "add_relation" and len(claims) > 1:
        m.add_relation(
            pick(claims[:4], a),  # type: ignore[arg-type]
            "contradicts" if b % 2 else "supports",
            pick(claims, c),  # type: ignore[arg-type]
        )
    elif op == "remove_relation" and relations:
        m.remove_relation(pick(relations, a))  # type: ignore[arg-type]
    elif op == "focus":
        m.set_meta(focus_question="" if a % 3 == 0 else f"question {a}")
    elif op == "root" and concepts:
        m.set_meta(root=pick(concepts, a))
    elif op == "undo":
        m.undo()
    elif op == "redo":
        m.redo()


OPS = [
    "add_evidence",
    "add_evidence",
    "add_evidence",
    "add_evidence",
    "add_evidence",
    "add_relation",
    "remove_evidence",
    "update_evidence",
    "move_evidence",
    "add_concept",
    "add_proposition",
    "remove_proposition",
    "remove_concept",
    "rename_concept",
    "set_importance",
    "fact",
    "add_relation",
    "remove_relation",
    "focus",
    "root",
    "undo",
    "redo",
    "next_day",
]
ints = st.integers(0, 10_000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(OPS), ints, ints, ints), max_size=30))
def test_random_edits_give_the_full_analysis(ops: list[tuple[str, int, int, int]]) -> None:
    m = base_map()
    cache = AnalysisCache()
    day = DAY
    assert incremental(m, cache, day) == full(m, day)
    for op, a, b, c in ops:
        if op == "next_day":
            day += dt.timedelta(days=1 + a % 400)
        else:
            try:
                with m.transaction(op):
                    apply(m, op, a, b, c)
            except InputError:
                pass  # the map refused the edit and is as it was
        assert incremental(m, cache, day) == full(m, day), op


def test_an_evidence_edit_recomputes_only_its_claim() -> None:
    m = base_map()
    cache = AnalysisCache()
    analyse(m, as_of=DAY, cache=cache)
    pid = sorted(m.propositions)[2]
    m.add_evidence(pid, kind="interview", stance="supports", source="Maya", date=DAY)
    a = analyse(m, as_of=DAY, cache=cache)
    assert cache.recomputed == {pid}
    assert a.claims[pid].evidence_count == 1
    assert a.model_dump() == full(m, DAY)


def test_other_settings_start_afresh() -> None:
    m = base_map()
    pid = sorted(m.propositions)[0]
    m.add_evidence(pid, kind="interview", stance="supports", source="Maya", date=DAY)
    cache = AnalysisCache()
    analyse(m, as_of=DAY, cache=cache)
    strict = Settings.model_validate({"opinion": {"prior_weight": 5.0}})
    assert incremental(m, cache, DAY, strict) == full(m, DAY, strict)
    assert pid in cache.recomputed


def test_two_maps_with_one_cache_keep_apart() -> None:
    one, two = base_map(), base_map()
    pid = sorted(two.propositions)[1]
    two.add_evidence(pid, kind="analytics", stance="contradicts", source="shop", date=DAY)
    cache = AnalysisCache()
    assert incremental(one, cache, DAY) == full(one, DAY)
    assert incremental(two, cache, DAY) == full(two, DAY)
    assert incremental(one, cache, DAY) == full(one, DAY)


def test_a_stopped_analysis_leaves_the_cache_giving_the_full_analysis() -> None:
    import pytest

    from conceptmap.analysis.pipeline import AnalysisStopped

    m = base_map()
    cache = AnalysisCache()
    analyse(m, as_of=DAY, cache=cache)
    pids = sorted(m.propositions)
    for stop_at in range(1, 8):  # stop at each step in turn, after an evidence edit
        m.add_evidence(pids[stop_at % len(pids)], kind="survey", stance="supports",
                       source=f"s{stop_at}", date=DAY)  # fmt: skip
        asked: list[int] = []

        def stop(stop_at: int = stop_at, asked: list[int] = asked) -> bool:
            asked.append(1)
            return len(asked) >= stop_at

        cache.stop = stop
        try:
            analyse(m, as_of=DAY, cache=cache)
        except AnalysisStopped:
            pass
        else:
            assert stop_at > len(asked), "it ran to the end without being told to stop"
        cache.stop = None
        assert incremental(m, cache, DAY) == full(m, DAY)
    cache.stop = lambda: True
    with pytest.raises(AnalysisStopped):
        analyse(m, as_of=DAY, cache=cache)


def verdicts_of_full(m: ConceptMap, day: dt.date, cfg: Settings | None) -> dict[str, Verdict]:
    claims = analyse(m, settings=cfg, as_of=day).claims
    return {
        cid: Verdict(c.text, c.state, c.stale, c.reason, c.evidence_count)
        for cid, c in claims.items()
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(OPS), ints, ints, ints), max_size=30),
    st.booleans(),
)
def test_the_verdicts_an_export_draws_are_the_full_analysis(
    ops: list[tuple[str, int, int, int]], strict: bool
) -> None:
    """``claim_verdicts`` skips importance, structure, forecast and ranking; what it does give
    (state, staleness, the reason in words: undermined, say–do, test first) is the full
    analysis's, after any edits, on any day, with other settings too."""
    m = base_map()
    cfg = Settings.model_validate({"ranking": {"test_first_rating": 3}}) if strict else None
    day = DAY
    for op, a, b, c in ops:
        if op == "next_day":
            day += dt.timedelta(days=1 + a % 400)
            continue
        try:
            with m.transaction(op):
                apply(m, op, a, b, c)
        except InputError:
            pass
    got = claim_verdicts(m, settings=cfg, as_of=day)
    assert list(got) == m.claim_ids()
    assert got == verdicts_of_full(m, day, cfg)


def test_the_demo_maps_verdicts_are_the_full_analysis() -> None:
    """On the demo maps, whose claims are undermined, say one thing and do another, are stale
    and test-first, every one of those sentences comes out of ``claim_verdicts`` as well."""
    reasons = []
    for path in api.bundled_maps().values():
        m = api.load(path).map
        got = claim_verdicts(m, as_of=dt.date(2026, 11, 23))
        assert got == verdicts_of_full(m, dt.date(2026, 11, 23), None)
        reasons += [v.reason for v in got.values()]
    for words in (
        "its strength drops",
        "say one thing and do another",
        "getting old",
        "test it first",
    ):
        assert any(words in r for r in reasons), words
