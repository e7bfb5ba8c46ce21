"""Learning over time in the workshop TUI: the debt burn-down from a real git history (``b``)
and the forecast date in the detail pane, against what `conceptmap history` and `forecast`
compute from the same files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from textual.widgets import Static

from conceptmap import api
from conceptmap.cli import run
from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap
from conceptmap.tui.app import ConceptmapApp
from conceptmap.tui.screens.burndown import BurndownScreen
from conceptmap.tui.screens.main import MainScreen
from conftest import run_git as _git

AS_OF = dt.date(2026, 11, 10)
SIZE = (120, 40)


def _team_map() -> tuple[ConceptMap, list[str]]:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?", id="m-cafes-00000001")
    a = m.add_concept("café owners", id="c-a-00000001")
    m.set_meta(root=a.id)
    pids = []
    for i, what in enumerate(("fast delivery", "fresh food", "low fees")):
        c = m.add_concept(what, id=f"c-{i}-0000000{i}")
        pids.append(m.add_proposition(a.id, "value", c.id).id)
    return m, pids


@pytest.fixture
def history_repo(tmp_path: Path, fixed_clock: dt.datetime, fixed_ids: None) -> Path:
    """Four versions, a week or more apart: three unchecked beliefs (v1), analytics on the
    first (v2), on the second (v3), a belief deleted (v4). The debt falls at each step."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    f = repo / "team.cmap.json"
    m, pids = _team_map()
    f.write_bytes(dump_map(m))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1", date="2026-10-01T10:00:00+00:00")
    for n, (pid, day) in enumerate(((pids[0], 12), (pids[1], 20)), 2):
        for i in range(3):
            m.add_evidence(
                pid,
                id=f"e-{n}{i}-0000000{i}",
                stance="supports",
                kind="analytics",
                source=f"dashboard {i}",
                date=dt.date(2026, 10, day),
            )
        f.write_bytes(dump_map(m))
        _git(repo, "commit", "-qam", f"v{n}", date=f"2026-10-{day}T10:00:00+00:00")
    m.remove_proposition(pids[2])
    f.write_bytes(dump_map(m))
    _git(repo, "commit", "-qam", "v4", date="2026-11-02T10:00:00+00:00")
    return f


def fast_delivery(path: Path) -> str:
    """The proposition "café owners — value → fast delivery" (evidence from v2 on)."""
    m = api.read_map(path)
    return next(p.id for p in m.propositions.values() if p.target == "c-0-00000000")


def make_app(path: Path) -> ConceptmapApp:
    return ConceptmapApp(path, as_of=AS_OF, watch_seconds=0)


def text_of(widget: Static) -> str:
    return str(widget.content)


async def open_burndown(app: ConceptmapApp, pilot) -> BurndownScreen:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BurndownScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    return screen


async def test_burndown_draws_the_debt_history_computes(history_repo: Path, capsys) -> None:
    assert run(["history", str(history_repo), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    debts = [p["debt"] for p in expected["periods"]]
    assert len(debts) == 4 and debts == sorted(debts, reverse=True) and debts[0] > debts[-1]
    app = make_app(history_repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_burndown(app, pilot)
        assert screen.report == expected
        chart = text_of(screen.query_one("#bd-chart", Static))
        bars = [ln for ln in chart.splitlines() if "█" in ln]
        assert [ln.split()[0] for ln in bars] == [p["period"] for p in expected["periods"]]
        assert [ln.split()[-1] for ln in bars] == [f"{d:.2f}" for d in debts]
        widths = [ln.count("█") for ln in bars]
        assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
        assert "uncertainty debt" in chart and "└" in chart  # the axes are named
        notes = text_of(screen.query_one("#bd-notes", Static))
        assert f"↓ learning: the debt fell from {debts[0]:.2f} to {debts[-1]:.2f}" in notes
        # by month: the same call with --by month
        await pilot.press("M")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert screen.report is not None
        assert [p["period"] for p in screen.report["periods"]] == ["2026-10", "2026-11"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_map_outside_git_gets_an_explanation_not_a_failure(
    small_map_file: Path,
) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_burndown(app, pilot)
        assert screen.report is None
        chart = text_of(screen.query_one("#bd-chart", Static))
        assert "✗ No burn-down yet: small.cmap.json is not in a git repository" in chart
        assert "commit it after each session" in chart


async def test_a_map_committed_once_says_it_needs_more_versions(
    tmp_path: Path, fixed_clock: dt.datetime, fixed_ids: None
) -> None:
    repo = tmp_path / "one"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    f = repo / "team.cmap.json"
    f.write_bytes(dump_map(_team_map()[0]))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1", date="2026-10-01T10:00:00+00:00")
    app = make_app(f)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_burndown(app, pilot)
        notes = text_of(screen.query_one("#bd-notes", Static))
        assert "◷ One version so far" in notes and "committed once" in notes


async def test_r_reads_a_new_commit(history_repo: Path) -> None:
    app = make_app(history_repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_burndown(app, pilot)
        assert screen.report is not None and len(screen.report["periods"]) == 4
        m = api.read_map(history_repo)
        m.add_evidence(
            fast_delivery(history_repo),
            stance="supports",
            kind="experiment",
            source="A/B test",
            date=dt.date(2026, 11, 9),
        )
        history_repo.write_bytes(dump_map(m))
        _git(history_repo.parent, "commit", "-qam", "v5", date="2026-11-09T10:00:00+00:00")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert len(screen.report["periods"]) == 5
        assert screen.report["periods"][-1]["new_evidence"] == {"experiment": 1}


# ---------------------------------------------------------------------- forecast
async def test_detail_pane_of_a_supported_claim_shows_when_it_turns_into_a_gap(
    history_repo: Path,
) -> None:
    app = make_app(history_repo)
    pid = fast_delivery(history_repo)
    rows = {r["claim"]: r for r in api.forecast(api.read_map(history_repo), as_of=AS_OF)}
    due = rows[pid]["turns_gap_on"]
    assert due is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to(pid)
        await pilot.pause()
        detail = text_of(app.screen.query_one("#detail", Static))
        assert "✓ supported" in detail
        assert f"turns into a gap on {due}" in detail
        # a gap (a new belief nobody checked) has no forecast line
        app.run_edit(
            "add proposition",
            lambda m: m.add_proposition("c-a-00000001", "want", "c-2-00000002"),
            select_result=True,
        )
        await pilot.pause()
        assert app.selected in {c.id for c in app.session.analysis.gaps}
        detail = text_of(app.screen.query_one("#detail", Static))
        assert "unsupported" in detail and "turns into a gap on" not in detail


# ---------------------------------------------------------------------- snapshot
def test_snapshot_burndown_screen(snap_compare, history_repo: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_repo)

    async def read_history(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("b")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=read_history)


async def test_without_git_installed_the_screen_says_so(
    history_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a machine without git
    app = make_app(history_repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_burndown(app, pilot)
        assert screen.report is None
        chart = text_of(screen.query_one("#bd-chart", Static))
        assert "✗ No burn-down: git is not installed" in chart
