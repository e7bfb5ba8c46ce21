"""Fuzzing the map loader: whatever the bytes, it either loads a valid map or raises a
ConceptmapError that names the file and the place — never another exception.

The normal suite runs a few hundred inputs per strategy; set CONCEPTMAP_FUZZ_EXAMPLES=10000 for
the long run (docs/reliability.md)."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptmap.errors import ConceptmapError
from conceptmap.formats import dump_map, parse_map
from conceptmap.model import ConceptMap

EXAMPLES = int(os.environ.get("CONCEPTMAP_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAME = "fuzz.cmap.json"


def _valid() -> dict[str, Any]:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?", id="m-fuzz-00000001")
    a = m.add_concept("café owners", id="c-a-00000001")
    b = m.add_concept("fast delivery", id="c-b-00000001")
    c = m.add_concept("fresh food", id="c-c-00000001")
    p = m.add_proposition(a.id, "value", b.id)
    q = m.add_proposition(a.id, "value", c.id)
    m.add_evidence(
        p.id,
        stance="supports",
        kind="interview",
        source="Ana",
        date=dt.date(2026, 10, 1),
        quote="fast!",
    )
    m.add_relation(p.id, "contradicts", q.id)
    return json.loads(dump_map(m))


VALID = _valid()


def _check(data: bytes) -> None:
    try:
        parse_map(data, path=NAME)
    except ConceptmapError as err:
        assert err.exit_code == 2
        assert err.path == NAME
        for line in err.lines():
            assert line.startswith(NAME + ":"), line
            assert "\n" not in line
        for prob in err.problems:
            assert prob.place, prob  # every rejection says where


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data)


@FUZZ
@given(st.data())
def test_mutated_valid_documents(data: st.DataObject) -> None:
    doc = json.loads(json.dumps(VALID))
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(doc)))
        value = doc[key]
        records = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        if records and data.draw(st.booleans()):
            rec = data.draw(st.sampled_from(records))
            field = data.draw(st.sampled_from([*sorted(rec), "extra"]))
            if data.draw(st.booleans()):
                rec[field] = data.draw(json_values)
            else:
                rec.pop(field, None)
        elif data.draw(st.booleans()):
            doc[key] = data.draw(json_values)
        else:
            doc.pop(key)
    _check(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.data())
def test_truncated_and_spliced_bytes(data: st.DataObject) -> None:
    raw = json.dumps(VALID, ensure_ascii=False).encode()
    cut = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.binary(max_size=8))
    _check(raw[:cut] + junk + raw[cut + data.draw(st.integers(0, 20)) :])


def test_the_valid_document_loads() -> None:
    m = parse_map(json.dumps(VALID).encode(), path=NAME)
    assert len(m.propositions) == 2
