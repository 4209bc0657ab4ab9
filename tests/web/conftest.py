"""Browser tests: real headless Chromium (Debian's package) driven by Playwright.

They run in the README's test command. Where no Chromium is installed they are skipped,
unless ``REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns the skip into a failure.
Screenshots are saved under ``artifacts/screenshots``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def launch_browser() -> Iterator[Any]:
    """One Chromium for the whole session, whichever test directory asks first.

    The ``browser`` fixture lives in ``tests/conftest.py`` so that every directory shares
    this one instance: Playwright's sync API cannot start twice in one thread.
    """
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REQUIRE_BROWSER=1) but was not found")
        pytest.skip("no Chromium on this machine")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM
    # calls happen in another thread, the test's own ORM calls are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def log_in(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/app/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
