"""The board's direct manipulation (issues 13 and 14), in real Chromium on the demo.

Two managers edit the same shift: the second one's write is refused (If-Match, 412) and
shows what changed, old → new, with "Recharger", which draws the board again with the
focus on that shift. Three shifts selected (Ctrl-click, then Space on the focused bar) are
published at once from the selection bar, after a confirmation. A person is dragged onto
another shift and moved back with the keyboard. The totals per day and per person (hours
against the weekly cap, cost) and the person's conflict, for a known week.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from apps.orgs.demo import DEMO_PASSWORD, run_seed
from apps.planning.models import Assignment, Shift, ShiftStatus
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    VenueFactory,
    written_behind_the_services,
)
from tests.web.conftest import log_in, screenshot
from tests.web.test_board_views import open_board, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> Any:
    return run_seed(size="normal")


def manager_page(browser: Any, base: str, width: int = 1280, height: int = 720) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, base, "manager@demo.test", DEMO_PASSWORD)
    page.wait_for_url("**/app/timeline**")
    return page


def local(shift: Shift, demo: Any, hours: int) -> str:
    """The shift's start moved by ``hours``, as a datetime-local field reads it."""
    moved = (shift.start_at + timedelta(hours=hours)).astimezone(demo.organization.tzinfo)
    return moved.strftime("%Y-%m-%dT%H:%M")


def move_through_the_dialog(page: Any, shift: Shift, demo: Any, hours: int) -> None:
    bar = page.locator(f".bar[data-shift='{shift.pk}']")
    bar.scroll_into_view_if_needed()
    bar.click()
    page.wait_for_selector("#dialog[open] #preview-move")
    length = shift.end_at - shift.start_at
    page.fill("#dialog input[name=start_at]", local(shift, demo, hours))
    end = (shift.start_at + timedelta(hours=hours) + length).astimezone(demo.organization.tzinfo)
    page.fill("#dialog input[name=end_at]", end.strftime("%Y-%m-%dT%H:%M"))
    page.click("#preview-move")
    page.click("#confirm-move")


def test_two_managers_edit_one_shift_the_second_sees_what_changed_and_reloads(
    live_server: Any, browser: Any, demo: Any
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
    first = manager_page(browser, live_server.url)
    second = manager_page(browser, live_server.url)
    open_board(first, live_server.url, f"view=day&date={day}")
    open_board(second, live_server.url, f"view=day&date={day}")

    move_through_the_dialog(first, shift, demo, hours=1)
    first.wait_for_function("!document.getElementById('dialog').open")
    moved = Shift.objects.get(pk=shift.pk)
    assert moved.start_at == shift.start_at + timedelta(hours=1)

    # The second board still shows the shift as it was: its write is refused, nothing lost.
    move_through_the_dialog(second, shift, demo, hours=2)
    second.wait_for_selector("#stale")
    changed = second.locator("#stale li[data-field=start_at]").inner_text()
    screenshot(second, "board-stale-write")
    assert "→" in changed
    old, new = (part.strip() for part in changed.split(":", 1)[1].split("→"))
    assert local(shift, demo, 0)[11:] in old
    assert local(shift, demo, 1)[11:] in new
    assert Shift.objects.get(pk=shift.pk).start_at == moved.start_at
    assert serious_violations(second) == []

    second.click("#stale-reload")
    second.wait_for_function("!document.getElementById('dialog').open")
    # Drawn again as it is now, the focus on the same shift.
    now = moved.start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    second.wait_for_function(
        "([id, at]) => document.activeElement?.dataset?.shift === id"
        " && document.activeElement.dataset.startAt === at",
        arg=[str(shift.pk), now],
    )

    # Read again, the shift moves on the second board too.
    move_through_the_dialog(second, moved, demo, hours=1)
    second.wait_for_function("!document.getElementById('dialog').open")
    assert Shift.objects.get(pk=shift.pk).start_at == shift.start_at + timedelta(hours=2)
    first.context.close()
    second.context.close()


def drafts_of_one_week(demo: Any, count: int) -> list[Shift]:
    """``count`` future drafts with nobody on them in one local week (Monday to Sunday)."""
    zone = demo.organization.tzinfo
    drafts = Shift.objects.filter(
        organization=demo.organization,
        status=ShiftStatus.DRAFT,
        start_at__gt=timezone.now() + timedelta(days=1),
        assignments__isnull=True,
    ).order_by("start_at")
    weeks: dict[Any, list[Shift]] = {}
    for shift in drafts:
        day = shift.start_at.astimezone(zone).date()
        week = weeks.setdefault(day - timedelta(days=day.weekday()), [])
        week.append(shift)
        if len(week) == count:
            return week
    pytest.fail("the demo has no week with enough empty drafts")


def test_three_shifts_selected_are_published_at_once_after_a_confirmation(
    live_server: Any, browser: Any, demo: Any
) -> None:
    shifts = drafts_of_one_week(demo, 3)
    assert not Assignment.objects.filter(shift__in=shifts).exists()
    day = shifts[0].start_at.astimezone(demo.organization.tzinfo).date().isoformat()
    page = manager_page(browser, live_server.url, 1280, 720)
    open_board(page, live_server.url, f"view=week&date={day}")

    assert serious_violations(page) == []
    first, second, third = (page.locator(f".bar[data-shift='{s.pk}']") for s in shifts)
    for bar in (first, second):
        bar.scroll_into_view_if_needed()
        page.mouse.move(0, 0)  # off the bar before (a hovered narrow bar widens)
        bar.click(modifiers=["Control"])
    assert not page.locator("#dialog[open]").count()  # a Ctrl-click selects, it does not open
    third.scroll_into_view_if_needed()
    third.focus()
    page.keyboard.press(" ")

    assert page.locator("#selection-count").inner_text().startswith("3 ")
    assert page.locator(".bar.selected").count() == 3
    assert "sélectionné" in (third.get_attribute("aria-label") or "")
    page.mouse.move(0, 0)
    assert serious_violations(page) == []
    page.click("[data-bulk=publish]")
    page.wait_for_selector("#selection-confirm")
    screenshot(page, "board-bulk-selection")
    assert Shift.objects.filter(pk__in=[s.pk for s in shifts], status="published").count() == 0
    page.click("#selection-confirm")

    page.wait_for_selector("#selection-bar[hidden]", state="attached")
    for shift in shifts:
        page.wait_for_selector(f".bar.status-published[data-shift='{shift.pk}']", state="attached")
    screenshot(page, "board-bulk-published")
    assert page.locator(".bar.selected").count() == 0
    published = Shift.objects.filter(pk__in=[s.pk for s in shifts], status="published")
    assert published.count() == 3
    page.context.close()


def a_person_and_a_shift_to_move_to(demo: Any) -> tuple[Assignment, Shift]:
    """A future booking alone on its shift, and another shift of the same role that day
    its person is free for (nothing else booked that day)."""
    zone = demo.organization.tzinfo
    active = ("proposed", "invited", "accepted")
    shifts = Shift.objects.filter(
        organization=demo.organization,
        start_at__gt=timezone.now() + timedelta(days=1),
        status__in=("draft", "published"),
    ).order_by("start_at")
    for source in shifts:
        seats = list(source.assignments.filter(status__in=active))
        if len(seats) != 1:
            continue
        (seat,) = seats
        day = source.start_at.astimezone(zone).date()
        that_day = [s for s in shifts if s.start_at.astimezone(zone).date() == day]
        busy = Assignment.objects.filter(
            artist=seat.artist, status__in=active, shift__in=that_day
        ).count()
        if busy != 1:
            continue
        for target in that_day:
            same_role = target.role_id == source.role_id and target.pk != source.pk
            if same_role and not target.assignments.filter(status__in=active).exists():
                return seat, target
    pytest.fail("the demo has no booking to move")


def test_a_person_is_dragged_onto_another_shift_and_moved_back_with_the_keyboard(
    live_server: Any, browser: Any, demo: Any
) -> None:
    seat, target = a_person_and_a_shift_to_move_to(demo)
    source = seat.shift
    day = source.start_at.astimezone(demo.organization.tzinfo).date().isoformat()
    page = manager_page(browser, live_server.url, 1440, 900)
    open_board(page, live_server.url, f"view=day&date={day}")

    # Drag the person's name from the source bar onto the target bar.
    chip = page.locator(f".bar[data-shift='{source.pk}'] .chip[data-assignment='{seat.pk}']")
    goal = page.locator(f".bar[data-shift='{target.pk}']")
    chip.scroll_into_view_if_needed()
    start = chip.bounding_box()
    assert start is not None
    page.mouse.move(start["x"] + 4, start["y"] + start["height"] / 2)
    page.mouse.down()
    goal.scroll_into_view_if_needed()
    end = goal.bounding_box()
    assert end is not None
    page.mouse.move(end["x"] + 10, end["y"] + end["height"] / 2, steps=8)
    assert page.locator(".person-ghost").count() == 1
    page.mouse.up()
    page.wait_for_selector("#move-person-summary")
    assert serious_violations(page) == []
    page.click("#confirm-move-person")
    page.wait_for_function("!document.getElementById('dialog').open")
    moved = Assignment.objects.get(shift=target, artist=seat.artist, status="proposed")
    seat.refresh_from_db()
    assert seat.status == "cancelled"
    page.wait_for_selector(f".bar[data-shift='{target.pk}'] .chip[data-assignment='{moved.pk}']")

    # Back with the keyboard: "m" on the shift picks its one person, Enter on the target.
    page.locator(f".bar[data-shift='{target.pk}']").focus()
    page.keyboard.press("m")
    assert seat.artist.first_name in page.locator("#board-status").inner_text()
    page.locator(f".bar[data-shift='{source.pk}']").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#confirm-move-person")
    page.keyboard.press("Tab")  # from "Annuler" to "Confirmer"
    page.click("#confirm-move-person")
    page.wait_for_function("!document.getElementById('dialog').open")
    assert Assignment.objects.filter(shift=source, artist=seat.artist, status="proposed").exists()
    assert Assignment.objects.get(pk=moved.pk).status == "cancelled"

    # The help dialog lists the shortcut.
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts")
    assert "m" in page.locator("#shortcuts kbd").all_inner_texts()
    page.context.close()


def squeeze(text: str) -> str:
    """Text with every kind of space (French number formats use narrow ones) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


def test_totals_per_day_and_per_person_with_the_persons_conflict_naming_the_other_shift(
    live_server: Any, browser: Any, demo: Any
) -> None:
    organization = demo.organization
    zone = organization.tzinfo
    project = ProjectFactory(organization=organization, name="Tournée d'hiver")
    venue = VenueFactory(organization=organization, name="Le Périscope")
    role = RoleFactory(organization=organization, name="Régie")
    mission = MissionFactory(
        project=project,
        venue=venue,
        start_at=datetime(2027, 1, 10, tzinfo=zone),
        end_at=datetime(2027, 1, 20, tzinfo=zone),
    )
    MissionRoleFactory(mission=mission, role=role, headcount=2)
    paid = ArtistFactory(
        organization=organization,
        first_name="Noé",
        last_name="Garnier",
        hourly_rate=Decimal("20.00"),
        day_rate=None,
        half_day_rate=None,
    )
    morning = ShiftFactory(
        mission=mission,
        role=role,
        start_at=datetime(2027, 1, 11, 9, 0, tzinfo=zone),
        end_at=datetime(2027, 1, 11, 15, 30, tzinfo=zone),
        break_minutes=30,
    )
    evening = ShiftFactory(
        mission=mission,
        role=role,
        start_at=datetime(2027, 1, 11, 18, 0, tzinfo=zone),
        end_at=datetime(2027, 1, 11, 23, 30, tzinfo=zone),
    )
    for shift in (morning, evening):
        AssignmentFactory(shift=shift, artist=paid, status="accepted")
    written_behind_the_services(organization)
    page = manager_page(browser, live_server.url, 1280, 720)

    open_board(
        page, live_server.url, f"view=week&date=2027-01-11&group=artist&project={project.pk}"
    )

    # Monday: two shifts, 6 h + 5.5 h paid, 120 € + 110 € at 20 € an hour.
    monday = squeeze(page.locator(".day-head[data-open-day='2027-01-11']").inner_text())
    assert "2 créneaux · 11,5 h · 230 €" in monday
    row = page.locator(f".row-label[data-person='{paid.pk}']")
    assert squeeze(row.locator(".person-totals").inner_text()).startswith("11,5 h / 48 h · 230 €")
    # A duty period of 14 h 30: the conflict is on Noé's row, naming both shifts.
    conflict = squeeze(row.locator(".person-conflict-text").text_content() or "")
    for part in ("Noé Garnier", "amplitude", "09:00–15:30", "18:00–23:30"):
        assert part in conflict
    screenshot(page, "board-person-totals")
    assert serious_violations(page) == []
    page.context.close()
