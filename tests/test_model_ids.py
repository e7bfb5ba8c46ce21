"""Ids: a kind letter, a slug of the label, 8 hex digits; unique; never recomputed."""

from __future__ import annotations

import re

from conceptmap.model import ConceptMap, new_id, slug

ID = re.compile(r"^[cmlper]-(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?[0-9a-f]{8}$")


def test_slug() -> None:
    assert slug("SMB café owners") == "smb-cafe-owners"
    assert slug("  30% commission!  ") == "30-commission"
    assert slug("日本語") == ""
    assert slug("a" * 40) == "a" * 24
    assert slug("word " * 10).endswith("word")  # never a trailing dash after cutting


def test_ids_of_every_kind_read_well(small_map: ConceptMap) -> None:
    m = small_map
    c = m.add_concept("Café owners")
    p = m.add_proposition(c.id, "value", "c-speed-00000002")
    e = m.add_evidence(
        p.id, stance="supports", kind="review", source="G2 reviews", date="2026-04-01"
    )
    r = m.add_relation(p.id, "supports", "c-churn-00000004")
    for rid, prefix in [(c.id, "c-cafe-owners-"), (e.id, "e-g2-reviews-"), (r.id, "r-supports-")]:
        assert rid.startswith(prefix) and ID.match(rid), rid
    assert ID.match(p.id) and ID.match(p.via or "")
    assert ID.match(ConceptMap.new("Café ordering").id)
    assert ID.match(m.add_concept("日本語").id)  # no slug: kind and hex only


def test_ids_are_unique_even_for_equal_labels() -> None:
    m = ConceptMap.new("t")
    ids = {m.add_concept("owner").id for _ in range(2000)}
    assert len(ids) == 2000


def test_new_id_retries_on_a_collision() -> None:
    tokens = iter(["00000000", "00000000", "00000001"])
    taken = {"c-x-00000000"}
    assert new_id("concept", "x", taken, lambda: next(tokens)) == "c-x-00000001"


def test_ids_survive_renames(small_map: ConceptMap) -> None:
    small_map.update_concept("c-owners-00000001", label="Independent café owners")
    assert "c-owners-00000001" in small_map.concepts
