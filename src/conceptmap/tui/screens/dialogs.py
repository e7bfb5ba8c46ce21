"""Small screens: help (every key), search, confirm, and the file-changed-on-disk choice."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from conceptmap.model import normalise_label
from conceptmap.tui.keys import ACTIONS

__all__ = ["ChangedOnDiskScreen", "ConfirmScreen", "HelpScreen", "SearchScreen"]

NAVIGATION = (
    ("Tab / Shift+Tab", "move between the panels"),
    ("↑ ↓ Enter", "move in a panel; Enter on a gap jumps to its claim"),
    ("^p", "command palette: every action by name (“concept: add” …)"),
    ("Esc", "close a form, the help or the search (a form keeps your text)"),
    ("Tab (in a form)", "take the grey completion and go to the next field"),
    ("Enter (in a form)", "save when every field is valid"),
)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, from the same table as the bindings and the palette."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close", id="help.close", tooltip="Close the help"
        ),
    ]

    def compose(self) -> ComposeResult:
        keys = Text()
        for a in ACTIONS:
            keys.append(f"{a.key_display or 'palette':<12}", style="bold")
            keys.append(f"{a.title:<30}")
            keys.append(a.help + "\n", style="dim")
        nav = Text()
        for k, what in NAVIGATION:
            nav.append(f"{k:<20}", style="bold")
            nav.append(what + "\n")
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("Keys", classes="form-title")
            yield Static(keys)
            yield Static("Moving around", classes="form-title")
            yield Static(nav)
            yield Static(
                "Every edit is saved at once and can be undone (u) and redone (U). "
                "States read: ? unsupported · ✗ contradicted · ± contested · ~ weak · ✓ supported. "
                "Esc closes this help.",
                classes="form-keys",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


class SearchScreen(ModalScreen[tuple[str, str] | None]):
    """Find a concept, proposition or evidence item by any part of its text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="search.close", tooltip="Close the search"),
        Binding(
            "down",
            "to_results",
            "Results",
            show=False,
            id="search.results",
            tooltip="Move to the results",
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="search", classes="dialog"):
            yield Static("Search concepts, propositions and evidence", classes="form-title")
            yield Input(
                placeholder="type any part of a label, a source or a quote", id="search-input"
            )
            yield OptionList(id="search-results")
            yield Static(
                "Enter jumps to the first hit · ↓ to choose · Esc closes", classes="form-keys"
            )

    def on_mount(self) -> None:
        self._fill("")

    def _entries(self) -> list[tuple[str, str, str, str]]:
        m = self.app.session.map  # type: ignore[attr-defined]
        out = []
        for cid in sorted(m.concepts):
            out.append(("concept", cid, "concept", m.concepts[cid].label))
        for pid in sorted(m.propositions):
            out.append(("proposition", pid, "proposition", m.proposition_text(pid)))
        for eid in sorted(m.evidence):
            e = m.evidence[eid]
            out.append(
                (
                    "evidence",
                    eid,
                    f"evidence ({e.source})",
                    f"{e.source}: {e.quote}" if e.quote else e.source,
                )
            )
        return out

    def _fill(self, query: str) -> None:
        key = normalise_label(query)
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        hits = []
        for kind, rid, what, text in self._entries():
            if key and key not in normalise_label(text):
                continue
            t = Text(f"{what}: ", style="bold")
            t.append(" ".join(text.split()))
            hits.append(Option(t, id=f"{kind}:{rid}"))
            if len(hits) >= 200:
                break
        results.add_options(hits)
        if hits:
            results.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            self._choose(results.get_option_at_index(results.highlighted or 0).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id:
            kind, rid = option_id.split(":", 1)
            self.dismiss((kind, rid))

    def action_to_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """Ask before a delete that takes more with it (undo still brings it back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, leave it"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(Text(self.question), classes="form-title")
            yield Static(
                "y: yes · n or Esc: no   (u undoes it afterwards too)", classes="form-keys"
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ChangedOnDiskScreen(ModalScreen[str]):
    """The file changed under us: reload (re-applying our edit) or keep editing a copy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "choose('reload')",
            "Reload and re-apply",
            id="changed.reload",
            tooltip="Load the version on disk and re-apply your edit on top",
        ),
        Binding(
            "k",
            "choose('copy')",
            "Keep as a copy",
            id="changed.copy",
            tooltip="Keep editing your version, saved as a new file next to it",
        ),
    ]

    def __init__(self, path: str, edit_name: str | None) -> None:
        super().__init__()
        self.path = path
        self.edit_name = edit_name

    def compose(self) -> ComposeResult:
        t = Text()
        t.append("The map file changed on disk", style="bold")
        t.append(f"\n{self.path}\nSomeone (or another program) saved it after you opened it. ")
        if self.edit_name:
            t.append("Your edit “")
            t.append(self.edit_name, style="bold")
            t.append("” was not written over their version; it is kept.")
        else:
            t.append("You have no unsaved edit.")
        with Vertical(id="changed", classes="dialog"):
            yield Static(t)
            with Horizontal(classes="buttons"):
                yield Button("r  Reload and re-apply my edit", id="reload", variant="primary")
                yield Button("k  Keep editing as a copy", id="copy")
            yield Static("Either way nothing you typed is lost.", classes="form-keys")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("reload" if event.button.id == "reload" else "copy")

    def action_choose(self, what: str) -> None:
        self.dismiss(what)
