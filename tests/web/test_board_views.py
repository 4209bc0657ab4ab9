"""The planning board a production manager adopts (issue 13), in real Chromium on the demo.

At 1280×720 and 1440×900 the week shows its seven labelled days and every bar without
sideways scrolling, and the page itself never scrolls; the month shows every day as cells;
after a write the shift edited stays in view with the focus; the keyboard moves over bars in
time order; cancelling asks first and "Undo" reverts; the unfilled panel and the filters;
axe-core finds no serious issue; the API docs load with no request to the internet.
Screenshots of the week, the month and the unfilled panel are saved to ``docs/images``.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from apps.orgs.demo import DEMO_PASSWORD, run_seed
from apps.planning.models import Assignment, Shift, ShiftStatus
from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = [(1280, 720), (1440, 900)]


@pytest.fixture
def demo() -> Any:
    return run_seed(size="normal")


@pytest.fixture
def manager(browser: Any, live_server: Any, demo: Any, request: Any) -> Any:
    """A manager's page, logged in, at the test's viewport (1280×720 unless parametrized)."""
    width, height = getattr(request, "param", (1280, 720))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "manager@demo.test", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/app/timeline.*"))
    yield page
    context.close()


def open_board(page: Any, base: str, query: str) -> None:
    page.goto(f"{base}/app/timeline?{query}")
    page.wait_for_selector("#board[data-ready=true]")


def save_image(page: Any, name: str) -> None:
    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_IMAGES / name), full_page=False)


def today(demo: Any) -> Any:
    return timezone.now().astimezone(demo.organization.tzinfo).date()


def geometry(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const board = document.getElementById('board');
          const box = board.getBoundingClientRect();
          const items = [...board.querySelectorAll('.bar, .cell')].map(b => b.getBoundingClientRect());
          return {
            boardScrolls: board.scrollWidth > board.clientWidth + 1,
            pageScrolls: document.scrollingElement.scrollHeight > innerHeight + 1
              || document.scrollingElement.scrollWidth > innerWidth + 1,
            items: items.length,
            outside: items.filter(r => r.left < box.left - 1 || r.right > box.right + 1).length,
            heads: [...board.querySelectorAll('.day-head')].map(h => h.innerText.replace(/\\s+/g, ' ')),
          };
        }"""
    )


@pytest.mark.parametrize("manager", VIEWPORTS, indirect=True, ids=["1280x720", "1440x900"])
def test_the_week_shows_seven_labelled_days_and_every_bar_on_screen(
    live_server: Any, manager: Any, demo: Any
) -> None:
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")

    shape = geometry(manager)
    assert len(shape["heads"]) == 7
    for head in shape["heads"]:
        assert re.match(r"^(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2} ", head), head
    assert shape["items"] > 5
    assert shape["outside"] == 0
    assert not shape["boardScrolls"]
    assert not shape["pageScrolls"]
    if manager.viewport_size["width"] == 1280:
        save_image(manager, "board-week.png")
