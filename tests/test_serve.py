"""`conceptmap serve`: serves the workshop page on localhost; other addresses need the token."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _wait(url: str, proc: subprocess.Popen) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read())
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError("server did not start")


@pytest.fixture
def map_file(small_map_file: Path) -> Path:
    return small_map_file


def _serve(map_file: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "conceptmap", "serve", str(map_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serves_the_workshop_page_on_localhost(map_file: Path) -> None:
    port = _free_port()
    proc = _serve(map_file, "--port", str(port))
    try:
        _wait(f"http://127.0.0.1:{port}/", proc)
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "ws://127.0.0.1" in body and "/ws" in body  # the page connects back to the app
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"serving {map_file} at http://127.0.0.1:{port}/" in err


def test_other_addresses_need_the_token(map_file: Path) -> None:
    port = _free_port()
    proc = _serve(map_file, "--host", "0.0.0.0", "--port", str(port), "--token", "s3cret-token")
    try:
        _wait(f"http://127.0.0.1:{port}/static/", proc)
        assert _get(f"http://127.0.0.1:{port}/")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/?token=wrong")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/ws")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/?token=s3cret-token")[0] == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "?token=s3cret-token" in err


def test_bad_serve_input(tmp_path: Path, capsys) -> None:
    from conceptmap.cli import run

    assert run(["serve", str(tmp_path / "missing.cmap.json")]) == 2
    assert "no such map file" in capsys.readouterr().err
