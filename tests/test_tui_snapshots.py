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
