"""The workshop TUI driven by keys (Textual's Pilot), checking the map file on disk after
every action, not only the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from conceptmap import api
from conceptmap.tui.app import ConceptmapApp
from conceptmap.tui.keys import ACTIONS
from conceptmap.tui.screens.dialogs import ChangedOnDiskScreen, HelpScreen, SearchScreen
from conceptmap.tui.screens.forms import (
    ConceptForm,
    EvidenceForm,
    FocusForm,
    ImportanceForm,
    PropositionForm,
    RelationForm,
)
from conceptmap.tui.screens.main import MainScreen
from conceptmap.tui.widgets.panels import ClaimsTable, EvidenceList, GapPanel, Outline

AS_OF = dt.date(2026, 6, 1)
SIZE = (120, 40)
OWNERS, SPEED, FEES = "c-owners-00000001", "c-speed-00000002", "c-fees-00000003"


def make_app(path: Path) -> ConceptmapApp:
    return ConceptmapApp(path, as_of=AS_OF, watch_seconds=0)


def on_disk(path: Path) -> api.ConceptMap:
    return api.read_map(path)


def text_of(widget: Static) -> str:
    return str(widget.content)


def messages(app: ConceptmapApp) -> str:
    return " | ".join(
        text_of(s) for s in app.screen.query(".field-message, .form-error") if s.display
    )


def prop_between(m: api.ConceptMap, source: str, target: str) -> str:
    return next(p.id for p in m.propositions.values() if (p.source, p.target) == (source, target))


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the focused field (as a paste: one key at a time is slow in Pilot)."""
    field = pilot.app.focused
    assert isinstance(field, Input), field
    field.insert_text_at_cursor(text)
    await pilot.pause()


async def clear_field(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("end", "ctrl+u")


# ---------------------------------------------------------------------- the main screen
async def test_main_screen_shows_focus_outline_propositions_gaps_and_detail(
    small_map_file: Path,
) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert "What do SMB café owners need?" in text_of(screen.query_one("#focus", Static))
        assert set(screen.query_one(Outline).nodes_by_concept) == set(app.session.map.concepts)
        table = screen.query_one(ClaimsTable)
        assert table.row_count == 4
        a = api.analyse(on_disk(small_map_file), as_of=AS_OF)
        gaps = screen.query_one(GapPanel)
        assert [gaps.get_option_at_index(i).id for i in range(gaps.option_count)] == [
            c.id for c in a.gaps
        ]
        # the first gap is selected and its explanation is in the detail pane
        first = a.gaps[0]
        assert app.selected == first.id
        detail = text_of(screen.query_one("#detail", Static))
        assert first.reason in detail and first.state.value in detail
        # every row shows the state by glyph and word
        row = table.get_row(prop_between(app.session.map, OWNERS, SPEED))
        state = a.claims[prop_between(app.session.map, OWNERS, SPEED)].state
        assert str(row[0]) == f"{api.state_glyphs()[state.value]} {state.value}"


async def test_a_small_terminal_gets_a_message_not_a_broken_screen(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        msg = app.screen.query_one("#too-small", Static)
        assert msg.display and "60×18" in text_of(msg) and "at least 80×24" in text_of(msg)
        assert not app.screen.query_one("#main").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.screen.query_one("#main").display


# ---------------------------------------------------------------------- concepts
async def test_add_concept_is_saved_at_once_and_undo_redo_reach_the_file(
    small_map_file: Path,
) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ConceptForm)
        await type_text(pilot, "delivery apps")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert [c.label for c in on_disk(small_map_file).find_concepts("delivery apps")] == [
            "delivery apps"
        ]
        assert app.selected == on_disk(small_map_file).find_concepts("delivery apps")[0].id
        await pilot.press("u")
        await pilot.pause()
        assert on_disk(small_map_file).find_concepts("delivery apps") == []
        await pilot.press("U")
        await pilot.pause()
        assert len(on_disk(small_map_file).find_concepts("delivery apps")) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert on_disk(small_map_file).find_concepts("delivery apps") == []


async def test_concept_form_refuses_empty_and_duplicate_labels_and_keeps_the_text(
    small_map_file: Path,
) -> None:
    before = small_map_file.read_bytes()
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConceptForm)
        assert "a concept needs a label" in messages(app)
        await type_text(pilot, "Fast  Delivery")
        assert "already a concept" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConceptForm)
        assert small_map_file.read_bytes() == before
        # Esc closes; the text comes back when the form opens again
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#f-label", Input).value == "Fast  Delivery"
        await type_text(pilot, " times")
        await pilot.press("enter")
        await pilot.pause()
    assert len(on_disk(small_map_file).find_concepts("Fast Delivery times")) == 1


async def test_rename_concept(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to(SPEED)
        await pilot.press("r")
        assert isinstance(app.screen, ConceptForm)
        await clear_field(pilot)
        await type_text(pilot, "on-time delivery")
        await pilot.press("enter")
        await pilot.pause()
    assert on_disk(small_map_file).concepts[SPEED].label == "on-time delivery"


async def test_a_renamed_concept_reads_anew_in_the_table_and_outline(small_map_file: Path) -> None:
    """A rename that keeps the rows' order (text added at the end) redraws them all the same."""
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ClaimsTable)
        order = list(table._order)
        label = app.session.map.concepts[SPEED].label
        app.jump_to(SPEED)
        await pilot.press("r")
        await pilot.press("end")
        await type_text(pilot, " now")
        await pilot.press("enter")
        await pilot.pause()
        assert table._order == order
        about = [
            p for p, r in app.session.map.propositions.items() if SPEED in (r.source, r.target)
        ]
        assert about
        for pid in about:
            assert f"{label} now" in str(table.get_cell(pid, "claim"))
        outline = app.screen.query_one(Outline)
        assert f"{label} now" in str(outline.nodes_by_concept[SPEED].label)
    assert on_disk(small_map_file).concepts[SPEED].label == f"{label} now"


async def test_delete_concept_asks_then_deletes_with_its_propositions(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to(FEES)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        assert FEES in on_disk(small_map_file).concepts
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        m = on_disk(small_map_file)
        assert FEES not in m.concepts
        assert all(FEES not in (p.source, p.target) for p in m.propositions.values())
        assert app.screen.query_one(ClaimsTable).row_count == len(m.propositions)
        await pilot.press("u")
        await pilot.pause()
    assert FEES in on_disk(small_map_file).concepts


# ---------------------------------------------------------------------- propositions
async def test_add_proposition_with_completion_creates_a_missing_target(
    small_map_file: Path,
) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to(OWNERS)
        await pilot.press("p")
        assert isinstance(app.screen, PropositionForm)
        assert app.screen.query_one("#f-source", Input).value == "SMB café owners"
        await pilot.press("tab")
        await type_text(pilot, "va")
        await pilot.pause(0.1)
        await pilot.press("tab")  # takes the completion "value"
        assert app.screen.query_one("#f-phrase", Input).value == "value"
        await type_text(pilot, "delivery apps")
        assert "will be added as a concept" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
    m = on_disk(small_map_file)
    apps = m.find_concepts("delivery apps")[0].id
    pid = prop_between(m, OWNERS, apps)
    assert m.proposition_text(pid) == "SMB café owners — value → delivery apps"


async def test_proposition_to_itself_is_refused_inline(small_map_file: Path) -> None:
    before = small_map_file.read_bytes()
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to(OWNERS)
        await pilot.press("p", "tab")
        await type_text(pilot, "are")
        await pilot.press("tab")
        await type_text(pilot, "smb cafe owners")
        # "café" and "cafe" differ: this is a new concept, so a real self-link needs the label
        await clear_field(pilot)
        await type_text(pilot, "SMB café owners")
        assert "cannot join a concept to itself" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PropositionForm)
    assert small_map_file.read_bytes() == before


async def test_palette_and_delete_key_remove_a_proposition(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        pid = prop_between(app.session.map, SPEED, "c-latte-00000005")
        app.jump_to(pid)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert pid not in on_disk(small_map_file).propositions


# ---------------------------------------------------------------------- evidence
async def test_add_evidence_refreshes_the_gap_panel_and_the_file(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        pid = prop_between(app.session.map, SPEED, "c-latte-00000005")
        before = api.analyse(app.session.map, as_of=AS_OF).claims[pid]
        app.jump_to(pid)
        await pilot.press("e")
        assert isinstance(app.screen, EvidenceForm)
        await pilot.press("tab")
        await type_text(pilot, "observ")
        await pilot.press("tab")
        await type_text(pilot, "Till logs, Bean There")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Oat lattes sell out by 9am")
        await pilot.press("tab", "tab", "end", "backspace")
        await type_text(pilot, "40")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        (e,) = on_disk(small_map_file).evidence_for(pid)
        assert (e.stance.value, e.kind.value, e.source, e.date, e.quote, e.n) == (
            "supports",
            "observation",
            "Till logs, Bean There",
            AS_OF,
            "Oat lattes sell out by 9am",
            40,
        )
        after = app.session.analysis.claims[pid]
        assert after.evidence_count == before.evidence_count + 1
        assert app.screen.query_one(EvidenceList).option_count == 1
        gaps = app.screen.query_one(GapPanel)
        shown = [gaps.get_option_at_index(i).id for i in range(gaps.option_count)]
        assert shown == [c.id for c in app.session.analysis.gaps] or shown == ["-none-"]


async def test_evidence_form_refuses_future_dates_unknown_kinds_and_bad_links(
    small_map_file: Path,
) -> None:
    before = small_map_file.read_bytes()
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to(SPEED)
        await pilot.press("e", "tab")
        await type_text(pilot, "hunch")
        assert "unknown kind “hunch”" in messages(app)
        await pilot.press("tab")
        await type_text(pilot, "Sam")
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "2026-06-02")
        assert "is in the future" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceForm)
        assert small_map_file.read_bytes() == before
        # the form went to the first field to fix: the kind
        assert app.focused is app.screen.query_one("#f-kind", Input)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "belief")
        await pilot.press("tab", "tab", "end", "ctrl+u")
        await type_text(pilot, "2026-05-30")
        await pilot.press("tab", "tab")
        await type_text(pilot, "javascript:alert(1)")
        assert "only http, https, mailto and relative links" in messages(app)
        await pilot.press("ctrl+u")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    (e,) = on_disk(small_map_file).evidence_for(SPEED)
    assert (e.kind.value, e.source, e.date) == ("belief", "Sam", dt.date(2026, 5, 30))


async def test_edit_and_remove_evidence(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        app.jump_to("e-int-00000001")
        await pilot.pause()
        assert app.focused is app.screen.query_one(EvidenceList)
        await pilot.press("E")
        assert isinstance(app.screen, EvidenceForm)
        await pilot.press("tab", "tab", "end", "ctrl+u")
        await type_text(pilot, "Maya (owner)")
        await pilot.press("enter")
        await pilot.pause()
        assert on_disk(small_map_file).evidence["e-int-00000001"].source == "Maya (owner)"
        app.jump_to("e-int-00000001")
        await pilot.press("x")
        await pilot.pause()
        assert "e-int-00000001" not in on_disk(small_map_file).evidence


# ---------------------------------------------------------------------- claims
async def test_mark_claims_supporting_and_contradicting(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        m = app.session.map
        latte = prop_between(m, SPEED, "c-latte-00000005")
        speed = prop_between(m, OWNERS, SPEED)
        app.jump_to(latte)
        await pilot.press("s")
        assert isinstance(app.screen, RelationForm)
        await pilot.press("tab")
        await type_text(pilot, "fast delivery — e.g.")
        assert "cannot support or contradict itself" in messages(app) or "no claim" in messages(app)
        await clear_field(pilot)
        await type_text(pilot, "SMB café owners — value → fast")
        await pilot.pause(0.1)
        await pilot.press("tab", "enter")
        await pilot.pause()
        rels = on_disk(small_map_file).relations_of(latte)
        assert [(r.source, r.kind.value, r.target) for r in rels] == [(latte, "supports", speed)]
        app.jump_to(SPEED)
        await pilot.press("c", "tab")
        await type_text(pilot, "churn is 8 % a month")
        await pilot.press("enter")
        await pilot.pause()
    rels = on_disk(small_map_file).relations_of(SPEED)
    assert [(r.kind.value, r.target) for r in rels] == [("contradicts", "c-churn-00000004")]


async def test_set_importance(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        pid = prop_between(app.session.map, OWNERS, FEES)
        app.jump_to(pid)
        await pilot.press("i")
        assert isinstance(app.screen, ImportanceForm)
        await pilot.press("backspace", "9")  # refused by the field: 1–5 only
        assert "type a number from 1 to 5" in messages(app)
        await pilot.press("5", "enter")
        await pilot.pause()
    assert on_disk(small_map_file).propositions[pid].importance == 5


async def test_edit_focus_question(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FocusForm)
        await clear_field(pilot)
        await pilot.press("enter")
        assert "every map answers one question" in messages(app)
        await type_text(pilot, "Why do café owners switch?")
        await pilot.press("enter")
        await pilot.pause()
        assert "Why do café owners switch?" in text_of(app.screen.query_one("#focus", Static))
    assert on_disk(small_map_file).focus_question == "Why do café owners switch?"


# ---------------------------------------------------------------------- finding things
async def test_search_jumps_to_evidence_by_its_quote(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "lunch rush")
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == prop_between(app.session.map, OWNERS, SPEED)
        ev = app.screen.query_one(EvidenceList)
        assert ev.highlighted_option is not None and ev.highlighted_option.id == "e-int-00000001"
        await pilot.press("slash")
        await type_text(pilot, "oat latte")
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == "c-latte-00000005"
        assert app.focused is app.screen.query_one(Outline)


async def test_selecting_a_gap_jumps_to_its_claim(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "down")
        gaps = app.screen.query_one(GapPanel)
        target = gaps.highlighted_option.id
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == target
        if target in app.session.map.propositions:
            table = app.screen.query_one(ClaimsTable)
            assert app.focused is table and table.cursor_pid == target
        else:
            assert app.focused is app.screen.query_one(Outline)


async def test_help_lists_every_key_and_every_binding_has_id_tooltip_and_palette_entry(
    small_map_file: Path,
) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        for b in MainScreen.BINDINGS:
            assert b.id and b.tooltip, b  # type: ignore[union-attr]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(s) for s in app.screen.query(Static))
        for a in ACTIONS:
            assert a.title in shown, a.title
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_palette_runs_actions_by_area_and_action(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "concept: add")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConceptForm)
        await type_text(pilot, "loyalty cards")
        await pilot.press("enter")
        await pilot.pause()
    assert on_disk(small_map_file).find_concepts("loyalty cards")


# ---------------------------------------------------------------------- the file changed on disk
def _their_edit(path: Path, label: str) -> None:
    theirs = api.load(path)
    theirs.map.add_concept(label)
    theirs.save()


async def test_changed_on_disk_reload_reapplies_the_edit(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        _their_edit(small_map_file, "their concept")
        await pilot.press("a")
        await type_text(pilot, "our concept")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChangedOnDiskScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        m = on_disk(small_map_file)
        assert m.find_concepts("their concept") and m.find_concepts("our concept")
        assert app.session.map.find_concepts("their concept")


async def test_changed_on_disk_keep_editing_as_a_copy(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        _their_edit(small_map_file, "their concept")
        await pilot.press("a")
        await type_text(pilot, "our concept")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        copy = small_map_file.with_name("small-copy.cmap.json")
        assert app.session.path == copy
        await pilot.press("a")
        await type_text(pilot, "second idea")
        await pilot.press("enter")
        await pilot.pause()
    theirs, ours = on_disk(small_map_file), on_disk(copy)
    assert theirs.find_concepts("their concept") and not theirs.find_concepts("our concept")
    assert ours.find_concepts("our concept") and ours.find_concepts("second idea")


async def test_reload_that_cannot_reapply_keeps_the_edit_as_a_copy(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        theirs = api.load(small_map_file)
        theirs.map.update_concept(SPEED, label="speedy delivery")
        theirs.save()
        app.jump_to(SPEED)
        await pilot.press("r", "end", "ctrl+u")
        await type_text(pilot, "on-time delivery")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
    assert on_disk(small_map_file).concepts[SPEED].label == "speedy delivery"
    copy = small_map_file.with_name("small-copy.cmap.json")
    assert on_disk(copy).concepts[SPEED].label == "on-time delivery"


async def test_watching_the_file_reloads_quietly_and_keeps_the_place(
    small_map_file: Path,
) -> None:
    app = ConceptmapApp(small_map_file, as_of=AS_OF, watch_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to(FEES)
        await pilot.pause()
        _their_edit(small_map_file, "their concept")
        await pilot.pause(0.4)
        # no dialog, no key pressed: the other participant's concept is on screen
        assert isinstance(app.screen, MainScreen)
        assert app.session.map.find_concepts("their concept")
        nodes = app.screen.query_one(Outline).nodes_by_concept
        assert nodes.keys() == app.session.map.concepts.keys()
        assert app.selected == FEES
        assert any("another participant" in str(n.message) for n in app._notifications)
        # and our next edit goes on top of theirs through the locked save
        await pilot.press("a")
        await type_text(pilot, "our concept")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    m = on_disk(small_map_file)
    assert m.find_concepts("their concept") and m.find_concepts("our concept")


async def test_two_apps_on_one_file_follow_each_other(small_map_file: Path) -> None:
    one = ConceptmapApp(small_map_file, as_of=AS_OF, watch_seconds=0.05)
    two = ConceptmapApp(small_map_file, as_of=AS_OF, watch_seconds=0.05)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await p1.pause()
        await p2.pause()
        await p1.press("a")
        await type_text(p1, "from app one")
        await p1.press("enter")
        await p1.pause()
        await p2.pause(0.4)
        assert two.session.map.find_concepts("from app one")
        await p2.press("a")
        await type_text(p2, "from app two")
        await p2.press("enter")
        await p2.pause()
        await p1.pause(0.4)
        assert one.session.map.find_concepts("from app two")
        assert isinstance(one.screen, MainScreen) and isinstance(two.screen, MainScreen)
    m = on_disk(small_map_file)
    assert m.find_concepts("from app one") and m.find_concepts("from app two")


async def test_an_unreadable_version_on_disk_is_reported_once(small_map_file: Path) -> None:
    app = ConceptmapApp(small_map_file, as_of=AS_OF, watch_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        small_map_file.write_text("{ not json", encoding="utf-8")
        await pilot.pause(0.4)
        errors = [n for n in app._notifications if "cannot be read" in str(n.message)]
        assert len(errors) == 1 and "small.cmap.json" in str(errors[0].message)
        assert app.session.map.concepts  # still the last good version


async def test_export_svg_from_inside_the_tui(small_map_file: Path) -> None:
    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await pilot.pause(0.3)
    svg = small_map_file.with_name("small.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "fast delivery" in svg and "oat latte rush" in svg


# ---------------------------------------------------------------------- the learning plan
async def test_plan_form_validates_as_you_type_and_saves_the_plan(small_map_file: Path) -> None:
    from conceptmap.tui.screens.forms import PlanForm

    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        claim = app.selected
        assert claim is not None
        await pilot.press("o")
        assert isinstance(app.screen, PlanForm)
        await pilot.press("enter")  # empty owner and test: refused, nothing saved
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)
        assert "who owns this test?" in messages(app)
        assert not on_disk(small_map_file).plan
        await type_text(pilot, "Maya")
        await pilot.press("tab")
        await type_text(pilot, "5 interviews about delivery")
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "2026-13-01")
        assert "YYYY-MM-DD" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)  # still open, text kept
        assert app.screen.values()["owner"] == "Maya"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2026-05-20")
        assert "overdue" in messages(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        item = on_disk(small_map_file).plan_for(claim)
        assert item is not None
        assert (item.owner, item.next_test, item.due) == (
            "Maya",
            "5 interviews about delivery",
            dt.date(2026, 5, 20),
        )
        gaps = app.screen.query_one(GapPanel)
        shown = str(gaps.get_option(claim).prompt.columns[1]._cells[0])
        assert "plan: Maya · due 2026-05-20" in shown and "! overdue" in shown
        detail = text_of(app.screen.query_one("#detail", Static))
        assert "next test: 5 interviews about delivery" in detail
        # undo takes the plan out of the file, redo puts it back
        await pilot.press("u")
        await pilot.pause()
        assert on_disk(small_map_file).plan_for(claim) is None
        await pilot.press("U")
        await pilot.pause()
        assert on_disk(small_map_file).plan_for(claim) is not None
        # the palette removes it
        await app.run_action("remove_plan")
        await pilot.pause()
        assert on_disk(small_map_file).plan_for(claim) is None


# ---------------------------------------------------------------------- projector mode
async def test_projector_steps_through_the_gaps_and_follows_edits(small_map_file: Path) -> None:
    from conceptmap.tui.screens.projector import ProjectorScreen

    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        gaps = [c.id for c in app.session.analysis.gaps]
        assert len(gaps) >= 3
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProjectorScreen)
        assert not screen.query("Footer") and not screen.query(GapPanel)

        def page() -> str:
            return " ".join(text_of(w) for w in screen.query("#pj-head, #pj-claim, #pj-body"))

        m = app.session.map
        assert f"gap 1 of {len(gaps)}" in page() and m.claim_text(gaps[0]) in page()
        await pilot.press("n")
        await pilot.press("right")
        await pilot.pause()
        assert f"gap 3 of {len(gaps)}" in page() and m.claim_text(gaps[2]) in page()
        c = app.session.analysis.claims[gaps[2]]
        assert c.reason in page() and "Why" in page() and "Next step" in page()
        await pilot.press("p")
        await pilot.pause()
        assert screen.current == gaps[1]
        # a plan made from the projector shows on its page and lands in the file
        await pilot.press("o")
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "call three cafés")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert on_disk(small_map_file).plan_for(gaps[1]).owner == "Ana"
        assert "plan: Ana" in page() and "call three cafés" in page()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.selected == gaps[1]


# ---------------------------------------------------------------------- the map view
async def test_map_view_draws_the_map_and_follows_edits(small_map_file: Path) -> None:
    from conceptmap.tui.screens.mapview import MapScreen
    from conceptmap.tui.widgets.mapview import MapCanvas

    app = make_app(small_map_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MapScreen)
        canvas = screen.query_one(MapCanvas)
        m = app.session.map
        assert set(m.concepts) <= set(canvas.regions)  # every concept is a box
        assert set(m.linking_phrases) <= set(canvas.regions)  # every phrase on a connector

        def drawn(rid: str) -> str:
            r = canvas.regions[rid]
            return "\n".join(canvas._row_strip(y).text[r.x : r.right] for y in range(r.y, r.bottom))

        assert "SMB café owners" in drawn(OWNERS) and "┏" not in drawn(OWNERS)
        # Tab walks the drawing; the selection is drawn heavy
        app.select(OWNERS)
        await pilot.pause()
        assert "┏" in drawn(OWNERS)
        await pilot.press("tab")
        await pilot.pause()
        assert app.selected != OWNERS and app.selected in canvas.order
        # add evidence on FEES from the map view: the file changes and its state word shows
        app.select(FEES)
        await pilot.pause()
        before = drawn(FEES)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceForm)
        await clear_field(pilot)
        await type_text(pilot, "contradicts")
        await pilot.press("tab")
        await type_text(pilot, "analytics")
        await pilot.press("tab")
        await type_text(pilot, "billing dashboard")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen, messages(app)
        assert any(e.claim == FEES for e in on_disk(small_map_file).evidence.values())
        state = str(app.session.analysis.claims[FEES].state)
        assert drawn(FEES) != before and api.state_glyphs()[state] in drawn(FEES)
        # a new concept gets a box at once (Graphviz runs again)
        await pilot.press("a")
        await type_text(pilot, "loyalty cards")
        await pilot.press("enter")
        await pilot.pause()
        new = on_disk(small_map_file).find_concepts("loyalty cards")[0].id
        assert new in canvas.regions and "loyalty cards" in drawn(new)
        assert app.selected == new
        # drawn at once (placed provisionally), then Graphviz's layout replaces it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen._pending_key is None and screen._layout_key == screen._structure(None)
        assert new in canvas.regions and "loyalty cards" in drawn(new)
        # delete works on the selection, undo brings it back
        await pilot.press("d")
        await pilot.pause()
        assert new not in on_disk(small_map_file).concepts and new not in canvas.regions
        await pilot.press("u")
        await pilot.pause()
        assert new in canvas.regions
        # zoom and focus
        width = canvas.virtual_size.width
        await pilot.press("minus")
        await pilot.pause()
        assert canvas.virtual_size.width < width
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert canvas.virtual_size.width > width
        app.select(SPEED)
        await pilot.press("F")
        await pilot.pause()
        shown = {r for r in canvas.regions if r in m.concepts}
        assert SPEED in shown and len(shown) < len(app.session.map.concepts)
        await pilot.press("F")
        await pilot.pause()
        assert set(app.session.map.concepts) <= set(canvas.regions)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


# ---------------------------------------------------------------------- big maps (issue 6)
def full_analysis(path: Path) -> dict:  # type: ignore[type-arg]
    return api.analyse(on_disk(path), as_of=AS_OF).model_dump()


async def analysis_landed(app: ConceptmapApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the analysing thread to hand over the analysis of the map as it is now."""
    for _ in range(6000):  # a guard against a thread that never answers, not a timing
        if app.session.analysis_current and not app.session.analysis_waiting():
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("the analysis never landed")


async def test_a_big_map_is_analysed_in_a_thread_and_every_edit_is_saved_at_once(
    small_map_file: Path,
) -> None:
    # background_from=1: the small map is treated as big, so the thread path runs here
    app = ConceptmapApp(small_map_file, as_of=AS_OF, watch_seconds=0, background_from=1)
    async with app.run_test(size=SIZE) as pilot:
        assert app.session.background
        await analysis_landed(app, pilot)
        gaps = app.screen.query_one(GapPanel)
        assert app.session.analysis_current
        assert app.session.analysis.model_dump() == full_analysis(small_map_file)
        assert [gaps.get_option_at_index(i).id for i in range(gaps.option_count)] == [
            c.id for c in app.session.analysis.gaps
        ]
        pid = prop_between(app.session.map, SPEED, "c-latte-00000005")
        for who in ("Ana", "Ben", "Caro"):  # three edits in a row, faster than the thread
            app.jump_to(pid)
            await pilot.press("e", "tab")
            await type_text(pilot, "observ")
            await pilot.press("tab")
            await type_text(pilot, who)
            await pilot.press("enter")
            assert isinstance(app.screen, MainScreen)
            # on disk at once, whether or not its analysis has landed
            assert who in {e.source for e in on_disk(small_map_file).evidence_for(pid)}
        await pilot.press("u")  # undo goes to the shadow map too
        await analysis_landed(app, pilot)
        assert {e.source for e in on_disk(small_map_file).evidence_for(pid)} == {"Ana", "Ben"}
        assert app.session.analysis_current
        assert app.session.analysis.model_dump() == full_analysis(small_map_file)
        assert app.session.analysis.claims[pid].evidence_count == 2
        assert "analysing" not in str(gaps.border_subtitle)


def test_background_session_analyses_what_the_map_is_after_edits_from_another_thread(
    small_map_file: Path,
) -> None:
    """Edits on the event loop's thread while the analysing thread runs: every analysis it
    hands back is of a revision the map really had, and the last one is of the map now."""
    import threading

    from conceptmap.tui.session import Session

    s = Session(small_map_file, as_of=AS_OF, background_from=1)
    assert s.analysis is None and s.claim_analysis_thread()
    landed: list[tuple[object, int]] = []
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            out = s.analyse_in_background()
            if out is not None:
                landed.append(out)
                s._running = True  # keep this test's thread the only analyser

    thread = threading.Thread(target=work)
    thread.start()
    try:
        pids = sorted(s.map.propositions)
        for i in range(12):
            pid = pids[i % len(pids)]
            s.edit("add evidence", lambda m, pid=pid, i=i: m.add_evidence(
                pid, kind="interview", stance="supports" if i % 3 else "contradicts",
                source=f"person {i}", date=AS_OF,
            ))  # fmt: skip
            if i % 4 == 3:
                s.undo()
    finally:
        while s.analysis_waiting():
            pass
        stop.set()
        thread.join()
    out = s.analyse_in_background() or landed[-1]
    assert out[1] == s.map.revision
    s.take_analysis(*out)
    assert s.analysis_current
    assert s.analysis.model_dump() == full_analysis(small_map_file)


def test_the_background_analysis_runs_with_the_collector_paused(
    small_map_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big map's re-analysis makes 10^5 short-lived temporaries; with Python's collector
    on, they pushed it into full collections of millions of objects (0.6–1.3 s holding the
    interpreter, the screen frozen) every few edits. The thread analyses with it paused, and
    puts it back on after, also when the analysis stops half-way."""
    import gc

    from conceptmap.model import collector_paused
    from conceptmap.tui.session import Session

    real, seen = api.analyse, []

    def watched(*args: object, **kw: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "analyse", watched)
    s = Session(small_map_file, as_of=AS_OF, background_from=1)
    assert gc.isenabled() and s.claim_analysis_thread()
    out = s.analyse_in_background()
    assert out is not None and out[1] == s.map.revision
    assert seen == [False] and gc.isenabled()
    s.edit("rate", lambda m: m.set_importance(sorted(m.propositions)[0], 5))
    assert s.analyse_in_background(stop=lambda: True) is None  # stopped at once
    assert seen == [False, False] and gc.isenabled()
    # nested, and with the collector already off, each puts back what it found
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def wide_map_file(tmp_path: Path, n: int) -> Path:
    """A deep map of ``n`` concepts (each hangs under one of the previous three)."""
    m = api.ConceptMap.new("Wide", id="m-wide")
    ids = [m.add_concept(f"concept {i}", id=f"c-{i:05d}").id for i in range(n)]
    for i in range(1, n):
        m.add_proposition(ids[max(0, i - 1 - i % 3)], f"has {i % 5}", ids[i])
    m.set_meta(root=ids[0])
    path = tmp_path / "wide.cmap.json"
    path.write_bytes(api.dump_map(m))
    return path


async def test_a_huge_outline_and_table_show_what_is_needed_and_follow_jumps(
    tmp_path: Path,
) -> None:
    path = wide_map_file(tmp_path, Outline.LAZY_FROM + 300)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        m = app.session.map
        outline, table = app.screen.query_one(Outline), app.screen.query_one(ClaimsTable)
        assert len(outline.nodes_by_concept) < len(m.concepts) // 10  # built as it opens
        assert table.row_count == ClaimsTable.WINDOW < len(m.propositions)
        assert f"of {len(m.propositions):,}" in str(table.border_subtitle)
        # a jump to the deepest concept opens the outline down to it
        deep = max(m.concepts)
        app.jump_to(deep)
        await pilot.pause()
        assert outline.cursor_node is not None and outline.cursor_node.data == ("concept", deep)
        # a jump to a proposition outside the table's window moves the window
        last = max(m.propositions, key=lambda pid: m.propositions[pid].target)
        app.jump_to(last)
        await pilot.pause()
        assert table.cursor_pid == last and app.focused is table
        # cursor keys walk past the window's edge
        first_row = table._order[0]
        table.move_cursor(row=0)
        await pilot.press("up")
        assert table.cursor_pid not in (None, first_row)
        assert table.cursor_pid == table._all[table._all.index(first_row) - 1]
        # edits still land on disk and in the table
        await pilot.press("e", "tab")
        await type_text(pilot, "observ")
        await pilot.press("tab")
        await type_text(pilot, "Dana")
        pid = app.selected
        await pilot.press("enter")
        await pilot.pause()
        assert [e.source for e in on_disk(path).evidence_for(pid)] == ["Dana"]
        assert table.get_row(pid)[2].plain == "1"


async def test_the_tui_judges_claims_with_the_settings_gaps_uses(tmp_path: Path) -> None:
    """`conceptmap open` reads the conceptmap.toml next to the map, as `gaps` does: the gap
    panel and every state on screen are the ones the team configured."""
    import shutil

    from conceptmap.tui import open_app

    src = tmp_path / "cafe.cmap.json"
    shutil.copy(api.bundled_maps()["cafe-ordering.cmap.json"], src)
    (tmp_path / "conceptmap.toml").write_text("[states]\nunsupported_u = 0.6\n")
    day = dt.date(2026, 11, 23)
    m = api.read_map(src)
    configured = api.analyse(m, settings=api.analysis_settings(near=src), as_of=day)
    default = api.analyse(m, as_of=day)
    changed = [cid for cid, c in configured.claims.items() if c.state != default.claims[cid].state]
    assert changed
    app = open_app(src, as_of=day)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.session.analysis
        assert {c: r.state for c, r in shown.claims.items()} == {
            c: r.state for c, r in configured.claims.items()
        }
        table = app.screen.query_one(ClaimsTable)
        for cid in changed:
            if cid in m.propositions and cid in table._rows:
                assert str(configured.claims[cid].state) in str(table.get_cell(cid, "state"))
