"""The planning board a production manager adopts (issue 13), in real Chromium on the demo.

At 1280×720 and 1440×900 the week shows its seven labelled days and every bar without
sideways scrolling, and the page itself never scrolls; the month shows every day as cells;
after a write the shift edited stays in view with the focus; the keyboard moves over bars in
time order; cancelling asks first and "Undo" reverts; the unfilled panel and the filters;
axe-core finds no serious issue; the API docs load with no request to the internet.
Screenshots of the week, the month and the unfilled panel are saved with the others under
``artifacts/screenshots``; ``UPDATE_README_IMAGES=1`` also copies them to ``docs/images``.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.orgs.demo import DEMO_PASSWORD, run_seed
from apps.planning.models import Assignment, Shift, ShiftStatus
from tests.factories import (
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    ShiftFactory,
    VenueFactory,
    written_behind_the_services,
)
from tests.web.conftest import log_in, screenshot

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
    """A screenshot; the README's copy is refreshed only on request (a test run leaves the
    tracked files alone)."""
    path = screenshot(page, name.removesuffix(".png"))
    if os.environ.get("UPDATE_README_IMAGES") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMAGES / name)


def today(demo: Any) -> Any:
    return timezone.now().astimezone(demo.organization.tzinfo).date()


def geometry(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const board = document.getElementById('board');
          const box = board.getBoundingClientRect();
          const items = [...board.querySelectorAll('.bar, .cell')]
            .map(b => b.getBoundingClientRect());
          return {
            boardScrolls: board.scrollWidth > board.clientWidth + 1,
            pageScrolls: document.scrollingElement.scrollHeight > innerHeight + 1
              || document.scrollingElement.scrollWidth > innerWidth + 1,
            items: items.length,
            outside: items.filter(r => r.left < box.left - 1 || r.right > box.right + 1).length,
            heads: [...board.querySelectorAll('.day-head')]
              .map(h => h.innerText.replace(/\\s+/g, ' ')),
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


@pytest.mark.parametrize("manager", VIEWPORTS, indirect=True, ids=["1280x720", "1440x900"])
def test_the_month_shows_every_day_and_every_shift(
    live_server: Any, manager: Any, demo: Any
) -> None:
    day = today(demo)
    tz = demo.organization.tzinfo
    open_board(manager, live_server.url, f"view=month&date={day.isoformat()}")

    shape = geometry(manager)
    first = datetime(day.year, day.month, 1, tzinfo=tz)
    following = datetime(day.year + day.month // 12, day.month % 12 + 1, 1, tzinfo=tz)
    assert len(shape["heads"]) == (following.date() - first.date()).days
    assert shape["outside"] == 0
    assert not shape["boardScrolls"]
    assert not shape["pageScrolls"]
    in_month = (
        Shift.objects.filter(
            organization=demo.organization, start_at__lt=following, end_at__gt=first
        )
        .exclude(status=ShiftStatus.CANCELLED)
        .count()
    )
    counted = manager.eval_on_selector_all(
        ".cell", "els => els.reduce((n, e) => n + Number(e.dataset.count), 0)"
    )
    assert counted == in_month
    # One tab stop for the whole month (the arrows move between its cells).
    stops = manager.evaluate(
        "[...document.querySelectorAll('#board [tabindex=\"0\"], #board button:not([tabindex])')]"
        ".length"
    )
    assert stops == 1
    if manager.viewport_size["width"] == 1280:
        save_image(manager, "board-month.png")

    # A day's cell opens that day, its shifts as bars.
    cell = manager.locator(".cell").first
    opened = cell.get_attribute("data-day")
    cell.click()
    manager.wait_for_function(f"location.search.includes('view=day&date={opened}')")
    manager.wait_for_selector(".bar")


def focused_shift(page: Any) -> str | None:
    return page.evaluate("document.activeElement?.dataset?.shift || null")


def test_after_a_write_the_edited_shift_stays_in_view_with_the_focus(
    live_server: Any, manager: Any, demo: Any
) -> None:
    manager.set_viewport_size({"width": 1280, "height": 520})
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")
    # The last bar of the board, far down: the board scrolls to it.
    shift_id = manager.locator(".bar").last.get_attribute("data-shift")
    bar = manager.locator(f".bar[data-shift='{shift_id}']")
    # The board may draw once more as it settles (fonts, sizes): find the bar again then.
    manager.wait_for_function(
        '(id) => { const bar = document.querySelector(`.bar[data-shift="${id}"]`);'
        " if (!bar) return false; bar.scrollIntoView({block: 'center'});"
        " return document.getElementById('board').scrollTop > 0; }",
        arg=shift_id,
    )
    scrolled = manager.evaluate("document.getElementById('board').scrollTop")
    assert scrolled > 0
    bar.click()
    manager.wait_for_selector("#dialog[open]")
    # A write: lock the first booking (or, with nobody on it, move the shift by an hour).
    lock = manager.locator(".assignment-row button").first
    lock.click()
    manager.wait_for_function("!document.getElementById('dialog').open")
    manager.wait_for_function(f"document.activeElement?.dataset?.shift === '{shift_id}'")

    # The board restores its scroll once it has drawn again: wait for the bar to be in view.
    manager.wait_for_function(
        """(id) => {
          const board = document.getElementById('board').getBoundingClientRect();
          const bar = document.querySelector(`.bar[data-shift="${id}"]`)?.getBoundingClientRect();
          return Boolean(bar) && bar.top >= board.top && bar.bottom <= board.bottom;
        }""",
        arg=shift_id,
    )
    assert abs(manager.evaluate("document.getElementById('board').scrollTop") - scrolled) < 40
    assert manager.locator("#undo-toast").is_visible()


def test_the_keyboard_moves_over_bars_in_time_order(
    live_server: Any, manager: Any, demo: Any
) -> None:
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")
    in_time = manager.evaluate(
        """() => [...document.querySelectorAll('.bar')]
              .sort((a, b) => a.dataset.start - b.dataset.start || a.dataset.row - b.dataset.row)
              .map(b => b.dataset.shift)"""
    )
    # One tab stop for every bar.
    assert manager.locator(".bar[tabindex='0']").count() == 1

    # From the top of the page, the skip link reaches the board in a few presses.
    manager.evaluate("document.activeElement.blur()")
    presses = 0
    while manager.evaluate("document.activeElement?.id") != "skip-to-board" and presses < 10:
        manager.keyboard.press("Tab")
        presses += 1
    manager.keyboard.press("Enter")
    assert presses <= 6
    assert focused_shift(manager) == in_time[0]

    manager.keyboard.press("ArrowRight")
    assert focused_shift(manager) == in_time[1]
    manager.keyboard.press("ArrowLeft")
    assert focused_shift(manager) == in_time[0]
    row = manager.evaluate("document.activeElement.dataset.row")
    manager.keyboard.press("ArrowDown")
    if manager.evaluate("document.activeElement.dataset.row") == row:  # the last row
        manager.keyboard.press("ArrowUp")
    assert manager.evaluate("document.activeElement.dataset.row") != row
    manager.keyboard.press("End")
    assert focused_shift(manager) == in_time[-1]
    assert manager.locator(".bar[tabindex='0']").get_attribute("data-shift") == in_time[-1]
    label = manager.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "/" in label
    assert "équipe" in label

    manager.keyboard.press("Enter")
    manager.wait_for_selector("#dialog[open]")
    manager.keyboard.press("Escape")
    manager.keyboard.press("?")
    manager.wait_for_selector("#shortcuts")


def test_cancelling_a_booking_asks_first_and_undo_brings_it_back(
    live_server: Any, manager: Any, demo: Any
) -> None:
    booking = (
        Assignment.objects.filter(
            organization=demo.organization,
            status__in=["proposed", "accepted"],
            shift__status=ShiftStatus.DRAFT,
            start_at__gt=timezone.now(),
        )
        .order_by("start_at")
        .first()
    )
    assert booking is not None
    day = booking.start_at.astimezone(demo.organization.tzinfo).date().isoformat()
    open_board(manager, live_server.url, f"view=day&date={day}")
    manager.click(f".bar[data-shift='{booking.shift_id}']")
    row = manager.locator(f"[data-assignment='{booking.pk}']")
    row.locator("button", has_text="Annuler la réservation").click()
    # Asked first: nothing is written until confirmed.
    manager.wait_for_selector("#confirm-yes")
    assert Assignment.objects.get(pk=booking.pk).status == booking.status
    manager.click("#confirm-yes")
    manager.wait_for_selector("#undo-toast:not([hidden]) #undo")
    assert Assignment.objects.get(pk=booking.pk).status == "cancelled"

    manager.click("#undo")
    manager.wait_for_selector("#toast:not([hidden]):text('Annulé.')")
    assert Assignment.objects.filter(
        shift_id=booking.shift_id,
        artist_id=booking.artist_id,
        status__in=["proposed", "invited", "accepted"],
    ).exists()
    # Audited as an undo (the toast's write sends X-Undo), the cancellation as it was.
    cancel, undo = AuditEntry.objects.filter(organization=demo.organization).order_by("-timestamp")[
        :2
    ][::-1]
    assert (cancel.reason, undo.reason) == ("", "undo")


def test_a_cancelled_shift_is_restored_from_the_board_and_undo_cancels_it_again(
    live_server: Any, manager: Any, demo: Any
) -> None:
    shift = (
        Shift.objects.filter(organization=demo.organization, start_at__gt=timezone.now())
        .exclude(status=ShiftStatus.CANCELLED)
        .order_by("start_at")
        .first()
    )
    day = shift.start_at.astimezone(demo.organization.tzinfo).date().isoformat()
    open_board(manager, live_server.url, f"view=day&date={day}")
    manager.click(f".bar[data-shift='{shift.pk}']")
    manager.click("#cancel-shift")
    manager.click("#confirm-yes")
    manager.wait_for_selector("#undo-toast:not([hidden])")
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED

    manager.select_option("select[name=status]", "cancelled")
    bar = manager.locator(f".bar.status-cancelled[data-shift='{shift.pk}']")
    assert "annulé" in bar.inner_text().lower()
    bar.click()
    manager.click("#restore-shift")
    manager.wait_for_function("!document.getElementById('dialog').open")
    manager.wait_for_selector(f".bar.status-cancelled[data-shift='{shift.pk}']", state="detached")
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.DRAFT


def test_the_unfilled_panel_and_the_filters(live_server: Any, manager: Any, demo: Any) -> None:
    day = today(demo)
    open_board(manager, live_server.url, f"view=week&date={day.isoformat()}")
    manager.click("#toggle-unfilled")
    manager.wait_for_selector("#unfilled:not([hidden]) li")
    listed = manager.eval_on_selector_all(
        "[data-unfilled]", "els => els.map(e => e.dataset.unfilled)"
    )
    short = manager.evaluate(
        """() => [...document.querySelectorAll('.bar.short')]
              .sort((a, b) => a.dataset.start - b.dataset.start)
              .map(b => b.dataset.shift)"""
    )
    assert listed
    assert sorted(listed) == sorted(short)
    starts = [Shift.objects.get(pk=pk).start_at for pk in listed]
    assert starts == sorted(starts)
    save_image(manager, "board-unfilled.png")

    # Unfilled only, then conflicts only: every bar shown answers the filter.
    manager.check("input[name=short]")
    assert "short=1" in manager.url
    assert manager.locator(".bar").count() == len(listed)
    assert manager.locator(".bar:not(.short)").count() == 0
    manager.uncheck("input[name=short]")
    with_badges = manager.locator(".bar:has(.badge)").count()
    manager.check("input[name=conflicts]")
    assert manager.locator(".bar").count() == with_badges
    assert manager.locator(".bar:not(:has(.badge))").count() == 0
    manager.uncheck("input[name=conflicts]")

    # Quick assign: the shift's candidates at once.
    manager.click(f"[data-quick-assign='{listed[0]}']")
    manager.wait_for_selector("#dialog[open] button[data-artist]")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is absent: run `make lint-js` (npm ci) first")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => `${v.id}: ${v.help} — `
              + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return list(found)


def test_axe_finds_no_serious_issue_on_the_board_its_dialogs_and_the_crew_page(
    live_server: Any, manager: Any, demo: Any, browser: Any
) -> None:
    day = today(demo).isoformat()
    found: dict[str, list[str]] = {}
    open_board(manager, live_server.url, f"view=week&date={day}")
    found["week"] = serious_violations(manager)
    manager.click("#toggle-unfilled")
    manager.wait_for_selector("#unfilled li")
    found["unfilled panel"] = serious_violations(manager)
    manager.click("#toggle-crew")
    manager.wait_for_selector("#crew-panel .crew-person")
    manager.locator("#crew-panel .crew-person").first.click()  # a person picked
    found["crew panel"] = serious_violations(manager)
    manager.keyboard.press("Escape")
    manager.locator(".bar").first.click()
    manager.wait_for_selector("#dialog[open]")
    if manager.locator("#find-artists").count():
        manager.click("#find-artists")
        manager.wait_for_selector("button[data-artist]")
    found["shift dialog"] = serious_violations(manager)
    manager.keyboard.press("Escape")
    manager.click("#new-shift")
    manager.wait_for_selector("#new-shift-form")
    found["new shift"] = serious_violations(manager)
    manager.keyboard.press("Escape")
    manager.keyboard.press("?")
    manager.wait_for_selector("#shortcuts")
    found["shortcuts"] = serious_violations(manager)
    manager.keyboard.press("Escape")
    open_board(manager, live_server.url, f"view=month&date={day}")
    found["month"] = serious_violations(manager)
    open_board(manager, live_server.url, f"view=week&date={day}&zoom=2")
    found["zoomed week"] = serious_violations(manager)
    open_board(manager, live_server.url, f"view=day&date={day}&zoom=1")
    manager.click("#copy-day")
    manager.wait_for_selector("#copy-day-target")
    found["zoomed day, copy a day"] = serious_violations(manager)

    print("axe-core serious+critical:", {name: len(v) for name, v in found.items()})
    assert found == {name: [] for name in found}


def test_axe_finds_no_serious_issue_on_the_crew_page(
    live_server: Any, browser: Any, demo: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    tech = context.new_page()
    log_in(tech, live_server.url, "tech@demo.test", DEMO_PASSWORD)
    tech.wait_for_url(re.compile(r".*/app/me"))
    tech.wait_for_load_state("networkidle")
    found = serious_violations(tech)
    context.close()

    print("axe-core serious+critical on /app/me:", found)
    assert found == []


def test_the_api_docs_render_with_no_request_outside_the_server(
    live_server: Any, browser: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    page.wait_for_load_state("networkidle")
    context.close()

    assert outside == []


def relative_luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_at_least_3_to_1(
    live_server: Any, manager: Any, demo: Any
) -> None:
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")
    manager.focus("#skip-to-board")
    manager.keyboard.press("Enter")
    colours = manager.evaluate(
        """() => {
          const bar = document.activeElement;
          const style = getComputedStyle(bar);
          return { ring: style.outlineColor, width: style.outlineWidth,
                   bar: style.backgroundColor,
                   board: getComputedStyle(document.getElementById('board')).backgroundColor };
        }"""
    )
    assert float(colours["width"].rstrip("px")) >= 2
    assert contrast(colours["ring"], colours["board"]) >= 3
    assert contrast(colours["ring"], colours["bar"]) >= 3


def test_daylight_saving_day_labels_and_typed_times_follow_the_zone(
    live_server: Any, manager: Any, demo: Any
) -> None:
    organization = demo.organization
    organization.timezone = "Europe/Paris"
    organization.save(update_fields=["timezone"])
    open_board(manager, live_server.url, "view=day&date=2026-03-29")
    hours = manager.eval_on_selector_all(".days .hour", "els => els.map(e => e.innerText)")
    # 29 March 2026 has 23 hours in Paris: 02:00 never happens.
    assert "02:00" not in hours
    assert hours[:3] == ["00:00", "04:00", "06:00"] or hours[:2] == ["00:00", "04:00"]
    positions = manager.eval_on_selector_all(
        ".days .hour", "els => els.map(e => parseFloat(e.style.left))"
    )
    assert abs(positions[1] - 3 / 23 * 100) < 0.5  # 04:00 CEST is 3 real hours after midnight

    manager.click("#new-shift")
    manager.wait_for_selector("#new-shift-form")
    sent: list[str] = []
    manager.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    manager.fill("#new-shift-form input[name=start_at]", "2026-03-29T02:30")
    manager.fill("#new-shift-form input[name=end_at]", "2026-03-29T06:00")
    manager.click("#new-shift-form button[type=submit]")
    assert "n'existe pas" in manager.inner_text("#new-shift-form")
    assert manager.get_attribute("#new-shift-form input[name=start_at]", "aria-invalid") == "true"
    assert sent == []

    # An hour that happens twice asks which.
    manager.fill("#new-shift-form input[name=start_at]", "2026-10-25T02:30")
    manager.dispatch_event("#new-shift-form input[name=start_at]", "change")
    options = manager.eval_on_selector_all(
        "#new-shift-form .fold-choice option", "els => els.map(e => e.textContent)"
    )
    assert len(options) == 2


def test_dragging_a_bar_moves_its_shift_by_quarter_hours_after_a_preview(
    live_server: Any, manager: Any, demo: Any
) -> None:
    shift = (
        Shift.objects.filter(
            organization=demo.organization,
            status=ShiftStatus.DRAFT,
            start_at__gt=timezone.now(),
            assignments__isnull=True,
        )
        .order_by("start_at")
        .first()
    )
    assert shift is not None
    day = shift.start_at.astimezone(demo.organization.tzinfo).date().isoformat()
    open_board(manager, live_server.url, f"view=day&date={day}")
    bar = manager.locator(f".bar[data-shift='{shift.pk}']")
    # Off-screen rows are not laid out (content-visibility): bring the bar on screen first.
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    lanes_width = manager.evaluate(
        "id => document.querySelector(`.bar[data-shift='${id}']`).parentElement.clientWidth",
        str(shift.pk),
    )
    px_per_hour = lanes_width / 24
    x, y = box["x"] + 10, box["y"] + box["height"] / 2
    manager.mouse.move(x, y)
    manager.mouse.down()
    manager.mouse.move(x + px_per_hour * 0.55, y, steps=5)  # 33 minutes: snaps to 30
    assert bar.get_attribute("data-drag-label")
    manager.mouse.move(x + px_per_hour * 1.05, y, steps=5)  # 63 minutes: snaps to 1 h
    manager.mouse.up()
    manager.wait_for_selector("#move-summary")
    manager.wait_for_selector("#confirm-move")
    before = shift.start_at
    manager.click("#confirm-move")
    manager.wait_for_function("!document.getElementById('dialog').open")
    manager.wait_for_function(f"document.activeElement?.dataset?.shift === '{shift.pk}'")
    shift.refresh_from_db()
    assert (shift.start_at - before).total_seconds() == 3600


def test_copying_the_week_and_undoing_it(live_server: Any, manager: Any, demo: Any) -> None:
    organization = demo.organization
    # A tour running three weeks, with a shift this week: it copies to the next one.
    project = ProjectFactory(organization=organization, name="Tournée")
    venue = VenueFactory(organization=organization, name="Aaa tour venue")
    mission = MissionFactory(
        project=project,
        venue=venue,
        start_at=timezone.now() - timedelta(days=7),
        end_at=timezone.now() + timedelta(days=21),
    )
    staffing = MissionRoleFactory(mission=mission)
    ShiftFactory(
        mission=mission,
        role=staffing.role,
        start_at=timezone.now() + timedelta(hours=1),
        end_at=timezone.now() + timedelta(hours=5),
    )
    written_behind_the_services(organization)
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")
    before = Shift.objects.filter(organization=organization).count()
    manager.click("#copy-week")
    # The next week by default, previewed before anything is written.
    manager.wait_for_selector("#copy-preview-result #copy-preview-count")
    assert Shift.objects.filter(organization=organization).count() == before
    manager.click("#confirm-copy")
    manager.wait_for_selector("#undo-toast:not([hidden]) #undo")
    # The demo's one-day missions end this week: their copies are listed as skipped.
    manager.wait_for_selector("#copy-result")
    assert Shift.objects.filter(mission=mission).count() == 2
    copied = Shift.objects.filter(organization=organization).count() - before
    assert copied >= 1

    manager.keyboard.press("Escape")
    manager.click("#undo")
    manager.wait_for_selector("#toast:not([hidden]):text('Annulé.')")
    assert Shift.objects.filter(organization=organization).count() == before


def bar_box(page: Any, shift_id: str) -> dict[str, float]:
    """A bar's place on screen, the pointer moved off the board first (a hovered narrow bar
    widens to show everything)."""
    page.mouse.move(2, 2)
    return page.evaluate(
        """(id) => {
          const r = document.querySelector(`.bar[data-shift="${id}"]`).getBoundingClientRect();
          return { left: r.left, width: r.width, top: r.top, height: r.height };
        }""",
        shift_id,
    )


def zoom_shape(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const board = document.getElementById('board');
          const box = board.getBoundingClientRect();
          const labelPx = document.querySelector('.corner').getBoundingClientRect().width;
          // Every day heading in view with room for its label shows it within the board, by
          // the row labels for a day that starts off to the left (its label sticks).
          const start = box.left + labelPx;
          const heads = [...board.querySelectorAll('.day-head')].map((h) => {
            const r = h.getBoundingClientRect();
            const label = h.querySelector('strong').getBoundingClientRect();
            const room = Math.min(r.right, box.right) - Math.max(r.left, start);
            return { text: h.innerText.replace(/\\s+/g, ' '), left: r.left, room,
              shown: label.left >= start - 1 && label.right <= box.right + 1,
              needs: label.width + 8 };
          }).filter((h) => h.room > 0);
          return {
            zoom: board.dataset.zoom,
            url: location.search,
            boardScrolls: board.scrollWidth > board.clientWidth + 1,
            scrollLeft: board.scrollLeft,
            pageScrollsX: document.scrollingElement.scrollWidth > innerWidth + 1,
            pageScrollsY: document.scrollingElement.scrollHeight > innerHeight + 1,
            heads: heads.map((h) => h.text),
            labelsShown: heads.every((h) => h.shown || h.room < h.needs),
            stuck: heads.some((h) => h.left < start - 20 && h.room >= h.needs && h.shown),
          };
        }"""
    )


def test_zooming_the_week_keeps_the_point_under_the_pointer_and_survives_a_reload_and_a_write(
    live_server: Any, manager: Any, demo: Any
) -> None:
    open_board(manager, live_server.url, f"view=week&date={today(demo).isoformat()}")
    assert manager.evaluate("document.getElementById('board').dataset.zoom") == "0"
    # A bar in the middle of the board, wide enough to aim at.
    shift_id = manager.evaluate(
        """() => {
          const box = document.getElementById('board').getBoundingClientRect();
          const middle = box.left + box.width * 0.6;
          const bars = [...document.querySelectorAll('.bar')].filter((b) => {
            const r = b.getBoundingClientRect();
            return r.width > 12 && r.top > box.top + 50 && r.bottom < box.bottom - 5;
          });
          bars.sort((a, b) => {
            const d = (el) => { const r = el.getBoundingClientRect();
              return Math.abs(r.left + r.width / 2 - middle); };
            return d(a) - d(b);
          });
          return bars[0].dataset.shift;
        }"""
    )
    before = bar_box(manager, shift_id)
    x = before["left"] + before["width"] / 2
    y = before["top"] + before["height"] / 2

    manager.mouse.move(x, y)
    manager.keyboard.down("Control")
    manager.mouse.wheel(0, -120)
    manager.keyboard.up("Control")
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '1'")
    after = bar_box(manager, shift_id)
    # Twice as wide, and the instant under the pointer stayed under it.
    assert abs(after["width"] - 2 * before["width"]) < 3
    assert abs(after["left"] + 2 * (x - before["left"]) - x) < 3
    assert after["left"] <= x <= after["left"] + after["width"]
    shape = zoom_shape(manager)
    assert "zoom=1" in shape["url"]
    assert shape["boardScrolls"]
    assert shape["scrollLeft"] > 0
    assert not shape["pageScrollsX"]
    assert not shape["pageScrollsY"]
    # The days in view are labelled, in view (stuck by the row labels when a day starts off
    # to the left).
    assert shape["heads"]
    for head in shape["heads"]:
        assert re.match(r"^(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2} ", head), head
    assert shape["labelsShown"]

    # The toolbar's buttons, then the keys.
    assert manager.get_by_role("button", name="Zoom avant").is_visible()
    manager.get_by_role("button", name="Zoom avant").click()
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '2'")
    assert manager.get_by_role("button", name="Zoom avant").is_disabled()
    manager.get_by_role("button", name="Zoom arrière").click()
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '1'")
    manager.locator(f".bar[data-shift='{shift_id}']").focus()
    manager.keyboard.press("+")
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '2'")
    assert focused_shift(manager) == shift_id
    manager.keyboard.press("-")
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '1'")
    manager.keyboard.press("+")
    manager.wait_for_function("document.getElementById('board').dataset.zoom === '2'")
    # Wide enough, a narrow bar shows all it holds.
    assert manager.locator(f".bar[data-shift='{shift_id}']").evaluate(
        "(b) => !b.classList.contains('tiny')"
    )

    # A reload keeps the zoom (it is in the URL).
    manager.reload()
    manager.wait_for_selector("#board[data-ready=true]")
    shape = zoom_shape(manager)
    assert shape["zoom"] == "2"
    assert "zoom=2" in shape["url"]
    assert shape["boardScrolls"]
    assert not shape["pageScrollsX"]
    # A day scrolled half off to the left keeps its label in view.
    manager.evaluate(
        """() => { const head = document.querySelectorAll('.day-head')[2];
          document.getElementById('board').scrollLeft = head.offsetLeft + 100; }"""
    )
    assert zoom_shape(manager)["stuck"]

    # A write (lock a booking) keeps the zoom and the scroll.
    booked = manager.evaluate(
        """() => {
          const box = document.getElementById('board').getBoundingClientRect();
          const bar = [...document.querySelectorAll('.bar')].find((b) =>
            b.querySelector('.chip') && !b.classList.contains('status-cancelled'));
          bar.scrollIntoView({ block: 'center', inline: 'center' });
          return bar.dataset.shift;
        }"""
    )
    scroll = manager.evaluate(
        "(() => { const b = document.getElementById('board');"
        " return [b.scrollLeft, b.scrollTop]; })()"
    )
    assert scroll[0] > 0
    manager.click(f".bar[data-shift='{booked}']")
    manager.wait_for_selector("#dialog[open] .assignment-row button")
    manager.locator(".assignment-row button").first.click()
    manager.wait_for_function("!document.getElementById('dialog').open")
    manager.wait_for_function(f"document.activeElement?.dataset?.shift === '{booked}'")
    manager.wait_for_selector("#undo-toast:not([hidden])")
    shape = zoom_shape(manager)
    assert shape["zoom"] == "2"
    assert "zoom=2" in shape["url"]
    assert abs(shape["scrollLeft"] - scroll[0]) < 5
    assert not shape["pageScrollsX"]


def test_zooming_in_on_a_month_opens_the_week_of_the_day_there(
    live_server: Any, manager: Any, demo: Any
) -> None:
    day = today(demo)
    open_board(manager, live_server.url, f"view=month&date={day.isoformat()}")
    cell = manager.locator(".cell").first
    cell_day = cell.get_attribute("data-day")
    box = cell.bounding_box()
    manager.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    manager.keyboard.down("Control")
    manager.mouse.wheel(0, -120)
    manager.keyboard.up("Control")
    manager.wait_for_function("location.search.includes('view=week')")
    manager.wait_for_selector("#board .bar")
    days = manager.evaluate(
        "[...document.querySelectorAll('.day-head')].map((h) => h.dataset.openDay)"
    )
    assert cell_day in days


def test_copying_a_day_to_another_date_after_a_preview_and_undoing_it(
    live_server: Any, manager: Any, demo: Any
) -> None:
    organization = demo.organization
    tz = organization.tzinfo
    project = ProjectFactory(organization=organization, name="Festival")
    venue = VenueFactory(organization=organization, name="Aaa festival venue")
    mission = MissionFactory(
        project=project,
        venue=venue,
        start_at=timezone.now() - timedelta(days=1),
        end_at=timezone.now() + timedelta(days=21),
    )
    staffing = MissionRoleFactory(mission=mission)
    source = today(demo) + timedelta(days=3)
    target = source + timedelta(days=2)
    originals = [
        ShiftFactory(
            mission=mission,
            role=staffing.role,
            start_at=datetime(source.year, source.month, source.day, hour, tzinfo=tz),
            end_at=datetime(source.year, source.month, source.day, hour + 3, tzinfo=tz),
        )
        for hour in (9, 14)
    ]
    written_behind_the_services(organization)
    open_board(manager, live_server.url, f"view=day&date={source.isoformat()}&project={project.pk}")
    manager.click("#copy-day")
    manager.fill("#copy-day-target", target.isoformat())
    # The preview lists the day's shifts; nothing is written yet.
    previewed = manager.eval_on_selector_all(
        "#copy-preview li", "(items) => items.map((li) => li.dataset.shift)"
    )
    assert previewed == [str(shift.pk) for shift in originals]
    assert Shift.objects.filter(mission=mission).count() == 2

    manager.click("#confirm-copy")
    manager.wait_for_selector("#undo-toast:not([hidden]) #undo")
    copies = Shift.objects.filter(mission=mission).exclude(pk__in=[s.pk for s in originals])
    assert sorted(s.start_at.astimezone(tz).hour for s in copies) == [9, 14]
    assert {s.start_at.astimezone(tz).date() for s in copies} == {target}
    assert {s.status for s in copies} == {ShiftStatus.DRAFT}

    # On the board of the target day.
    for _ in range(2):
        manager.click("[data-nav='1']")
    manager.wait_for_function(f"location.search.includes('date={target.isoformat()}')")
    for copy in copies:
        manager.wait_for_selector(f".bar[data-shift='{copy.pk}']")

    manager.click("#undo")
    manager.wait_for_selector("#toast:not([hidden]):text('Annulé.')")
    assert Shift.objects.filter(mission=mission).count() == 2
    manager.wait_for_function("document.querySelectorAll('#board .bar').length === 0")


def test_copying_a_day_to_an_earlier_date_previews_what_is_skipped_before_writing(
    live_server: Any, manager: Any, demo: Any
) -> None:
    organization = demo.organization
    tz = organization.tzinfo
    source = today(demo) + timedelta(days=3)
    target = source - timedelta(days=5)
    project = ProjectFactory(organization=organization, name="Festival")
    venue = VenueFactory(organization=organization, name="Aaa festival venue")
    # The mission starts at noon on the target day: a morning copy would fall before it.
    mission = MissionFactory(
        project=project,
        venue=venue,
        start_at=datetime(target.year, target.month, target.day, 12, tzinfo=tz),
        end_at=timezone.now() + timedelta(days=21),
    )
    staffing = MissionRoleFactory(mission=mission)
    morning, afternoon = (
        ShiftFactory(
            mission=mission,
            role=staffing.role,
            start_at=datetime(source.year, source.month, source.day, hour, tzinfo=tz),
            end_at=datetime(source.year, source.month, source.day, hour + 3, tzinfo=tz),
        )
        for hour in (9, 14)
    )
    written_behind_the_services(organization)
    entries = AuditEntry.objects.filter(organization=organization).count()
    open_board(manager, live_server.url, f"view=day&date={source.isoformat()}&project={project.pk}")
    manager.click("#copy-day")
    assert manager.get_attribute("#copy-day-target", "min") == (source - timedelta(366)).isoformat()

    # The same day is no target: nothing to confirm.
    manager.fill("#copy-day-target", source.isoformat())
    manager.wait_for_selector("#copy-preview-result .error")
    assert manager.is_disabled("#confirm-copy")

    manager.fill("#copy-day-target", target.isoformat())
    manager.wait_for_selector("#copy-preview-result #copy-preview-count")
    result = manager.locator("#copy-preview-result")
    assert result.get_attribute("aria-live") == "polite"
    assert manager.inner_text("#copy-preview-count").startswith("1 ")
    skipped = result.locator("li")
    assert skipped.count() == 1
    assert skipped.first.get_attribute("data-shift") == str(morning.pk)
    assert "—" in skipped.first.inner_text()
    assert manager.is_enabled("#confirm-copy")
    screenshot(manager, "board-copy-day-earlier-preview")
    # Previewed, not written.
    assert Shift.objects.filter(mission=mission).count() == 2
    assert AuditEntry.objects.filter(organization=organization).count() == entries

    manager.click("#confirm-copy")
    manager.wait_for_selector("#undo-toast:not([hidden]) #undo")
    manager.wait_for_selector("#copy-result")
    copy = Shift.objects.filter(mission=mission).exclude(pk__in=[morning.pk, afternoon.pk]).get()
    assert copy.start_at.astimezone(tz).date() == target
    assert copy.start_at.astimezone(tz).hour == afternoon.start_at.astimezone(tz).hour == 14
    assert copy.status == ShiftStatus.DRAFT
    assert Shift.objects.filter(mission=mission).count() == 3

    # On the board of the target day.
    manager.keyboard.press("Escape")
    for _ in range(5):
        manager.click("[data-nav='-1']")
    manager.wait_for_function(f"location.search.includes('date={target.isoformat()}')")
    manager.wait_for_selector(f".bar[data-shift='{copy.pk}']")
