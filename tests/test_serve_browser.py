"""A remote participant in a real browser: `conceptmap serve` on a free local port, Debian's
Chromium driven headless by Selenium (chromium-driver), the workshop's focus question read from
what the app sends the page, keys typed into the page's terminal, and the map FILE checked."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conceptmap import api

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path):
    demo = api.copy_demo(tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conceptmap", "serve", str(demo), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield url, demo
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser(tmp_path: Path):
    assert shutil.which("chromium") and Path(DRIVER).exists(), "make setup installs chromium"
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1400,1000",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _received(driver, stream: bytearray) -> bytes:
    """What the app has sent the page so far (its websocket frames)."""
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.webSocketFrameReceived":
            frame = msg["params"]["response"]
            data = frame["payloadData"]
            stream += base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
    return bytes(stream)


def _wait_for(driver, stream: bytearray, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text.encode() in _received(driver, stream):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never reached the page")


def test_a_remote_participant_adds_evidence(served, browser) -> None:
    url, demo = served
    before = len(api.read_map(demo).evidence)
    stream = bytearray()
    browser.get(url)
    _wait_for(browser, stream, "What do SMB café owners need from ordering software?")
    keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    keys.send_keys("e")  # add evidence on the selected gap
    _wait_for(browser, stream, "Add evidence on")
    time.sleep(0.5)
    keys.send_keys(Keys.TAB)
    keys.send_keys("commit")
    time.sleep(0.3)
    keys.send_keys(Keys.TAB)
    keys.send_keys("Pre-order from the browser")
    keys.send_keys(Keys.ENTER)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        m = api.read_map(demo)
        if len(m.evidence) > before:
            break
        time.sleep(0.2)
    added = [e for e in m.evidence.values() if e.source == "Pre-order from the browser"]
    assert len(added) == 1
    assert added[0].kind.value == "commitment"
