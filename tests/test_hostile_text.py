"""Hostile text through every output (issue 6).

Labels, sources and quotes are untrusted. What the model refuses at the door gets a clear
error; everything it accepts goes through every output — terminal, Markdown, HTML, SVG, DOT,
CXL, JSON, Mermaid, CSV — and each output stays well-formed, shows the text inert and carries
no active link or escape sequence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET

from conceptmap.cli import run
from conceptmap.errors import InputError
from conceptmap.formats import dump_map, read_map
from conceptmap.model import ConceptMap

ACCEPTED = [
    "<script>alert(1)</script>",
    '"quoted" \\back\\slash \\N \\l',
    "{braces} [brackets] |pipes| <>&",
    "# heading *bold* _it_ `code` [x](javascript:alert(1))",
    "&amp; &lt; &#x3c; &#0;",
    "RTL \u202egnp.exe and \u2066isolate\u2069",
    "emoji 😀☕ and 中文",
    "line one\nline two",
    '=HYPERLINK("http://evil.example","x")',
    "]]> <![CDATA[ --> <!-- ?>",
    "%s %d {0} ${x} $(rm -rf)",
]

REFUSED = [
    ("\x1b[31mred\x1b[0m", "control character U+001B"),
    ("nul\x00byte", "control character U+0000"),
    ("x" * 1_000_000, "characters"),
    ("bad \ud800 surrogate", "valid string"),
    ("   ", "must not be empty"),
]

ANSI = re.compile(r"\x1b")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _hostile_map(tmp_path: Path) -> Path:
    m = ConceptMap.new("Hostile <b>title</b> \u202e", focus_question='What <i>do</i> "they" need?')
    root = m.add_concept("customers")
    m.set_meta(root=root.id)
    for i, text in enumerate(ACCEPTED):
        c = m.add_concept(text[:300], notes=text)
        p = m.add_proposition(root.id, f"says {text[:40]}", c.id)
        m.add_evidence(
            p.id,
            stance="supports" if i % 2 else "contradicts",
            kind="interview",
            source=f"src {text[:60]}",
            date=dt.date(2026, 10, 1),
            quote=text,
            link='https://example.com/a?b=<c>&d="e"',
        )
    path = tmp_path / "hostile.cmap.json"
    path.write_bytes(dump_map(m))
    return path


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_refused_at_the_door(text: str, expected: str) -> None:
    m = ConceptMap.new("t")
    with pytest.raises(InputError) as err:
        m.add_concept(text)
    line = err.value.lines()[0]
    assert expected in line
    assert "\x1b" not in line and "\x00" not in line and len(line) < 300


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,<b>",
        "//evil.example/x",
        "vbscript:x",
        "file:///etc/passwd",
        " javascript:alert(1)",
    ],
)
def test_unsafe_links_are_refused(link: str) -> None:
    m = ConceptMap.new("t")
    c = m.add_concept("c")
    with pytest.raises(InputError, match="only http, https, mailto and relative links"):
        m.add_evidence(
            c.id,
            stance="supports",
            kind="interview",
            source="s",
            date=dt.date(2026, 1, 1),
            link=link,
        )


def _cli(capsys, *args: str) -> str:
    code = run(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    return out


def test_terminal_outputs_carry_no_escape_or_bidi(tmp_path: Path, capsys) -> None:
    path = _hostile_map(tmp_path)
    for args in (["show", str(path)], ["gaps", str(path), "--as-of", "2026-11-23"]):
        out = _cli(capsys, *args)
        assert not ANSI.search(out) and not BIDI.search(out), args
        assert "<script>alert(1)</script>" in out  # shown as typed, not interpreted


def test_json_outputs_round_trip_the_text(tmp_path: Path, capsys) -> None:
    path = _hostile_map(tmp_path)
    m = read_map(path)
    labels = {c.label for c in m.concepts.values()}
    assert {t[:300] for t in ACCEPTED} <= labels
    out = _cli(capsys, "gaps", str(path), "--as-of", "2026-11-23", "--format", "json")
    data = json.loads(out)
    texts = json.dumps(data, ensure_ascii=False)
    assert "<script>alert(1)</script>" in texts
    shown = _cli(capsys, "show", str(path), "--format", "json")
    assert {c["label"] for lvl in json.loads(shown)["levels"] for c in lvl["concepts"]} == labels


def test_markdown_outputs_are_inert(tmp_path: Path, capsys) -> None:
    path = _hostile_map(tmp_path)
    md = _cli(capsys, "gaps", str(path), "--as-of", "2026-11-23", "--format", "md")
    out = tmp_path / "outline.md"
    _cli(capsys, "export", str(path), "-o", str(out), "--as-of", "2026-11-23")
    for text in (md, out.read_text()):
        assert "<script" not in text
        assert "](javascript:" not in text
        assert not ANSI.search(text)


def test_drawings_parse_and_carry_no_active_content(tmp_path: Path, capsys) -> None:
    path = _hostile_map(tmp_path)
    svg_path, dot_path = tmp_path / "m.svg", tmp_path / "m.dot"
    _cli(capsys, "export", str(path), "-o", str(svg_path), "--as-of", "2026-11-23")
    _cli(capsys, "export", str(path), "-o", str(dot_path), "--as-of", "2026-11-23")
    root = SafeET.parse(svg_path).getroot()  # well-formed XML, entities off
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "foreignObject" not in tags
    for el in root.iter():
        for key, value in el.attrib.items():
            assert not key.startswith("on"), key
            if key.endswith("href"):
                assert (
                    value.startswith(("https://", "http://", "mailto:", "#")) or "://" not in value
                )
                assert "javascript:" not in value.lower()
    visible = "".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    # the same visible text (long labels wrap over several lines)
    assert "<script>alert(1)</script>" in visible.replace(" ", "")
    assert "\x1b" not in dot_path.read_text()


def test_exchange_formats_keep_the_text_exactly(tmp_path: Path, capsys) -> None:
    path = _hostile_map(tmp_path)
    m = read_map(path)
    cxl = tmp_path / "m.cxl"
    _cli(capsys, "export", str(path), "-o", str(cxl))
    SafeET.parse(cxl)
    back = tmp_path / "back.cmap.json"
    _cli(capsys, "import", str(cxl), "-o", str(back))
    assert {c.label for c in read_map(back).concepts.values()} == {
        c.label for c in m.concepts.values()
    }
    graphml = tmp_path / "m.graphml"
    _cli(capsys, "export", str(path), "-o", str(graphml))
    SafeET.parse(graphml)
    table = tmp_path / "m.csv"
    _cli(capsys, "export", str(path), "-o", str(table), "--as-of", "2026-11-23")
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell  # no formula runs in a sheet
    mmd = tmp_path / "m.mmd"
    _cli(capsys, "export", str(path), "-o", str(mmd))
    assert "<script" not in mmd.read_text()
