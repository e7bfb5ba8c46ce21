"""The panels of the main screen: outline, propositions, gaps and detail.

Each panel has one ``show(...)`` method that takes the map and its analysis and redraws only
what changed, so that an edit on a 1,000-concept map refreshes within a keypress. Map text is
always put in :class:`rich.text.Text` (never parsed as markup), so a label like ``[red]`` is
shown as typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
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

    _shown: tuple[str, str, str] | None = None

    def show(self, m: api.ConceptMap, path: str) -> None:
        key = (m.focus_question, m.title, path)
        if key == self._shown:
            return  # an update lays the whole screen out again: only when it reads otherwise
        self._shown = key
        t = Text()
        q = _one_line(m.focus_question) or "(no focus question yet: press f to write one)"
        t.append("Focus question: ", style="bold")
        t.append(q, style="bold reverse" if m.focus_question else "italic")
        t.append(f"   {_one_line(m.title)} · {path.rsplit('/', 1)[-1]}", style="dim")
        self.update(t)


class Outline(Tree[tuple[str, str]]):
    """Concepts by hierarchy level, from the root down; non-tree links marked ⤳.

    On a map of more than :attr:`LAZY_FROM` concepts a concept's children are added when it
    is first expanded (or when a jump needs them), so a huge map's outline costs what shows."""

    LAZY_FROM = 2000

    def __init__(self, **kw: Any) -> None:
        super().__init__("Concepts", **kw)
        self.show_root = False
        self.guide_depth = 2
        self._signature: tuple[Any, ...] = ()
        #: the structure token and the claims last shown (compared by identity)
        self._shown: tuple[object, object] = (None, None)
        self.nodes_by_concept: dict[str, Any] = {}
        #: lazy mode: nodes whose children are not added yet (node id → filler)
        self._unfilled: dict[int, Callable[[], None]] = {}
        self._structure: tuple[object, Any, dict[str, list[str]]] | None = None
        self._parent_of: Callable[[str], str | None] = lambda cid: None

    def show(self, m: api.ConceptMap, analysis: Any) -> None:
        h = api.hierarchy(m)
        claims = analysis.claims if analysis is not None else {}
        lazy = len(m.concepts) > self.LAZY_FROM
        # a value the map keeps until its concepts, linking phrases or propositions change
        token = m.derived(("tui", "outline"), object)
        if self._structure is None or self._structure[0] is not token:
            self._structure = (token, h, self._extra_links(m, h))
        extra = self._structure[2]
        # the same structure and the same analysis object: nothing to redraw (an edit on a big
        # map refreshes the panels while the thread still analyses; walking its 10^5 claims
        # for the signature below took 40 ms of that keypress)
        if self._shown[0] is token and self._shown[1] is claims:
            return
        self._shown = (token, claims)
        concepts = m.concepts
        sig: tuple[Any, ...] = (
            token,
            tuple((cid, c.state) for cid, c in claims.items() if cid in concepts),
        )
        if sig == self._signature:
            return
        self._signature = sig
        cursor = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self.nodes_by_concept = {}
        self._unfilled = {}

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

        def fill(node: Any, cid: str) -> None:
            for kid in h.children.get(cid, []):
                add(node, kid, h.parent_prop.get(kid))
            for pid in extra.get(cid, []):
                p = m.propositions[pid]
                t = Text("⤳ ", style="bold")
                if p.via:
                    t.append(_one_line(m.linking_phrases[p.via].label) + " → ", style="italic dim")
                t.append(_one_line(m.concepts[p.target].label))
                if pid in h.cross_links:
                    t.append("  cross-link", style="dim")
                node.add_leaf(t, data=("proposition", pid))

        def add(parent: Any, cid: str, via_pid: str | None) -> None:
            has_kids = bool(h.children.get(cid)) or bool(extra.get(cid))
            node = parent.add(label_of(cid, via_pid), data=("concept", cid), expand=not lazy)
            if not has_kids:
                node.allow_expand = False
            self.nodes_by_concept[cid] = node
            if not has_kids:
                return
            if lazy:
                self._unfilled[node.id] = lambda: fill(node, cid)
            else:
                fill(node, cid)

        def parent_of(cid: str) -> str | None:
            pid = h.parent_prop.get(cid)
            return m.propositions[pid].source if pid is not None else None

        self._parent_of = parent_of
        for r in h.roots:
            add(self.root, r, None)
        if h.unreachable:
            lost = self.root.add(Text("not reachable from a root", style="italic"), expand=not lazy)

            def fill_lost() -> None:
                for cid in h.unreachable:
                    if cid not in self.nodes_by_concept:
                        node = lost.add_leaf(label_of(cid, None), data=("concept", cid))
                        self.nodes_by_concept[cid] = node

            if lazy:
                self._unfilled[lost.id] = fill_lost
            else:
                fill_lost()
        if lazy and h.roots:  # the main root opens on its first level
            self._expand(self.nodes_by_concept[h.main_root or h.roots[0]])
        if cursor is not None:
            self.select_data(cursor, scroll=False)

    @staticmethod
    def _extra_links(m: api.ConceptMap, h: Any) -> dict[str, list[str]]:
        tree_props = set(h.parent_prop.values())
        extra: dict[str, list[str]] = {}
        for pid in sorted(m.propositions):
            if pid not in tree_props:
                extra.setdefault(m.propositions[pid].source, []).append(pid)
        return extra

    def _expand(self, node: Any) -> None:
        filler = self._unfilled.pop(node.id, None)
        if filler is not None:
            filler()
        node.expand()

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:  # type: ignore[type-arg]
        filler = self._unfilled.pop(event.node.id, None)
        if filler is not None:
            filler()

    def select_data(self, data: tuple[str, str], *, scroll: bool = True) -> bool:
        node = self.nodes_by_concept.get(data[1]) if data[0] == "concept" else None
        if node is None and data[0] == "concept" and self._unfilled:
            node = self._reveal(data[1])
            self.get_node_at_line(0)  # lays the new lines out, so the new nodes know theirs
        if node is None:
            return False
        self.move_cursor(node)
        if scroll:
            self.scroll_to_node(node, animate=False)
        return True

    def _reveal(self, cid: str) -> Any:
        """Lazy mode: add the nodes down to ``cid`` (expanding its ancestors)."""
        path = []
        at: str | None = cid
        while at is not None and at not in self.nodes_by_concept and len(path) <= 10_000:
            path.append(at)
            at = self._parent_of(at)
        if at is None:  # not under a root: among the unreachable ones
            for node_id in list(self._unfilled):
                lost = self.get_node_by_id(node_id)
                if lost.data is None:
                    self._expand(lost)
            return self.nodes_by_concept.get(cid)
        self._expand(self.nodes_by_concept[at])
        for step in reversed(path):
            node = self.nodes_by_concept.get(step)
            if node is None:
                return None
            if step != cid:
                self._expand(node)
        return self.nodes_by_concept.get(cid)


class ClaimsTable(DataTable[Any]):
    """Every proposition as "concept — linking phrase → concept" with its state, evidence
    count and gap score, in hierarchy order.

    A map with more than :attr:`WINDOW_FROM` propositions shows a window of :attr:`WINDOW` rows (the
    subtitle says which); moving the cursor past its end, or jumping to a proposition outside
    it (search, gaps), moves the window."""

    COLUMNS = (("state", "State"), ("gap", "Gap"), ("ev", "Ev"), ("claim", "Proposition"))
    WINDOW_FROM = 1500
    WINDOW = 300

    def __init__(self, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self._rows: dict[str, tuple[Any, ...]] = {}
        #: the propositions shown (the window), in order
        self._order: list[str] = []
        #: every proposition in order, and each one's place in it
        self._all: list[str] = []
        self._pos: dict[str, int] = {}
        self._start = 0
        self._texts: dict[str, Text] = {}
        self._token: object = None
        #: the texts were laid out anew since the rows were last drawn
        self._relaid = False
        self._last: tuple[Any, Any] | None = None

    def on_mount(self) -> None:
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)

    def show(self, m: api.ConceptMap, analysis: Any) -> None:
        # a value the map keeps until its concepts, linking phrases, propositions or root
        # change: what the rows' texts and order are made of (no walk over 10^5 records)
        token = m.derived(("tui", "claims-table"), object)
        if token is not self._token:
            self._token = token
            self._texts, self._all = self._layout(m)
            self._pos = {pid: i for i, pid in enumerate(self._all)}
            self._relaid = True  # the texts changed even where the order did not
        self._last = (m, analysis)
        self._show_window(m, analysis)

    def _show_window(self, m: api.ConceptMap, analysis: Any) -> None:
        total = len(self._all)
        windowed = total > self.WINDOW_FROM
        self._start = max(0, min(self._start, total - self.WINDOW)) if windowed else 0
        ids = self._all[self._start : self._start + self.WINDOW] if windowed else self._all
        self.border_subtitle = (
            f"rows {self._start + 1:,}–{self._start + len(ids):,} of {total:,} · / searches"
            if windowed
            else None
        )
        claims = analysis.claims if analysis is not None else {}
        rows: dict[str, tuple[Any, ...]] = {}
        for pid in ids:
            c = claims.get(pid)
            rows[pid] = (
                str(c.state) if c else "…",
                f"{c.gap_score:.2f}" if c and c.is_gap else "–",
                c.evidence_count if c else len(m.evidence_for(pid)),
            )
        if ids == self._order and not self._relaid:
            for pid, row in rows.items():
                old = self._rows.get(pid)
                if old != row:
                    for key, value in zip(("state", "gap", "ev"), self._cells(row), strict=True):
                        self.update_cell(pid, key, value)
        else:
            cursor = self.cursor_pid
            self.clear()
            for pid in ids:
                self.add_row(*self._cells(rows[pid]), self._text(m, pid), key=pid)
            self._rows, self._order = rows, ids
            self._relaid = False
            if cursor in rows:
                self.select_pid(cursor, scroll=False)
        self._rows, self._order = rows, ids

    def _text(self, m: api.ConceptMap, pid: str) -> Text:
        text = self._texts.get(pid)
        if text is None:  # a big map: texts are made for the rows shown
            h = api.hierarchy(m)
            text = self._texts[pid] = Text(_one_line(m.proposition_text(pid)))
            if pid in h.cross_links:
                text.append("  ⤳", style="bold")
        return text

    def _move_window(self, pid: str) -> None:
        """Show the window around ``pid``."""
        if self._last is None:
            return
        self._start = self._pos[pid] - self.WINDOW // 2
        self._show_window(*self._last)

    def action_cursor_down(self) -> None:
        row = self.cursor_row
        if row == len(self._order) - 1 and self._start + len(self._order) < len(self._all):
            self.select_pid(self._all[self._start + row + 1])
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row == 0 and self._start > 0:
            self.select_pid(self._all[self._start - 1])
            return
        super().action_cursor_up()

    @staticmethod
    def _cells(row: tuple[Any, ...]) -> tuple[Text, Text, Text]:
        state, gap, ev = row
        return (
            state_text(state) if state != "…" else Text("…"),
            Text(gap, justify="right"),
            Text(str(ev), justify="right"),
        )

    def _layout(self, m: api.ConceptMap) -> tuple[dict[str, Text], list[str]]:
        """Each proposition's text (on a big map: made when shown) and the hierarchy order
        (only when the structure changed)."""
        h = api.hierarchy(m)
        big = len(h.level) + 1
        texts: dict[str, Text] = {}
        keys: dict[str, tuple[Any, ...]] = {}
        lazy = len(m.propositions) > self.WINDOW_FROM
        for pid, p in m.propositions.items():
            plain = _one_line(m.proposition_text(pid))
            if not lazy:
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
        if pid not in self._rows and pid in self._pos:
            self._move_window(pid)
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

    def show(self, m: api.ConceptMap, analysis: Any, *, analysing: bool = False) -> None:
        """``analysing``: a newer analysis is on its way (a big map is analysed in a thread);
        until the first arrives the panel says so. Claims an edit removed since are left out."""
        if analysis is None:
            self.border_subtitle = "analysing…"
            if self._shown != [("-analysing-",)]:
                self._shown = [("-analysing-",)]
                self.clear_options()
                self.add_option(
                    Option(Text("analysing the map…", style="italic"), id="-none-", disabled=True)
                )
            return
        gaps = analysis.gaps
        if analysing:  # an edit may have removed some since
            props, concepts = m.propositions, m.concepts
            live = (c for c in gaps if c.id in props or c.id in concepts)
            top = list(itertools.islice(live, self.LIMIT))
        else:
            top = gaps[: self.LIMIT]
        today = analysis.as_of
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
        ) + (" · analysing…" if analysing else "")
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
