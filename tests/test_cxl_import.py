"""conceptmap import of CmapTools CXL files, and CXL export: fixtures in CmapTools' shape,
hostile XML, and the round trip."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from conceptmap.cli import run
from conceptmap.formats import read_map
from conceptmap.formats.cxl import CXL_NS, parse_cxl

DATA = Path(__file__).parent / "data" / "cxl"
NS = f"{{{CXL_NS}}}"
DC = "{http://purl.org/dc/elements/1.1/}"


def do_import(src: Path, dst: Path, capsys: pytest.CaptureFixture[str], *extra: str):
    code = run(["import", str(src), "-o", str(dst), *extra])
    return code, capsys.readouterr().err


def test_cmaptools_export_imports_with_everything_it_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dst = tmp_path / "cafe.cmap.json"
    code, err = do_import(DATA / "cafe-cmaptools.cxl", dst, capsys)
    assert code == 0, err
    m = read_map(dst)
    assert m.title == "Café owners & ordering"
    assert m.focus_question == "What do SMB café owners need from ordering software?"
    assert "Maya Lindqvist" in m.meta.description
    labels = Counter(c.label for c in m.concepts.values())
    assert {"fast\ndelivery", "low fees", "milk foam at 65 μm", "مالكو المقاهي", "????"} <= set(
        labels
    )
    phrase_labels = Counter(lp.label for lp in m.linking_phrases.values())
    assert phrase_labels["is"] == 3  # three separate "is" objects stay three
    assert "causes" in labels and "causes" in phrase_labels  # a label as concept and phrase
    value = next(lp for lp in m.linking_phrases.values() if lp.label == "value")
    assert len(value.sources) == 2 and len(value.targets) == 2  # 2 inputs × 2 outputs
    texts = {m.proposition_text(p) for p in m.propositions}
    assert "baristas — value → low fees" in texts
    assert "SMB café owners → مالكو المقاهي" in texts  # a direct concept → concept link
    assert len(m.propositions) == 10
    owners = next(c for c in m.concepts.values() if c.label == "SMB café owners")
    assert m.meta.root == owners.id
    assert (owners.position.x, owners.position.y, owners.position.width) == (420, 40, 130)
    assert owners.notes == "the people we sell to"
    assert [lk.url for lk in owners.links] == ["notes/maya.md"]
    fast = next(c for c in m.concepts.values() if c.label == "fast\ndelivery")
    assert [lk.url for lk in fast.links] == ["https://example.org/study.pdf"]  # javascript: dropped
    assert value.position is not None and value.position.x == 480
    lines = err.strip().splitlines()
    left = [ln for ln in lines if ln.startswith("left out")]
    assert len(left) == 1
    for what in ("style sheets", "images", "nestings in containers", "scheme other than http"):
        assert what in left[0]
    assert "imported 10 concepts, 6 linking phrases, 10 propositions" in lines[-1]


def test_records_without_ids_are_found_by_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dst = tmp_path / "sample.cmap.json"
    code, err = do_import(DATA / "ihmc-sample-by-label.cxl", dst, capsys)
    assert code == 0, err
    m = read_map(dst)
    assert sorted(m.proposition_text(p) for p in m.propositions) == [
        "Plants — have → Leaves",
        "Plants — have → Roots",
        "Roots — absorb → Water",
    ]
    assert "4 connection ends were found by label" in err


def test_import_is_deterministic(tmp_path: Path, capsys, fixed_clock) -> None:
    a, b = tmp_path / "a.cmap.json", tmp_path / "b.cmap.json"
    for dst in (a, b):
        assert do_import(DATA / "ihmc-sample-by-label.cxl", dst, capsys)[0] == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("dangling-connection.cxl", "connection K5: to-id 'Water' is neither the id nor the label"),
        ("billion-laughs.cxl", "refused: it declares XML entities; entity expansion is off"),
        ("external-entity.cxl", "refused: it refers to an external entity"),
        ("malformed.cxl", "malformed.cxl:6:9: malformed XML: not well-formed"),
        ("not-cxl.svg", "not a CXL file: the root element is <svg>, not <cmap>"),
    ],
)
def test_bad_files_get_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    dst = tmp_path / "out.cmap.json"
    start = time.perf_counter()
    code, err = do_import(DATA / name, dst, capsys)
    assert time.perf_counter() - start < 1.0
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert not dst.exists()


def test_import_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dst = tmp_path / "x.cmap.json"
    dst.write_text("precious")
    code, err = do_import(DATA / "ihmc-sample-by-label.cxl", dst, capsys)
    assert code == 2 and "already exists" in err and dst.read_text() == "precious"
    code, err = do_import(DATA / "ihmc-sample-by-label.cxl", dst, capsys, "--force")
    assert code == 0 and len(read_map(dst).concepts) == 4
    code, err = do_import(DATA / "ihmc-sample-by-label.cxl", tmp_path / "x.json", capsys)
    assert code == 2 and "*.cmap.json" in err


def _cxl_counts(data: bytes) -> dict[str, Counter]:
    root = fromstring(data)
    mapel = root.find(f"{NS}map")
    labels = {
        "concept": Counter(c.get("label") for c in mapel.iter(f"{NS}concept")),
        "linking-phrase": Counter(c.get("label") for c in mapel.iter(f"{NS}linking-phrase")),
    }
    ids = {
        el.get("id"): el.get("label")
        for el in [*mapel.iter(f"{NS}concept"), *mapel.iter(f"{NS}linking-phrase")]
    }
    labels["connection"] = Counter(
        # an end is an id, or (as in IHMC's sample) the label of a record without one
        (ids.get(c.get("from-id"), c.get("from-id")), ids.get(c.get("to-id"), c.get("to-id")))
        for c in mapel.iter(f"{NS}connection")
    )
    return labels


def test_round_trip_cxl_map_cxl_keeps_every_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = DATA / "ihmc-sample-by-label.cxl"
    mid, out = tmp_path / "mid.cmap.json", tmp_path / "out.cxl"
    assert do_import(src, mid, capsys)[0] == 0
    assert run(["export", str(mid), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "positions: computed by a Graphviz dot layout" in err
    before, after = _cxl_counts(src.read_bytes()), _cxl_counts(out.read_bytes())
    assert before == after
    root = fromstring(out.read_bytes())
    assert root.tag == f"{NS}cmap"
    assert root.find(f"{NS}res-meta/{DC}title").text == "Sample CXL"
    assert root.find(f"{NS}res-meta/{DC}description").text == "What are plants?"
    children = [el.tag.removeprefix(NS) for el in root.find(f"{NS}map")]
    assert children == [
        "concept-list",
        "linking-phrase-list",
        "connection-list",
        "concept-appearance-list",
        "linking-phrase-appearance-list",
    ]
    assert len(root.findall(f".//{NS}concept-appearance")) == 4


def test_round_trip_of_the_cmaptools_file_keeps_positions_links_and_newlines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mid, out = tmp_path / "mid.cmap.json", tmp_path / "out.cxl"
    assert do_import(DATA / "cafe-cmaptools.cxl", mid, capsys)[0] == 0
    assert run(["export", str(mid), "-o", str(out)]) == 0
    assert "positions: kept from the map" in capsys.readouterr().err
    text = out.read_text()
    assert 'label="fast&#xa;delivery"' in text
    assert 'resource-url="https://example.org/study.pdf"' in text and "javascript" not in text
    again = parse_cxl(out.read_bytes()).map
    first = read_map(mid)
    assert sorted(map(first.proposition_text, first.propositions)) == sorted(
        map(again.proposition_text, again.propositions)
    )
    pos = {c.label: (c.position.x, c.position.y) for c in again.concepts.values()}
    assert pos["SMB café owners"] == (420, 40)


def test_a_native_map_survives_map_cxl_map(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, back = tmp_path / "s.cxl", tmp_path / "back.cmap.json"
    assert run(["export", str(small_map_file), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "left out of the CXL (it has no place for them): 2 evidence items, 1 relations" in err
    assert do_import(out, back, capsys)[0] == 0
    a, b = read_map(small_map_file), read_map(back)
    assert sorted(map(a.proposition_text, a.propositions)) == sorted(
        map(b.proposition_text, b.propositions)
    )
    assert b.focus_question == a.focus_question and b.title == a.title
