"""Shared fixtures: a small, valid map every area can build on (keep this file small)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import conceptmap.model.conceptmap as cm_module
from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap
from conceptmap.model.ids import new_id

FIXED_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.datetime]:
    """Freeze ConceptMap.clock so created/updated times (and saved bytes) are reproducible."""
    monkeypatch.setattr(ConceptMap, "clock", staticmethod(lambda: FIXED_NOW))
    yield FIXED_NOW


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids the model makes itself (linking phrases, propositions) become the same on every run."""
    count = itertools.count()

    def token() -> str:
        return hashlib.sha256(str(next(count)).encode()).hexdigest()[:8]

    monkeypatch.setattr(
        cm_module, "new_id", lambda kind, label="", taken=(): new_id(kind, label, taken, token)
    )


def build_small_map() -> ConceptMap:
    """Café owners — value → fast delivery, a fan-out phrase, a fact, evidence both ways and a
    contradicts relation. Fixed ids, so the dump is the same on every run (with a fixed clock)."""
    m = ConceptMap.new(
        "Café owners", focus_question="What do SMB café owners need?", id="m-small-00000001"
    )
    owners = m.add_concept("SMB café owners", id="c-owners-00000001", importance=5)
    speed = m.add_concept("fast delivery", id="c-speed-00000002")
    price = m.add_concept("low fees", id="c-fees-00000003")
    churn = m.add_concept("churn is 8 % a month", id="c-churn-00000004", fact=True)
    latte = m.add_concept("oat latte rush", id="c-latte-00000005", example=True)
    m.set_meta(root=owners.id)
    p_speed = m.add_proposition(owners.id, "value", speed.id, importance=4)
    p_price = m.add_proposition(owners.id, "value", price.id)  # fans out from "value"
    m.add_proposition(speed.id, "e.g.", latte.id)
    m.add_proposition(price.id, "drives", churn.id)
    m.add_evidence(
        p_speed.id,
        id="e-int-00000001",
        stance="supports",
        kind="interview",
        source="Maya, Bean There",
        date=dt.date(2026, 5, 2),
        quote="We lost the lunch rush twice because couriers were late.",
    )
    m.add_evidence(
        p_price.id,
        id="e-ana-00000002",
        stance="contradicts",
        kind="analytics",
        source="billing dashboard",
        date=dt.date(2026, 5, 20),
        n=120,
    )
    m.add_relation(p_price.id, "contradicts", p_speed.id, id="r-contra-00000001")
    return m


@pytest.fixture
def small_map(fixed_clock: dt.datetime, fixed_ids: None) -> ConceptMap:
    """A small valid map (5 concepts, 4 propositions, 2 evidence items, 1 relation), the same
    bytes on every run."""
    return build_small_map()


@pytest.fixture
def small_map_file(small_map: ConceptMap, tmp_path: Path) -> Path:
    """``small_map`` written to ``tmp_path/small.cmap.json``."""
    path = tmp_path / "small.cmap.json"
    path.write_bytes(dump_map(small_map))
    return path


def run_git(repo: Path, *args: str, date: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo`` as a fixed author (at ``date``, when given); fails on an error."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True
    )
