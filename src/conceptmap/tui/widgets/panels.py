"""The panels of the main screen: outline, propositions, gaps and detail.

Each panel has one ``show(...)`` method that takes the map and its analysis and redraws only
what changed, so that an edit on a 1,000-concept map refreshes within a keypress. Map text is
always put in :class:`rich.text.Text` (never parsed as markup), so a label like ``[red]`` is
shown as typed.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.visual import RichVisual
from textual.widgets import DataTable, OptionList, Static, Tree
from textual.widgets.option_list import Option, OptionDoesNotExist

from conceptmap import api
from conceptmap.tui.states import state_text

__all__ = ["ClaimsTable", "DetailPane", "EvidenceList", "FocusBar", "GapPanel", "Outline"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def plan_text(item: Any, today: Any, *, long: bool = False) -> Text:
    """A plan item as "owner · due 2026-06-15" ("! overdue" when past due, "done" when done);
    with ``long`` the next test too."""
    t = Text()
    if item is None:
        return t
    t.append("plan: ", style="bold")
    t.append(_one_line(item.owner))
    t.append(f" · due {item.due.isoformat()}")
    if item.done:
        t.append(" · done", style="bold")
    elif today is not None and item.due < today:
        t.append("  ! overdue", style="bold reverse #ff7043")
    if long:
        t.append("\nnext test: ", style="bold")
        t.append(_one_line(item.next_test))
    return t


class FocusBar(Static):
    """The focus question, large and first: every map answers one question."""

    def show(self, m: api.ConceptMap, path: str) -> None:
        t = Text()
        q = _one_line(m.focus_question) or "(no focus question yet: press f to write one)"
        t.append("Focus question: ", style="bold")
        t.append(q, style="bold reverse" if m.focus_question else "italic")
        t.append(f"   {_one_line(m.title)} · {path.rsplit('/', 1)[-1]}", style="dim")
        self.update(t)


class Outline(Tree[tuple[str, str]]):
    """Concepts by hierarchy level, from the root down; non-tree links marked ⤳."""

    def __init__(self, **kw: Any) -> None:
        super().__init__("Concepts", **kw)
        self.show_root = False
        self.guide_depth = 2
        self._signature: tuple[Any, ...] = ()
        self.nodes_by_concept: dict[str, Any] = {}

    def show(self, m: api.ConceptMap, analysis: Any) -> None:
        h = api.hierarchy(m)
        tree_props = set(h.parent_prop.values())
        extra: dict[str, list[str]] = {}
        for pid in sorted(m.propositions):
            if pid not in tree_props:
                extra.setdefault(m.propositions[pid].source, []).append(pid)
        claims = analysis.claims if analysis is not None else {}
        sig = (
            tuple(sorted((c.id, c.label) for c in m.concepts.values())),
            tuple(sorted((p.id, p.source, p.via, p.target) for p in m.propositions.values())),
            tuple(sorted((lp.id, lp.label) for lp in m.linking_phrases.values())),
            tuple(sorted((cid, claims[cid].state) for cid in m.concepts if cid in claims)),
        )
        if sig == self._signature:
            return
        self._signature = sig
        cursor = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self.nodes_by_concept = {}

        def label_of(cid: str, via_pid: str | None) -> Text:
            t = Text()
            if via_pid is not None:
                p = m.propositions[via_pid]
                if p.via:
                    t.append(_one_line(m.linking_phrases[p.via].label), style="italic dim")
                    t.append(" → ", style="dim")
            t.append(_one_line(m.concepts[cid].label))
            if cid in claims:
                t.append(" ")
                t.append_text(state_text(claims[cid].state, short=True))
            return t

        def add(parent: Any, cid: str, via_pid: str | None) -> None:
            kids = h.children.get(cid, [])
            links = extra.get(cid, [])
            node = parent.add(label_of(cid, via_pid), data=("concept", cid), expand=True)
            if not kids and not links:
                node.allow_expand = False
            self.nodes_by_concept[cid] = node
            for kid in kids:
                add(node, kid, h.parent_prop.get(kid))
            for pid in links:
                p = m.propositions[pid]
                t = Text("⤳ ", style="bold")
                if p.via:
                    t.append(_one_line(m.linking_phrases[p.via].label) + " → ", style="italic dim")
                t.append(_one_line(m.concepts[p.target].label))
                if pid in h.cross_links:
                    t.append("  cross-link", style="dim")
                node.add_leaf(t, data=("proposition", pid))

        for r in h.roots:
            add(self.root, r, None)
        if h.unreachable:
            lost = self.root.add(Text("not reachable from a root", style="italic"), expand=True)
            for cid in h.unreachable:
                if cid not in self.nodes_by_concept:
                    node = lost.add_leaf(label_of(cid, None), data=("concept", cid))
                    self.nodes_by_concept[cid] = node
        if cursor is not None:
            self.select_data(cursor, scroll=False)

    def select_data(self, data: tuple[str, str], *, scroll: bool = True) -> bool:
        node = self.nodes_by_concept.get(data[1]) if data[0] == "concept" else None
        if node is None:
            return False
        self.move_cursor(node)
        if scroll:
            self.scroll_to_node(node, animate=False)
        return True


class ClaimsTable(DataTable[Any]):
    """Every proposition as "concept — linking phrase → concept" with its state, evidence
    count and gap score, in hierarchy order."""

    COLUMNS = (("state", "State"), ("gap", "Gap"), ("ev", "Ev"), ("claim", "Proposition"))

    def __init__(self, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._order: list[str] = []
        self._texts: dict[str, Text] = {}
        self._signature: tuple[Any, ...] = ()

    def on_mount(self) -> None:
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)

    def show(self, m: api.ConceptMap, analysis: Any) -> None:
        sig = (
            tuple(m.propositions.values()),
            tuple(c.label for c in m.concepts.values()),
            tuple(lp.label for lp in m.linking_phrases.values()),
        )
        if sig != self._signature:
            self._signature = sig
            self._texts, ids = self._layout(m)
        else:
            ids = self._order
        claims = analysis.claims if analysis is not None else {}
        rows: dict[str, tuple[Any, ...]] = {}
        for pid in ids:
            c = claims.get(pid)
            rows[pid] = (
                str(c.state) if c else "…",
                f"{c.gap_score:.2f}" if c and c.is_gap else "–",
                c.evidence_count if c else len(m.evidence_for(pid)),
            )
        if ids == self._order:
            for pid, row in rows.items():
                old = self._rows.get(pid)
                if old != row:
                    for key, value in zip(("state", "gap", "ev"), self._cells(row), strict=True):
                        self.update_cell(pid, key, value)
        else:
            cursor = self.cursor_pid
            self.clear()
            for pid in ids:
                self.add_row(*self._cells(rows[pid]), self._texts[pid], key=pid)
            if cursor in rows:
                self.select_pid(cursor, scroll=False)
        self._rows, self._order = rows, ids

    @staticmethod
    def _cells(row: tuple[Any, ...]) -> tuple[Text, Text, Text]:
        state, gap, ev = row
        return (
            state_text(state) if state != "…" else Text("…"),
            Text(gap, justify="right"),
            Text(str(ev), justify="right"),
        )

    @staticmethod
    def _layout(m: api.ConceptMap) -> tuple[dict[str, Text], list[str]]:
        """Each proposition's text and the hierarchy order (only when the structure changed)."""
        h = api.hierarchy(m)
        big = len(h.level) + 1
        texts: dict[str, Text] = {}
        keys: dict[str, tuple[Any, ...]] = {}
        for pid, p in m.propositions.items():
            plain = _one_line(m.proposition_text(pid))
            text = Text(plain)
            if pid in h.cross_links:
                text.append("  ⤳", style="bold")
            texts[pid] = text
            keys[pid] = (h.level.get(p.source, big), h.level.get(p.target, big), plain, pid)
        return texts, sorted(keys, key=keys.__getitem__)

    @property
    def cursor_pid(self) -> str | None:
        if not self._order or self.row_count == 0:
            return None
        row = self.cursor_row
        if 0 <= row < len(self._order):
            return self._order[row]
        return None

    def select_pid(self, pid: str, *, scroll: bool = True) -> bool:
        if pid not in self._rows:
            return False
        self.move_cursor(row=self.get_row_index(pid), scroll=scroll)
        return True


class _MeasuredOnce(RichVisual):
    """A rich renderable whose height is measured once per width: an option list asks every
    option's height again after any change to the list, and measuring a grid renders it."""

    def __init__(self, widget: Any, renderable: Any) -> None:
        super().__init__(widget, renderable)
        self._heights: dict[int, int] = {}

    def get_height(self, rules: Any, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().get_height(rules, width)
        return height


class _GapGrid(Table):
    """The grid of one gap row ("rank. | state, score, text, plan"), measured once."""

    widget: Any = None

    def visualize(self) -> RichVisual:
        return _MeasuredOnce(self.widget, self)


class GapPanel(OptionList):
    """The ranked gaps: claims nobody checked or the evidence argues with, most urgent first.

    Only the first :attr:`LIMIT` are listed (a room works down from the top; ``conceptmap
    gaps`` lists them all), and the list is rebuilt only when what it shows changed."""

    LIMIT = 60

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._shown: list[tuple[Any, ...]] = []
        #: the option of each (rank, row) shown, reused while it reads the same
        self._rows: dict[tuple[int, tuple[Any, ...]], Option] = {}

    def show(self, m: api.ConceptMap, analysis: Any) -> None:
        gaps = list(analysis.gaps) if analysis is not None else []
        top = gaps[: self.LIMIT]
        today = analysis.as_of if analysis is not None else None
        rows = [
            (
                c.id,
                str(c.state),
                round(c.gap_score, 2),
                c.stale,
                _one_line(m.claim_text(c.id)),
                m.plan_for(c.id),
                today,
            )
            for c in top
        ]
        self.border_subtitle = (
            f"{len(gaps)} gaps"
            if len(gaps) <= self.LIMIT
            else f"top {self.LIMIT} of {len(gaps)} gaps"
        )
        if rows == self._shown and self.option_count:
            return
        self._shown = rows
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        options = []
        reuse, self._rows = self._rows, {}
        for rank, (c, row) in enumerate(zip(top, rows, strict=True), 1):
            option = reuse.get((rank, row))
            if option is not None:
                options.append(option)
                self._rows[rank, row] = option
                continue
            _, _, score, stale, text, item, _ = row
            t = state_text(c.state)
            t.append(f"  gap {score:.2f}", style="bold")
            if stale:
                t.append("  stale", style="italic")
            t.append("\n")
            t.append(text)
            if item is not None:
                t.append("\n")
                t.append_text(plan_text(item, today))
            grid = _GapGrid.grid(padding=(0, 1))
            grid.widget = self
            grid.add_column(justify="right", width=3, style="bold")
            grid.add_column(ratio=1)
            grid.add_row(f"{rank}.", t)
            option = Option(grid, id=c.id)
            options.append(option)
            self._rows[rank, row] = option
        if not options:
            options.append(
                Option(
                    Text("No gaps: every claim is supported.", style="italic"),
                    id="-none-",
                    disabled=True,
                )
            )
        elif len(gaps) > self.LIMIT:
            options.append(
                Option(
                    Text(
                        f"… {len(gaps) - self.LIMIT} more: `conceptmap gaps` lists them all",
                        style="italic",
                    ),
                    id="-more-",
                    disabled=True,
                )
            )
        self.clear_options()
        self.add_options(options)
        if keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
            except OptionDoesNotExist:  # the gap closed
                self.highlighted = 0 if top else None
        elif top:
            self.highlighted = 0


class EvidenceList(OptionList):
    """The evidence of the selected claim, one item per entry (E edits, x removes)."""


class DetailPane(Static):
    """The selected claim: how it reads, its state and why, and what to do next."""

    def show(
        self, m: api.ConceptMap, analysis: Any, claim_id: str | None, evidence: EvidenceList
    ) -> None:
        t = Text()
        options: list[Option] = []
        if claim_id is None or (claim_id not in m.concepts and claim_id not in m.propositions):
            t.append("Select a concept or a proposition to see its evidence.", style="italic")
            self.update(t)
            evidence.clear_options()
            return
        is_prop = claim_id in m.propositions
        t.append("Proposition: " if is_prop else "Concept: ", style="bold")
        t.append(_one_line(m.claim_text(claim_id)), style="bold")
        c = analysis.claims.get(claim_id) if analysis is not None else None
        if c is not None:
            t.append("\n")
            t.append_text(state_text(c.state))
            if c.stale:
                t.append("  stale", style="italic")
            imp = m.importance_of(claim_id)
            t.append(f"   importance {imp}/5   evidence {c.evidence_count}")
            if c.is_gap:
                t.append(f"   gap {c.gap_score:.2f}", style="bold")
            t.append("\n")
            t.append(c.reason)
            if c.next_step:
                t.append("\nNext: ", style="bold")
                t.append(c.next_step)
            if c.turns_gap_on is not None:  # the forecast (analysis.md §7), as `forecast` says
                t.append("\n◷ forecast: ", style="bold")
                t.append(f"turns into a gap on {c.turns_gap_on.isoformat()}")
                t.append(" as its evidence fades", style="italic")
        item = m.plan_for(claim_id)
        if item is not None:
            t.append("\n")
            t.append_text(
                plan_text(item, analysis.as_of if analysis is not None else None, long=True)
            )
        elif not is_prop:
            t.append(
                "\nnot a claim yet: add evidence (e) or mark it as a fact to weigh it",
                style="italic",
            )
        for r in m.relations_of(claim_id):
            other = r.target if r.source == claim_id else r.source
            verb = r.kind.value
            if r.source != claim_id:
                verb = {"supports": "is supported by", "contradicts": "is contradicted by"}[verb]
            t.append(f"\n{verb}: ", style="bold")
            t.append(_one_line(m.claim_text(other)))
        self.update(t)
        keep = evidence.highlighted_option.id if evidence.highlighted_option is not None else None
        for e in m.evidence_for(claim_id):
            supports = e.stance.value == "supports"
            line = Text()
            line.append("supports" if supports else "contradicts", style="bold")
            line.append(f" · {e.kind.value} · ")
            line.append(_one_line(e.source))
            line.append(f" · {e.date.isoformat()}")
            if e.n > 1:
                line.append(f" · n={e.n}")
            if e.quote:
                line.append("\n“")
                line.append(_one_line(e.quote), style="italic")
                line.append("”")
            if e.link:
                line.append("\n")
                line.append(e.link, style="underline")
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, style="bold")
            grid.add_column(ratio=1)
            grid.add_row("✓" if supports else "✗", line)
            options.append(Option(grid, id=e.id))
        evidence.clear_options()
        evidence.add_options(options)
        evidence.border_subtitle = f"{len(options)} items" if options else "none yet: press e"
        if keep is not None and any(o.id == keep for o in options):
            evidence.highlighted = evidence.get_option_index(keep)
