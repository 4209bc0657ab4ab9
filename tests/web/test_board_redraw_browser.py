"""After a write the board refetches only the days it can have changed, in Chromium.

On a busy month the whole range costs seconds to fetch and decode again; a booking changes
its shift and, through rest and duty periods, the shifts of the same person a day around
it. So the board asks the server for that window only (the shift's times widened by a day
each side, within the range shown), merges it into what is loaded and draws again, where
it was scrolled, with the focus back on the shift. These tests count the timeline requests
and their range, and check that a neighbouring shift's badges follow the write.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from apps.core.revisions import bump_organization_revision
from apps.planning.models import Assignment, ConflictUpkeep, ConflictUpkeepStatus
from tests.factories import PASSWORD, AssignmentFactory
from tests.web.conftest import log_in, screenshot
from tests.web.test_board_rules_browser import DAY, Festival

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def timeline_ranges(requests: list[str]) -> list[tuple[datetime, datetime]]:
    """The [from, to) instants of each timeline request made."""
    ranges = []
    for url in requests:
        query = parse_qs(urlparse(url).query)
        ranges.append(
            (datetime.fromisoformat(query["from"][0]), datetime.fromisoformat(query["to"][0]))
        )
    return ranges


def open_week(page: Any, base: str, requests: list[str]) -> None:
    page.goto(f"{base}/app/timeline?view=week&date={DAY.date()}")
    page.wait_for_selector("#board[data-ready=true]")
    requests.clear()


def redrawn_after(page: Any, action: Any) -> None:
    """Runs ``action`` (a write from the dialog) and waits for the board's next drawing."""
    before = page.evaluate("performance.now()")
    action()
    page.wait_for_function(f"window.__boardReadyAt > {before}")


def hard_badges(page: Any, shift: Any) -> int:
    return int(page.locator(f".bar[data-shift='{shift.pk}'] .badge.hard").count())


@pytest.mark.parametrize("viewport", [(1280, 720), (1440, 900)])
def test_an_assignment_refetches_only_the_days_around_its_shift(
    live_server: Any, page: Any, viewport: tuple[int, int]
) -> None:
    festival = Festival()
    base = live_server.url
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url) if "/api/v1/planning/timeline" in request.url else None
        ),
    )
    log_in(page, base, festival.manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")
    open_week(page, base, requests)
    bars_before = page.locator(".bar").count()

    # Marks on the drawn grid: it is not built again, only the row holding the shift is.
    page.evaluate("document.querySelector('.board-grid').dataset.mark = 'kept'")
    page.click(f".bar[data-shift='{festival.rehearsal.pk}']")
    page.wait_for_selector("#dialog[open]")
    page.click("#find-artists")
    page.click(f"button[data-artist='{festival.technician.pk}']")
    page.wait_for_selector("#confirm-assign:not([disabled])")
    redrawn_after(page, lambda: page.click("#confirm-assign"))

    assert Assignment.objects.filter(
        shift=festival.rehearsal, artist=festival.technician, status="proposed"
    ).exists()
    # One request, for the rehearsal's times widened by a day each side: not the week.
    assert timeline_ranges(requests) == [
        (
            festival.rehearsal.start_at.astimezone(UTC) - timedelta(days=1),
            festival.rehearsal.end_at.astimezone(UTC) + timedelta(days=1),
        )
    ]
    # The booking shows, every other bar of the week is still drawn, and the focus is back
    # on the shift edited.
    rehearsal = page.locator(f".bar[data-shift='{festival.rehearsal.pk}']")
    assert "Inès" in rehearsal.inner_text()
    assert rehearsal.locator(".fill").inner_text() == "1/2"
    assert page.locator(".bar").count() == bars_before
    assert page.locator(".board-grid[data-mark=kept]").count() == 1
    page.wait_for_function(f"document.activeElement?.dataset?.shift === '{festival.rehearsal.pk}'")
    screenshot(page, f"redraw-window-{viewport[0]}")


def test_a_neighbouring_shift_of_the_same_person_follows_the_write(
    live_server: Any, page: Any
) -> None:
    festival = Festival()
    # Hugo does the show, the load-out until 03:30, and the get-in at 10:00 the same
    # morning: one duty period too long, a hard conflict badging the load-out and the get-in.
    AssignmentFactory(shift=festival.load_out, artist=festival.show_crew)
    AssignmentFactory(shift=festival.next_get_in, artist=festival.show_crew)
    base = live_server.url
    requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url) if "/api/v1/planning/timeline" in request.url else None
        ),
    )
    log_in(page, base, festival.manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")
    open_week(page, base, requests)
    assert hard_badges(page, festival.load_out) == 1
    assert hard_badges(page, festival.next_get_in) == 1

    # The get-in's booking cancelled from its dialog: the load-out (the day before) is
    # inside the window refetched, and loses its badge without a reload of the week.
    page.click(f".bar[data-shift='{festival.next_get_in.pk}']")
    page.wait_for_selector("#dialog[open]")
    seat = Assignment.objects.get(shift=festival.next_get_in, artist=festival.show_crew)
    page.locator(f".assignment-row[data-assignment='{seat.pk}'] button").last.click()
    redrawn_after(page, lambda: page.click("#confirm-yes"))

    assert Assignment.objects.get(pk=seat.pk).status == "cancelled"
    assert hard_badges(page, festival.load_out) == 0
    assert hard_badges(page, festival.next_get_in) == 0
    assert "!" not in page.locator(f".bar[data-shift='{festival.load_out.pk}']").inner_text()
    [(start, end)] = timeline_ranges(requests)
    assert start == festival.next_get_in.start_at.astimezone(UTC) - timedelta(days=1)
    assert end == festival.next_get_in.end_at.astimezone(UTC) + timedelta(days=1)
    assert start < festival.load_out.end_at < end
    # The shifts of the week are all still drawn, the first morning's get-in among them.
    assert page.locator(f".bar[data-shift='{festival.get_in.pk}']").count() == 1


def test_a_month_is_fetched_a_local_week_at_a_time(live_server: Any, page: Any) -> None:
    """The server caches the timeline by local week: fetched by week, a month after a
    write costs the server the weeks the write reached, the others come from its cache."""
    festival = Festival()
    base = live_server.url
    requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url) if "/api/v1/planning/timeline" in request.url else None
        ),
    )
    log_in(page, base, festival.manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")
    requests.clear()
    page.goto(f"{base}/app/timeline?view=month&date={DAY.date()}")
    page.wait_for_selector("#board[data-ready=true]")

    ranges = sorted(timeline_ranges(requests))
    paris = DAY.tzinfo
    assert ranges[0][0] == datetime(2030, 6, 1, tzinfo=paris)
    assert ranges[-1][1] == datetime(2030, 7, 1, tzinfo=paris)
    for (_, end), (start, _) in pairwise(ranges):
        assert end == start
        assert start.astimezone(paris).weekday() == 0  # Monday midnight, Paris time
    assert len(ranges) == 5  # June 2030: Sat 1 to Sun 30, cut at four Mondays
    # Every shift of the month is on the board once, the load-out across midnight included.
    counted = page.eval_on_selector_all(
        ".cell", "els => els.reduce((n, e) => n + Number(e.dataset.count), 0)"
    )
    assert counted == 5
    assert page.locator(".cell.hard").count() == 0


def test_the_board_says_when_conflicts_are_being_recomputed_after_a_rule_change(
    live_server: Any, page: Any
) -> None:
    """While a job recomputes every stored conflict, the badges are checked for each read
    and the board's status line says why they may still move."""
    festival = Festival()
    AssignmentFactory(shift=festival.load_out, artist=festival.show_crew)
    AssignmentFactory(shift=festival.next_get_in, artist=festival.show_crew)
    base = live_server.url
    log_in(page, base, festival.manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")
    page.goto(f"{base}/app/timeline?view=week&date={DAY.date()}")
    page.wait_for_selector("#board[data-ready=true]")
    assert "recalcul" not in page.inner_text("#board-status")

    ConflictUpkeep.objects.update_or_create(
        organization=festival.organization, defaults={"status": ConflictUpkeepStatus.RECOMPUTING}
    )
    bump_organization_revision(festival.organization.pk)  # as the rule change's write does
    page.reload()
    page.wait_for_selector("#board[data-ready=true]")

    status = page.inner_text("#board-status")
    assert "conflits en cours de recalcul après un changement de règle" in status
    # The badges are still there, computed for this read: the load-out's hard conflict.
    assert hard_badges(page, festival.load_out) == 1
