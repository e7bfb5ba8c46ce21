"""api.gap_report: the one-map report the TUI's R key writes, checked against the commands a
user would run for the same map and day."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conceptmap import api
from conceptmap.cli import run
from conceptmap.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
CAFE = ROOT / "maps" / "cafe-ordering.cmap.json"
DAY = dt.date(2026, 6, 1)


def test_markdown_is_what_gaps_md_prints(capsys: pytest.CaptureFixture[str]) -> None:
    m = api.read_map(CAFE)
    text = api.gap_report(m, as_of=DAY, format="markdown")
    assert run(["gaps", str(CAFE), "--format", "md", "--as-of", DAY.isoformat()]) == 0
    assert text == capsys.readouterr().out
    assert text.startswith("# Gaps in “Café ordering”")
    assert api.gap_report(m, as_of=DAY, format="md") == text


def test_json_is_a_one_map_report_with_every_gap(capsys: pytest.CaptureFixture[str]) -> None:
    m = api.read_map(CAFE)
    doc = json.loads(api.gap_report(m, as_of=DAY, format="json", path="cafe.cmap.json"))
    assert doc["schema"] == "conceptmap.report/1"
    assert doc["as_of"] == DAY.isoformat()
    (entry,) = doc["maps"]
    assert entry["path"] == "cafe.cmap.json"
    assert entry["map_id"] == m.meta.id
    # every gap is listed, in the order (and with the figures) of `conceptmap gaps`
    assert run(["gaps", str(CAFE), "--format", "json", "--as-of", DAY.isoformat()]) == 0
    gaps = json.loads(capsys.readouterr().out)["gaps"]
    assert [g["id"] for g in entry["gaps"]] == [g["id"] for g in gaps]
    assert [g["state"] for g in entry["gaps"]] == [g["state"] for g in gaps]
    sources = {e.source for e in m.evidence.values()}
    shown = {ev["source"] for g in entry["gaps"] + entry["revise"] for ev in g["evidence"]}
    assert shown and shown <= sources


def test_redacted_html_and_json_hold_no_source_or_quote() -> None:
    m = api.read_map(CAFE)
    secrets = {e.source for e in m.evidence.values()} | {
        e.quote for e in m.evidence.values() if e.quote
    }
    # a source may also be a concept ("Hart's Bakery" is an example and an interviewee): the
    # map's own labels stay, only what the evidence says is taken out
    labels = " ".join(c.label for c in m.concepts.values())
    secrets = {s for s in secrets if s not in labels}
    assert len(secrets) > 10
    for fmt in ("json", "html"):
        text = api.gap_report(m, as_of=DAY, format=fmt, redact=True)
        assert "source 1" in text
        left = [s for s in secrets if s in text]
        assert not left, (fmt, left[:3])
    page = api.gap_report(m, as_of=DAY, format="html", redact=True)
    assert "<script" not in page.lower()
    HTMLParser().feed(page)  # parses
    assert "Café ordering" in page


def test_same_day_same_bytes_and_unknown_format_refused() -> None:
    m = api.read_map(CAFE)
    for fmt in ("markdown", "json", "html"):
        assert api.gap_report(m, as_of=DAY, format=fmt) == api.gap_report(m, as_of=DAY, format=fmt)
    with pytest.raises(UsageError, match="format 'pdf'"):
        api.gap_report(m, as_of=DAY, format="pdf")


def test_evidence_after_the_analysis_day_is_not_listed(capsys: pytest.CaptureFixture[str]) -> None:
    """The analysis leaves out evidence dated after --as-of; the report lists what it counted
    (a claim "nobody has checked" listing two interviews read as a contradiction)."""
    m = api.read_map(CAFE)
    dates = sorted({e.date for e in m.evidence.values()})
    day = dates[len(dates) // 2]  # half the evidence is later than this
    code = run(
        ["report", str(CAFE), "--as-of", day.isoformat(), "--format", "json", "--top", "100"]
    )
    assert code == 0
    (entry,) = json.loads(capsys.readouterr().out)["maps"]
    listed = [ev for g in entry["gaps"] + entry["revise"] for ev in g["evidence"]]
    assert listed
    assert all(ev["date"] <= day.isoformat() for ev in listed)
    for g in entry["gaps"] + entry["revise"]:
        assert len(g["evidence"]) == g["evidence_count"], g["id"]
    later = {e.id for e in m.evidence.values() if e.date > day}
    assert later and not later & {ev["id"] for ev in listed}


def test_json_spliced_per_map_is_one_dump_of_the_document(tmp_path: Path) -> None:
    """report_json encodes map by map (memory); the bytes are those of one json.dumps."""
    import re

    from conceptmap.report.batch import Job, run_maps
    from conceptmap.report.json_report import build_report, report_json

    hostile = tmp_path / "hostile.cmap.json"
    assert run(["new", str(hostile), "--title", 'x\u202eevil <b>"q"</b>']) == 0
    (tmp_path / "broken.cmap.json").write_text("{", encoding="utf-8")
    paths = [str(CAFE), str(hostile), str(tmp_path / "broken.cmap.json")]
    invisible = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
    for chosen in (paths, paths[:1], []):
        entries = list(run_maps(chosen, Job(as_of=DAY, top=5)))
        doc = build_report(entries, as_of=DAY, top=5, redact=bool(chosen))
        whole = {**doc, "maps": [{k: v for k, v in e.items() if k[0] != "_"} for e in entries]}
        expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
        expected = invisible.sub(lambda x: f"\\u{ord(x.group()):04x}", expected)
        got = report_json(doc)
        assert got == expected
        assert json.loads(got)["summary"]["maps"] == len(chosen)


def test_output_folder_missing_is_said_before_any_map_is_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.cmap.json"
    broken.write_text("{", encoding="utf-8")
    target = tmp_path / "missing" / "report.html"
    assert run(["report", str(CAFE), str(broken), "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"conceptmap: error: {target}: -o: the folder does not exist"]
    assert not target.parent.exists()
