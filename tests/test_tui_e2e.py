"""End to end: the real ``conceptmap`` command in a real terminal (tmux), keys sent as a user
types them, the screen read back, and the saved file checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conceptmap import api

CONCEPTMAP = Path(sys.executable).with_name("conceptmap")


def _tmux(sock: str, *args: str) -> str:
    out = subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True, check=True)
    return out.stdout


def _wait_for(sock: str, text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(sock, "capture-pane", "-p", "-t", "e2e")
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared on the screen:\n{screen}")


def test_open_add_a_concept_and_evidence_in_tmux(small_map_file: Path) -> None:
    assert shutil.which("tmux"), "tmux is part of the set-up (make setup)"
    sock = f"cm-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    cmd = f"cd {small_map_file.parent} && {CONCEPTMAP} {small_map_file.name}; sleep 5"
    subprocess.run(
        ["tmux", "-L", sock, "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", cmd],
        check=True,
        env=env,
    )
    try:
        screen = _wait_for(sock, "Gaps, most urgent first")
        assert "What do SMB café owners need?" in screen and "? unsupported" in screen
        _tmux(sock, "send-keys", "-t", "e2e", "a")
        _wait_for(sock, "Add a concept")
        time.sleep(0.3)  # people do not type within a frame of a form opening
        _tmux(sock, "send-keys", "-t", "e2e", "-l", "delivery apps")
        _tmux(sock, "send-keys", "-t", "e2e", "Enter")
        _wait_for(sock, "Saved: add concept")
        # evidence on the new concept: stance, kind (completed with Tab), source
        _tmux(sock, "send-keys", "-t", "e2e", "e")
        _wait_for(sock, "Add evidence on: delivery apps")
        time.sleep(0.3)
        _tmux(sock, "send-keys", "-t", "e2e", "Tab")
        _tmux(sock, "send-keys", "-t", "e2e", "-l", "commit")
        time.sleep(0.3)
        _tmux(sock, "send-keys", "-t", "e2e", "Tab")
        # a person sees the kind completed (and the cursor in Source) before typing on; keys
        # sent at once could reach the Kind field before it has handled the Tab (one run in
        # four of the whole suite on a busy machine)
        _wait_for(sock, "commitment ")
        _tmux(sock, "send-keys", "-t", "e2e", "-l", "Pre-order, Corner Cup")
        _tmux(sock, "send-keys", "-t", "e2e", "Enter")
        _wait_for(sock, "Saved: add evidence")
        _tmux(sock, "send-keys", "-t", "e2e", "q")
        time.sleep(0.5)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
    m = api.read_map(small_map_file)
    (apps,) = m.find_concepts("delivery apps")
    (e,) = m.evidence_for(apps.id)
    assert (e.kind.value, e.source, e.stance.value) == (
        "commitment",
        "Pre-order, Corner Cup",
        "supports",
    )


def test_open_without_a_terminal_fails_clearly(small_map_file: Path) -> None:
    done = subprocess.run(
        [str(CONCEPTMAP), "open", str(small_map_file)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"conceptmap: error: {small_map_file}: the TUI needs a terminal; use `conceptmap show`"
    )
