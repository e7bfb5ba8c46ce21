"""Every broken file gets its one clear line: file, place, message; exit code 2; no traceback.

The files live in tests/data/broken/ (written by tests/data/broken/_make.py). The table below
says, for each, the place and a fragment of the message ``conceptmap validate FILE`` must print:
one row per expected line, nothing more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conceptmap.cli import run

BROKEN = Path(__file__).parent / "data" / "broken"

EVIDENCE = "evidence e-maya-00000001"
SPEED = "concept c-speed-00000002"

#: file → the lines ``validate`` prints: (place, message fragment). "" = the whole file.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "truncated.cmap.json": [("37:3", "invalid JSON: Expecting value")],
    "empty.cmap.json": [("1:1", "the file is empty")],
    "duplicate-key.cmap.json": [("16:33", 'key "label" appears twice in one object')],
    "merge-conflict-markers.cmap.json": [("4:1", "unresolved git merge conflict markers")],
    "not-an-object.cmap.json": [("1:1", "expected a JSON object at the top, found list")],
    "not-utf8.cmap.json": [("5:37", "not UTF-8 text (byte 0xe9)")],
    "deep-nesting.cmap.json": [("1:534", "nested too deeply")],
    "schema-0.cmap.json": [("map", "schema_version 0 does not exist")],
    "schema-99.cmap.json": [("map", "schema_version 99 is newer than this conceptmap")],
    "future-schema.cmap.json": [("map", "schema_version 2 is newer than this conceptmap")],
    "schema-string.cmap.json": [("map", "missing or invalid schema_version")],
    "schema-missing.cmap.json": [("map", "missing or invalid schema_version")],
    "wrong-type-label.cmap.json": [(f"{SPEED}, field label", "should be a valid string")],
    "wrong-type-list.cmap.json": [("map, field concepts", "should be a valid list")],
    "wrong-type-n.cmap.json": [(f"{EVIDENCE}, field n", "should be a valid integer")],
    "bad-date.cmap.json": [(f"{EVIDENCE}, field date", "month value is outside")],
    "out-of-range.cmap.json": [(f"{EVIDENCE}, field reliability", "less than or equal to 1")],
    "nan-number.cmap.json": [(f"{EVIDENCE}, field reliability", "finite number")],
    "unknown-evidence-kind.cmap.json": [(f"{EVIDENCE}, field kind", "'interview-opinion'")],
    "unknown-field.cmap.json": [(f"{SPEED}, field colour", "unknown field")],
    "unknown-top-field.cmap.json": [("map, field owner", "unknown field")],
    "huge-label.cmap.json": [(f"{SPEED}, field label", "at most 1200 characters")],
    "control-char.cmap.json": [(f"{SPEED}, field label", "control character U+0007")],
    "lone-surrogate.cmap.json": [(f"{SPEED}, field label", "valid string")],
    "javascript-link.cmap.json": [
        (f"{SPEED}, field links.0.url", "only http, https, mailto and relative links")
    ],
    "bad-id.cmap.json": [("concept #2, field id", "should match pattern")],
    "dangling-proposition.cmap.json": [
        ("proposition p-owners-00000001", "target c-gone-0000000f does not exist")
    ],
    "dangling-evidence.cmap.json": [
        (EVIDENCE, "claim p-gone-0000000f is neither a proposition nor a concept")
    ],
    "dangling-relation.cmap.json": [
        ("relation r-contra-00000001", "target p-gone-0000000f is neither")
    ],
    "dangling-phrase-source.cmap.json": [
        ("linking phrase l-value-00000001", "source c-gone-0000000f is not a concept")
    ],
    "dangling-root.cmap.json": [("map", "root c-gone-0000000f is not a concept")],
    "duplicate-ids.cmap.json": [
        ("concept c-fees-00000003", "duplicate id (already used by a concept)")
    ],
    "duplicate-ids-across-kinds.cmap.json": [
        ("evidence p-owners-00000001", "duplicate id (already used by a proposition)")
    ],
    "proposition-to-phrase.cmap.json": [
        ("proposition p-owners-00000002", "target l-value-00000001 is a linking phrase")
    ],
    "proposition-to-itself.cmap.json": [
        ("proposition p-churn-00000003", "joins a concept to itself")
    ],
    "phrase-pair-without-proposition.cmap.json": [
        ("linking phrase l-value-00000001", "no proposition records that pair")
    ],
    "over-size-limit.cmap.json": [("", "file is 1,480 bytes, over the 500 bytes limit")],
}


def test_the_table_covers_the_corpus() -> None:
    files = sorted(p.name for p in BROKEN.glob("*.cmap.json"))
    assert len(files) >= 22
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gets_its_line(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "over-size-limit.cmap.json":
        monkeypatch.setenv("CONCEPTMAP_MAX_BYTES", "500")
    path = BROKEN / name
    code = run(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert err.strip() == "0 of 1 maps valid"
    lines = out.splitlines()
    want = EXPECTED[name]
    assert len(lines) == len(want), lines
    for line, (place, fragment) in zip(lines, want, strict=True):
        head = f"{path}:{place}: " if place else f"{path}: "
        assert line.startswith(head), line
        assert fragment in line[len(head) :], line
        assert len(line) < 400  # a one-line message, even for the 1 MB label


def test_broken_file_json_output_lists_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = BROKEN / "dangling-evidence.cmap.json"
    assert run(["validate", "--format", "json", str(path)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    [entry] = data["maps"]
    assert entry["path"] == str(path)
    assert len(entry["problems"]) == 1
    assert "claim p-gone-0000000f" in entry["problems"][0]


def test_utf8_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = (BROKEN / "over-size-limit.cmap.json").read_bytes()  # a valid map
    path = tmp_path / "bom.cmap.json"
    path.write_bytes(b"\xef\xbb\xbf" + good)
    assert run(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "1 of 1 maps valid" in err
    assert run(["show", str(path)]) == 0
    assert "SMB café owners" in capsys.readouterr().out


def test_a_folder_with_broken_and_good_maps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.cmap.json").write_bytes((BROKEN / "over-size-limit.cmap.json").read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.cmap.json").write_bytes((BROKEN / "truncated.cmap.json").read_bytes())
    assert run(["validate", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and "bad.cmap.json:37:3:" in out
    assert "1 of 2 maps valid" in err


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", str(tmp_path / "nope.cmap.json")]) == 2
    assert "no such file" in capsys.readouterr().out
    assert run(["show", str(tmp_path)]) == 2
    assert "Traceback" not in capsys.readouterr().err
