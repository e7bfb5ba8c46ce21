"""Snapshots of the TUI (pytest-textual-snapshot): the main screen, the help screen and every
form, on a map with fixed dates and a fixed analysis date, so the pictures are stable.

Update after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conceptmap.tui.app import ConceptmapApp

AS_OF = dt.date(2026, 6, 1)
SIZE = (120, 40)


def app_for(path: Path) -> ConceptmapApp:
    return ConceptmapApp(path, as_of=AS_OF, watch_seconds=0)


def test_main_screen(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), terminal_size=SIZE)


def test_main_screen_at_100x30(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), terminal_size=(100, 30))


def test_too_small_terminal(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), terminal_size=(70, 20))


def test_help_screen(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), press=["question_mark"], terminal_size=SIZE)


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("concept_add_empty", ["a", "enter"]),
        ("concept_rename", ["r"]),
        ("proposition", ["p", "tab", "v", "tab", "l", "u", "n", "c", "h"]),
        ("evidence", ["e", "tab", "h", "u", "n", "c", "h"]),
        ("relation", ["c"]),
        ("importance", ["i"]),
        ("focus_question", ["f"]),
        ("search", ["slash", "l", "a", "t", "t", "e"]),
        ("plan", ["o", "M", "a", "y", "a", "enter"]),
    ],
)
def test_forms(snap_compare, small_map_file: Path, name: str, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    app = app_for(small_map_file)

    async def select_speed(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        app.jump_to("c-speed-00000002")
        await pilot.pause()

    assert snap_compare(app, press=keys, terminal_size=SIZE, run_before=select_speed)


def test_projector_mode(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), press=["P", "n"], terminal_size=SIZE)


def test_projector_mode_at_100x30(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), press=["P"], terminal_size=(100, 30))


def big_map_file(tmp_path: Path, n: int = 300) -> Path:
    """A 300-concept map in a fixed shape: a tree from one root, five linking phrases, some
    evidence; fixed ids so the layout (and the picture) is the same on every run."""
    import random

    from conceptmap.formats import dump_map
    from conceptmap.model import ConceptMap

    rnd = random.Random(7)
    m = ConceptMap.new("Big", focus_question="What do 300 beliefs hang on?", id="m-big-00000001")
    ids = [m.add_concept(f"belief {i}", id=f"c-b{i:03d}-{i:08x}").id for i in range(n)]
    m.set_meta(root=ids[0])
    phrases = ("needs", "drives", "affects", "e.g.", "blocks")
    for i in range(1, n):
        parent = rnd.randrange(max(0, i - 40), i) if i > 4 else 0
        m.add_proposition(ids[parent], phrases[i % 5], ids[i])
    for i in range(0, n, 7):
        pid = m.propositions_of(ids[i])[0].id
        m.add_evidence(
            pid,
            id=f"e-ev{i:03d}-{i:08x}",
            stance="supports" if i % 2 else "contradicts",
            kind="interview",
            source=f"person {i}",
            date=dt.date(2026, 5, 1),
        )
    path = tmp_path / "big.cmap.json"
    path.write_bytes(dump_map(m))
    return path


def test_map_view_small(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), press=["m"], terminal_size=SIZE)


def test_map_view_small_zoomed_out_at_100x30(snap_compare, small_map_file: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(small_map_file), press=["m", "minus"], terminal_size=(100, 30))


def test_map_view_large_focus(snap_compare, tmp_path: Path, fixed_clock, fixed_ids) -> None:  # type: ignore[no-untyped-def]
    app = app_for(big_map_file(tmp_path))

    async def select(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        app.jump_to("c-b001-00000001", focus=False)
        await pilot.pause()

    assert snap_compare(app, press=["m", "F"], terminal_size=SIZE, run_before=select)
