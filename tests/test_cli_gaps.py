"""``conceptmap gaps`` end to end, through cli.run as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conceptmap.cli import run

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "maps").glob("*.cmap.json"))
AS_OF = "2026-11-23"  # the date scripts/build_maps.py hand-checked every state for


def gaps(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["gaps", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_on_the_small_map(capsys: pytest.CaptureFixture[str], small_map_file: Path) -> None:
    code, out, err = gaps(capsys, str(small_map_file), "--as-of", "2026-06-01")
    assert code == 0, err
    assert "Gaps in “Café owners” as of 2026-06-01" in out
    # SMB café owners — value → fast delivery has one interview: weak, glyph and word
    assert "~ weak" in out and "SMB café owners — value → fast delivery" in out
    assert "no behavioural evidence: observe or measure it, don't ask" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal
    assert "Structure" in out and "Novak–Gowin score" in out


def test_json_has_schema_and_every_claim(
    capsys: pytest.CaptureFixture[str], small_map_file: Path
) -> None:
    code, out, _ = gaps(capsys, str(small_map_file), "--format", "json", "--as-of", "2026-06-01")
    data = json.loads(out)
    assert code == 0 and data["schema"] == "conceptmap.gaps/1"
    assert data["as_of"] == "2026-06-01" and "timings" not in data
    assert len(data["claims"]) == 5  # 4 propositions + the fact
    first = data["gaps"][0]
    for key in (
        "state",
        "r",
        "s",
        "b",
        "d",
        "u",
        "P",
        "sigma",
        "importance",
        "reason",
        "next_step",
        "gap_score",
    ):
        assert key in first
    scores = [g["gap_score"] for g in data["gaps"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_example_maps_are_deterministic_and_consistent(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    runs = [gaps(capsys, str(path), "--format", "json", "--as-of", AS_OF) for _ in range(2)]
    assert runs[0][0] == 0 and runs[0][1] == runs[1][1]
    data = json.loads(runs[0][1])
    states = {c["state"] for c in data["claims"].values()}
    assert {"unsupported", "supported"} <= states
    assert all(c["state"] == "contradicted" for c in data["revise"])
    assert all(c["is_gap"] and c["state"] != "contradicted" for c in data["gaps"])
    # every supported, fresh claim gets the day it turns into a gap; others none
    for c in data["claims"].values():
        assert (c["turns_gap_on"] is not None) == (not c["is_gap"])
    md_code, md, _ = gaps(capsys, str(path), "--format", "md", "--as-of", AS_OF, "--top", "3")
    assert md_code == 0 and md.startswith("# Gaps in") and "## Structure" in md
    assert md.count("\n| ") - 1 <= 3 + 1  # header row + at most 3 gap rows (after the rule)


def test_cafe_map_ranks_and_revises(capsys: pytest.CaptureFixture[str]) -> None:
    cafe = ROOT / "maps" / "cafe-ordering.cmap.json"
    code, out, _ = gaps(capsys, str(cafe), "--as-of", AS_OF, "--top", "2")
    assert code == 0
    assert "Revise the map" in out and "✗ contradicted" in out
    assert "Contradictions in the map" in out
    assert "Coming due" in out


def test_config_next_to_the_map_changes_the_result(
    capsys: pytest.CaptureFixture[str], small_map_file: Path
) -> None:
    _, before, _ = gaps(capsys, str(small_map_file), "--format", "json", "--as-of", "2026-06-01")
    (small_map_file.parent / "conceptmap.toml").write_text("[states]\nweak_u = 0.9\n")
    code, after, _ = gaps(capsys, str(small_map_file), "--format", "json", "--as-of", "2026-06-01")
    assert code == 0
    pid = next(c for c, r in json.loads(before)["claims"].items() if r["state"] == "weak")
    assert json.loads(after)["claims"][pid]["state"] == "supported"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-02-30"], "--as-of '2026-02-30': give a date as YYYY-MM-DD"),
        (["--as-of", "soon"], "give a date as YYYY-MM-DD"),
        (["--top", "0"], "--top 0"),
        (["--set", "states.weak_u=7"], "override key states.weak_u"),
        (["--set", "nonsense"], "write KEY=VALUE"),
        (["--config", "/nonexistent/conceptmap.toml"], "configuration file not found"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], small_map_file: Path, args: list[str], message: str
) -> None:
    code, out, err = gaps(capsys, str(small_map_file), *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_bad_config_file_exit_2(capsys: pytest.CaptureFixture[str], small_map_file: Path) -> None:
    (small_map_file.parent / "conceptmap.toml").write_text("[states]\nweak = 0.9\n")
    code, out, err = gaps(capsys, str(small_map_file))
    assert code == 2 and out == ""
    assert "conceptmap.toml:line 2, key states.weak: unknown key" in err


def test_invalid_map_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.cmap.json"
    bad.write_text('{"schema_version": 1, "id": "m-x"')
    code, out, err = gaps(capsys, str(bad))
    assert code == 2 and out == "" and str(bad) in err
    code, _, err = gaps(capsys, str(tmp_path / "missing.cmap.json"))
    assert code == 2 and "missing.cmap.json" in err


def test_hostile_labels_are_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from conceptmap.formats import dump_map
    from conceptmap.model import ConceptMap

    m = ConceptMap.new("t", id="m-t")
    a = m.add_concept("evil \u202egnp.exe | <b>*x*</b>", id="c-a")
    b = m.add_concept("b", id="c-b")
    m.add_proposition(a.id, None, b.id)
    path = tmp_path / "evil.cmap.json"
    path.write_bytes(dump_map(m))
    code, out, _ = gaps(capsys, str(path))
    assert code == 0 and "\u202e" not in out and "evil gnp.exe" in out
    code, md, _ = gaps(capsys, str(path), "--format", "md")
    assert code == 0 and "<b>" not in md and "\\|" in md


def test_generated_map_end_to_end(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import datetime as dt
    import random

    from conceptmap.formats import dump_map
    from conceptmap.model import ConceptMap

    rnd = random.Random(7)
    m = ConceptMap.new("generated", focus_question="q?", id="m-gen")
    ids = [m.add_concept(f"concept {i}", id=f"c-{i:03d}").id for i in range(80)]
    props = [m.add_proposition(ids[rnd.randrange(i)], "has", ids[i]).id for i in range(1, 80)]
    day = dt.date(2026, 6, 1)
    strong, against = props[10], props[20]
    for who in ("a", "b", "c"):
        m.add_evidence(strong, kind="interview", stance="supports", source=who, date=day)
    for who in ("d1", "d2", "d3"):
        m.add_evidence(against, kind="analytics", stance="contradicts", source=who, date=day)
    m.set_importance(props[30], 5)
    path = tmp_path / "gen.cmap.json"
    path.write_bytes(dump_map(m))
    code, out, _ = gaps(capsys, str(path), "--format", "json", "--as-of", "2026-06-01")
    assert code == 0
    data = json.loads(out)
    assert data["claims"][strong]["state"] == "supported"
    assert data["claims"][strong]["turns_gap_on"] == "2026-11-06"  # 158 days: 270·log2(1.5)
    assert [c["id"] for c in data["revise"]] == [against]
    assert data["counts"]["unsupported"] == 77
    assert data["claims"][props[30]]["test_first"]  # rated 5, nobody checked it
    ranked = [(-g["gap_score"], g["id"]) for g in data["gaps"]]
    assert ranked == sorted(ranked) and len(ranked) == 77  # the unsupported ones
