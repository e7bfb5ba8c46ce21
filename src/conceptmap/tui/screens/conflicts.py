"""Merge conflicts in the open map: the banner that says so, and the screen that settles them.

``conceptmap merge`` (and git, through the merge driver) keeps every true conflict in the map
as a marked :class:`~conceptmap.model.Conflict` (the map holds our value meanwhile), and
``validate`` refuses the map until each is settled. The TUI makes that impossible to miss: a
banner under the focus question (glyph and word, not colour alone) until the last conflict is
gone. ``C`` opens :class:`ConflictsScreen`, which lists each conflict (the record, the field,
base, ours and theirs); ``o``/``t`` take ours or theirs for the highlighted one, ``O``/``T``
for all of them. Each choice goes through :func:`conceptmap.api.resolve_conflicts` (what
``conceptmap resolve`` calls), as one undoable edit saved with the safe save.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Click
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from conceptmap import api
from conceptmap.safety import terminal_text

if TYPE_CHECKING:
    from conceptmap.model import Conflict
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["ConflictBanner", "ConflictsScreen", "describe_record", "show_banner"]

GLYPH = "⚠"
#: fields that change on every save and say nothing about what someone did
_QUIET = {"updated", "created", "id"}


def _one_line(text: Any, limit: int = 0) -> str:
    s = " ".join(terminal_text(str(text)).split())
    if limit and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def banner_text(n: int) -> Text:
    t = Text()
    t.append(f"{GLYPH} MERGE CONFLICTS: ", style="bold")
    t.append(f"{n} unresolved", style="bold")
    t.append(" — two versions of this map disagree; validate refuses it.  ")
    t.append("Press C to settle them", style="bold")
    return t


class ConflictBanner(Static):
    """One line under the focus question while the map holds merge conflicts (click opens
    the conflict screen)."""

    def on_click(self, event: Click) -> None:
        self.app.run_action("resolve_conflicts")


def show_banner(screen: Screen[Any], m: api.ConceptMap) -> None:
    """Show, update or take away the conflict banner on the main ``screen``."""
    found = list(screen.query("#conflicts-banner").results(ConflictBanner))
    n = len(m.conflicts)
    if found:
        banner = found[0]
        if n:
            banner.update(banner_text(n))
    elif n:
        banner = ConflictBanner(banner_text(n), id="conflicts-banner")
        screen.mount(banner, after="#focus")
    else:
        return
    banner.set_class(bool(n), "-shown")  # hidden, not removed: an undo brings it back at once


# ---------------------------------------------------------------------- describing a conflict
def describe_record(m: api.ConceptMap, collection: str, rid: str) -> str:
    """What the conflict is about, in words ("concept “fast delivery”"), escaped, one line."""

    def claim(cid: str) -> str:
        return (
            f"“{_one_line(m.claim_text(cid), 70)}”"
            if cid in m.concepts or cid in m.propositions
            else cid
        )

    if collection == "map":
        return "the map itself"
    if collection == "concept" and rid in m.concepts:
        return f"concept “{_one_line(m.concepts[rid].label, 70)}”"
    if collection == "linking_phrase" and rid in m.linking_phrases:
        return f"linking phrase “{_one_line(m.linking_phrases[rid].label, 70)}”"
    if collection == "proposition" and rid in m.propositions:
        return f"proposition “{_one_line(m.proposition_text(rid), 90)}”"
    if collection == "evidence" and rid in m.evidence:
        e = m.evidence[rid]
        return f"evidence from {_one_line(e.source, 40)} on {claim(e.claim)}"
    if collection == "relation" and rid in m.relations:
        r = m.relations[rid]
        return f"relation: {claim(r.source)} {r.kind.value} {claim(r.target)}"
    if collection == "plan" and rid in m.plan:
        return f"plan item of {claim(m.plan[rid].claim)}"
    return f"{collection.replace('_', ' ')} {_one_line(rid)} (no longer in the map)"


def _value(v: Any) -> str:
    if v is None:
        return "(not set)"
    if isinstance(v, str):
        return f"“{_one_line(v, 90)}”"
    if isinstance(v, list):
        return _one_line(", ".join(str(x) for x in v), 90) or "(none)"
    return _one_line(json.dumps(v, ensure_ascii=False, sort_keys=True), 90)


def _record_side(base: Any, side: Any) -> str:
    """One side of a deleted-here, edited-there conflict: what that side did to the record."""
    if side is None:
        return "deleted it"
    if not isinstance(side, dict):
        return _value(side)
    if base is None or not isinstance(base, dict):
        return "kept it"
    changed = [
        f"{k} {_value(side.get(k))}"
        for k in sorted(set(base) | set(side))
        if k not in _QUIET and base.get(k) != side.get(k)
    ]
    return "edited it: " + _one_line("; ".join(changed), 90) if changed else "kept it unchanged"


def conflict_text(m: api.ConceptMap, x: Conflict) -> Text:
    """A conflict as the screen lists it: about what, then base, ours and theirs."""
    t = Text()
    t.append(f"{GLYPH} conflict ", style="bold")
    t.append(describe_record(m, x.collection, x.record), style="bold")
    if x.field is not None:
        t.append(f" · field {_one_line(x.field)}", style="bold")
        rows = (
            ("base", _value(x.base), ""),
            ("ours", _value(x.ours), "   ← in the map now"),
            ("theirs", _value(x.theirs), ""),
        )
    else:
        rows = (
            ("ours", _record_side(x.base, x.ours), ""),
            ("theirs", _record_side(x.base, x.theirs), ""),
        )
        kept = "ours" if x.ours is not None else "theirs"
        t.append(f"\n  the map holds the edited version ({kept}) meanwhile", style="italic")
    for side, text, note in rows:
        t.append(f"\n  {side:<7}", style="bold")
        t.append(text)
        if note:
            t.append(note, style="italic")
    if x.message:
        t.append("\n  ")
        t.append(_one_line(x.message, 110), style="italic")
    return t


class ConflictsScreen(ModalScreen[None]):
    """Every merge conflict of the map; take ours or theirs, one by one or all at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "take('ours')", "take ours", id="conflicts.ours", tooltip="Keep our value"),
        Binding(
            "t", "take('theirs')", "take theirs", id="conflicts.theirs", tooltip="Take their value"
        ),
        Binding(
            "O",
            "take_all('ours')",
            "all ours",
            id="conflicts.all-ours",
            tooltip="Keep our value in every conflict",
        ),
        Binding(
            "T",
            "take_all('theirs')",
            "all theirs",
            id="conflicts.all-theirs",
            tooltip="Take their value in every conflict",
        ),
        Binding(
            "u,ctrl+z", "app.undo", "undo", id="conflicts.undo", tooltip="Undo the last choice"
        ),
        Binding("U,ctrl+y", "app.redo", "redo", show=False, id="conflicts.redo"),
        Binding("escape,q,C", "close", "back", id="conflicts.close", tooltip="Back to the map"),
    ]

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts", classes="dialog"):
            yield Static("", id="conflicts-title", classes="form-title")
            yield Static(
                "Two people changed the same thing in different ways. Choose for each "
                "conflict; every choice is saved at once and u undoes it.",
                id="conflicts-intro",
            )
            yield OptionList(id="conflict-list")
            yield Static(
                Text.assemble(
                    ("o", "bold"),
                    " take ours   ",
                    ("t", "bold"),
                    " take theirs   ",
                    ("O", "bold"),
                    " all ours   ",
                    ("T", "bold"),
                    " all theirs   ",
                    ("u", "bold"),
                    " undo   ",
                    ("Esc", "bold"),
                    " back",
                ),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.follow_map()
        self.query_one("#conflict-list", OptionList).focus()

    def follow_map(self) -> None:
        """Redraw from the map (after every choice, undo and reload), keeping the cursor at
        the same place so the next conflict moves under it."""
        m = self.capp.session.map
        conflicts = [m.conflicts[k] for k in sorted(m.conflicts)]
        n = len(conflicts)
        title = Text(f"{GLYPH} ", style="bold")
        if n:
            title.append(f"{n} merge conflict{'s' if n != 1 else ''} in ")
        else:
            title.append("No merge conflicts left in ")
        title.append(_one_line(self.capp.session.path.name))
        self.query_one("#conflicts-title", Static).update(title)
        ol = self.query_one("#conflict-list", OptionList)
        at = ol.highlighted or 0
        ol.clear_options()
        options = []
        for i, x in enumerate(conflicts, 1):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", width=3, style="bold")
            grid.add_column(ratio=1)
            text = conflict_text(m, x)
            if i < n:
                text.append("\n")  # a blank line between conflicts, read from the back row
            grid.add_row(f"{i}.", text)
            options.append(Option(grid, id=x.id))
        if not options:
            options.append(
                Option(
                    Text("✓ resolved: every conflict is settled; the map is valid again.", "bold"),
                    id="-none-",
                    disabled=True,
                )
            )
        ol.add_options(options)
        if n:
            ol.highlighted = min(at, n - 1)

    def _highlighted(self) -> str | None:
        opt = self.query_one("#conflict-list", OptionList).highlighted_option
        if opt is None or opt.id not in self.capp.session.map.conflicts:
            return None
        return opt.id

    def action_take(self, side: str) -> None:
        cid = self._highlighted()
        if cid is None:
            self.notify("No conflict selected.", severity="warning")
            return
        self._resolve([cid], side)

    def action_take_all(self, side: str) -> None:
        ids = sorted(self.capp.session.map.conflicts)
        if ids:
            self._resolve(ids, side)

    def _resolve(self, ids: list[str], side: str) -> None:
        what = "conflict" if len(ids) == 1 else f"{len(ids)} conflicts"
        problem = self.capp.run_edit(
            f"resolve {what}: take {side}",
            lambda m: api.resolve_conflicts(m, ids, side),
        )
        if problem is not None:
            self.notify(problem, severity="error", timeout=8)
            return
        if not self.capp.session.map.conflicts and self.is_current:
            self.notify(
                "✓ Every merge conflict is resolved: the map is valid again (u undoes).",
                timeout=4,
            )
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
