"""GraphML, Markdown, Mermaid and CSV exports through the CLI, with the claims' states."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest

from conceptmap.cli import run
from conceptmap.model import ConceptMap


def export(src: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code = run(["export", str(src), "-o", str(out), "--as-of", "2026-06-01", *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def test_graphml_opens_in_networkx_with_states(
    small_map_file: Path, small_map: ConceptMap, tmp_path: Path, capsys
) -> None:
    export(small_map_file, tmp_path / "m.graphml", capsys)
    g = nx.read_graphml(tmp_path / "m.graphml")
    assert g.number_of_nodes() == len(small_map.concepts) + len(small_map.linking_phrases)
    assert g.nodes["c-churn-00000004"]["state"] == "unsupported"
    assert g.nodes["c-latte-00000005"]["kind"] == "example"


def test_markdown_outline_reads_top_down(small_map_file: Path, tmp_path: Path, capsys) -> None:
    text = export(small_map_file, tmp_path / "m.md", capsys)
    lines = text.splitlines()
    assert lines[0] == "# Café owners"
    assert "**Focus question:** What do SMB café owners need?" in text
    owners = next(i for i, ln in enumerate(lines) if "SMB café owners" in ln)
    value = next(i for i, ln in enumerate(lines) if ln.strip() == "- *value*")
    speed = next(i for i, ln in enumerate(lines) if "**fast delivery**" in ln)
    assert owners < value < speed and lines[speed].startswith("    - ")
    assert ", 1 evidence]" in lines[speed]


def test_mermaid_is_a_flowchart_with_state_classes(
    small_map_file: Path, tmp_path: Path, capsys
) -> None:
    text = export(small_map_file, tmp_path / "m.mmd", capsys)
    assert "flowchart TD" in text.splitlines()
    assert "classDef unsupported" in text and "class n0 unsupported" in text
    assert text.count("-->") >= 4


def test_csv_has_one_row_per_proposition_with_state_and_evidence(
    small_map_file: Path, small_map: ConceptMap, tmp_path: Path, capsys
) -> None:
    text = export(small_map_file, tmp_path / "m.csv", capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(small_map.propositions)
    by_text = {r["text"]: r for r in rows}
    speed = by_text["SMB café owners — value → fast delivery"]
    assert speed["evidence"] == "1" and speed["state"] in (
        "weak",
        "contested",
        "unsupported",
        "supported",
        "contradicted",
    )
    assert by_text["low fees — drives → churn is 8 % a month"]["state"] == "unsupported"
    plain = export(small_map_file, tmp_path / "plain.csv", capsys, "--no-gaps")
    assert all(r["state"] == "" for r in csv.DictReader(io.StringIO(plain)))


def test_the_drawing_judges_claims_with_the_settings_gaps_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team's conceptmap.toml next to the map changes the states in `gaps`; the drawing
    shows the same states (and `--config` names another file, as for `gaps`)."""
    import datetime as dt
    import json
    import shutil

    from conceptmap import api

    src = tmp_path / "cafe.cmap.json"
    shutil.copy(api.bundled_maps()["cafe-ordering.cmap.json"], src)
    (tmp_path / "conceptmap.toml").write_text("[states]\nunsupported_u = 0.6\n")

    def states(*extra: str) -> dict[str, str]:
        out = tmp_path / "x.csv"  # one row per proposition, with its state
        assert run(["export", str(src), "-o", str(out), "--as-of", "2026-11-23", *extra]) == 0
        return {
            row["proposition"]: row["state"] for row in csv.DictReader(io.StringIO(out.read_text()))
        }

    capsys.readouterr()
    assert run(["gaps", str(src), "--as-of", "2026-11-23", "--format", "json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"].values()
    judged = {c["id"]: c["state"] for c in claims if c["kind"] == "proposition"}
    drawn = states()
    assert drawn == judged
    default = {
        cid: str(c.state)
        for cid, c in api.analyse(api.read_map(src), as_of=dt.date(2026, 11, 23)).claims.items()
        if c.kind == "proposition"
    }
    assert {cid for cid in judged if judged[cid] != default[cid]}  # the file changed some
    other = tmp_path / "other.toml"
    other.write_text("")  # the defaults
    assert states("--config", str(other)) == default
