"""The batch gap report as ONE self-contained HTML file: readable on screen, printable.

No scripts, no external resources (fonts, styles, images): the CSS is inline and the page
works from a USB stick or an email attachment. Every piece of text from a map, an error or
the settings goes through :func:`~conceptmap.safety.html_text`; the only links are evidence
links, which went through :func:`~conceptmap.safety.safe_link` when the document was built
(and are checked again here). States are shown by glyph *and* word, with the Okabe–Ito colour
of the drawings as an extra, never alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from conceptmap.render.dot import PALETTE, STALE_GLYPH, STATE_TINTS
from conceptmap.report.json_report import COUNT_KEYS
from conceptmap.safety import html_text, safe_link

__all__ = ["HtmlWriter", "report_html"]

_FLAG_GLYPHS = {"stale": STALE_GLYPH, "undermined": "↓", "contradiction": "⚡", "gaps": ""}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p, ul { margin: .4rem 0; }
.meta { color: #444; }
.verdict { display: inline-block; padding: .3rem .7rem; border-radius: 4px; font-weight: bold;
  border: 2px solid; margin: .6rem 0; }
.verdict.fail { border-color: #D55E00; background: #F6D5C0; }
.verdict.pass { border-color: #009E73; background: #C4EAE0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.wide { overflow-x: auto; }
th.count { font-size: .8rem; line-height: 1.2; white-space: normal; text-align: right;
  padding: .35rem .35rem; }
th.count .g { display: block; font-size: .95rem; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
tr.invalid td { color: #8a2b00; }
.state { display: inline-block; white-space: nowrap; padding: 0 .4rem; border-radius: 3px;
  border-left: 5px solid; font-size: .88rem; }
.flag { display: inline-block; font-size: .78rem; border: 1px solid #888; border-radius: 3px;
  padding: 0 .3rem; margin-left: .3rem; white-space: nowrap; }
.flag.new { border-color: #0072B2; color: #0072B2; font-weight: bold; }
table.gaps td.claim { width: 26%; }
table.gaps td.why { width: 28%; }
table.gaps td.next { width: 22%; }
.why { color: #333; }
.next { color: #1a1a1a; font-style: italic; }
tr.ev td { border-bottom: 1px solid #ddd; padding-top: 0; }
ul.ev { list-style: none; padding-left: 1rem; margin: 0 0 .3rem; font-size: .86rem; color: #333; }
ul.ev li::before { content: "▸ "; color: #888; }
.errors li, .error { color: #8a2b00; }
.errors code, .error code { white-space: pre-wrap; word-break: break-all; }
nav ol { columns: 2; font-size: .9rem; }
.map-head { color: #444; }
.note { background: #fff7e0; border-left: 4px solid #E69F00; padding: .3rem .6rem; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; }
a { color: #0072B2; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  section.map { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
  /* paper does not scroll: the summary's eleven columns shrink to fit the page */
  .wide { overflow: visible; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .3rem; }
  th.count { font-size: 7pt; padding: .2rem .15rem; }
  .state, .flag { font-size: 7.5pt; }
  ul.ev { font-size: 8pt; }
  #summary td:first-child { word-break: break-all; }
  .state, .verdict, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
  a:not([href^="#"])::after { content: " <" attr(href) ">"; font-size: 8pt; word-break: break-all; }
}
"""


def _state_css() -> str:
    lines = []
    for state, colour in PALETTE.items():
        lines.append(
            f".s-{state} {{ border-left-color: {colour}; background: {STATE_TINTS[state]}; }}"
        )
    return "\n".join(lines)


def _esc(text: Any) -> str:
    return html_text(str(text))


def _badge(state: str, glyph: str) -> str:
    return f'<span class="state s-{_esc(state)}">{_esc(glyph)} {_esc(state)}</span>'


def _flags(c: dict[str, Any]) -> str:
    out = []
    if c.get("new"):
        out.append('<span class="flag new">new</span>')
    for key, word in (
        ("stale", "stale"),
        ("test_first", "test first"),
        ("undermined", "undermined"),
        ("in_map_contradiction", "in a contradiction"),
        ("says_not_does", "say ≠ do"),
    ):
        if c.get(key):
            out.append(f'<span class="flag">{_esc(word)}</span>')
    return "".join(out)


def _evidence_items(c: dict[str, Any]) -> str:
    if not c["evidence"]:
        return ""
    items = []
    for ev in c["evidence"]:
        word = "for" if ev["stance"] == "supports" else "against"
        text = f"{word}: {ev['kind']}, {ev['source']}, {ev['date']}"
        if ev["n"] > 1:
            text += f", n={ev['n']}"
        if ev["setting"] != "real":
            text += f", {ev['setting']}"
        li = _esc(text)
        if ev.get("quote"):
            li += f": “{_esc(ev['quote'])}”"
        link = safe_link(ev.get("link"))
        if link:
            li += f' (<a href="{_esc(link)}" rel="noopener noreferrer">link</a>)'
        items.append(f"<li>{li}</li>")
    return '<ul class="ev">' + "".join(items) + "</ul>"


def _head(doc: dict[str, Any]) -> list[str]:
    s = doc["summary"]
    meta = (
        f"As of {doc['as_of']} · {s['maps']} map{'s' if s['maps'] != 1 else ''} "
        f"({s['analysed']} analysed, {s['invalid']} invalid) · {s['claims']} claims · "
        f"uncertainty debt {s['debt']:.2f}"
    )
    if doc["redacted"]:
        meta += " · redacted: no quotes or links, sources numbered"
    out = ["<header>", "<h1>Gap report</h1>", f'<p class="meta">{_esc(meta)}</p>']
    if s["invalid"]:
        out.append(
            f'<p class="verdict fail">✗ {s["invalid"]} map(s) could not be analysed: '
            "see “Maps that could not be analysed”</p>"
        )
    if doc["fail_on"]:
        if doc["found"]:
            found = ", ".join(f"{n} {k}" for k, n in doc["found"].items())
            out.append(
                f'<p class="verdict fail">✗ Failed: found {_esc(found)} '
                f"(fail on {_esc(', '.join(doc['fail_on']))})</p>"
            )
        else:
            out.append(
                f'<p class="verdict pass">✓ Passed: none of {_esc(", ".join(doc["fail_on"]))} '
                "found</p>"
            )
    out.append("</header>")
    return out


def _new_gaps(doc: dict[str, Any]) -> list[str]:
    new = doc["summary"]["new_gaps"]
    if new is None:
        return []
    out = [
        '<section id="new-gaps">',
        f"<h2>New gaps since {_esc(doc['baseline'] or 'the baseline')}</h2>",
    ]
    if not new:
        return [*out, "<p>No new gaps.</p>", "</section>"]
    out.append(
        '<table><thead><tr><th class="num">#</th><th>map</th><th>state</th>'
        '<th class="num">score</th><th>claim</th></tr></thead><tbody>'
    )
    glyphs = _STATE_GLYPHS
    for i, g in enumerate(new, 1):
        out.append(
            f'<tr><td class="num">{i}</td><td>{_esc(g["path"])}</td>'
            f"<td>{_badge(g['state'], glyphs.get(g['state'], ''))}</td>"
            f'<td class="num">{g["gap_score"]:.2f}</td><td>{_esc(g["text"])}</td></tr>'
        )
    return [*out, "</tbody></table>", "</section>"]


_STATE_GLYPHS = {
    "unsupported": "?",
    "contradicted": "✗",
    "contested": "±",
    "weak": "~",
    "supported": "✓",
}


def _summary_head() -> list[str]:
    glyphs = _STATE_GLYPHS | _FLAG_GLYPHS
    out = ['<section id="summary">', "<h2>Summary</h2>"]
    out.append('<div class="wide"><table><thead><tr><th>map</th>')
    for k in COUNT_KEYS:
        # glyph above word: eleven columns fit the page width (and a printed A4 page)
        head = f'<span class="g">{_esc(glyphs[k] or "·")}</span>{_esc(k)}'
        cls = f' class="count state-head s-{k}"' if k in PALETTE else ' class="count"'
        out.append(f"<th{cls}>{head}</th>")
    out.append('<th class="count"><span class="g">Σ</span>debt</th></tr></thead><tbody>')
    return out


def _summary_row(i: int, e: dict[str, Any]) -> list[str]:
    link = f'<a href="#map-{i}">{_esc(e["path"])}</a>'
    if e["status"] == "ok":
        cells = "".join(f'<td class="num">{e["counts"][k]}</td>' for k in COUNT_KEYS)
        return [f'<tr><td>{link}</td>{cells}<td class="num">{e["debt"]:.2f}</td></tr>']
    return [
        f'<tr class="invalid"><td>{link}</td>'
        f'<td colspan="{len(COUNT_KEYS) + 1}">✗ invalid: could not be analysed</td></tr>'
    ]


def _summary_tail(doc: dict[str, Any]) -> list[str]:
    out = []
    totals = doc["summary"]["counts"]
    cells = "".join(f'<td class="num">{totals[k]}</td>' for k in COUNT_KEYS)
    out.append(
        f'<tr class="total"><td>all maps</td>{cells}'
        f'<td class="num">{doc["summary"]["debt"]:.2f}</td></tr>'
    )
    out.append("</tbody></table></div>")
    out.append("<h3>Top gaps across the maps</h3>")
    top = doc["summary"]["top_gaps"]
    if not top:
        out.append("<p>No gaps to gather evidence for.</p>")
    else:
        out.append(
            '<table><thead><tr><th class="num">#</th><th>map</th><th>state</th>'
            '<th class="num">score</th><th>claim</th><th>next step</th></tr></thead><tbody>'
        )
        for i, g in enumerate(top, 1):
            new = '<span class="flag new">new</span>' if g["new"] else ""
            out.append(
                f'<tr><td class="num">{i}</td><td>{_esc(g["path"])}</td>'
                f"<td>{_badge(g['state'], g['glyph'])}</td>"
                f'<td class="num">{g["gap_score"]:.2f}</td><td>{_esc(g["text"])}{new}</td>'
                f'<td class="next">{_esc(g["next_step"])}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _summary(doc: dict[str, Any]) -> list[str]:
    out = _summary_head()
    for i, e in enumerate(doc["maps"], 1):
        out += _summary_row(i, e)
    return out + _summary_tail(doc)


_ERRORS_HEAD = [
    '<section id="errors">',
    "<h2>Maps that could not be analysed</h2>",
    '<ul class="errors">',
]
_ERRORS_TAIL = ["</ul>", "</section>"]


def _error_item(i: int, e: dict[str, Any]) -> list[str]:
    lines = "<br>".join(f"<code>{_esc(line)}</code>" for line in e["errors"])
    return [f'<li><a href="#map-{i}">{_esc(e["path"])}</a><br>{lines}</li>']


def _errors(doc: dict[str, Any]) -> list[str]:
    bad = [(i, e) for i, e in enumerate(doc["maps"], 1) if e["status"] != "ok"]
    if not bad:
        return []
    out = list(_ERRORS_HEAD)
    for i, e in bad:
        out += _error_item(i, e)
    return [*out, *_ERRORS_TAIL]


_NAV_HEAD = ["<nav>", "<h2>Maps</h2>", "<ol>"]
_NAV_TAIL = ["</ol>", "</nav>"]


def _nav_item(i: int, e: dict[str, Any]) -> list[str]:
    title = f" — {e['title']}" if e["status"] == "ok" else " — invalid"
    return [f'<li><a href="#map-{i}">{_esc(e["path"])}</a>{_esc(title)}</li>']


def _nav(doc: dict[str, Any]) -> list[str]:
    out = list(_NAV_HEAD)
    for i, e in enumerate(doc["maps"], 1):
        out += _nav_item(i, e)
    return [*out, *_NAV_TAIL]


def _claim_list(title: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    return [f"<h3>{_esc(title)}</h3>", "<ul>", *(f"<li>{r}</li>" for r in rows), "</ul>"]


def _section(i: int, e: dict[str, Any], top: int) -> list[str]:
    out = [f'<section class="map" id="map-{i}">', f"<h2>{_esc(e['path'])}</h2>"]
    if e["status"] != "ok":
        out.append('<p class="error">✗ This map could not be analysed:</p><ul class="errors">')
        out += [f"<li><code>{_esc(line)}</code></li>" for line in e["errors"]]
        return [*out, "</ul>", "</section>"]
    head = f"“{e['title']}”"
    if e["focus_question"]:
        head += f" · Focus question: {e['focus_question']}"
    out.append(f'<p class="map-head">{_esc(head)}</p>')
    counts = " · ".join(f"{e['counts'][k]} {k}" for k in COUNT_KEYS)
    out.append(f'<p class="meta">{_esc(counts)} · uncertainty debt {e["debt"]:.2f}</p>')
    out += [f'<p class="note">{_esc(n)}</p>' for n in e["notes"]]
    n_gaps = len(e["gap_ids"])
    shown = len(e["gaps"])
    out.append(
        f"<h3>Gaps, most important first ({shown} of {n_gaps})</h3>"
        if shown < n_gaps
        else "<h3>Gaps, most important first</h3>"
    )
    if not e["gaps"]:
        out.append("<p>No gaps to gather evidence for.</p>")
    else:
        out.append(
            '<table class="gaps"><thead><tr><th class="num">#</th><th>state</th>'
            '<th class="num">score</th><th class="num">I</th><th class="num">U</th>'
            "<th>claim</th><th>why</th><th>next step</th></tr></thead><tbody>"
        )
        for j, c in enumerate(e["gaps"], 1):
            out.append(
                f'<tr><td class="num">{j}</td><td>{_badge(c["state"], c["glyph"])}</td>'
                f'<td class="num">{c["gap_score"]:.2f}</td><td class="num">{c["importance"]:.2f}</td>'
                f'<td class="num">{c["U"]:.2f}</td><td class="claim">{_esc(c["text"])}{_flags(c)}</td>'
                f'<td class="why">{_esc(c["reason"])}</td><td class="next">{_esc(c["next_step"])}</td></tr>'
            )
            ev = _evidence_items(c)
            if ev:
                out.append(f'<tr class="ev"><td></td><td colspan="7">{ev}</td></tr>')
        out.append("</tbody></table>")
    out += _claim_list(
        "Revise the map: the evidence says these beliefs are wrong",
        [
            f"{_badge(c['state'], c['glyph'])} {_esc(c['text'])} "
            f"(d={c['d']:.2f}, b={c['b']:.2f}){_evidence_items(c)}"
            for c in e["revise"]
        ],
    )
    out += _claim_list(
        "Contradictions in the map", [f"⚡ {_esc(x['message'])}" for x in e["contradictions"]]
    )
    out += _claim_list(
        "Undermined claims",
        [f"↓ {_esc(c['text'])} (τ={c['tau']:.2f} → σ={c['sigma']:.2f})" for c in e["undermined"]],
    )
    out += _claim_list(
        "Stale claims",
        [
            f"{STALE_GLYPH} {_esc(c['text'])}: newest evidence {_esc(c['newest_evidence'] or '—')} "
            f"({_esc(c['state'])})"
            for c in e["stale"]
        ],
    )
    hist = e.get("history")
    if hist and hist["periods"]:
        from conceptmap.report.history import burndown_svg

        out.append("<h4>Are we learning quick enough? Uncertainty debt per week</h4>")
        out.append(f'<figure class="chart">{burndown_svg(hist, "Uncertainty debt")}</figure>')
    out += _claim_list(
        "Say–do gap: customers say one thing and do another",
        [f"≠ {_esc(c['text'])}: {_esc(c['message'])}" for c in e.get("say_do", [])],
    )
    out += _claim_list(
        "Coming due: supported claims and the date each turns into a gap",
        [f"{_esc(c['turns_gap_on'])} {_esc(c['text'])}" for c in e.get("coming_due", [])],
    )
    s = e["structure"]
    ng, tr = s["novak_gowin"], s["traditional"]
    rows = [
        f"shape: <strong>{_esc(s['shape'])}</strong>",
        _esc(
            f"Novak–Gowin score {ng['score']:g}: {ng['propositions']} propositions, "
            f"{ng['levels']} levels, {ng['cross_links']} cross-links, {ng['examples']} examples"
        ),
        _esc(
            f"traditional score {tr['score']:g}: NC={tr['NC']}, NH={tr['NH']}, "
            f"HH={tr['HH']}, NCL={tr['NCL']}"
        ),
        *(_esc(f["message"]) for f in s["findings"]),
    ]
    out += _claim_list("Structure", rows)
    return [*out, "</section>"]


def _page_head(doc: dict[str, Any]) -> list[str]:
    title = f"Gap report — as of {doc['as_of']}"
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # no referrer leaves with an evidence link; nothing else is fetched at all
        '<meta name="referrer" content="no-referrer">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}{_state_css()}\n</style>",
        "</head>",
        "<body>",
    ]


_PAGE_TAIL = [
    "<footer>Made by conceptmap report. States: ? unsupported · ✗ contradicted · "
    "± contested · ~ weak · ✓ supported; "
    f"{STALE_GLYPH} stale · ↓ undermined · ⚡ contradiction in "
    "the map.</footer>",
    "</body>",
    "</html>",
]


def report_html(doc: dict[str, Any]) -> str:
    """The report document as one self-contained HTML page."""
    out = _page_head(doc)
    out += _head(doc) + _new_gaps(doc) + _summary(doc) + _errors(doc) + _nav(doc)
    for i, e in enumerate(doc["maps"], 1):
        out += _section(i, e, doc["top"])
    out += _PAGE_TAIL
    return "\n".join(out) + "\n"


def _lines(lines: list[str]) -> str:
    # each line with its newline: the same bytes as "\n".join(all lines) + "\n"
    return "".join(line + "\n" for line in lines)


class HtmlWriter:
    """:func:`report_html`, streamed: :meth:`entry` gives each map's pieces as it arrives
    (its summary row, error item, table-of-contents item, section), which the caller spools
    per part; :meth:`assemble` writes the head and summary, which need every map, then the
    parts in order. The bytes are those of :func:`report_html` of the whole document."""

    parts = ("rows", "errors", "nav", "sections")

    def __init__(self, top: int) -> None:
        self.top = top

    def entry(self, i: int, e: dict[str, Any]) -> Iterator[tuple[str, str]]:
        yield "rows", _lines(_summary_row(i, e))
        if e["status"] != "ok":
            yield "errors", _lines(_error_item(i, e))
        yield "nav", _lines(_nav_item(i, e))
        yield "sections", _lines(_section(i, e, self.top))

    def assemble(
        self, doc: dict[str, Any], write: Callable[[str], None], copy: Callable[[str], None]
    ) -> None:
        """``doc``: the document without its maps; ``copy(part)`` writes a spooled part."""
        write(_lines(_page_head(doc) + _head(doc) + _new_gaps(doc) + _summary_head()))
        copy("rows")
        write(_lines(_summary_tail(doc)))
        if doc["summary"]["invalid"]:
            write(_lines(_ERRORS_HEAD))
            copy("errors")
            write(_lines(_ERRORS_TAIL))
        write(_lines(_NAV_HEAD))
        copy("nav")
        write(_lines(_NAV_TAIL))
        copy("sections")
        write(_lines(_PAGE_TAIL))
