"""diff, history and forecast over real git repositories, against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conceptmap.cli import run
from conceptmap.formats import dump_map, read_map
from conceptmap.model import ConceptMap
from conftest import run_git as _git


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Three versions of a small map, committed a week or more apart.

    v1 (2026-10-01): two propositions, no evidence: two unsupported gaps.
    v2 (2026-10-15): three analytics items from three sources on p1 (r = 3·2 = 6 on the day,
                     u = 2/8 = 0.25, b = 0.75): p1 supported, closed by evidence.
    v3 (2026-11-02): p2 deleted: closed by editing. Plus a broken commit in between.
    """
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    f = repo / "team.cmap.json"
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?", id="m-cafes-00000001")
    a = m.add_concept("café owners", id="c-a-00000001")
    b = m.add_concept("fast delivery", id="c-b-00000001")
    c = m.add_concept("fresh food", id="c-c-00000001")
    p1 = m.add_proposition(a.id, "value", b.id)
    p2 = m.add_proposition(a.id, "want", c.id)
    f.write_bytes(dump_map(m))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1", date="2026-10-01T10:00:00+00:00")
    for i in range(3):
        m.add_evidence(
            p1.id,
            stance="supports",
            kind="analytics",
            source=f"dashboard {i}",
            date=dt.date(2026, 10, 15),
        )
    f.write_bytes(dump_map(m))
    _git(repo, "commit", "-qam", "v2", date="2026-10-15T10:00:00+00:00")
    f.write_text("{ not json")
    _git(repo, "commit", "-qam", "oops", date="2026-10-20T10:00:00+00:00")
    m.remove_proposition(p2.id)
    f.write_bytes(dump_map(m))
    _git(repo, "commit", "-qam", "v3", date="2026-11-02T10:00:00+00:00")
    return repo, {"p1": p1.id, "p2": p2.id}


def test_diff_between_git_versions(repo, capsys) -> None:
    root, ids = repo
    f = root / "team.cmap.json"
    code = run(["diff", f"{f}@HEAD~3", f"{f}@HEAD~2", "--format", "json", "--as-of", "2026-10-15"])
    assert code == 0, capsys.readouterr().err
    d = json.loads(capsys.readouterr().out)
    assert len(d["records"]["evidence"]["added"]) == 3
    assert d["states_changed"] == [
        {
            "claim": ids["p1"],
            "text": "café owners — value → fast delivery",
            "before": "unsupported",
            "after": "supported",
        }
    ]
    assert [g["claim"] for g in d["gaps"]["closed_by_evidence"]] == [ids["p1"]]
    assert d["gaps"]["closed_by_editing"] == [] and d["gaps"]["opened"] == []
    assert d["debt"]["after"] < d["debt"]["before"]

    code = run(["diff", f"{f}@HEAD~2", str(f), "--format", "json", "--as-of", "2026-11-02"])
    d = json.loads(capsys.readouterr().out)
    assert d["records"]["propositions"]["removed"] == [ids["p2"]]
    assert [g["claim"] for g in d["gaps"]["closed_by_editing"]] == [ids["p2"]]


def test_history_per_week(repo, capsys, tmp_path: Path) -> None:
    root, _ = repo
    chart = tmp_path / "chart.svg"
    code = run(["history", str(root / "team.cmap.json"), "--format", "json", "-o", str(chart)])
    out, err = capsys.readouterr()
    assert code == 0, err
    h = json.loads(out)
    rows = {r["period"]: r for r in h["periods"]}
    assert list(rows) == ["2026-W40", "2026-W42", "2026-W45"]
    assert rows["2026-W40"]["gaps_open"] == 2
    assert rows["2026-W42"]["gaps_open"] == 1 and rows["2026-W42"]["closed_by_evidence"] == 1
    assert rows["2026-W42"]["new_evidence"] == {"analytics": 3}
    assert rows["2026-W45"]["gaps_open"] == 0 and rows["2026-W45"]["closed_by_editing"] == 1
    assert h["median_days_to_behavioural_evidence"] == 14  # 2026-10-01 → 2026-10-15
    assert len(h["skipped"]) == 1 and "invalid JSON" in h["skipped"][0]["error"]
    assert "skipped" in err  # reported, and the history went on
    svg = ElementTree.parse(chart).getroot()
    assert svg.tag.endswith("svg")
    assert len([e for e in svg.iter() if e.tag.endswith("circle")]) == 3


def test_forecast_date_by_hand(repo, capsys) -> None:
    root, ids = repo
    code = run(
        ["forecast", str(root / "team.cmap.json"), "--as-of", "2026-11-02", "--format", "json"]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)["claims"]
    assert [r["claim"] for r in rows] == [ids["p1"]]
    # analytics halve every 90 days: after day 90 the decayed total is under half the
    # undecayed one (the stale rule), before u reaches 0.5 (day 143): 2026-10-15 + 91 days
    assert rows[0]["turns_gap_on"] == "2027-01-14"


def test_bad_versions(repo, tmp_path: Path, capsys) -> None:
    root, _ = repo
    f = root / "team.cmap.json"
    assert run(["diff", f"{f}@no-such-rev", str(f)]) == 2
    assert "git has no such version" in capsys.readouterr().err
    outside = tmp_path / "loose.cmap.json"
    outside.write_bytes(f.read_bytes())
    assert run(["history", str(outside)]) == 2
    assert "not in a git repository" in capsys.readouterr().err
    assert run(["history", str(f), "--since", "yesterday"]) == 2
    assert "--since 'yesterday': give a date as YYYY-MM-DD" in capsys.readouterr().err


def test_regenerated_ids_are_said(tmp_path: Path, capsys) -> None:
    old = ConceptMap.new("Cafés")
    a, b = old.add_concept("café owners"), old.add_concept("fast delivery")
    old.add_proposition(a.id, "value", b.id)
    new = ConceptMap.new("Cafés")
    a2, b2 = new.add_concept("café owners"), new.add_concept("fast delivery")
    new.add_proposition(a2.id, "value", b2.id)
    (tmp_path / "old.cmap.json").write_bytes(dump_map(old))
    (tmp_path / "new.cmap.json").write_bytes(dump_map(new))
    assert run(["diff", str(tmp_path / "old.cmap.json"), str(tmp_path / "new.cmap.json")]) == 0
    out = capsys.readouterr().out
    assert "ids were regenerated" in out
    assert "concepts: +0 added, -0 removed" in out
    assert read_map(tmp_path / "new.cmap.json")


def test_parallel_history_equals_sequential(tmp_path: Path) -> None:
    from conceptmap import api

    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    f = repo / "team.cmap.json"
    m = ConceptMap.new("Cafés", id="m-cafes-00000002")
    a = m.add_concept("café owners")
    b = m.add_concept("fast delivery")
    p = m.add_proposition(a.id, "value", b.id)
    for day in range(1, 13):
        if day % 3 == 0:
            m.add_concept(f"idea {day}")
        m.add_evidence(
            p.id,
            stance="supports" if day % 4 else "contradicts",
            kind=("interview", "analytics", "survey")[day % 3],
            source=f"s{day}",
            date=dt.date(2026, 9, day),
        )
        f.write_bytes(dump_map(m))
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", f"v{day}", date=f"2026-09-{day:02d}T10:00:00+00:00")
    one = api.map_history(f, by="week", jobs=1)
    two = api.map_history(f, by="week", jobs=2)
    assert one == two
    assert sum(r["versions"] for r in one["periods"]) == 12


def test_report_history_draws_the_burn_down(repo, tmp_path: Path, capsys) -> None:
    root, _ = repo
    f = root / "team.cmap.json"
    assert run(["report", str(f), "--history", "--as-of", "2026-11-23", "--format", "json"]) == 0
    hist = json.loads(capsys.readouterr().out)["maps"][0]["history"]
    assert [(p["period"], p["gaps_open"]) for p in hist["periods"]] == [
        ("2026-W40", 2),
        ("2026-W42", 1),
        ("2026-W45", 0),
    ]
    page = tmp_path / "r.html"
    assert run(["report", str(f), "--history", "--as-of", "2026-11-23", "-o", str(page)]) == 0
    html = page.read_text()
    assert "Uncertainty debt per week" in html and html.count("<svg") == 1
    assert run(["report", str(f), "--as-of", "2026-11-23", "-o", str(page)]) == 0
    assert "<svg" not in page.read_text()  # only when asked: it reads every version
