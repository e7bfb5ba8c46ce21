"""Quick versions of the save drills in scripts/reliability.py (the long runs are documented in
docs/reliability.md): a writer killed with SIGKILL at random moments never leaves a corrupt or
empty file, and two editors saving at the same moments lose no edit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "reliability.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )


def test_sigkill_during_saves_never_corrupts_the_file() -> None:
    res = _run("crash", "--saves", "15", "--concepts", "2000", "--seed", "7")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "always a complete version" in res.stdout


def test_two_editors_racing_lose_no_edit() -> None:
    res = _run("race", "--rounds", "15")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 edits lost" in res.stdout
    refused = int(res.stdout.split("rounds, ")[1].split()[0])
    assert refused > 0  # the races really overlapped: the loser's save was refused


def test_hostile_xml_is_refused_in_one_line_and_nothing_written() -> None:
    res = _run("hostile-xml")
    assert res.returncode == 0, res.stdout + res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 4 and all("exit 2" in ln and "refused" in ln for ln in lines)


def test_sigkill_during_tui_autosaves_never_corrupts_the_file() -> None:
    res = _run("crash", "--tui", "--saves", "2", "--concepts", "300", "--seed", "3")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "always a complete version" in res.stdout
