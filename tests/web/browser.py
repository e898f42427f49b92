"""Helpers of the headless-Chromium tests: installing Chromium, the live server's URL, signing
in, screenshots. The ``chromium`` fixture itself lives in tests/web/conftest.py, so that one
Playwright instance serves every browser test module of the session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


# Japanese glyphs in screenshots need a CJK font on the machine (the pages use system fonts).
JAPANESE_FONT = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
PACKAGES = ["chromium", "fonts-ipafont-gothic", "fonts-ipafont-mincho"]


def _install_chromium() -> str | None:
    """apt-get install chromium (and a Japanese font) when missing; why it failed, or None."""
    if CHROMIUM.exists() and JAPANESE_FONT.exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        if CHROMIUM.exists():
            return None  # screenshots may lack Japanese glyphs, the tests still run
        return "Chromium is missing and apt-get as root is not available"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", *PACKAGES]
    for command in (["apt-get", "update", "-qq"], install):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            return f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}"
    return None if CHROMIUM.exists() else "apt-get installed no /usr/bin/chromium"


@dataclass(frozen=True)
class LiveServer:
    """The running app's base URL."""

    url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot of the page as it is now."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def login(page: Any, username: str) -> None:
    """Sign in through the form."""
    page.goto("/login")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/dashboard")


def logout(page: Any) -> None:
    """Sign out from the header."""
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/login")


@contextmanager
def serve_app(app: Any) -> Iterator[LiveServer]:
    """Run ``app`` with uvicorn in a thread on a free port until the block ends."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser_page(chromium: Any, base_url: str) -> Iterator[Any]:
    """A fresh browser context at 1366×768 (the centre's laptops) and its page."""
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, base_url=base_url, locale="ja-JP"
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
