"""Record-level diff between two versions of a map."""

from __future__ import annotations

import datetime as dt

from conceptmap.formats import dump_map, parse_map
from conceptmap.model import ConceptMap
from conceptmap.model.diff import diff_maps


def _map() -> ConceptMap:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?")
    owners = m.add_concept("café owners")
    speed = m.add_concept("fast delivery")
    p = m.add_proposition(owners.id, "value", speed.id)
    m.add_evidence(
        p.id, stance="supports", kind="interview", source="Ana", date=dt.date(2026, 10, 1)
    )
    return m


def _copy(m: ConceptMap) -> ConceptMap:
    return parse_map(dump_map(m))


def test_added_removed_changed_by_id() -> None:
    old = _map()
    new = _copy(old)
    owners = next(c for c in new.concepts.values() if c.label == "café owners")
    speed = next(c for c in new.concepts.values() if c.label == "fast delivery")
    new.update_concept(speed.id, label="same-day delivery")
    price = new.add_concept("low prices")
    new.add_proposition(owners.id, "value", price.id)
    ev = next(iter(new.evidence))
    new.remove_evidence(ev)
    new.set_meta(focus_question="What do SMB café owners need?")
    d = diff_maps(old, new)
    assert not d.ids_regenerated
    assert d.collections["concepts"].added == [price.id]
    assert d.collections["concepts"].changed == {speed.id: ["label"]}
    assert d.collections["evidence"].removed == [ev]
    assert len(d.collections["propositions"].added) == 1
    assert d.collections["linking_phrases"].changed  # the phrase fanned out to a new target
    assert d.meta_changed == ["focus_question"]


def test_regenerated_ids_are_matched_by_content() -> None:
    old = _map()
    # the same map rebuilt by a script: same labels, new ids everywhere
    new = ConceptMap.new(old.title, focus_question=old.focus_question)
    owners = new.add_concept("Café owners")  # case differs: still the same concept
    speed = new.add_concept("fast delivery")
    p = new.add_proposition(owners.id, "value", speed.id)
    new.add_evidence(
        p.id, stance="supports", kind="interview", source="Ana", date=dt.date(2026, 10, 1)
    )
    fresh = new.add_concept("fresh food")
    d = diff_maps(old, new)
    assert d.ids_regenerated
    assert d.collections["concepts"].added == [fresh.id]
    assert d.collections["concepts"].removed == []
    assert list(d.collections["concepts"].changed) == [owners.id]  # the label's case changed
    assert d.collections["propositions"].added == []
    assert d.collections["evidence"].added == [] and d.collections["evidence"].removed == []
    assert d.matched_by_content >= 4


def test_unrelated_maps_are_not_taken_for_regenerated_ids() -> None:
    old = _map()
    new = ConceptMap.new("Other")
    new.add_concept("hospital buyers")
    new.add_concept("procurement cycles")
    d = diff_maps(old, new)
    assert not d.ids_regenerated
    assert len(d.collections["concepts"].removed) == 2
    assert len(d.collections["concepts"].added) == 2
