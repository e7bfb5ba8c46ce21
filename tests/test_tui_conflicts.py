"""Merge conflicts in the workshop TUI: the banner, the conflict screen, and each choice
checked in the map file on disk (as `validate` and `conceptmap resolve` see it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from conceptmap import api
from conceptmap.cli import run
from conceptmap.formats import dump_map, parse_map
from conceptmap.model import ConceptMap
from conceptmap.model.merge import merge_maps
from conceptmap.tui.app import ConceptmapApp
from conceptmap.tui.keys import ACTIONS
from conceptmap.tui.screens.conflicts import ConflictsScreen, conflict_text
from conceptmap.tui.screens.dialogs import HelpScreen
from conceptmap.tui.screens.main import MainScreen

AS_OF = dt.date(2026, 6, 1)
SIZE = (120, 40)
SPEED = "c-speed-00000002"


def _copy(m: ConceptMap) -> ConceptMap:
    return parse_map(dump_map(m))


@pytest.fixture
def conflicted(small_map: ConceptMap, tmp_path: Path) -> Path:
    """The small map merged from two versions that disagree three ways: a concept's label
    (field), the focus question (a map field), and a proposition we deleted while they rated
    it (a whole record; its linking phrase comes back with it as a fourth conflict)."""
    base = small_map
    ours, theirs = _copy(base), _copy(base)
    ours.update_concept(SPEED, label="fast delivery (< 30 min)")
    theirs.update_concept(SPEED, label="same-day delivery [red]x[/red]")
    ours.set_meta(focus_question="What do café owners need from us?")
    theirs.set_meta(focus_question="Why do café owners leave?")
    pid = next(
        p.id for p in base.propositions.values() if base.linking_phrases[p.via].label == "drives"
    )
    ours.remove_proposition(pid)
    theirs.update_proposition(pid, importance=5)
    merged = merge_maps(base, ours, theirs).map
    path = tmp_path / "merged.cmap.json"
    path.write_bytes(dump_map(merged))
    return path


def make_app(path: Path) -> ConceptmapApp:
    return ConceptmapApp(path, as_of=AS_OF, watch_seconds=0)


def text_of(widget: Static) -> str:
    return str(widget.content)


def banner(app: ConceptmapApp) -> Static | None:
    found = list(app.get_screen_main().query("#conflicts-banner").results(Static))
    return found[0] if found and found[0].display else None


def listed(app: ConceptmapApp) -> list[str | None]:
    ol = app.screen.query_one("#conflict-list", OptionList)
    return [ol.get_option_at_index(i).id for i in range(ol.option_count)]


async def test_the_banner_says_conflicts_in_glyph_and_words(conflicted: Path) -> None:
    n = len(api.read_map(conflicted).conflicts)
    assert n == 4
    app = make_app(conflicted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        b = banner(app)
        assert b is not None
        text = text_of(b)
        assert "⚠ MERGE CONFLICTS" in text and f"{n} unresolved" in text and "Press C" in text


async def test_a_map_without_conflicts_has_no_banner_and_C_says_so(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert banner(app) is None
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_take_theirs_then_ours_one_by_one_reaches_the_file_and_undo_too(
    conflicted: Path,
) -> None:
    app = make_app(conflicted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        before = api.read_map(conflicted)
        ids = sorted(before.conflicts)
        assert listed(app) == ids
        label = next(x.id for x in before.conflicts.values() if x.field == "label")
        # go to the label conflict and take theirs
        ol = app.screen.query_one("#conflict-list", OptionList)
        ol.highlighted = ids.index(label)
        await pilot.press("t")
        await pilot.pause()
        disk = api.read_map(conflicted)
        assert disk.concepts[SPEED].label == "same-day delivery [red]x[/red]"
        assert label not in disk.conflicts and len(disk.conflicts) == 3
        assert label not in listed(app)
        assert "3 unresolved" in text_of(banner(app))  # type: ignore[arg-type]
        # undo on the conflict screen brings the conflict back, in the file too
        await pilot.press("u")
        await pilot.pause()
        disk = api.read_map(conflicted)
        assert label in disk.conflicts
        assert disk.concepts[SPEED].label == "fast delivery (< 30 min)"
        assert label in listed(app)
        # take ours for the first listed conflict
        ol.highlighted = 0
        await pilot.press("o")
        await pilot.pause()
        assert ids[0] not in api.read_map(conflicted).conflicts


async def test_all_theirs_settles_every_conflict_and_the_banner_goes(conflicted: Path) -> None:
    app = make_app(conflicted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # closed after the last one
        assert banner(app) is None
        disk = api.read_map(conflicted)
        assert not disk.conflicts
        assert disk.focus_question == "Why do café owners leave?"
        assert disk.concepts[SPEED].label == "same-day delivery [red]x[/red]"
        drives = [p for p in disk.propositions.values() if p.importance == 5]
        assert len(drives) == 1  # theirs edited the proposition we deleted: kept
        assert api.validate_paths([conflicted]) == [(conflicted, None)]
        # one edit: one undo brings all four back, and the banner with them
        await pilot.press("u")
        await pilot.pause()
        assert len(api.read_map(conflicted).conflicts) == 4
        assert banner(app) is not None and "4 unresolved" in text_of(banner(app))  # type: ignore[arg-type]


async def test_all_ours_matches_conceptmap_resolve_all_take_ours(
    conflicted: Path, tmp_path: Path
) -> None:
    cli_copy = tmp_path / "cli.cmap.json"
    cli_copy.write_bytes(conflicted.read_bytes())
    assert run(["resolve", str(cli_copy), "all", "--take", "ours"]) == 0
    app = make_app(conflicted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("O")
        await pilot.pause()
    tui, cli = api.read_map(conflicted), api.read_map(cli_copy)
    assert not tui.conflicts
    assert tui.to_document().model_dump(exclude={"updated"}) == cli.to_document().model_dump(
        exclude={"updated"}
    )
    assert tui.focus_question == "What do café owners need from us?"
    assert not any(p.importance == 5 for p in tui.propositions.values())  # ours deleted it


async def test_the_palette_and_help_list_the_conflict_and_burndown_keys(
    conflicted: Path,
) -> None:
    titles = {a.title: a.keys for a in ACTIONS}
    assert titles["map: resolve conflicts"] == "C"
    assert titles["map: debt burn-down"] == "b"
    app = make_app(conflicted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "map: resolve conflicts" in shown and "map: debt burn-down" in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "resolve conflicts":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)


def test_labels_in_conflicts_are_shown_as_typed_not_as_markup(conflicted: Path) -> None:
    m = api.read_map(conflicted)
    label = next(x for x in m.conflicts.values() if x.field == "label")
    text = conflict_text(m, label)
    lines = text.plain.splitlines()
    assert "theirs “same-day delivery [red]x[/red]”" in [ln.strip() for ln in lines]
    assert any(ln.strip().startswith("base   “fast delivery”") for ln in lines)
    whole = next(x for x in m.conflicts.values() if x.collection == "proposition")
    plain = conflict_text(m, whole).plain
    assert "ours   deleted it" in plain and "theirs edited it: importance 5" in plain


# ---------------------------------------------------------------------- snapshots
def test_snapshot_main_screen_with_conflict_banner(snap_compare, conflicted: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(conflicted), terminal_size=SIZE)


def test_snapshot_conflict_screen(snap_compare, conflicted: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(conflicted), press=["C"], terminal_size=SIZE)
