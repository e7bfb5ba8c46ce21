"""The report's contract: the JSON schema doc covers every field, settings per folder, the
Markdown layout, and the HTML's accessibility of states (glyph + word + colour)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conceptmap.cli import run
from test_report_cli import AS_OF, parse_html, write_map

DOC = Path(__file__).resolve().parents[1] / "docs" / "report-schema.md"


def _keys(value: object, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


def _report(args: list[str], capsys) -> tuple[int, str, str]:
    code = run(["report", *args, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_json_field_is_documented(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "maps"
    write_map(folder, "a.cmap.json", "A", contradicted=True)
    base = tmp_path / "base.json"
    assert run(["report", str(folder), "--as-of", AS_OF, "-o", str(base)]) == 0
    write_map(folder, "b.cmap.json", "B", extra=2)
    (folder / "bad.cmap.json").write_text("[]", "utf-8")
    code, out, _ = _report([str(folder), "-f", "json", "--baseline", str(base)], capsys)
    assert code == 2
    doc = json.loads(out)
    documented = set(re.findall(r"`([A-Za-z_]+)`", DOC.read_text("utf-8")))
    # keys of free-form objects (found/counts are keyed by state words, also documented)
    missing = sorted(_keys(doc, set()) - documented)
    assert missing == [], f"fields missing from docs/report-schema.md: {missing}"
    assert doc["schema"] in DOC.read_text("utf-8")


def test_a_folders_conceptmap_toml_applies_to_its_maps_only(tmp_path: Path, capsys) -> None:
    strict = tmp_path / "strict"
    write_map(strict, "s.cmap.json", "Strict", contradicted=True)
    (strict / "conceptmap.toml").write_text("[states]\ncontradicted_d = 0.9\n", "utf-8")
    write_map(tmp_path / "plain", "p.cmap.json", "Plain", contradicted=True)
    code, out, _ = _report([str(tmp_path), "-f", "json"], capsys)
    assert code == 0
    counts = {e["title"]: e["counts"]["contradicted"] for e in json.loads(out)["maps"]}
    assert counts == {"Plain": 1, "Strict": 0}
    # --config applies one file to every map
    cfg = tmp_path / "all.toml"
    cfg.write_text("[states]\ncontradicted_d = 0.9\n", "utf-8")
    code, out, _ = _report([str(tmp_path), "-f", "json", "--config", str(cfg)], capsys)
    assert [e["counts"]["contradicted"] for e in json.loads(out)["maps"]] == [0, 0]
    # --set overrides on top, for this run
    code, out, _ = _report(
        [str(tmp_path / "plain"), "-f", "json", "--set", "states.contradicted_d=0.95"], capsys
    )
    assert json.loads(out)["maps"][0]["counts"]["contradicted"] == 0


def test_a_broken_conceptmap_toml_makes_its_maps_errors(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken"
    write_map(broken, "x.cmap.json", "X")
    (broken / "conceptmap.toml").write_text("[states]\nweak_u = 7\n", "utf-8")
    write_map(tmp_path / "fine", "f.cmap.json", "Fine")
    code, out, err = _report([str(tmp_path), "-f", "json"], capsys)
    assert code == 2
    doc = json.loads(out)
    status = {e["path"]: e["status"] for e in doc["maps"]}
    assert status == {
        str(broken / "x.cmap.json"): "error",
        str(tmp_path / "fine/f.cmap.json"): "ok",
    }
    assert "conceptmap.toml" in err and "weak_u" in err
    # a broken --config stops the whole run before any map
    bad = tmp_path / "bad.toml"
    bad.write_text("[nonsense]\n", "utf-8")
    code, out, err = _report([str(tmp_path / "fine"), "--config", str(bad)], capsys)
    assert code == 2 and out == ""
    assert "bad.toml" in err


def test_markdown_layout(tmp_path: Path, capsys) -> None:
    write_map(tmp_path, "a.cmap.json", "Alpha", contradicted=True)
    write_map(tmp_path, "b.cmap.json", "Beta", extra=12)
    code, md, _ = _report([str(tmp_path), "--top", "3"], capsys)
    assert code == 0
    headings = [ln for ln in md.splitlines() if ln.startswith("#")]
    assert headings[:3] == ["# Gap report", "## Summary", "### Top gaps across the maps"]
    # one section per map, the single-map Markdown of `conceptmap gaps` nested inside it
    assert "### Gaps in “Alpha”" in headings and "### Gaps in “Beta”" in headings
    assert headings.index("### Gaps in “Alpha”") < headings.index("### Gaps in “Beta”")
    summary = md.split("## Summary")[1].split("###")[0]
    rows = [ln for ln in summary.splitlines() if ln.startswith("| ")]
    assert len(rows) == 2 + 2 + 1  # header, rule, two maps, total
    assert rows[-1].startswith("| **all maps** |")
    top = md.split("### Top gaps across the maps")[1].split("##")[0]
    assert len([ln for ln in top.splitlines() if re.match(r"\| \d", ln)]) == 3
    assert "#### Evidence behind these claims" in md
    assert "for: interview, Maya, Bean There, 2026-11-01" in md
    assert "([link](<https://example.org/notes/maya>))" in md


def test_html_states_have_glyph_word_and_okabe_ito_colour(tmp_path: Path, capsys) -> None:
    write_map(tmp_path, "a.cmap.json", "Alpha", contradicted=True)
    code, out, _ = _report([str(tmp_path), "-f", "html"], capsys)
    assert code == 0
    # each state class has its Okabe–Ito colour in the inline CSS
    for state, colour in {
        "unsupported": "#E69F00",
        "contradicted": "#D55E00",
        "contested": "#CC79A7",
        "weak": "#56B4E9",
        "supported": "#009E73",
    }.items():
        assert re.search(rf"\.s-{state} \{{ border-left-color: {colour};", out)
    badges = re.findall(r'<span class="state s-(\w+)">(.) (\w+)</span>', out)
    assert badges and all(cls == word for cls, _, word in badges)
    assert {(g, w) for _, g, w in badges} >= {("✗", "contradicted"), ("?", "unsupported")}
    page = parse_html(out)
    assert page.tags.count("section") >= 2 and "nav" in page.tags
