"""The learning plan: set through the CLI, kept in the map file, cascaded with its claim."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conceptmap.cli import run
from conceptmap.formats import dump_map, parse_map, read_map
from conceptmap.model import ConceptMap


def _map(tmp_path: Path) -> tuple[Path, str]:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?")
    a = m.add_concept("café owners")
    b = m.add_concept("fast delivery")
    p = m.add_proposition(a.id, "value", b.id)
    path = tmp_path / "cafe.cmap.json"
    path.write_bytes(dump_map(m))
    return path, p.id


def test_set_done_remove_through_the_cli(tmp_path: Path, capsys) -> None:
    path, pid = _map(tmp_path)
    code = run(
        [
            "plan",
            str(path),
            "--set",
            "Café owners | value | fast delivery",
            "--owner",
            "Ana",
            "--test",
            "observe 5 lunch rushes",
            "--due",
            "2026-12-15",
        ]
    )
    assert code == 0, capsys.readouterr().err
    m = read_map(path)
    item = m.plan_for(pid)
    assert item is not None and item.owner == "Ana" and item.due == dt.date(2026, 12, 15)
    assert not item.done
    assert run(["plan", str(path), "--done", pid]) == 0
    assert read_map(path).plan_for(pid).done
    assert run(["plan", str(path), "--remove", pid]) == 0
    assert read_map(path).plan_for(pid) is None


def test_bad_plan_input_is_refused_and_nothing_written(tmp_path: Path, capsys) -> None:
    path, _ = _map(tmp_path)
    before = path.read_bytes()
    assert (
        run(
            [
                "plan",
                str(path),
                "--set",
                "no such claim",
                "--owner",
                "A",
                "--test",
                "t",
                "--due",
                "2026-12-01",
            ]
        )
        == 2
    )
    assert "no claim matches" in capsys.readouterr().err
    assert (
        run(
            [
                "plan",
                str(path),
                "--set",
                "fast delivery",
                "--owner",
                "A",
                "--test",
                "t",
                "--due",
                "next week",
            ]
        )
        == 2
    )
    assert "--due 'next week': give a date as YYYY-MM-DD" in capsys.readouterr().err
    assert run(["plan", str(path), "--set", "fast delivery"]) == 2
    assert path.read_bytes() == before


def test_plan_survives_round_trip_and_goes_with_its_claim(tmp_path: Path) -> None:
    path, pid = _map(tmp_path)
    m = read_map(path)
    m.set_plan(pid, owner="Ben", next_test="run a fake-door test", due=dt.date(2026, 12, 1))
    again = parse_map(dump_map(m))
    assert dump_map(again) == dump_map(m)
    source = m.propositions[pid].source
    m.remove_concept(source)
    assert not m.plan
    m.undo()
    assert m.plan_for(pid) is not None


def test_listing_puts_overdue_first_with_states(tmp_path: Path, capsys) -> None:
    path, pid = _map(tmp_path)
    m = read_map(path)
    concept = m.propositions[pid].target
    m.set_plan(pid, owner="Ana", next_test="observe 5 lunch rushes", due=dt.date(2026, 12, 15))
    m.set_plan(concept, owner="Ben", next_test="pull delivery-time analytics",
               due=dt.date(2026, 11, 1))
    path.write_bytes(dump_map(m))
    assert run(["plan", str(path), "--as-of", "2026-11-23", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(i["owner"], i["overdue"]) for i in items] == [("Ben", True), ("Ana", False)]
    assert items[1]["state"] == "unsupported"
    assert run(["plan", str(path), "--as-of", "2026-11-23"]) == 0
    text = capsys.readouterr().out
    assert text.index("OVERDUE") < text.index("Ana")
