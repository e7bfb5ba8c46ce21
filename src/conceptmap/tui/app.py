"""The workshop TUI: build, question and grow a concept map live, in front of a team.

``ConceptmapApp(map_path)`` opens one map file. Every edit goes through :meth:`run_edit`:
one undoable edit in the map, saved at once with the safe save, then the analysis runs again
and every panel is refreshed. There is no "save" and quitting never asks. All library calls go
through :mod:`conceptmap.api` (via :class:`~conceptmap.tui.session.Session`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App
from textual.screen import ModalScreen
from textual.theme import Theme
from textual.widgets import DataTable, OptionList, Tree
from textual.widgets.option_list import OptionDoesNotExist

from conceptmap import api
from conceptmap.errors import ConceptmapError, FileChangedError, InputError, LockedError
from conceptmap.tui.screens.main import MainScreen
from conceptmap.tui.session import Session
from conceptmap.tui.widgets.panels import (
    ClaimsTable,
    DetailPane,
    EvidenceList,
    FocusBar,
    GapPanel,
    Outline,
)

if TYPE_CHECKING:
    from textual.command import Provider

__all__ = ["PROJECTOR", "ConceptmapApp"]

#: High contrast for a projector in a lit room: white on black, yellow focus.
PROJECTOR = Theme(
    name="conceptmap-projector",
    primary="#ffd400",
    secondary="#56d6ff",
    accent="#ffd400",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#56d6ff",
    warning="#ffb000",
    error="#ff7043",
    dark=True,
    variables={
        "footer-key-foreground": "#ffd400",
        "block-cursor-background": "#ffd400",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#ffd400 40%",
    },
)


def _map_commands() -> type[Provider]:
    """The palette's map actions (imported when the palette first opens)."""
    from conceptmap.tui.commands import MapCommands

    return MapCommands


#: Cursor moves the app makes itself (not the user's choice of a claim).
_MOVES = (Tree.NodeHighlighted, DataTable.RowHighlighted, OptionList.OptionHighlighted)
#: seconds between an edit of a big map and the start of its analysis thread (see _refresh_views)
_BACKGROUND_DELAY = 0.25


class ConceptmapApp(App[None]):
    """The conceptmap workshop app for one map file."""

    CSS_PATH = "app.tcss"
    TITLE = "conceptmap"
    COMMANDS = App.COMMANDS | {_map_commands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        map_path: str | Path,
        *,
        as_of: dt.date | None = None,
        settings: Any = None,
        watch_seconds: float = 2.0,
        background_from: int | None = None,
    ) -> None:
        super().__init__()
        big = {} if background_from is None else {"background_from": background_from}
        self.session = Session(map_path, as_of=as_of, settings=settings, **big)
        #: the day forms default to and refuse dates after (the analysis date when given)
        self.today = as_of or dt.date.today()
        self.drafts: dict[str, dict[str, str]] = {}
        self.selected: str | None = None
        self._watch_seconds = watch_seconds
        self._offering = False
        #: (mtime, size) of a version on disk that could not be read (not reported twice)
        self._unreadable: tuple[int, int] | None = None
        #: the outline, propositions and gaps wait for the main screen to show again
        self._stale_panels = False

    # ------------------------------------------------------------------ start-up
    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    def on_mount(self) -> None:
        self.register_theme(PROJECTOR)
        self.theme = PROJECTOR.name
        if self._watch_seconds > 0:
            self.set_interval(self._watch_seconds, self.check_disk)

    def first_show(self) -> None:
        """Fill the main screen (called once it is composed). A big map's first frame comes
        first (the outline and the propositions of 10^5 concepts take seconds to lay out)."""
        s = self.session
        if s.background:
            screen = self.get_screen_main()
            screen.query_one(FocusBar).show(s.map, str(s.path))
            screen.query_one(GapPanel).show(s.map, None)
            screen.query_one(DetailPane).update(Text("opening the map…", style="italic"))
            self.call_after_refresh(self._fill)
        else:
            self._fill()

    def _fill(self) -> None:
        self.refresh_views(detail=False)  # the jump below shows the detail
        m = self.session.map
        a = self.session.analysis
        first = next(iter(a.gaps), None) if a is not None else None
        self.selected = first.id if first is not None else next(iter(sorted(m.concepts)), None)
        if self.selected:
            self.jump_to(self.selected, focus=False)
        else:
            self._show_detail()
        screen = self.get_screen_main()
        if screen.focused is None:  # no auto focus (the app itself not focused)
            screen.query_one(GapPanel).focus()

    # ------------------------------------------------------------------ drawing
    def refresh_views(self, *, detail: bool = True) -> None:
        """Analyse the map again and redraw every panel from it (the detail pane too unless
        the caller jumps to a claim next, which draws it)."""
        with self.prevent(*_MOVES):
            self._refresh_views(detail)

    def _refresh_views(self, detail: bool = True) -> None:
        s = self.session
        m = s.map
        if s.background:  # the panels show "analysing…" until it lands
            # started once the screen has answered the key: the thread shares the GIL, and
            # started at once it halved the speed of the save and the redraw the user waits on
            self.set_timer(_BACKGROUND_DELAY, self._analyse_in_background)
        else:
            s.analyse()
        if (
            self.selected is not None
            and self.selected not in m.concepts
            and self.selected not in m.propositions
        ):
            self.selected = None
        screen = self.get_screen_main()
        screen.query_one(FocusBar).show(m, str(s.path))
        if m.conflicts or screen.query("#conflicts-banner"):
            from conceptmap.tui.screens.conflicts import show_banner

            show_banner(screen, m)  # merge conflicts: a banner until the last is settled
        if self._main_hidden():
            self._stale_panels = True  # redrawn when the main screen shows again
        else:
            self._show_panels()
        if detail:
            self._show_detail()
        for other in self.screen_stack:
            follow = getattr(other, "follow_map", None)
            if follow is not None and other.is_mounted:
                follow()

    def _show_panels(self) -> None:
        s, screen = self.session, self.get_screen_main()
        self._stale_panels = False
        screen.query_one(Outline).show(s.map, s.analysis)
        screen.query_one(ClaimsTable).show(s.map, s.analysis)
        screen.query_one(GapPanel).show(s.map, s.analysis, analysing=not s.analysis_current)

    def _analyse_in_background(self) -> None:
        if self.session.claim_analysis_thread():
            # not a Textual thread worker: it could not be told to stop, and the process
            # waits for its thread when it ends, so quitting during the first analysis of
            # 10^5 concepts waited for all of it; this one stops within seconds of the app
            threading.Thread(target=self._analysis_thread, name="conceptmap-analysis").start()

    def _analysis_thread(self) -> None:
        """Analyse a big map's queued edits until none is left, handing each analysis to the
        event loop (the map being edited is never read here: see Session)."""
        s = self.session

        def ended() -> bool:
            return not self.is_running

        try:
            s.warm_up()
            while (out := s.analyse_in_background(ended)) is not None:
                if ended():
                    return
                self.call_from_thread(self._analysis_landed, *out)
        except Exception as err:
            if not self.is_running:
                return  # the app ended while the thread worked
            self.call_from_thread(s.analysis_thread_failed)  # it reads the map: on the loop
            self.call_from_thread(
                self.notify,
                f"The analysis failed ({type(err).__name__}: {err}); it runs again on the "
                "next edit",
                severity="error",
                timeout=10,
            )
            raise  # and the thread's traceback goes to stderr

    def _analysis_landed(self, analysis: Any, revision: int) -> None:
        """A background analysis arrived: redraw what shows it (the cursor stays put)."""
        self.session.take_analysis(analysis, revision)
        with self.prevent(*_MOVES):
            if self._main_hidden():
                self._stale_panels = True
            else:
                self._show_panels()
            self._show_detail()
            for other in self.screen_stack:
                follow = getattr(other, "follow_map", None)
                if follow is not None and other.is_mounted:
                    follow()

    def _main_hidden(self) -> bool:
        """Whether a full screen (map view, projector) covers the main screen."""
        stack = self.screen_stack
        main = next(i for i, s in enumerate(stack) if isinstance(s, MainScreen))
        return any(not isinstance(s, ModalScreen) for s in stack[main + 1 :])

    def catch_up(self) -> None:
        """Redraw the outline, propositions and gaps if edits were made while a full screen
        covered them (called when the main screen shows again)."""
        if self._stale_panels and not self._main_hidden():
            with self.prevent(*_MOVES):
                self._show_panels()
                if self.selected is not None:
                    self._jump_to(self.selected, focus=False)

    def get_screen_main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def _show_detail(self) -> None:
        screen = self.get_screen_main()
        screen.query_one(DetailPane).show(
            self.session.map, self.session.analysis, self.selected, screen.query_one(EvidenceList)
        )
        for other in self.screen_stack:
            follow = getattr(other, "follow_selection", None)
            if follow is not None and other.is_mounted:
                follow()

    def select(self, claim_id: str) -> None:
        """Show ``claim_id`` (a concept or proposition) in the detail pane."""
        if claim_id != self.selected:
            self.selected = claim_id
            self._show_detail()

    def jump_to(self, record_id: str, *, focus: bool = True) -> None:
        """Put the cursor on a concept or proposition (or an evidence item's claim)."""
        with self.prevent(*_MOVES):
            self._jump_to(record_id, focus=focus)

    def _jump_to(self, record_id: str, *, focus: bool) -> None:
        m = self.session.map
        screen = self.get_screen_main()
        evidence = None
        if record_id in m.evidence:
            evidence = record_id
            record_id = m.evidence[record_id].claim
        if record_id in m.propositions:
            table = screen.query_one(ClaimsTable)
            table.select_pid(record_id)
            if focus:
                table.focus()
        elif record_id in m.concepts:
            tree = screen.query_one(Outline)
            tree.select_data(("concept", record_id))
            if focus:
                tree.focus()
        self.selected = record_id
        self._show_detail()
        if evidence is not None:
            ev = screen.query_one(EvidenceList)
            ev.highlighted = ev.get_option_index(evidence)
            if focus:
                ev.focus()

    # ------------------------------------------------------------------ the edit cycle
    def run_edit(
        self,
        name: str,
        fn: Callable[[api.ConceptMap], Any],
        *,
        select: str | None = None,
        select_result: bool = False,
    ) -> str | None:
        """Make one edit, save it, re-analyse and redraw. Returns the problem the map
        refused the edit with (for the form to show), or ``None``."""
        try:
            result = self.session.edit(name, fn)
        except InputError as err:
            return "; ".join(p.format(None) for p in err.problems)
        except FileChangedError:
            self._after_edit(None)
            self.call_later(self.offer_reload)  # once the form has closed
            return None
        except LockedError as err:
            self._after_edit(None)
            self.notify(f"{err.message}; retrying the save", severity="warning")
            self.set_timer(1.0, self.retry_save)
            return None
        if select_result and result is not None:
            select = getattr(result, "id", None)
        self._after_edit(select)
        self.notify(f"Saved: {name}  (u undoes)", timeout=2)
        return None

    def _after_edit(self, select: str | None) -> None:
        if select is not None:
            self.selected = select
        self.refresh_views(detail=select is None)
        if select is not None:
            self.jump_to(select, focus=False)

    def retry_save(self) -> None:
        try:
            self.session.file.save()
        except LockedError:
            self.set_timer(1.0, self.retry_save)
        except FileChangedError:
            self.offer_reload()
        else:
            self.session.pending = None
            self.notify("Saved.", timeout=2)

    # ------------------------------------------------------------------ file changed on disk
    def check_disk(self) -> None:
        """Called every few seconds: another participant's save shows up here. With no edit
        of ours waiting, the map is reloaded quietly in place; otherwise the user chooses."""
        if self._offering or not self.session.changed_on_disk():
            return
        if self.session.pending is not None:
            self.offer_reload()
        else:
            self.reload_quietly()

    def _disk_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.session.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def reload_quietly(self) -> None:
        """Load the version on disk, keeping the viewer's place (selected claim, scroll)."""
        stamp = self._disk_stamp()
        if stamp is not None and stamp == self._unreadable:
            return  # already told; wait for the next save
        screen = self.get_screen_main()
        scrolls = {w: w.scroll_offset for w in screen.query("#outline, #claims, #gaps, #detail")}
        try:
            self.session.reload_and_reapply()
        except ConceptmapError as err:
            self._unreadable = stamp
            self.notify(
                f"The map file changed on disk but cannot be read ({err.lines()[0]}); "
                "still showing the last good version",
                severity="error",
                timeout=10,
            )
            return
        self._unreadable = None
        self.refresh_views()
        if self.selected is not None:
            self.jump_to(self.selected, focus=False)
        for w, offset in scrolls.items():
            w.scroll_to(offset.x, offset.y, animate=False, immediate=True)
        self.notify(
            f"Reloaded {self.session.path.name}: another participant's edit landed "
            "(undo starts again from here)",
            timeout=4,
        )

    def offer_reload(self) -> None:
        from conceptmap.tui.screens.dialogs import ChangedOnDiskScreen

        if self._offering:
            return
        self._offering = True
        pending = self.session.pending
        self.push_screen(
            ChangedOnDiskScreen(str(self.session.path), pending.name if pending else None),
            self._resolve_change,
        )

    def _resolve_change(self, choice: str | None) -> None:
        self._offering = False
        s = self.session
        if choice == "reload":
            try:
                name = s.reload_and_reapply()
            except FileChangedError:
                self.offer_reload()
                return
            except InputError as err:
                target = s.save_as_copy()
                self.notify(
                    f"Could not re-apply your edit ({err.message}); your version is kept as "
                    f"{target.name}",
                    severity="warning",
                    timeout=10,
                )
            else:
                self.notify("Reloaded" + (f" and re-applied: {name}" if name else ""), timeout=4)
        else:
            target = s.save_as_copy()
            self.notify(f"Now editing a copy: {target}", timeout=8)
        self.refresh_views()

    # ------------------------------------------------------------------ helpers for actions
    def run_action_later(self, action: str) -> None:
        self.call_later(self.run_action, action)

    def _focused_id(self) -> str | None:
        return getattr(self.focused, "id", None)

    def _need(self, what: str) -> str | None:
        """The selected claim (or concept), or a hint to select one."""
        m = self.session.map
        sel = self.selected
        if what == "concept":
            if sel in m.concepts:
                return sel
            self.notify("Select a concept first (in the outline on the left).", severity="warning")
            return None
        if sel in m.concepts or sel in m.propositions:
            return sel
        self.notify("Select a concept or proposition first.", severity="warning")
        return None

    def _selected_evidence(self) -> str | None:
        ev = self.get_screen_main().query_one(EvidenceList)
        opt = ev.highlighted_option
        if opt is None or opt.id is None or opt.id not in self.session.map.evidence:
            self.notify(
                "Select an evidence item in the detail pane first (Tab to it).", severity="warning"
            )
            return None
        return opt.id

    # ------------------------------------------------------------------ actions
    def action_add_concept(self) -> None:
        from conceptmap.tui.screens.forms import ConceptForm

        self.push_screen(ConceptForm())

    def action_rename_concept(self) -> None:
        from conceptmap.tui.screens.forms import ConceptForm

        if cid := self._need("concept"):
            self.push_screen(ConceptForm(cid))

    def action_delete_concept(self) -> None:
        from conceptmap.tui.screens.dialogs import ConfirmScreen

        cid = self._need("concept")
        if cid is None:
            return
        m = self.session.map
        props = m.propositions_of(cid)
        n_ev = len(m.evidence_for(cid)) + sum(len(m.evidence_for(p.id)) for p in props)
        label = " ".join(m.concepts[cid].label.split())

        def done(yes: bool | None) -> None:
            if yes:
                self.run_edit("delete concept", lambda mm: mm.remove_concept(cid))

        if props or n_ev:
            self.push_screen(
                ConfirmScreen(
                    f"Delete “{label}” with its {len(props)} proposition(s) and {n_ev} evidence item(s)?"
                ),
                done,
            )
        else:
            done(True)

    def action_add_proposition(self) -> None:
        from conceptmap.tui.screens.forms import PropositionForm

        sel = self.selected
        m = self.session.map
        if sel in m.propositions:
            sel = m.propositions[sel].target
        self.push_screen(PropositionForm(sel if sel in m.concepts else None))

    def action_delete_proposition(self) -> None:
        m = self.session.map
        pid = self.selected if self.selected in m.propositions else None
        if pid is None:
            self.notify("Select a proposition first (in the table).", severity="warning")
            return
        self.run_edit("delete proposition", lambda mm: mm.remove_proposition(pid))

    def action_delete_selected(self) -> None:
        focused = self._focused_id()
        if focused == "evidence":
            self.action_remove_evidence()
        elif focused == "claims":
            self.action_delete_proposition()
        elif focused == "mapview":
            if self.selected in self.session.map.propositions:
                self.action_delete_proposition()
            else:
                self.action_delete_concept()
        elif focused == "outline":
            node = self.get_screen_main().query_one(Outline).cursor_node
            if node is not None and node.data and node.data[0] == "proposition":
                self.selected = node.data[1]
                self.action_delete_proposition()
            else:
                self.action_delete_concept()
        else:
            self.notify(
                "Move to the outline, the propositions or the evidence to delete.",
                severity="warning",
            )

    def action_add_evidence(self) -> None:
        from conceptmap.tui.screens.forms import EvidenceForm

        if cid := self._need("claim"):
            self.push_screen(EvidenceForm(cid))

    def action_edit_evidence(self) -> None:
        from conceptmap.tui.screens.forms import EvidenceForm

        if eid := self._selected_evidence():
            self.push_screen(EvidenceForm(self.session.map.evidence[eid].claim, eid))

    def action_remove_evidence(self) -> None:
        if eid := self._selected_evidence():
            self.run_edit("delete evidence", lambda m: m.remove_evidence(eid), select=self.selected)

    def action_mark_supports(self) -> None:
        from conceptmap.tui.screens.forms import RelationForm

        if cid := self._need("claim"):
            self.push_screen(RelationForm(cid, "supports"))

    def action_mark_contradicts(self) -> None:
        from conceptmap.tui.screens.forms import RelationForm

        if cid := self._need("claim"):
            self.push_screen(RelationForm(cid, "contradicts"))

    def action_set_importance(self) -> None:
        from conceptmap.tui.screens.forms import ImportanceForm

        if cid := self._need("claim"):
            self.push_screen(ImportanceForm(cid))

    def action_set_plan(self) -> None:
        from conceptmap.tui.screens.forms import PlanForm

        if cid := self._need("claim"):
            self.push_screen(PlanForm(cid))

    def action_remove_plan(self) -> None:
        cid = self._need("claim")
        if cid is None:
            return
        if self.session.map.plan_for(cid) is None:
            self.notify("The selected claim has no plan item.", severity="warning")
            return
        self.run_edit("remove plan item", lambda m: m.remove_plan(cid), select=cid)

    def action_edit_focus(self) -> None:
        from conceptmap.tui.screens.forms import FocusForm

        self.push_screen(FocusForm())

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, which: str) -> None:
        s = self.session
        try:
            name = s.undo() if which == "undo" else s.redo()
        except FileChangedError:
            self.refresh_views()
            self.offer_reload()
            return
        if name is None:
            self.notify(f"Nothing to {which}.", timeout=2)
            return
        self.refresh_views()
        self.notify(f"{'Undid' if which == 'undo' else 'Redid'}: {name}", timeout=2)

    def action_search(self) -> None:
        from conceptmap.tui.screens.dialogs import SearchScreen

        def done(hit: tuple[str, str] | None) -> None:
            if hit is not None:
                self.jump_to(hit[1], focus=isinstance(self.screen, MainScreen))

        self.push_screen(SearchScreen(), done)

    def action_focus_gaps(self) -> None:
        self.get_screen_main().query_one(GapPanel).focus()

    def action_map_view(self) -> None:
        from conceptmap.tui.screens.mapview import MapScreen

        if not isinstance(self.screen, MapScreen):
            self.push_screen(MapScreen())

    def action_projector(self) -> None:
        from conceptmap.tui.screens.projector import ProjectorScreen

        if self.session.analysis is None:
            self.notify("The map is still being analysed; the projector opens after.", timeout=3)
            return
        gaps = {c.id for c in self.session.analysis.gaps}
        start = self.selected if self.selected in gaps else None

        def back(gap: str | None) -> None:
            if gap is not None:
                self.jump_to(gap, focus=False)
                self._highlight_gap(gap)

        self.push_screen(ProjectorScreen(start), back)

    def _highlight_gap(self, gap: str) -> None:
        self.catch_up()
        panel = self.get_screen_main().query_one(GapPanel)
        try:
            panel.highlighted = panel.get_option_index(gap)
        except OptionDoesNotExist:  # a gap beyond the panel's top 60
            return
        panel.focus()

    def action_resolve_conflicts(self) -> None:
        from conceptmap.tui.screens.conflicts import ConflictsScreen

        if isinstance(self.screen, ConflictsScreen):
            return
        if not self.session.map.conflicts:
            self.notify("✓ No merge conflicts in this map: nothing to resolve.", timeout=3)
            return
        self.push_screen(ConflictsScreen())

    def action_burndown(self) -> None:
        from conceptmap.tui.screens.burndown import BurndownScreen

        if not isinstance(self.screen, BurndownScreen):
            self.push_screen(BurndownScreen())

    def action_help(self) -> None:
        from conceptmap.tui.screens.dialogs import HelpScreen

        self.push_screen(HelpScreen())

    def action_export_svg(self) -> None:
        self._export("svg")

    def action_gap_report(self) -> None:
        self._export("report")

    def _export(self, what: str) -> None:
        """Write the SVG drawing or the gap report next to the map (with today's states)."""
        s = self.session
        stem = s.path.name.removesuffix(api.MAP_SUFFIX)
        try:
            if what == "svg":
                target = s.path.with_name(f"{stem}.svg")
                notes = api.export_map(s.map, target, as_of=s.as_of, settings=s.settings)
            else:
                report = getattr(api, "gap_report", None)
                if report is None:
                    self.notify(
                        "This build has no gap report in conceptmap.api yet; run "
                        "`conceptmap gaps MAP --format markdown`.",
                        severity="error",
                        timeout=8,
                    )
                    return
                target = s.path.with_name(f"{stem}.gaps.md")
                api.write_text(
                    target, report(s.map, as_of=s.as_of, format="markdown", settings=s.settings)
                )
                notes = []
        except ConceptmapError as err:
            self.notify(err.lines()[0], severity="error", timeout=8)
            return
        self.notify("\n".join([f"Wrote {target}", *notes]), timeout=6)
