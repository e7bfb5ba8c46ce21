"""Projector mode: no chrome, one gap at a time, large enough to read from the back of the room.

``P`` opens it on the selected gap (or the first); ``n``/``→`` and ``p``/``←`` step through the
ranked gaps, ``Esc`` leaves with the gap last shown selected. ``e`` (evidence) and ``o`` (plan)
work here as on the main screen, and the page follows every edit and every reload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from conceptmap.tui.states import state_text
from conceptmap.tui.widgets.panels import plan_text

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["ProjectorScreen"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ProjectorScreen(Screen[str | None]):
    """The ranked gaps, one per page. Dismisses with the id of the gap last shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right,space,pagedown", "step(1)", "next gap", id="projector.next"),
        Binding("p,left,pageup", "step(-1)", "previous gap", id="projector.previous"),
        Binding("home", "first", "first gap", show=False, id="projector.first"),
        Binding("escape,P,q", "leave", "leave", id="projector.leave"),
        Binding("e", "app.add_evidence", "evidence", id="projector.evidence"),
        Binding("o", "app.set_plan", "plan", id="projector.plan"),
    ]

    def __init__(self, start: str | None = None) -> None:
        super().__init__()
        self.current: str | None = start
        self.index = 0

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="pj-head")
        with VerticalScroll(id="pj-page"):
            yield Static("", id="pj-claim")
            yield Static("", id="pj-body")
        yield Static(
            Text.assemble(
                ("n →", "bold"),
                " next   ",
                ("p ←", "bold"),
                " previous   ",
                ("e", "bold"),
                " add evidence   ",
                ("o", "bold"),
                " plan   ",
                ("Esc", "bold"),
                " back to the map",
            ),
            id="pj-keys",
        )

    def on_mount(self) -> None:
        self.query_one("#pj-page").can_focus = False
        self.follow_map()

    # ------------------------------------------------------------------ paging
    def _gaps(self) -> list[Any]:
        a = self.capp.session.analysis
        return list(a.gaps) if a is not None else []

    def action_step(self, delta: int) -> None:
        gaps = self._gaps()
        if not gaps:
            return
        self.index = max(0, min(len(gaps) - 1, self.index + delta))
        self.current = gaps[self.index].id
        self._draw(gaps)

    def action_first(self) -> None:
        self.index = 0
        self.action_step(0)

    def action_leave(self) -> None:
        self.dismiss(self.current)

    def follow_map(self) -> None:
        """Redraw after an edit or a reload: the same gap if it is still one, else the one
        now at its place."""
        gaps = self._gaps()
        ids = [c.id for c in gaps]
        if self.current in ids:
            self.index = ids.index(self.current)
        elif gaps:
            self.index = max(0, min(len(gaps) - 1, self.index))
            self.current = ids[self.index]
        else:
            self.current = None
        self._draw(gaps)

    # ------------------------------------------------------------------ drawing
    def _draw(self, gaps: list[Any]) -> None:
        s = self.capp.session
        m, a = s.map, s.analysis
        head = Text()
        head.append(_one_line(m.focus_question) or _one_line(m.title), style="bold")
        claim_w = self.query_one("#pj-claim", Static)
        body_w = self.query_one("#pj-body", Static)
        if not gaps or self.current is None:
            head.append("   no gaps", style="dim")
            self.query_one("#pj-head", Static).update(head)
            claim_w.update(Text("No gaps: every claim is supported by evidence.", style="bold"))
            body_w.update("")
            return
        c = gaps[self.index]
        self.capp.selected = c.id
        head.append(f"   gap {self.index + 1} of {len(gaps)}", style="bold reverse")
        self.query_one("#pj-head", Static).update(head)

        claim = Text()
        claim.append_text(state_text(c.state))
        claim.append(f"   gap score {c.gap_score:.2f}", style="bold")
        if c.stale:
            claim.append("   stale", style="italic")
        claim.append("\n\n")
        claim.append(_one_line(m.claim_text(c.id)), style="bold")
        claim_w.update(claim)

        t = Text()
        t.append("Why\n", style="bold underline")
        t.append(c.reason + "\n")
        evidence = m.evidence_for(c.id)
        t.append(f"\nEvidence ({len(evidence)})\n", style="bold underline")
        if not evidence:
            t.append("none yet: nobody has checked this (e adds evidence)\n", style="italic")
        for e in evidence:
            supports = e.stance.value == "supports"
            t.append("✓ supports" if supports else "✗ contradicts", style="bold")
            t.append(f" · {e.kind.value} · {_one_line(e.source)} · {e.date.isoformat()}")
            if e.n > 1:
                t.append(f" · n={e.n}")
            if e.quote:
                t.append("\n   “")
                t.append(_one_line(e.quote), style="italic")
                t.append("”")
            t.append("\n")
        if c.next_step:
            t.append("\nNext step\n", style="bold underline")
            t.append(c.next_step + "\n")
        t.append("\nPlan\n", style="bold underline")
        item = m.plan_for(c.id)
        if item is None:
            t.append("nobody owns this yet (o gives it an owner, a test and a due date)", "italic")
        else:
            t.append_text(plan_text(item, a.as_of if a is not None else None, long=True))
        body_w.update(t)
        self.query_one("#pj-page", VerticalScroll).scroll_home(animate=False)
