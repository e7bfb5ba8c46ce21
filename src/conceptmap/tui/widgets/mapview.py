"""The concept map drawn in the terminal: boxes for concepts, linking phrases on the connectors.

Graphviz lays the map out once per structure (:func:`conceptmap.render.layout.terminal_layout`,
cached by what the layout depends on); states, selection and zoom only redraw. The drawing is a
sparse grid of cells turned into :class:`~textual.strip.Strip` rows on demand, so scrolling a
big map costs only the rows on screen.

States show three ways: the glyph, the word (on a concept's border when it fits) and colour.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from conceptmap import api
from conceptmap.tui.states import STATE_STYLES

__all__ = ["ZOOMS", "MapCanvas", "provisional_layout"]

ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0)
_RANK = ("contradicted", "contested", "unsupported", "weak", "supported")

_PLAIN = Style.parse("#ffffff")
_LINE = Style.parse("#8a8a8a")
_PHRASE = Style.parse("italic #d0d0d0")
_SELECT = Style.parse("bold #000000 on #ffd400")
_SELECT_LINE = Style.parse("bold #ffd400")
_STATE = {k: Style.parse(v) for k, v in STATE_STYLES.items()}

_LIGHT = "┌┐└┘─│"
_HEAVY = "┏┓┗┛━┃"


def _one_line(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _box_lines(label: str) -> tuple[str, ...]:
    from conceptmap.render.layout import box_lines

    return tuple(box_lines(label))


def provisional_layout(old: Any, m: api.ConceptMap, names: dict[str, tuple[str, str]]) -> Any:
    """``old`` made to show ``m`` until Graphviz has laid it out again: boxes of records gone
    are dropped, new concepts are placed in a row under the drawing, new linking phrases
    halfway between their ends, and new links drawn as straight lines.

    ``names`` is what the new layout will hold (DOT name → (record id, kind))."""
    from conceptmap.render.layout import Box, Edge, PlainLayout, box_lines, phrase_text

    wanted = {rid: kind for rid, kind in names.values()}
    boxes = {rid: b for rid, b in old.boxes.items() if wanted.get(rid) == b.kind}
    x, y = 1.0, old.height + 2.0
    for rid, kind in wanted.items():
        if kind != "concept" or rid in boxes:
            continue
        lines = box_lines(m.concepts[rid].label)
        w, h = max(len(t) for t in lines) + 4.0, len(lines) + 2.0
        boxes[rid] = Box(rid, kind, x + w / 2, y + h / 2, w, h)
        x += w + 3
    # linking phrases and connectors as the new layout will have them
    pairs: dict[tuple[str, str], bool] = {}
    for p in m.propositions.values():
        if p.source not in boxes or p.target not in boxes:
            continue
        if p.via is None:
            pairs[(p.source, p.target)] = True
            continue
        if wanted.get(p.via) != "phrase":
            continue
        if p.via not in boxes:
            a, b = boxes[p.source], boxes[p.target]
            w = len(phrase_text(m.linking_phrases[p.via].label)) + 2.0
            boxes[p.via] = Box(p.via, "phrase", (a.x + b.x) / 2, (a.y + b.y) / 2, w, 1.0)
        pairs[(p.source, p.via)] = False
        pairs[(p.via, p.target)] = True
    edges = [e for e in old.edges if (e.tail, e.head) in pairs]
    have = {(e.tail, e.head) for e in edges}
    for (tail, head), arrow in pairs.items():
        if (tail, head) not in have:
            a, b = boxes[tail], boxes[head]
            top = b.y - b.h / 2 - 1 if b.y > a.y else b.y + b.h / 2 + 1
            edges.append(Edge(tail, head, ((a.x, a.y), (b.x, top)), arrow))
    if len(edges) == len(old.edges) and all(a is b for a, b in zip(edges, old.edges, strict=True)):
        edges = old.edges  # the same connectors: the canvas keeps its drawing of them
    width = max([old.width, *(b.x + b.w / 2 for b in boxes.values())])
    height = max([old.height, *(b.y + b.h / 2 for b in boxes.values())])
    return PlainLayout(width, height, boxes, edges)


class MapCanvas(ScrollView, can_focus=True):
    """A scrollable drawing of a laid-out map (see the module docstring)."""

    DEFAULT_CSS = """
    MapCanvas { background: #000000; color: #ffffff; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.layout_: Any = None
        self.zoom = 1.0
        self.selected: str | None = None
        #: per row, the pieces of text drawn on it in order: (column, text, style)
        self._ops: dict[int, list[tuple[int, str, Style]]] = {}
        self._strips: dict[int, Strip] = {}
        #: record id → region on the canvas (concept boxes and phrase labels)
        self.regions: dict[str, Region] = {}
        #: proposition id → phrase node id (for selecting and highlighting a proposition)
        self.phrase_of: dict[str, str] = {}
        self.order: list[str] = []
        #: a new object on every draw (lets a benchmark or a test wait for the next drawing)
        self._drawn_at: object = None
        self._base: dict[int, list[tuple[int, str, Style]]] = {}
        self._base_key: Any = None
        self._base_zoom = 0.0

    # ------------------------------------------------------------------ drawing
    def draw(
        self, m: api.ConceptMap, analysis: Any, layout: Any, selected: str | None, zoom: float
    ) -> None:
        """Draw ``layout`` of ``m`` with the states of ``analysis``; ``selected`` highlighted."""
        self.layout_, self.selected, self.zoom = layout, selected, zoom
        self._ops, self._strips, self.regions, self.phrase_of = {}, {}, {}, {}
        claims = analysis.claims if analysis is not None else {}
        z = zoom
        boxes = layout.boxes if layout is not None else {}

        def at(x: float, y: float) -> tuple[int, int]:
            return round(x * z) + 2, round(y * z) + 1

        # which propositions each phrase node carries (both ends drawn)
        props_of: dict[str, list[str]] = {}
        direct: dict[tuple[str, str], str] = {}
        for pid, p in m.propositions.items():
            if p.source in boxes and p.target in boxes:
                if p.via is None:
                    direct[(p.source, p.target)] = pid
                elif p.via in boxes:
                    props_of.setdefault(p.via, []).append(pid)
                    self.phrase_of[pid] = p.via
        sel_phrase = self.phrase_of.get(selected or "")
        sel_ends: set[str] = set()
        if selected in m.propositions:
            p = m.propositions[selected]
            sel_ends = {p.source, p.target}

        # connectors first (grey ones cached per layout and zoom), boxes over them
        if layout is not None:
            # keyed by the edge list itself (a provisional layout keeps the old one)
            if self._base_key is not layout.edges or self._base_zoom != zoom:
                self._ops = {}
                for e in layout.edges:
                    self._edge(e, boxes, at, _LINE)
                self._base = self._ops
                self._base_key, self._base_zoom = layout.edges, zoom
            self._ops = {y: list(ops) for y, ops in self._base.items()}
            for e in layout.edges:
                on = sel_phrase is not None and sel_phrase in (e.tail, e.head)
                on = on and (e.tail in sel_ends or e.head in sel_ends)
                if selected is not None and direct.get((e.tail, e.head)) == selected:
                    on = True
                if on:
                    self._edge(e, boxes, at, _SELECT_LINE)

        for rid, b in boxes.items():
            cx, cy = at(b.x, b.y)
            if b.kind == "concept":
                self._concept(m, rid, b, cx, cy, claims.get(rid), rid == selected)
            else:
                pids = sorted(props_of.get(rid, []))
                states = [str(claims[p].state) for p in pids if p in claims]
                worst = next((s for s in _RANK if s in states), None)
                self._phrase(m, rid, cx, cy, worst, rid == sel_phrase)
        self.order = sorted(
            [*(r for r in self.regions if r in m.concepts), *self.phrase_of],
            key=lambda r: self._region_of(r).y * 100000 + self._region_of(r).x,
        )
        width = round((layout.width if layout else 0) * z) + 6
        height = round((layout.height if layout else 0) * z) + 3
        self.virtual_size = Size(width, height)
        self._drawn_at = object()
        self.refresh()

    def _region_of(self, rid: str) -> Region:
        return self.regions.get(rid) or self.regions.get(self.phrase_of.get(rid, ""), Region())

    def _put(self, x: int, y: int, ch: str, style: Style) -> None:
        if x >= 0 and y >= 0:
            ops = self._ops.get(y)
            if ops is None:
                ops = self._ops[y] = []
            ops.append((x, ch, style))

    def _text(self, x: int, y: int, text: str, style: Style) -> None:
        if x < 0:
            text, x = text[-x:], 0
        if text and y >= 0:
            ops = self._ops.get(y)
            if ops is None:
                ops = self._ops[y] = []
            ops.append((x, text, style))

    def _edge(self, e: Any, boxes: dict[str, Any], at: Any, style: Style) -> None:
        pts = [at(x, y) for x, y in e.points]
        self._polyline(pts, style)
        if e.arrow and e.head in boxes and len(pts) >= 2:
            self._arrow(pts, boxes[e.head], at, style)

    def _polyline(self, pts: list[tuple[int, int]], style: Style) -> None:
        last = (-1, -1)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            dx, dy = x1 - x0, y1 - y0
            vx, vy = abs(dx), abs(dy) * 2
            if vx > 2.4 * vy:
                ch = "─"
            elif vy > 2.4 * vx:
                ch = "│"
            else:
                ch = "╲" if (dx > 0) == (dy > 0) else "╱"
            n = max(abs(dx), abs(dy))
            for k in range(n + 1):
                x = x0 + round(dx * k / n) if n else x0
                y = y0 + round(dy * k / n) if n else y0
                if (x, y) != last:
                    self._put(x, y, ch, style)
                    last = (x, y)

    def _arrow(self, pts: list[tuple[int, int]], box: Any, at: Any, style: Style) -> None:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        left, top = at(box.x - box.w / 2, box.y - box.h / 2)
        right, bottom = at(box.x + box.w / 2, box.y + box.h / 2)
        dx, dy = x1 - x0, y1 - y0
        if abs(dy) * 2 >= abs(dx):
            if dy >= 0:
                self._put(x1, top - 1, "▼", style)
            else:
                self._put(x1, bottom + 1, "▲", style)
        elif dx > 0:
            self._put(left - 1, y1, "▶", style)
        else:
            self._put(right + 1, y1, "◀", style)

    def _concept(
        self,
        m: api.ConceptMap,
        cid: str,
        b: Any,
        cx: int,
        cy: int,
        claim: Any,
        chosen: bool,
    ) -> None:
        z = self.zoom
        lines = _box_lines(m.concepts[cid].label)
        if z < 1:
            width = max(6, round(b.w * z))
            lines = [" ".join(lines)]
        else:
            width = round(b.w)
        inner = width - 4
        lines = [ln if len(ln) <= inner else ln[: max(1, inner - 1)] + "…" for ln in lines]
        height = len(lines) + 2
        x0, y0 = cx - width // 2, cy - height // 2
        state = str(claim.state) if claim is not None else None
        border = _SELECT_LINE if chosen else _STATE.get(state or "", _PLAIN)
        label = _SELECT if chosen else Style.parse("bold #ffffff")
        tl, tr, bl, br, hz, vt = _HEAVY if chosen else _LIGHT
        self._text(x0, y0, tl + hz * (width - 2) + tr, border)
        if state:
            glyph = api.state_glyphs().get(state, "·")
            tag = f" {glyph} {state} " if len(state) + 5 <= width - 2 else f" {glyph} "
            self._text(x0 + 1, y0, tag[: width - 2], border)
        for i, ln in enumerate(lines):
            y = y0 + 1 + i
            self._put(x0, y, vt, border)
            pad = inner - len(ln)
            self._text(x0 + 1, y, " " * (1 + pad // 2), label)
            self._text(x0 + 2 + pad // 2, y, ln, label)
            self._text(x0 + 2 + pad // 2 + len(ln), y, " " * (pad - pad // 2 + 1), label)
            self._put(x0 + width - 1, y, vt, border)
        self._text(x0, y0 + height - 1, bl + hz * (width - 2) + br, border)
        self.regions[cid] = Region(x0, y0, width, height)

    def _phrase(
        self, m: api.ConceptMap, lid: str, cx: int, cy: int, worst: str | None, chosen: bool
    ) -> None:
        from conceptmap.render.layout import phrase_text

        text = phrase_text(m.linking_phrases[lid].label)
        if worst:
            text = f"{api.state_glyphs().get(worst, '·')} {text}"
        if self.zoom < 1 and len(text) > 12:
            text = text[:11] + "…"
        style = _SELECT if chosen else (_STATE.get(worst or "", _PHRASE) if worst else _PHRASE)
        x0 = cx - len(text) // 2
        self._text(x0 - 1, cy, f" {text} ", style)
        self.regions[lid] = Region(x0 - 1, cy, len(text) + 2, 1)

    # ------------------------------------------------------------------ Textual
    def render_line(self, y: int) -> Strip:
        sx, sy = self.scroll_offset
        row = sy + y
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._row_strip(row)
        base = self.rich_style
        return strip.crop_extend(sx, sx + self.size.width, base).apply_style(base)

    def _row_strip(self, row: int) -> Strip:
        ops = self._ops.get(row)
        if not ops:
            return Strip.blank(0)
        end = max(x + len(t) for x, t, _ in ops)
        chars: list[str] = [" "] * end
        styles: list[Style | None] = [None] * end
        for x, text, style in ops:
            n = len(text)
            chars[x : x + n] = text
            styles[x : x + n] = [style] * n
        segs: list[Segment] = []
        start = 0
        for i in range(1, end + 1):
            if i == end or styles[i] is not styles[start]:
                segs.append(Segment("".join(chars[start:i]), styles[start]))
                start = i
        return Strip(segs, end)

    def on_click(self, event: Click) -> None:
        sx, sy = self.scroll_offset
        x, y = event.x + sx, event.y + sy
        for rid, region in self.regions.items():
            if region.contains(x, y):
                self.post_message(MapCanvas.Picked(self, rid))
                return

    def show_selected(self) -> None:
        """Scroll so that the selection is on screen (centred when it was off screen)."""
        region = self._region_of(self.selected or "")
        if region.area:
            self.scroll_to_region(region.grow((1, 4, 1, 4)), animate=False, immediate=True)

    class Picked(Message):
        """The user clicked a concept or a linking phrase."""

        def __init__(self, canvas: MapCanvas, record_id: str) -> None:
            super().__init__()
            self.canvas = canvas
            self.record_id = record_id
