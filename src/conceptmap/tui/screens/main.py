"""The one main screen: focus question, outline, propositions, gaps and the selected claim."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, Tree

from conceptmap.tui.keys import bindings
from conceptmap.tui.widgets.footer import KeyFooter
from conceptmap.tui.widgets.panels import (
    ClaimsTable,
    DetailPane,
    EvidenceList,
    FocusBar,
    GapPanel,
    Outline,
)

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["MIN_SIZE", "MainScreen"]

#: The smallest terminal the layout works in (columns, rows).
MIN_SIZE = (80, 24)


class MainScreen(Screen[None]):
    BINDINGS = bindings()
    #: focused from the start (focusing it after mount restyled two panels after the first frame)
    AUTO_FOCUS = "#gaps"

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield FocusBar(id="focus")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Outline(id="outline")
                yield GapPanel(id="gaps")
            with Vertical(id="right"):
                yield ClaimsTable(id="claims")
                with Vertical(id="detail-box"):
                    yield DetailPane(id="detail")
                    yield EvidenceList(id="evidence")
        yield Static("", id="too-small")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#outline").border_title = "Concepts (outline by level)"
        self.query_one("#gaps").border_title = "Gaps, most urgent first"
        self.query_one("#claims").border_title = "Propositions"
        self.query_one("#detail-box").border_title = "Selected claim"
        self.query_one("#evidence").border_title = "Evidence"
        self._fit(self.app.size.width, self.app.size.height)
        self.capp.first_show()

    def on_screen_resume(self) -> None:
        self.capp.catch_up()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Static).update(
                f"This terminal is {width}×{height}; conceptmap needs at least "
                f"{MIN_SIZE[0]}×{MIN_SIZE[1]}.\n\nMake the window larger or the font smaller. "
                "Your map is safe: every edit is already saved. (q quits)"
            )

    # ------------------------------------------------------------------ selection
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:  # type: ignore[type-arg]
        data = event.node.data
        if data and event.control.has_focus:
            self.capp.select(data[1])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.control.has_focus and event.row_key is not None and event.row_key.value:
            self.capp.select(event.row_key.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "gaps" and event.option.id and event.option_list.has_focus:
            self.capp.select(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "gaps" and event.option.id:
            self.capp.jump_to(event.option.id)
        elif event.option_list.id == "evidence":
            self.capp.run_action_later("edit_evidence")
