"""The say–do gap (analysis.md §7): customers say one thing and do another."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conceptmap.cli import run
from conceptmap.formats import dump_map, read_map
from conceptmap.model import ConceptMap

DAY = dt.date(2026, 11, 1)


def _map(tmp_path: Path, do_kind: str = "analytics") -> tuple[Path, str]:
    m = ConceptMap.new("Tours", focus_question="Does the product tour help?")
    tour = m.add_concept("product tour")
    act = m.add_concept("activation")
    p = m.add_proposition(tour.id, "speeds up", act.id)
    for i in range(3):
        m.add_evidence(p.id, stance="supports", kind="interview", source=f"user {i}", date=DAY)
        m.add_evidence(p.id, stance="contradicts", kind=do_kind, source=f"funnel {i}", date=DAY)
    path = tmp_path / "tour.cmap.json"
    path.write_bytes(dump_map(m))
    return path, p.id


def test_degree_of_conflict_by_hand(tmp_path: Path, capsys) -> None:
    path, pid = _map(tmp_path)
    assert run(["gaps", str(path), "--as-of", "2026-11-01", "--format", "json"]) == 0
    c = json.loads(capsys.readouterr().out)["claims"][pid]
    # said: three interviews r=3, s=0 → b=0.6, u=0.4, P=0.8
    # done: three analytics against, s=6 → d=0.75, u=0.25, P=0.125
    # DC = |0.8 − 0.125| · (1 − 0.4) · (1 − 0.25) = 0.30375 ≥ 0.25
    assert c["say_P"] == pytest.approx(0.8)
    assert c["do_P"] == pytest.approx(0.125)
    assert c["say_do_conflict"] == pytest.approx(0.30375)
    assert c["says_not_does"] is True


def test_flagged_in_gaps_table_and_markdown(tmp_path: Path, capsys) -> None:
    path, _ = _map(tmp_path)
    assert run(["gaps", str(path), "--as-of", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "Say–do gap: customers say one thing and do another" in out
    assert "customers say it holds (P=0.80) but what they do says it does not (P=0.12)" in out
    assert run(["gaps", str(path), "--as-of", "2026-11-01", "--format", "md"]) == 0
    assert "Say–do gap" in capsys.readouterr().out


def test_not_flagged_when_say_and_do_agree(tmp_path: Path, capsys) -> None:
    m = ConceptMap.new("Agree")
    a, b = m.add_concept("a"), m.add_concept("b")
    p = m.add_proposition(a.id, "x", b.id)
    for i in range(3):
        m.add_evidence(p.id, stance="supports", kind="interview", source=f"u{i}", date=DAY)
        m.add_evidence(p.id, stance="supports", kind="analytics", source=f"f{i}", date=DAY)
    path = tmp_path / "agree.cmap.json"
    path.write_bytes(dump_map(m))
    assert run(["gaps", str(path), "--as-of", "2026-11-01"]) == 0
    assert "Say–do gap" not in capsys.readouterr().out


def test_reports_carry_the_say_do_gap_and_the_coming_due_dates(tmp_path: Path, capsys) -> None:
    path, pid = _map(tmp_path)
    m = read_map(path)
    ok = m.add_proposition(m.propositions[pid].target, "raises", m.add_concept("retention").id)
    for i in range(3):
        m.add_evidence(ok.id, stance="supports", kind="analytics", source=f"cohort {i}", date=DAY)
    path.write_bytes(dump_map(m))
    assert run(["report", str(path), "--as-of", "2026-11-01", "--format", "json"]) == 0
    entry = json.loads(capsys.readouterr().out)["maps"][0]
    assert [c["id"] for c in entry["say_do"]] == [pid]
    assert entry["say_do"][0]["conflict"] == pytest.approx(0.30375, abs=1e-4)  # 4 places
    # three analytics items (h = 90 days): the decayed total falls under half after day 90
    (due,) = entry["coming_due"]
    assert (due["id"], due["text"], due["state"], due["turns_gap_on"]) == (
        ok.id,
        "activation — raises → retention",
        "supported",
        "2027-01-31",
    )
    out = tmp_path / "r.html"
    assert run(["report", str(path), "--as-of", "2026-11-01", "-o", str(out)]) == 0
    html = out.read_text()
    assert "Say–do gap" in html and "2027-01-31" in html
