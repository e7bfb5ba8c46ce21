"""`conceptmap new/validate/show/schema`, `python -m conceptmap`, `--version`, `--help`, and the
maps shipped in maps/ (rebuilt byte-identically by scripts/build_maps.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conceptmap import __version__, api
from conceptmap.cli import run
from conceptmap.formats import read_map
from conceptmap.model import ConceptMap

ROOT = Path(__file__).resolve().parent.parent
FOCUS = "What do SMB café owners need from ordering software?"


def test_new_writes_a_valid_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "customers.cmap.json"
    assert run(["new", str(path), "--title", "Café owners", "--focus", FOCUS]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "created" in err and str(path) in err
    m = read_map(path)
    assert m.title == "Café owners" and m.focus_question == FOCUS
    assert run(["validate", str(path)]) == 0
    assert "1 of 1 maps valid" in capsys.readouterr().err
    assert run(["show", str(path)]) == 0
    assert FOCUS in capsys.readouterr().out


def test_new_refuses_an_existing_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.cmap.json"
    assert run(["new", str(path), "-t", "one"]) == 0
    capsys.readouterr()
    before = path.read_bytes()
    assert run(["new", str(path), "-t", "two"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert path.read_bytes() == before
    assert run(["new", str(path), "-t", "two", "--force"]) == 0
    assert read_map(path).title == "two"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "{dir}/notes.json", "-t", "x"], "*.cmap.json"),
        (["new", "{dir}/x.cmap.json", "-t", "   "], "must not be empty"),
        (["new", "{dir}/missing/x.cmap.json", "-t", "x"], "folder does not exist"),
        (["new", "{dir}/x.cmap.json"], "Missing option"),
        (["show", "{dir}/nope.cmap.json"], "no such file"),
        (["validate", "{dir}"], "no *.cmap.json maps found"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = run([a.format(dir=tmp_path) for a in args])
    out, err = capsys.readouterr()
    assert code == 2
    assert message in out + err
    assert "Traceback" not in out + err
    assert not list(tmp_path.glob("*.cmap.json"))


def test_show_json_is_data(capsys: pytest.CaptureFixture[str]) -> None:
    demo = api.bundled_maps()[api.DEMO_MAP]
    assert run(["show", "--format", "json", str(demo)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert json.dumps(data)  # plain data
    text = json.dumps(data, ensure_ascii=False)
    assert "SMB café owners" in text and "peak-hour speed" in text


def test_schema_is_a_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"].endswith("cmap-1.json")
    assert "concepts" in schema["properties"]
    kinds = json.dumps(schema)
    assert "interview-opinion" in kinds and "commitment" in kinds


def test_version_and_python_dash_m(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "conceptmap", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == f"conceptmap {__version__}"
    path = tmp_path / "m.cmap.json"
    subprocess.run(
        [sys.executable, "-m", "conceptmap", "new", str(path), "-t", "via -m"],
        check=True,
        capture_output=True,
    )
    bad = tmp_path / "bad.cmap.json"
    bad.write_text("{")
    done = subprocess.run(
        [sys.executable, "-m", "conceptmap", "validate", str(path), str(bad)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert (
        done.stdout
        == f"{bad}:1:2: invalid JSON: Expecting property name enclosed in double quotes\n"
    )
    assert done.stderr == "1 of 2 maps valid\n"


def commands() -> list[list[str]]:
    from conceptmap.cli import _register  # noqa: F401
    from conceptmap.cli._app import app

    names = [[c.name or c.callback.__name__.replace("_", "-")] for c in app.registered_commands]
    for g in app.registered_groups:
        names.append([g.name])
        names += [
            [g.name, c.name or c.callback.__name__] for c in g.typer_instance.registered_commands
        ]
    return [[], *names]


@pytest.mark.parametrize("cmd", commands(), ids=lambda c: " ".join(c) or "conceptmap")
def test_help_on_every_command(cmd: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*cmd, "--help"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip()) > 40
    assert "Usage: conceptmap" in out


# ---------------------------------------------------------------------------- shipped maps


def load_build_maps():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_maps", ROOT / "scripts" / "build_maps.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_maps"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_shipped_maps_are_valid_and_the_demo_is_there(capsys: pytest.CaptureFixture[str]) -> None:
    maps = api.bundled_maps()
    assert set(maps) >= {api.DEMO_MAP, "saas-onboarding.cmap.json", "customer-obsession.cmap.json"}
    assert (ROOT / "maps").resolve() == (ROOT / "src" / "conceptmap" / "data" / "maps").resolve()
    assert run(["validate", str(ROOT / "maps")]) == 0
    assert "3 of 3 maps valid" in capsys.readouterr().err
    for path in maps.values():
        m = read_map(path)
        assert 25 <= len(m.concepts) <= 60
        assert m.focus_question.endswith("?") and m.meta.root in m.concepts


def test_shipped_maps_rebuild_byte_identically_and_cover_every_state() -> None:
    bm = load_build_maps()
    clock = ConceptMap.__dict__["clock"]
    built = bm.build_all()
    assert ConceptMap.__dict__["clock"] is clock  # the build leaves the model as it was
    assert bm.coverage_problems(built) == []
    for name, m in built.items():
        assert (bm.MAPS / name).read_bytes() == bm.dump_map(m), f"{name}: rerun build_maps.py"
    doc = bm.DOC.read_text(encoding="utf-8")
    assert bm.report(built).rstrip() in doc


def test_hand_computed_states_match_the_worked_checks() -> None:
    """The script's own rule check against analysis.md §3's worked examples."""
    import datetime as dt

    bm = load_build_maps()
    day = dt.date(2026, 11, 23)

    def state(items: list[tuple[str, str, str]]) -> str:
        m = ConceptMap.new("t")
        c = m.add_concept("claim", fact=True)
        for i, (stance, kind, source) in enumerate(items):
            m.add_evidence(
                c.id, id=f"e-{i}-00000000", stance=stance, kind=kind, source=source, date=day
            )
        return bm.opinion(m, c.id, day).state

    s, k = "supports", "contradicts"
    assert state([(s, "interview", "a")]) == "weak"
    assert state([(s, "interview", x) for x in "abc"]) == "supported"
    assert state([(s, "interview", "a")] * 3) == "weak"
    assert state([(s, "belief", "a")]) == "unsupported"
    assert (
        state([(s, "interview", "a"), (s, "interview", "b")] + [(k, "analytics", x) for x in "cde"])
        == "contradicted"
    )
    assert (
        state([(s, "interview", "a"), (s, "interview", "b"), (k, "analytics", "c")]) == "contested"
    )
