"""Crew journeys end to end, started from the e-mail a crew member receives.

The browser tests open the link of the outgoing message (``django.core.mail.outbox``,
filled in this process: Celery runs eagerly after the API call's commit) in a *fresh*
phone context (390×844, touch) whose every request carries ``Origin: null`` and no
``Referer``, as a phone does from a page with ``<meta name="referrer" content="no-referrer">``.
The links point at the live server: ``PUBLIC_BASE_URL`` is set to its address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from tests.web.conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}
TIMINGS = ARTIFACTS.parent / "journey-timings.json"


@pytest.fixture
def public_site(live_server: Any, settings: Any) -> str:
    """E-mailed links point at the live server, as ``PUBLIC_BASE_URL`` does in production."""
    settings.PUBLIC_BASE_URL = live_server.url
    mail.outbox.clear()
    return str(live_server.url)


def new_phone(browser: Any, *, origin_null: bool) -> tuple[Any, Any]:
    """A new browser context, nothing shared with any other, and its page.

    ``origin_null``: every request says ``Origin: null``, as a phone's do from a page
    with ``<meta name="referrer" content="no-referrer">`` (the e-mailed links). A signed-in
    app is used with the browser's own origin.
    """
    headers = {"Origin": "null"} if origin_null else {}
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
        locale="fr-FR",
        extra_http_headers=headers,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.sent = []  # (method, url, headers) of every request the page made
    page.on("request", lambda r: page.sent.append((r.method, r.url, r.all_headers())))
    page.failed = []  # responses of 400 and more, favicon included
    page.on(
        "response", lambda r: page.failed.append((r.status, r.url)) if r.status >= 400 else None
    )
    return context, page


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone opening a link from its mail: fresh context, ``Origin: null``."""
    context, page = new_phone(browser, origin_null=True)
    yield page
    context.close()


@pytest.fixture
def phone_app(browser: Any) -> Iterator[Any]:
    """A phone using the signed-in app (its own origin)."""
    context, page = new_phone(browser, origin_null=False)
    yield page
    context.close()


def links_in_last_message(to: str) -> list[str]:
    """Every http(s) link of the last message sent to ``to`` (text part)."""
    messages = [message for message in mail.outbox if to in message.to]
    assert messages, f"no message to {to} in {[m.to for m in mail.outbox]}"
    return re.findall(r"https?://[^\s<>\"]+", messages[-1].body)


def record_timing(name: str, seconds: float) -> None:
    """Keep the measured journey times beside the screenshots (artifacts/)."""
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[name] = round(seconds, 3)
    TIMINGS.write_text(json.dumps(data, indent=2, sort_keys=True))
    print(f"\n[journey] {name}: {seconds:.3f} s")


def posts_of(page: Any) -> list[tuple[str, dict[str, str]]]:
    return [(url, headers) for method, url, headers in page.sent if method == "POST"]


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
