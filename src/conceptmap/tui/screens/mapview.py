"""The map view (``m``): the concept map itself, laid out by Graphviz, drawn in the terminal.

Arrow keys scroll, ``+``/``-`` zoom, Tab/Shift+Tab (or a click) select the next/previous
concept or proposition, ``F`` shows only the selected concept's neighbourhood (``<``/``>``
change its depth), ``m`` or Esc go back to the lists. Every editing key of the main screen
works here on the selection, and the drawing follows every edit.

After an edit that changes the structure, the drawing follows at once on the old layout (new
boxes placed provisionally under it, straight connectors for new links) while Graphviz lays the
map out again in a thread; the new layout replaces it when ready (~0.2 s on 300 concepts).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from conceptmap.errors import ConceptmapError
from conceptmap.tui.keys import bindings
from conceptmap.tui.states import state_text
from conceptmap.tui.widgets.footer import KeyFooter
from conceptmap.tui.widgets.mapview import ZOOMS, MapCanvas, provisional_layout
from conceptmap.tui.widgets.panels import plan_text

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["MapScreen"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class MapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(b for b in bindings() if b.action != "app.map_view"),
        Binding("m,escape", "leave", "lists", id="map.leave"),
        Binding("plus,equals_sign", "zoom(1)", "zoom in", key_display="+", id="map.zoom-in"),
        Binding("minus", "zoom(-1)", "zoom out", key_display="-", id="map.zoom-out"),
        Binding("F", "focus_mode", "focus", id="map.focus"),
        Binding("greater_than_sign", "depth(1)", "deeper", show=False, id="map.deeper"),
        Binding("less_than_sign", "depth(-1)", "shallower", show=False, id="map.shallower"),
        Binding("tab", "step(1)", "next", show=False, id="map.next"),
        Binding("shift+tab", "step(-1)", "previous", show=False, id="map.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.zoom_index = ZOOMS.index(1.0)
        self.centre: str | None = None  # focus mode: the concept in the middle
        self.depth = 1
        self._layout_key: Any = None
        self._layout: Any = None
        self._drawn: Any = None
        self._ready = False
        #: the structure a layout is being computed for in a thread (None: none running)
        self._pending_key: Any = None

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="map-head")
        yield MapCanvas(id="mapview")
        yield Static("", id="map-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._ready = True
        self.query_one(MapCanvas).focus()
        self.follow_map()
        self.call_after_refresh(self.query_one(MapCanvas).show_selected)

    # ------------------------------------------------------------------ following the map
    def _keep(self) -> set[str] | None:
        m = self.capp.session.map
        if self.centre is None:
            return None
        if self.centre not in m.concepts:
            self.centre = None
            return None
        from conceptmap.render.select import neighbourhood

        return set(neighbourhood(m, self.centre, self.depth).concepts)

    def _structure(self, keep: set[str] | None) -> Any:
        m = self.capp.session.map
        return (
            tuple(m.concepts.values()),
            tuple(m.propositions.values()),
            tuple(lp.label for lp in m.linking_phrases.values()),
            frozenset(keep) if keep is not None else None,
        )

    def layout_now(self) -> Any:
        """The layout of what is shown. Graphviz runs only when the structure changed: at
        once the first time and when focus mode changes what is shown, in a thread after an
        edit (meanwhile the old layout is used with the changes placed provisionally)."""
        keep = self._keep()
        key = self._structure(keep)
        if key == self._layout_key or key == self._pending_key:
            return self._layout
        from conceptmap.render.layout import terminal_dot

        text, names = terminal_dot(self.capp.session.map, keep)
        same_view = self._layout_key is not None and self._layout_key[3:] == key[3:]
        if self._layout is None or not same_view or not names:
            self._pending_key = None
            self._layout = self._run_dot(text, names)
            self._layout_key = key
            return self._layout
        self._pending_key = key
        self._layout = provisional_layout(self._layout, self.capp.session.map, names)
        self.run_worker(
            partial(self._relayout, text, names, key),
            thread=True,
            group="relayout",
            exit_on_error=False,
        )
        return self._layout

    def _run_dot(self, text: str, names: dict[str, tuple[str, str]]) -> Any:
        from conceptmap.render.graphviz import run_graphviz
        from conceptmap.render.layout import PlainLayout, parse_plain

        if not names:
            return PlainLayout()
        try:
            plain = run_graphviz(text, "plain", "dot").decode("utf-8", "replace")
        except ConceptmapError as err:
            self.capp.notify(err.lines()[0], severity="error", timeout=8)
            return None
        return parse_plain(plain, names)

    def _relayout(self, text: str, names: dict[str, tuple[str, str]], key: Any) -> None:
        """In a thread: run Graphviz, then hand the layout to the UI (if still wanted)."""
        from conceptmap.render.graphviz import run_graphviz
        from conceptmap.render.layout import parse_plain

        try:
            plain = run_graphviz(text, "plain", "dot").decode("utf-8", "replace")
        except ConceptmapError as err:
            self.app.call_from_thread(self._laid_out, key, None, err.lines()[0])
            return
        self.app.call_from_thread(self._laid_out, key, parse_plain(plain, names), None)

    def _laid_out(self, key: Any, layout: Any, problem: str | None) -> None:
        if key != self._pending_key or not self.is_attached:
            return  # a later edit is being laid out (or the view was left)
        self._pending_key = None
        if problem is not None:
            self.capp.notify(problem, severity="error", timeout=8)
            return  # keep the provisional drawing
        self._layout, self._layout_key = layout, key
        self.follow_map()
        self.query_one(MapCanvas).show_selected()  # the selection may have moved

    def follow_map(self) -> None:
        """Redraw after an edit, an undo, a reload or a new selection."""
        if not self._ready:
            return
        s = self.capp.session
        layout = self.layout_now()
        canvas = self.query_one(MapCanvas)
        zoom = ZOOMS[self.zoom_index]
        key = (id(layout), id(s.analysis), self.capp.selected, zoom)
        if key != self._drawn:
            moved = self.capp.selected != canvas.selected
            canvas.draw(s.map, s.analysis, layout, self.capp.selected, zoom)
            self._drawn = key
            if moved:
                canvas.show_selected()
        self._status()

    def follow_selection(self) -> None:
        self.follow_map()

    def _status(self) -> None:
        s = self.capp.session
        m = s.map
        head = Text()
        head.append("Focus question: ", style="bold")
        head.append(_one_line(m.focus_question) or "(none yet)", style="bold reverse")
        head.append(f"   map view · zoom {round(ZOOMS[self.zoom_index] * 100)}%", style="dim")
        if self.centre is not None:
            label = _one_line(m.concepts[self.centre].label)
            head.append(f" · focus: {label}, depth {self.depth}", style="bold")
            shown = len(self._layout.boxes) if self._layout is not None else 0
            head.append(f" ({shown} of {len(m.concepts) + len(m.linking_phrases)} boxes)")
        self.query_one("#map-head", Static).update(head)
        t = Text()
        sel = self.capp.selected
        if sel in m.concepts or sel in m.propositions:
            c = s.analysis.claims.get(sel) if s.analysis is not None else None
            if c is not None:
                t.append_text(state_text(c.state))
                t.append("  ")
            t.append(_one_line(m.claim_text(sel)), style="bold")
            if c is not None and c.is_gap:
                t.append(f"  gap {c.gap_score:.2f}")
            item = m.plan_for(sel)
            if item is not None:
                t.append("  ")
                t.append_text(plan_text(item, s.analysis.as_of if s.analysis else None))
            if c is not None:
                t.append("\n")
                t.append(c.reason, style="dim")
        else:
            t.append("Tab selects a concept or proposition; arrows scroll; + - zoom", "italic")
        self.query_one("#map-status", Static).update(t)

    # ------------------------------------------------------------------ actions
    def action_leave(self) -> None:
        self.dismiss(None)

    def action_zoom(self, delta: int) -> None:
        self.zoom_index = max(0, min(len(ZOOMS) - 1, self.zoom_index + delta))
        self.follow_map()
        self.query_one(MapCanvas).show_selected()

    def action_focus_mode(self) -> None:
        m = self.capp.session.map
        sel = self.capp.selected
        if sel in m.propositions:
            sel = m.propositions[sel].source
        if self.centre is not None and (sel == self.centre or sel not in m.concepts):
            self.centre = None
        elif sel in m.concepts:
            self.centre = sel
        else:
            self.capp.notify("Select a concept first (Tab).", severity="warning")
            return
        self.follow_map()
        self.query_one(MapCanvas).show_selected()

    def action_depth(self, delta: int) -> None:
        self.depth = max(1, min(6, self.depth + delta))
        if self.centre is not None:
            self.follow_map()
            self.query_one(MapCanvas).show_selected()

    def action_step(self, delta: int) -> None:
        canvas = self.query_one(MapCanvas)
        order = canvas.order
        if not order:
            return
        sel = self.capp.selected
        i = order.index(sel) + delta if sel in order else 0
        self.capp.select(order[i % len(order)])
        self.follow_map()

    def on_map_canvas_picked(self, event: MapCanvas.Picked) -> None:
        m = self.capp.session.map
        rid = event.record_id
        if rid in m.linking_phrases:
            pids = sorted(pid for pid, lid in event.canvas.phrase_of.items() if lid == rid)
            if not pids:
                return
            cur = self.capp.selected
            rid = pids[(pids.index(cur) + 1) % len(pids)] if cur in pids else pids[0]
        self.capp.select(rid)
        self.follow_map()
