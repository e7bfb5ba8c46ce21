"""Fuzzing the CXL importer and the evidence CSV importer: every input either imports or is
refused with a ConceptmapError naming the file (and, where there is one, the place) — never
another exception. CONCEPTMAP_FUZZ_EXAMPLES=10000 gives the long run (docs/reliability.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conceptmap.errors import ConceptmapError
from conceptmap.formats.cxl import parse_cxl
from conceptmap.formats.evidence_csv import parse_evidence_csv
from conceptmap.model import ConceptMap

EXAMPLES = int(os.environ.get("CONCEPTMAP_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CXL = (Path(__file__).parent / "data" / "cxl" / "cafe-cmaptools.cxl").read_bytes()


def _rejects_cleanly(err: ConceptmapError, name: str) -> None:
    assert err.exit_code == 2
    for line in err.lines():
        assert line.startswith(name + ":"), line
        assert "\n" not in line and "\x1b" not in line


def _cxl(data: bytes) -> None:
    try:
        parse_cxl(data, path="fuzz.cxl")
    except ConceptmapError as err:
        _rejects_cleanly(err, "fuzz.cxl")


@FUZZ
@given(st.binary(max_size=600))
def test_cxl_arbitrary_bytes(data: bytes) -> None:
    _cxl(data)


@FUZZ
@given(st.data())
def test_cxl_mutated_real_file(data: st.DataObject) -> None:
    raw = CXL
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw)))
        j = i + data.draw(st.integers(0, 40))
        insert = data.draw(
            st.sampled_from(
                [
                    b"",
                    b"<",
                    b">",
                    b'"',
                    b"&",
                    b"&#x0;",
                    b"&amp;",
                    b"</map>",
                    b'<concept id="x"/>',
                    b'from-id="nope"',
                    b'label="\xff\xfe"',
                    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
                ]
            )
        )
        raw = raw[:i] + insert + raw[j:]
    _cxl(raw)


def _small_map() -> ConceptMap:
    m = ConceptMap.new("Cafés")
    a = m.add_concept("café owners")
    b = m.add_concept("fast delivery")
    m.add_proposition(a.id, "value", b.id)
    return m


MAP = _small_map()
CELLS = st.sampled_from(
    [
        "café owners",
        "café owners | value | fast delivery",
        "fast delivery",
        "nobody",
        "supports",
        "contradicts",
        "maybe",
        "interview",
        "analytics",
        "hunch",
        "Ana",
        "",
        "2026-10-01",
        "2099-01-01",
        "01/10/2026",
        "3",
        "0",
        "-1",
        "1e9",
        "0.5",
        "lab",
        "real",
        "https://example.com",
        "javascript:alert(1)",
        '"',
        "\x00",
        "=cmd|' /C calc'!A0",
    ]
)


@FUZZ
@given(
    st.lists(st.lists(CELLS, min_size=0, max_size=12), min_size=0, max_size=6),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_evidence_csv_structured(rows: list[list[str]], sep: str, good_header: bool) -> None:
    header = "claim,stance,kind,source,date,quote,link,n,setting,reliability".replace(",", sep)
    lines = ([header] if good_header else []) + [sep.join(r) for r in rows]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        parsed = parse_evidence_csv(data, MAP, today=dt.date(2026, 11, 23), path="fuzz.csv")
    except ConceptmapError as err:
        _rejects_cleanly(err, "fuzz.csv")
    else:
        assert parsed and all(
            r.claim in MAP.propositions or r.claim in MAP.concepts for r in parsed
        )


@FUZZ
@given(st.binary(max_size=400))
def test_evidence_csv_arbitrary_bytes(data: bytes) -> None:
    try:
        parse_evidence_csv(data, MAP, today=dt.date(2026, 11, 23), path="fuzz.csv")
    except ConceptmapError as err:
        _rejects_cleanly(err, "fuzz.csv")
