"""Untrusted text in every export: valid DOT (dot accepts it), valid SVG, the same visible
text, no unsafe link, no spreadsheet formula, nothing that breaks Mermaid or Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import networkx as nx
import pytest
from defusedxml.ElementTree import fromstring

from conceptmap.cli import run
from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap
from conceptmap.render.dot import map_to_dot, node_names
from conceptmap.render.graphviz import run_graphviz
from conceptmap.render.marks import marks_from_analysis
from conceptmap.render.other import to_csv, to_graphml, to_markdown, to_mermaid
from conceptmap.safety import dot_string

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

HOSTILE = [
    'say "hi" \\N \\G \\n',  # quotes and Graphviz escape sequences
    "a < b && c > d &lt; &amp;",  # markup and entities shown literally
    "{braces} [brackets] -> edge; }",  # DOT syntax
    "two\nlines",
    "مالكو المقاهي يريدون",  # right-to-left
    "fast ☕ delivery 🚀👩🏽‍🍳",  # emoji, with a ZWJ sequence
    '=HYPERLINK("http://x")',  # a spreadsheet formula
    "</text><script>alert(1)</script>",
    "ends with a backslash \\",
]


def hostile_map() -> ConceptMap:
    m = ConceptMap.new(
        'Map "<x>" & {y}', focus_question='What \\ <is> "this"?', id="m-hostile-00000001"
    )
    ids = []
    for i, label in enumerate(HOSTILE):
        ids.append(m.add_concept(label, id=f"c-h{i:02d}-00000001").id)
    m.add_concept(
        "linked",
        id="c-link-00000001",
        links=[{"label": "ok", "url": "https://example.org/?a=1&b=<2>"}],
    )
    for i in range(1, len(ids)):
        m.add_proposition(ids[0], HOSTILE[i % len(HOSTILE)] + " phrase", ids[i], new_phrase=True)
    m.add_evidence(
        m.propositions[sorted(m.propositions)[0]].id,
        stance="supports",
        kind="interview",
        source='Zoë "the boss" <ceo@x>',
        date=dt.date(2026, 1, 2),
        quote="</title><script>",
    )
    return m


def visible(g) -> str:
    return "".join("".join(t.text or "" for t in g.iter(f"{SVG}text")).split())


def test_dot_accepts_it_and_the_svg_shows_the_same_text() -> None:
    m = hostile_map()
    svg = run_graphviz(map_to_dot(m), "svg")
    root = fromstring(svg)
    names = node_names(m)
    by_id = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    for cid, c in m.concepts.items():
        g = by_id[f"{m.id}-{names[cid]}"]
        assert visible(g) == "".join(c.label.split()), c.label
    for lid, lp in m.linking_phrases.items():
        g = by_id[f"{m.id}-{names[lid]}"]
        assert visible(g) == "".join(lp.label.split()), lp.label
    title = next(t for t in root.iter(f"{SVG}text"))
    assert title.text == m.focus_question
    assert b"<script>" not in svg


def test_with_gaps_the_tooltips_and_links_stay_safe() -> None:
    from conceptmap.analysis import analyse

    m = hostile_map()
    marks = marks_from_analysis(m, analyse(m, as_of=dt.date(2026, 6, 1)))
    svg = run_graphviz(map_to_dot(m, marks), "svg")
    root = fromstring(svg)
    tips = [a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a") if a.get(f"{XLINK}title")]
    assert any('Zoë "the boss" <ceo@x>' in t for t in tips)  # shown literally
    hrefs = [a.get(f"{XLINK}href") for a in root.iter(f"{SVG}a") if a.get(f"{XLINK}href")]
    assert hrefs == ["https://example.org/?a=1&b=%3C2%3E"]
    assert b"</title><script>" not in svg


def test_control_characters_and_bidi_in_dot_strings_are_accepted_by_dot() -> None:
    text = "bell\x07 nul\x00 esc\x1b[31m rlo\u202eevil lone\ud800"
    dot = f'digraph g {{ a [label="{dot_string(text)}", tooltip="{dot_string(text)}"]; }}'
    svg = run_graphviz(dot, "svg")
    label = "".join(t.text or "" for t in fromstring(svg).iter(f"{SVG}text"))
    assert "\x1b" not in label and "\x07" not in label and "bell" in label and "evil" in label


def test_javascript_links_never_enter_a_map() -> None:
    m = ConceptMap.new("x")
    with pytest.raises(Exception, match="only http, https, mailto and relative links"):
        m.add_concept("a", links=[{"label": "x", "url": "javascript:alert(1)"}])


def test_csv_guards_against_formulas_and_keeps_the_text() -> None:
    m = hostile_map()
    rows = list(csv.DictReader(io.StringIO(to_csv(m))))
    assert len(rows) == len(m.propositions)
    sources = {r["source"] for r in rows}
    assert sources == {'\'=HYPERLINK("http://x")'} or all(not s.startswith("=") for s in sources)
    targets = {r["target"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in targets
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_mermaid_escapes_every_label() -> None:
    text = to_mermaid(hostile_map())
    assert text.splitlines()[3] == "flowchart TD"
    body = "\n".join(text.splitlines()[4:])
    for bad in ("<script", "->edge", '"hi"', "{braces}", "\\N"):
        assert bad not in body
    assert "#60;script#62;" in body  # shown, as entity codes


def test_markdown_shows_text_literally() -> None:
    import html
    import re

    from markdown_it import MarkdownIt

    text = to_markdown(hostile_map())
    assert "<script>" not in text
    rendered = MarkdownIt().render(text)
    assert "<script>" not in rendered
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for label in HOSTILE:
        for line in label.split("\n"):
            assert line.strip() in shown, line


def test_graphml_round_trips_the_labels() -> None:
    m = hostile_map()
    g = nx.read_graphml(io.BytesIO(to_graphml(m)))
    assert {g.nodes[c]["label"] for c in m.concepts} == {c.label for c in m.concepts.values()}
    assert g.number_of_nodes() == len(m.concepts) + len(m.linking_phrases)


def test_hostile_map_exports_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "hostile.cmap.json"
    src.write_bytes(dump_map(hostile_map()))
    for suffix in ("svg", "dot", "cxl", "graphml", "md", "mmd", "csv"):
        out = tmp_path / f"h.{suffix}"
        assert run(["export", str(src), "-o", str(out), "--as-of", "2026-06-01"]) == 0, (
            capsys.readouterr().err
        )
    fromstring((tmp_path / "h.svg").read_bytes())
    fromstring((tmp_path / "h.cxl").read_bytes())
    back = tmp_path / "back.cmap.json"
    assert run(["import", str(tmp_path / "h.cxl"), "-o", str(back)]) == 0
    from conceptmap.formats import read_map

    again = read_map(back)
    assert sorted(c.label for c in again.concepts.values()) == sorted(
        c.label for c in hostile_map().concepts.values()
    )
