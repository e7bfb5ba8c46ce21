"""Three-way merges of maps, through the CLI and through real git with the merge driver."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from conceptmap.cli import run
from conceptmap.formats import dump_map, read_map
from conceptmap.model import ConceptMap

D = dt.date(2026, 10, 1)


def _base() -> ConceptMap:
    m = ConceptMap.new("Cafés", focus_question="What do café owners need?", id="m-cafes-00000001")
    owners = m.add_concept("café owners", id="c-owners-00000001")
    speed = m.add_concept("fast delivery", id="c-speed-00000001")
    m.add_proposition(owners.id, "value", speed.id)
    m.set_meta(root=owners.id)
    return m


def _write(path: Path, m: ConceptMap) -> Path:
    path.write_bytes(dump_map(m))
    return path


def test_both_sides_additions_arrive(tmp_path: Path, capsys) -> None:
    base = _base()
    _write(tmp_path / "base.cmap.json", base)
    ours = read_map(tmp_path / "base.cmap.json")
    theirs = read_map(tmp_path / "base.cmap.json")
    owners = "c-owners-00000001"
    price = ours.add_concept("low prices")
    ours.add_proposition(owners, "value", price.id)  # fans out the existing phrase
    pid = next(iter(theirs.propositions))
    theirs.add_evidence(pid, stance="supports", kind="interview", source="Ana", date=D)
    fresh = theirs.add_concept("fresh food")
    theirs.add_proposition(owners, "want", fresh.id)
    _write(tmp_path / "ours.cmap.json", ours)
    _write(tmp_path / "theirs.cmap.json", theirs)
    out = tmp_path / "out.cmap.json"
    code = run(
        [
            "merge",
            str(tmp_path / "base.cmap.json"),
            str(tmp_path / "ours.cmap.json"),
            str(tmp_path / "theirs.cmap.json"),
            "-o",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    merged = read_map(out)
    labels = sorted(c.label for c in merged.concepts.values())
    assert labels == ["café owners", "fast delivery", "fresh food", "low prices"]
    assert len(merged.propositions) == 3
    assert len(merged.evidence) == 1
    assert not merged.conflicts
    assert run(["validate", str(out)]) == 0


def test_linking_phrase_fanned_on_both_sides_gets_every_pair(tmp_path: Path) -> None:
    base = _base()
    ours, theirs = read_map_copy(base), read_map_copy(base)
    owners, speed = "c-owners-00000001", "c-speed-00000001"
    a = ours.add_concept("chains")
    ours.add_proposition(a.id, None, owners)  # unrelated direct link
    lp = next(iter(base.linking_phrases))
    new_src = theirs.add_concept("bakeries")
    theirs.add_proposition(new_src.id, None, speed, via=lp)
    tgt = ours.add_concept("low prices")
    ours.add_proposition(owners, None, tgt.id, via=lp)
    from conceptmap.model.merge import merge_maps

    merged = merge_maps(base, ours, theirs).map
    phrase = merged.linking_phrases[lp]
    assert set(phrase.sources) == {owners, new_src.id}
    assert set(phrase.targets) == {speed, tgt.id}
    pairs = {(p.source, p.target) for p in merged.propositions.values() if p.via == lp}
    assert pairs == {(s, t) for s in phrase.sources for t in phrase.targets}


def read_map_copy(m: ConceptMap) -> ConceptMap:
    from conceptmap.formats import parse_map

    return parse_map(dump_map(m))


def test_true_conflicts_are_kept_reported_and_resolvable(tmp_path: Path, capsys) -> None:
    base = _base()
    ours, theirs = read_map_copy(base), read_map_copy(base)
    ours.update_concept("c-speed-00000001", label="fast delivery (< 30 min)")
    theirs.update_concept("c-speed-00000001", label="same-day delivery")
    pid = next(iter(base.propositions))
    ours.remove_proposition(pid)
    theirs.update_proposition(pid, importance=5)
    paths = [
        _write(tmp_path / f"{n}.cmap.json", m)
        for n, m in (("base", base), ("ours", ours), ("theirs", theirs))
    ]
    out = tmp_path / "out.cmap.json"
    code = run(["merge", *map(str, paths), "-o", str(out)])
    err = capsys.readouterr().err
    # the label, the proposition deleted by us but edited by them, and its linking phrase
    # (deleted with it by us, brought back because the kept proposition runs through it)
    assert code == 1 and "3 conflicts" in err
    merged = read_map(out)
    assert merged.concepts["c-speed-00000001"].label == "fast delivery (< 30 min)"
    assert merged.propositions[pid].importance == 5  # the edited version is kept
    kinds = sorted((x.collection, x.field or "") for x in merged.conflicts.values())
    assert kinds == [("concept", "label"), ("linking_phrase", ""), ("proposition", "")]
    assert run(["validate", str(out)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all("unresolved merge conflict" in ln for ln in lines)
    assert any("field label" in ln for ln in lines)
    label_conflict = next(x.id for x in merged.conflicts.values() if x.field == "label")
    assert run(["resolve", str(out), label_conflict, "--take", "theirs"]) == 0
    assert read_map(out).concepts["c-speed-00000001"].label == "same-day delivery"
    assert run(["resolve", str(out), "all", "--take", "ours"]) == 0
    final = read_map(out)
    assert pid not in final.propositions  # ours deleted it: taking ours deletes it
    assert not final.linking_phrases
    assert run(["validate", str(out)]) == 0


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_git_merge_driver_combines_branches(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _git(repo, "init", "-q", "-b", "main").returncode == 0
    setup = subprocess.run(
        [sys.executable, "-m", "conceptmap", "git-setup"], cwd=repo, capture_output=True, text=True
    )
    assert setup.returncode == 0, setup.stderr
    assert "*.cmap.json merge=conceptmap" in (repo / ".gitattributes").read_text()
    f = repo / "team.cmap.json"
    _write(f, _base())
    _git(repo, "add", "-A")
    assert _git(repo, "commit", "-qm", "base").returncode == 0
    _git(repo, "checkout", "-qb", "ana")
    m = read_map(f)
    m.add_concept("staff turnover")
    _write(f, m)
    _git(repo, "commit", "-qam", "ana")
    _git(repo, "checkout", "-q", "main")
    m = read_map(f)
    m.add_evidence("c-owners-00000001", stance="supports", kind="analytics", source="db", date=D)
    _write(f, m)
    _git(repo, "commit", "-qam", "ben")
    res = _git(repo, "merge", "-q", "--no-edit", "ana")
    assert res.returncode == 0, res.stdout + res.stderr
    merged = read_map(f)
    assert "staff turnover" in {c.label for c in merged.concepts.values()}
    assert len(merged.evidence) == 1


def test_git_merge_driver_stops_on_conflict(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    subprocess.run(
        [sys.executable, "-m", "conceptmap", "git-setup"], cwd=repo, check=True, capture_output=True
    )
    f = repo / "team.cmap.json"
    _write(f, _base())
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "ana")
    m = read_map(f)
    m.set_meta(title="Ana's title")
    _write(f, m)
    _git(repo, "commit", "-qam", "ana")
    _git(repo, "checkout", "-q", "main")
    m = read_map(f)
    m.set_meta(title="Ben's title")
    _write(f, m)
    _git(repo, "commit", "-qam", "ben")
    res = _git(repo, "merge", "-q", "--no-edit", "ana")
    assert res.returncode != 0  # git stops the merge, as for a text conflict
    merged = read_map(f)  # still a valid map file, with the conflict marked
    assert merged.title == "Ben's title"
    (x,) = merged.conflicts.values()
    assert x.field == "title" and x.theirs == "Ana's title"


def test_git_setup_outside_a_repository(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["git-setup"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err
