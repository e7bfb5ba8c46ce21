"""conceptmap export to SVG/PNG/PDF/DOT through the real dot: what the drawing holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from conceptmap.cli import run
from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap
from conceptmap.render import dot as dotmod
from conceptmap.render.graphviz import FAST_DOT_ABOVE, SFDP_ABOVE, choose_layout

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
AS_OF = "2026-06-01"


def export(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(["export", *args])
    return code, capsys.readouterr().err


def groups(svg: bytes) -> dict[str, object]:
    """Every <g> of the SVG by id."""
    root = fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def texts(g) -> list[str]:
    return [t.text or "" for t in g.iter(f"{SVG}text")]


def tooltip(g) -> str:
    a = next(g.iter(f"{SVG}a"), None)
    return a.get(f"{XLINK}title", "") if a is not None else ""


def node_of(svg: bytes, record_id: str):
    root = fromstring(svg)
    return next(g for g in root.iter(f"{SVG}g") if f"cm-id-{record_id}" in g.get("class", ""))


@pytest.fixture
def drawn(small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    out = tmp_path / "small.svg"
    code, err = export([str(small_map_file), "-o", str(out), "--as-of", AS_OF], capsys)
    assert code == 0, err
    return out.read_bytes()


def test_svg_holds_every_label_the_title_and_map_ids(drawn: bytes, small_map: ConceptMap) -> None:
    root = fromstring(drawn)
    assert root.tag == f"{SVG}svg"
    by_id = groups(drawn)
    graph = by_id[small_map.id]
    assert "What do SMB café owners need?" in texts(graph)[0]
    for c in small_map.concepts.values():
        g = node_of(drawn, c.id)
        assert c.label in " ".join(texts(g))
        assert g.get("id").startswith(f"{small_map.id}-n")
    for lp in small_map.linking_phrases.values():
        assert any(lp.label in t for t in texts(node_of(drawn, lp.id)))
    node_ids = [i for i in by_id if i.startswith(small_map.id + "-")]
    assert len(node_ids) >= len(small_map.concepts) + len(small_map.linking_phrases)
    # every node and edge group carries the map id in its id
    for g in root.iter(f"{SVG}g"):
        if g.get("class", "").startswith(("node", "edge")):
            assert g.get("id", "").startswith(small_map.id), g.get("id")


def test_states_are_coloured_and_glyphed_and_the_legend_explains(drawn: bytes) -> None:
    churn = node_of(drawn, "c-churn-00000004")  # a fact with no evidence: unsupported
    assert "cm-state-unsupported" in churn.get("class")
    assert "? unsupported" in texts(churn)
    border = [p for p in churn.iter(f"{SVG}path")] + [p for p in churn.iter(f"{SVG}polygon")]
    assert any(p.get("stroke") == dotmod.PALETTE["unsupported"].lower() for p in border)
    assert any(p.get("stroke-dasharray") for p in border)  # survives grayscale
    by_id = groups(drawn)
    assert any(i.endswith("-legend") for i in by_id), "legend cluster missing"
    items = [g for g in by_id.values() if "cm-legend-item" in g.get("class", "")]
    legend_text = " ".join(t for g in items for t in texts(g))
    for state, glyph in dotmod.STATE_GLYPHS.items():
        assert f"{glyph} {state}" in legend_text
    assert "cross-link" in legend_text


def test_tooltips_summarise_evidence_and_redact_hides_sources(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], drawn: bytes
) -> None:
    tips = [tooltip(node_of(drawn, pid)) for pid in _phrase_ids(drawn)]
    tip = next(t for t in tips if "fast delivery" in t)
    assert "Evidence: 1 for (interview)" in tip and "Maya, Bean There" in tip
    assert "lunch rush" not in drawn.decode()  # quotes never go into a drawing
    out = tmp_path / "red.svg"
    code, err = export([str(small_map_file), "-o", str(out), "--as-of", AS_OF, "--redact"], capsys)
    assert code == 0, err
    red = out.read_bytes().decode()
    assert "Maya" not in red and "billing dashboard" not in red
    assert "source 1" in red and "source 2" in red


def _phrase_ids(svg: bytes) -> list[str]:
    root = fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        cls = g.get("class", "")
        if "cm-phrase" in cls and "cm-claim" in cls:
            out += [c[len("cm-id-") :] for c in cls.split() if c.startswith("cm-id-")]
    return out


def test_no_gaps_draws_the_plain_map(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plain.svg"
    code, err = export([str(small_map_file), "-o", str(out), "--no-gaps"], capsys)
    assert code == 0, err
    svg = out.read_text()
    assert "cm-state-" not in svg and "Legend" not in svg
    assert "fast delivery" in svg


def test_output_is_deterministic_and_fonts_are_explicit(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], drawn: bytes
) -> None:
    again = tmp_path / "again.svg"
    assert export([str(small_map_file), "-o", str(again), "--as-of", AS_OF], capsys)[0] == 0
    assert again.read_bytes() == drawn
    families = {t.get("font-family") for t in fromstring(drawn).iter(f"{SVG}text")}
    assert families == {"DejaVu Sans"}


def test_cross_links_are_dashed_and_do_not_constrain(tmp_path: Path) -> None:
    m = ConceptMap.new("X", focus_question="Q?", id="m-cross-00000001")
    root = m.add_concept("root", id="c-root-00000001")
    a = m.add_concept("branch a", id="c-a-00000001")
    b = m.add_concept("branch b", id="c-b-00000001")
    a1 = m.add_concept("leaf a", id="c-a1-00000001")
    b1 = m.add_concept("leaf b", id="c-b1-00000001")
    m.set_meta(root=root.id)
    m.add_proposition(root.id, "has", a.id)
    m.add_proposition(root.id, "has", b.id)
    m.add_proposition(a.id, "holds", a1.id)
    m.add_proposition(b.id, "holds", b1.id)
    cross = m.add_proposition(a1.id, "feeds", b1.id)
    text = dotmod.map_to_dot(m)
    via = dotmod.node_names(m)[cross.via]
    line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{via} ->"))
    assert "style=dashed" in line and "constraint=false" in line
    from conceptmap.render.graphviz import run_graphviz

    svg = run_graphviz(text, "svg")
    dashed = [
        g
        for g in fromstring(svg).iter(f"{SVG}g")
        if "cm-cross-link" in g.get("class", "") and "edge" in g.get("class", "")
    ]
    assert dashed and all(p.get("stroke-dasharray") for g in dashed for p in g.iter(f"{SVG}path"))


def test_around_draws_only_the_neighbourhood(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "near.svg"
    code, err = export(
        [
            str(small_map_file),
            "-o",
            str(out),
            "--around",
            "fast delivery",
            "--depth",
            "1",
            "--as-of",
            AS_OF,
        ],
        capsys,
    )
    assert code == 0, err
    svg = out.read_text()
    assert "fast delivery" in svg and "oat latte rush" in svg and "SMB café owners" in svg
    assert "churn is 8" not in svg  # two steps away
    assert "drawing 3 of 5 concepts" in err
    code, err = export([str(small_map_file), "-o", str(out), "--around", "nothing"], capsys)
    assert code == 2 and "no concept has the id or label 'nothing'" in err


@pytest.mark.parametrize(
    "suffix, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"digraph")]
)
def test_other_drawings(
    small_map_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    magic: bytes,
) -> None:
    out = tmp_path / f"small.{suffix}"
    code, err = export([str(small_map_file), "-o", str(out), "--as-of", AS_OF], capsys)
    assert code == 0, err
    assert out.read_bytes().startswith(magic)


def test_unknown_suffix_lists_the_valid_ones(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = export([str(small_map_file), "-o", str(tmp_path / "x.jpeg")], capsys)
    assert code == 2
    assert err.count("\n") == 1 and ".svg" in err and ".cxl" in err and ".jpeg" in err
    assert not (tmp_path / "x.jpeg").exists()


def test_engines_sfdp_and_neato_give_valid_svg(
    small_map_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for engine in ("sfdp", "neato"):
        out = tmp_path / f"{engine}.svg"
        code, err = export(
            [str(small_map_file), "-o", str(out), "--engine", engine, "--no-gaps"], capsys
        )
        assert code == 0, err
        assert "fast delivery" in out.read_text()


def test_big_maps_switch_to_faster_layouts_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert choose_layout(FAST_DOT_ABOVE).engine == "dot" and not choose_layout(FAST_DOT_ABOVE).fast
    assert choose_layout(FAST_DOT_ABOVE + 1).fast
    assert choose_layout(SFDP_ABOVE + 1).engine == "sfdp"
    assert choose_layout(SFDP_ABOVE + 1, "dot") == choose_layout(10, "dot")
    big = _chain_map(FAST_DOT_ABOVE // 2 + 10)
    path = tmp_path / "big.cmap.json"
    path.write_bytes(dump_map(big))
    out = tmp_path / "big.dot"
    code, err = export([str(path), "-o", str(out), "--no-gaps"], capsys)
    assert code == 0, err
    assert "rougher ranking" in err and "mclimit" in out.read_text()
    code, err = export([str(path), "-o", str(out), "--no-gaps", "--engine", "dot"], capsys)
    assert code == 0 and "rougher" not in err and "mclimit" not in out.read_text()


def _chain_map(n: int) -> ConceptMap:
    from conceptmap.model.records import Concept, LinkingPhrase, MapDocument, Proposition

    concepts = [Concept(id=f"c-{i:05d}", label=f"concept {i}") for i in range(n)]
    phrases, props = [], []
    for i in range(1, n):
        parent = (i - 1) // 3
        phrases.append(
            LinkingPhrase(
                id=f"l-{i:05d}", label="has", sources=[f"c-{parent:05d}"], targets=[f"c-{i:05d}"]
            )
        )
        props.append(
            Proposition(
                id=f"p-{i:05d}", source=f"c-{parent:05d}", via=f"l-{i:05d}", target=f"c-{i:05d}"
            )
        )
    doc = MapDocument(
        id="m-big-00000001",
        title="big",
        created="2026-01-01T00:00:00Z",
        updated="2026-01-01T00:00:00Z",
        concepts=concepts,
        linking_phrases=phrases,
        propositions=props,
    )
    return ConceptMap.from_document(doc)


def test_missing_dot_is_one_line_and_exit_3(small_map_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conceptmap",
            "export",
            str(small_map_file),
            "-o",
            str(tmp_path / "x.svg"),
            "--no-gaps",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Graphviz's dot is not installed: sudo apt-get install graphviz" in lines[0]
    assert not (tmp_path / "x.svg").exists()


def test_glyphs_match_the_analysis() -> None:
    from conceptmap.analysis import STATE_GLYPHS

    assert {str(k.value): v for k, v in STATE_GLYPHS.items()} == dotmod.STATE_GLYPHS
