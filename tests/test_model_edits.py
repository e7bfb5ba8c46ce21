"""The map's edit methods: fan-out linking phrases, cascade deletes, undo/redo, transactions."""

from __future__ import annotations

import datetime as dt

import pytest

from conceptmap.errors import InputError
from conceptmap.formats import dump_map, parse_map
from conceptmap.model import ConceptMap


def ev(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "stance": "supports",
        "kind": "interview",
        "source": "Maya",
        "date": dt.date(2026, 5, 1),
    }
    base.update(over)
    return base


def test_one_phrase_fans_out_to_several_targets(small_map: ConceptMap) -> None:
    m = small_map
    value = m.find_phrase("value")
    assert value is not None
    assert len(value.targets) == 2
    props = [p for p in m.propositions.values() if p.via == value.id]
    assert {(p.source, p.target) for p in props} == {
        ("c-owners-00000001", "c-speed-00000002"),
        ("c-owners-00000001", "c-fees-00000003"),
    }
    # a second source on the same phrase: one proposition per (source, target) pair
    team = m.add_concept("small teams", id="c-team-00000009")
    p = m.add_proposition(team.id, None, "c-speed-00000002", via=value.id)
    assert p.via == value.id
    props = [q for q in m.propositions.values() if q.via == value.id]
    assert len(props) == 4
    assert m.linking_phrases[value.id].sources == ["c-owners-00000001", team.id]
    assert m.proposition_text(p.id) == "small teams — value → fast delivery"
    # the file stays consistent: it reloads
    assert dump_map(parse_map(dump_map(m))) == dump_map(m)
    # one undo takes back the whole fan-out
    m.undo()
    assert len([q for q in m.propositions.values() if q.via == value.id]) == 2


def test_same_label_from_another_source_is_another_phrase(small_map: ConceptMap) -> None:
    m = small_map
    before = len(m.linking_phrases)
    p = m.add_proposition("c-speed-00000002", "value", "c-fees-00000003")
    assert len(m.linking_phrases) == before + 1
    assert m.linking_phrases[p.via].sources == ["c-speed-00000002"]  # type: ignore[index]
    old = m.find_phrase("value", source="c-owners-00000001")
    assert old is not None
    p2 = m.add_proposition("c-owners-00000001", "value", "c-churn-00000004", new_phrase=True)
    assert p2.via is not None and p2.via != old.id
    assert "c-churn-00000004" not in m.linking_phrases[old.id].targets
    assert len(m.linking_phrases) == before + 2


def test_removing_one_arrow_of_a_fan_out_keeps_the_others(small_map: ConceptMap) -> None:
    m = small_map
    value = m.find_phrase("value")
    assert value is not None
    to_fees = next(
        p for p in m.propositions.values() if p.via == value.id and p.target == "c-fees-00000003"
    )
    m.remove_proposition(to_fees.id)
    assert m.linking_phrases[value.id].targets == ["c-speed-00000002"]
    assert to_fees.id not in m.propositions
    # its evidence and relation went with it
    assert "e-ana-00000002" not in m.evidence
    assert "r-contra-00000001" not in m.relations
    assert "e-int-00000001" in m.evidence


def test_last_arrow_removes_the_phrase(small_map: ConceptMap) -> None:
    m = small_map
    drives = m.find_phrase("drives")
    assert drives is not None
    [p] = [p for p in m.propositions.values() if p.via == drives.id]
    m.remove_proposition(p.id)
    assert drives.id not in m.linking_phrases
    assert drives.id not in m.graph


def test_the_graph_is_the_map_as_it_is_when_asked(small_map: ConceptMap) -> None:
    """The networkx graph is built when asked for: after any edits and undos it holds the
    concepts and linking phrases, their connections, and a direct link as one edge."""
    m = small_map

    def shape(g: object) -> tuple[object, object]:
        return sorted(g.nodes(data=True)), sorted(g.edges(data=True))  # type: ignore[attr-defined]

    first = shape(m.graph)
    a = m.add_concept("walk-in customers")
    link = m.add_proposition("c-owners-00000001", None, a.id)  # a direct link
    via = m.add_proposition(a.id, "ask for", "c-owners-00000001")
    g = m.graph
    assert g.nodes[a.id]["kind"] == "concept"
    assert g.edges["c-owners-00000001", a.id] == {"kind": "link", "proposition": link.id}
    assert g.has_edge(a.id, via.via) and g.has_edge(via.via, "c-owners-00000001")
    assert g.nodes[via.via]["kind"] == "linking_phrase"
    assert shape(g) == shape(ConceptMap.from_document(m.to_document()).graph)
    m.remove_proposition(link.id)
    assert not m.graph.has_edge("c-owners-00000001", a.id)
    for _ in range(4):  # the four edits above
        m.undo()
    assert shape(m.graph) == first


def test_removing_a_concept_cascades_and_undo_restores_bytes(small_map: ConceptMap) -> None:
    m = small_map
    before = dump_map(m)
    m.remove_concept("c-owners-00000001")
    assert "c-owners-00000001" not in m.concepts
    assert m.meta.root is None
    assert m.find_phrase("value") is None  # its only source is gone
    assert not [p for p in m.propositions.values() if "c-owners-00000001" in (p.source, p.target)]
    assert not m.evidence and not m.relations
    assert "c-owners-00000001" not in m.graph
    parse_map(dump_map(m))  # still a valid file
    assert m.undo() == "delete concept"
    assert dump_map(m) == before
    m.redo()
    assert "c-owners-00000001" not in m.concepts


def test_removing_a_fact_concept_drops_its_evidence(small_map: ConceptMap) -> None:
    m = small_map
    m.add_evidence("c-churn-00000004", id="e-billing-00000009", **ev(kind="analytics", n=40))
    target = sorted(m.propositions)[0]
    rel = m.add_relation("c-churn-00000004", "supports", target)
    assert m.is_claim("c-churn-00000004")
    m.remove_concept("c-churn-00000004")
    assert "e-billing-00000009" not in m.evidence
    assert rel.id not in m.relations
    assert all("c-churn-00000004" not in (r.source, r.target) for r in m.relations.values())


def test_undo_and_redo_many_levels(small_map: ConceptMap) -> None:
    m = small_map
    snapshots = [dump_map(m)]
    cids = []
    for i in range(25):
        c = m.add_concept(f"concept {i}", id=f"c-n{i}-0000{i:04d}")
        cids.append(c.id)
        snapshots.append(dump_map(m))
        if i:
            m.add_proposition(cids[i - 1], "leads to", c.id)
            snapshots.append(dump_map(m))
    m.update_concept(cids[3], label="renamed", importance=5)
    snapshots.append(dump_map(m))
    m.remove_concept(cids[10])
    snapshots.append(dump_map(m))
    assert len(m.history) >= len(snapshots) - 1
    for want in reversed(snapshots[:-1]):
        assert m.undo() is not None
        assert dump_map(m) == want
    assert dump_map(m) == snapshots[0]
    steps = 0
    while m.can_redo:
        m.redo()
        steps += 1
        assert dump_map(m) == snapshots[steps]
    assert steps == len(snapshots) - 1


def test_a_new_edit_clears_redo(small_map: ConceptMap) -> None:
    m = small_map
    m.add_concept("a", id="c-a-00000011")
    m.undo()
    assert m.can_redo
    m.add_concept("b", id="c-b-00000012")
    assert not m.can_redo
    assert m.redo() is None


def test_transaction_is_one_undo_step(small_map: ConceptMap) -> None:
    m = small_map
    before = dump_map(m)
    depth = len(m.history)
    with m.transaction("add a branch"):
        a = m.add_concept("delivery apps", id="c-apps-00000021")
        b = m.add_concept("30% commission", id="c-comm-00000022", fact=True)
        m.add_proposition(a.id, "charge", b.id)
        m.add_proposition("c-speed-00000002", "comes via", a.id)
    assert len(m.history) == depth + 1
    assert m.history[-1] == "add a branch"
    m.undo()
    assert dump_map(m) == before


def test_transaction_rolls_back_on_error(small_map: ConceptMap) -> None:
    m = small_map
    before = dump_map(m)
    history = list(m.history)
    with pytest.raises(InputError, match="itself"), m.transaction("bad branch"):
        a = m.add_concept("delivery apps", id="c-apps-00000021")
        m.add_proposition("c-speed-00000002", "comes via", a.id)
        m.add_proposition(a.id, "is", a.id)
    assert dump_map(m) == before
    assert m.history == history
    assert "c-apps-00000021" not in m.concepts and "c-apps-00000021" not in m.graph


def test_transaction_rolls_back_on_any_exception(small_map: ConceptMap) -> None:
    m = small_map
    before = dump_map(m)
    with pytest.raises(KeyError), m.transaction("oops"):
        m.add_concept("x", id="c-x-00000031")
        raise KeyError("a bug in the caller")
    assert dump_map(m) == before


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.add_concept("   "), "must not be empty"),
        (lambda m: m.add_concept("x" * 301), "at most 300"),
        (lambda m: m.add_concept("a\x07b"), "control character"),
        (lambda m: m.add_concept("x", id="c-owners-00000001"), "already used"),
        (lambda m: m.add_concept("x", importance=6), "importance"),
        (lambda m: m.add_proposition("c-owners-00000001", "is", "c-nope"), "no concept"),
        (lambda m: m.add_proposition("c-owners-00000001", "is", "c-owners-00000001"), "itself"),
        (lambda m: m.add_evidence("c-nope", **ev()), "no claim"),
        (lambda m: m.add_evidence("c-churn-00000004", **ev(kind="rumour")), "kind"),
        (lambda m: m.add_evidence("c-churn-00000004", **ev(reliability=2)), "reliability"),
        (lambda m: m.add_relation("c-churn-00000004", "supports", "c-churn-00000004"), "itself"),
        (lambda m: m.update_concept("c-owners-00000001", id="c-x"), "cannot set 'id'"),
        (lambda m: m.set_meta(root="c-nope"), "no concept"),
        (lambda m: m.set_meta(created="2020"), "cannot set"),
        (
            lambda m: m.add_concept("x", links=[{"url": "javascript:alert(1)"}]),
            "only http, https",
        ),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    small_map: ConceptMap, call: object, message: str
) -> None:
    m = small_map
    before = dump_map(m)
    depth = len(m.history)
    with pytest.raises(InputError, match=message):
        call(m)  # type: ignore[operator]
    assert dump_map(m) == before
    assert len(m.history) == depth


def test_duplicate_direct_link_and_relation_refused(small_map: ConceptMap) -> None:
    m = small_map
    m.add_proposition("c-speed-00000002", None, "c-fees-00000003")
    with pytest.raises(InputError, match="already linked"):
        m.add_proposition("c-speed-00000002", None, "c-fees-00000003")
    props = sorted(m.propositions)
    with pytest.raises(InputError, match="already related"):
        m.add_relation(
            m.relations["r-contra-00000001"].source,
            "supports",
            m.relations["r-contra-00000001"].target,
        )
    assert len(m.propositions) == len(props)


def test_labels_are_normalised(small_map: ConceptMap) -> None:
    c = small_map.add_concept("  two\tlines\r\nhere  ")
    assert c.label == "two lines\nhere"


def test_revision_grows_with_every_change(small_map: ConceptMap) -> None:
    m = small_map
    r0 = m.revision
    m.add_concept("x", id="c-x-00000041")
    r1 = m.revision
    m.undo()
    assert r0 < r1 < m.revision


def test_edits_touch_updated_and_undo_restores_it(fixed_ids: None) -> None:
    times = iter(dt.datetime(2026, 1, d, tzinfo=dt.UTC) for d in range(1, 20))
    old = ConceptMap.__dict__["clock"]  # the staticmethod itself
    ConceptMap.clock = staticmethod(lambda: next(times))
    try:
        m = ConceptMap.new("t")
        created = m.meta.updated
        m.add_concept("a")
        assert m.meta.updated > created
        m.undo()
        assert m.meta.updated == created
    finally:
        ConceptMap.clock = old
