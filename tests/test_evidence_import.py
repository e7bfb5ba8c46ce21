"""`conceptmap evidence import`: all rows or none, every bad row named, one undoable edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conceptmap.cli import run
from conceptmap.formats import dump_map, read_map
from conceptmap.model import ConceptMap

HEADER = "claim,stance,kind,source,date,quote,n\n"


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?")
    owners = m.add_concept("café owners", id="c-owners-00000001")
    speed = m.add_concept("fast delivery", id="c-speed-00000001")
    fresh = m.add_concept("fresh food", id="c-fresh-00000001")
    m.add_proposition(owners.id, "value", speed.id)
    m.add_proposition(owners.id, "value", fresh.id)
    m.add_concept("Fresh  food!", id="c-fresh-00000002")  # a near-duplicate label: ambiguous
    path = tmp_path / "cafe.cmap.json"
    path.write_bytes(dump_map(m))
    return path


def _csv(tmp_path: Path, text: str, name: str = "ev.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_good_rows_are_attached_as_one_undoable_edit(
    map_path: Path, tmp_path: Path, capsys
) -> None:
    csv_path = _csv(
        tmp_path,
        HEADER
        + 'Café owners | VALUE | fast   delivery,supports,observation,Ana,2026-11-02,"She said ""fast, please""",3\n'
        + "c-owners-00000001,contradicts,survey,Q3 survey,2026-09-30,,120\n"
        + ",,,,,,\n",
    )
    code = run(
        [
            "evidence",
            "import",
            str(map_path),
            str(csv_path),
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["items"] == 2
    assert "attached 2 evidence items to 2 claims" in err
    m = read_map(map_path)
    items = sorted(m.evidence.values(), key=lambda e: e.source)
    assert [(e.source, e.kind.value, e.n) for e in items] == [
        ("Ana", "observation", 3),
        ("Q3 survey", "survey", 120),
    ]
    assert items[0].quote == 'She said "fast, please"'
    assert items[0].claim in m.propositions
    assert items[1].claim == "c-owners-00000001"


def test_the_import_is_one_undoable_edit(map_path: Path, tmp_path: Path) -> None:
    from conceptmap import api

    csv_path = _csv(
        tmp_path,
        HEADER
        + "café owners,supports,interview,Ana,2026-10-01,,\n"
        + "fast delivery,supports,interview,Ben,2026-10-02,,\n",
    )
    mf = api.load(map_path)
    api.import_evidence(mf, csv_path)
    assert len(read_map(map_path).evidence) == 2
    assert mf.map.undo() == "import evidence"
    assert not mf.map.evidence


def test_every_bad_row_is_listed_and_nothing_is_written(
    map_path: Path, tmp_path: Path, capsys
) -> None:
    before = map_path.read_bytes()
    csv_path = _csv(
        tmp_path,
        HEADER
        + "café owners | value | fast delivery,supports,interview,Ana,2026-11-02,,\n"
        + "nobody | knows | this,supports,interview,Ana,2026-11-02,,\n"
        + "fresh food,supports,interview,Ana,2026-11-02,,\n"
        + "café owners,supports,hunch,Ana,2026-11-02,,\n"
        + "café owners,supports,interview,Ana,02/11/2026,,\n"
        + "café owners,supports,interview,Ana,2027-01-01,,\n"
        + "café owners,maybe,interview,Ana,2026-11-02,,0\n",
    )
    code = run(["evidence", "import", str(map_path), str(csv_path), "--as-of", "2026-11-23"])
    err = capsys.readouterr().err
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("conceptmap: error:")]
    places = [ln.split(":")[3] for ln in lines]
    assert places == ["row 3", "row 4", "row 5", "row 6", "row 7", "row 8", "row 8"]
    assert "unknown claim 'nobody | knows | this'" in lines[0]
    assert "ambiguous claim 'fresh food'" in lines[1]
    assert "unknown kind; use one of belief" in lines[2]
    assert "date must look like" in lines[3]
    assert "in the future" in lines[4]
    assert "stance must be" in lines[5] and "n:" in lines[6]
    assert all(str(csv_path) in ln for ln in lines)
    assert "Traceback" not in err
    assert map_path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty"),
        ("claim,stance,kind,source\n", "missing column 'date'"),
        ("claim,stance,kind,source,date,mood\n", "unknown column 'mood'"),
        (HEADER, "no evidence rows"),
    ],
)
def test_bad_files(map_path: Path, tmp_path: Path, capsys, content: str, expected: str) -> None:
    csv_path = _csv(tmp_path, content)
    assert run(["evidence", "import", str(map_path), str(csv_path)]) == 2
    assert expected in capsys.readouterr().err


def test_not_utf8_and_semicolons(map_path: Path, tmp_path: Path, capsys) -> None:
    latin = _csv(
        tmp_path,
        "claim;stance;kind;source;date\ncafé owners;supports;review;Zoë;2026-10-01\n",
        encoding="latin-1",
    )
    assert run(["evidence", "import", str(map_path), str(latin)]) == 2
    assert "row 2: not UTF-8" in capsys.readouterr().err
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        b"\xef\xbb\xbf"
        + "claim;stance;kind;source;date\ncafé owners;supports;review;Zoë;2026-10-01\n".encode()
    )
    assert run(["evidence", "import", str(map_path), str(bom)]) == 0
    assert [e.source for e in read_map(map_path).evidence.values()] == ["Zoë"]


def test_map_changed_on_disk_refuses_with_exit_3(
    map_path: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    from conceptmap.formats import storage

    csv_path = _csv(tmp_path, HEADER + "café owners,supports,interview,Ana,2026-10-01,,\n")
    original = storage.atomic_writer  # every save goes through it

    def someone_saves_first(*args, **kwargs):
        m = read_map(map_path)
        m.add_concept("added by a colleague")
        map_path.write_bytes(dump_map(m))
        return original(*args, **kwargs)

    monkeypatch.setattr(storage, "atomic_writer", someone_saves_first)
    assert run(["evidence", "import", str(map_path), str(csv_path)]) == 3
    assert "changed on disk" in capsys.readouterr().err
    assert "added by a colleague" in {c.label for c in read_map(map_path).concepts.values()}
