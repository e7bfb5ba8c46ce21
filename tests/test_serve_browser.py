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


def _chromium(profile: Path):
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
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


@pytest.fixture
def browser(tmp_path: Path):
    driver = _chromium(tmp_path / "chromium")
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def second_browser(tmp_path: Path):
    """Another participant: a browser of its own, so textual-serve starts a second app."""
    driver = _chromium(tmp_path / "chromium-2")
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
    _add_evidence(browser, stream, "Pre-order from the browser")
    m = _wait_for_file(demo, lambda m: len(m.evidence) > before)
    added = [e for e in m.evidence.values() if e.source == "Pre-order from the browser"]
    assert len(added) == 1
    assert added[0].kind.value == "commitment"


def _terminal(driver):
    return driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")


def _add_evidence(driver, stream: bytearray, source: str) -> None:
    """Press `e` on the selected gap and fill in a commitment from ``source``."""
    keys = _terminal(driver)
    keys.send_keys("e")
    _wait_for(driver, stream, "Add evidence on")
    time.sleep(0.5)
    keys.send_keys(Keys.TAB)
    keys.send_keys("commit")
    time.sleep(0.3)
    keys.send_keys(Keys.TAB)
    keys.send_keys(source)
    keys.send_keys(Keys.ENTER)


def _wait_for_file(path: Path, done, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while True:
        m = api.read_map(path)
        if done(m) or time.monotonic() > deadline:
            return m
        time.sleep(0.2)


def test_participants_follow_each_other_live(served, browser, second_browser) -> None:
    """Two browsers, two apps on one file: what one participant saves reaches the other's
    screen without a key pressed there, and the other's next edit keeps it (nothing lost)."""
    url, demo = served
    question = api.read_map(demo).focus_question
    a, b = bytearray(), bytearray()
    browser.get(url)
    second_browser.get(url)
    _wait_for(browser, a, question)
    _wait_for(second_browser, b, question)
    keys = _terminal(browser)
    keys.send_keys("f")  # participant A edits the focus question
    _wait_for(browser, a, "Focus question: what does this map answer?")
    time.sleep(0.5)
    keys.send_keys(Keys.END)
    keys.send_keys(" Asked live")
    keys.send_keys(Keys.ENTER)
    m = _wait_for_file(demo, lambda m: m.focus_question.endswith("Asked live"))
    assert m.focus_question == question + " Asked live"
    # B's app notices the file changed on disk and redraws: the new question reaches B's page
    _wait_for(second_browser, b, "Asked live")
    _add_evidence(second_browser, b, "Signed letter, second participant")
    m = _wait_for_file(
        demo, lambda m: any(e.source.startswith("Signed") for e in m.evidence.values())
    )
    assert [e.source for e in m.evidence.values() if e.source.startswith("Signed")] == [
        "Signed letter, second participant"
    ]
    assert m.focus_question == question + " Asked live"  # A's edit survived B's save
