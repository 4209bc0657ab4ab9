"""The planning board and the crew page in real headless Chromium, on the demo month.

One journey per test, as a production manager and a crew member would take it: log in,
see the month, filter, create a shift, assign (a soft conflict is shown), try a double
booking (refused with its explanation), auto-assign with a progress bar, publish, and,
as a tech, accept an invitation. Screenshots land in ``artifacts/screenshots``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.orgs.demo import DEMO_PASSWORD, run_seed
from apps.planning.models import (
    Assignment,
    AutoAssignJob,
    Invitation,
    Mission,
    PlanningVersion,
    Shift,
    ShiftStatus,
)
from tests.factories import (
    PASSWORD,
    ArtistFactory,
    AssignmentFactory,
    MembershipFactory,
    ShiftFactory,
    UserFactory,
    written_behind_the_services,
)
from tests.web.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> Any:
    return run_seed(size="normal")


def local_input(instant: Any, tz: Any) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def wait_written(page: Any) -> None:
    """A write closes the dialog; a refusal replaces it with an explanation."""
    page.wait_for_function(
        "!document.getElementById('dialog').open || document.querySelector('.refused')"
    )
    if page.locator(".refused").count():
        raise AssertionError(page.inner_text(".refused"))


def open_board(page: Any, base: str, query: str) -> None:
    page.goto(f"{base}/app/timeline?{query}")
    page.wait_for_selector("#board[data-ready=true]")


def shifts_on_board(page: Any) -> int:
    """The shifts a month's day cells stand for (each counted on the day it starts)."""
    return int(
        page.eval_on_selector_all(
            ".cell", "els => els.reduce((n, e) => n + Number(e.dataset.count), 0)"
        )
    )


def open_shift(page: Any, base: str, shift: Shift, tz: Any) -> None:
    day = shift.start_at.astimezone(tz).date().isoformat()
    open_board(page, base, f"view=day&date={day}")
    page.click(f".bar[data-shift='{shift.pk}']")
    page.wait_for_selector("#dialog[open]")


def assign_from_board(page: Any, artist_id: str) -> Any:
    """Find artists, pick one, and return the preview's conflict list before confirming."""
    page.click("#find-artists")
    page.click(f"button[data-artist='{artist_id}']")
    page.wait_for_selector("#confirm-assign")
    return page.locator(".conflict")


def free_skilled_candidates(page: Any) -> list[str]:
    page.click("#find-artists")
    page.wait_for_selector("button[data-artist]")
    return list(
        page.eval_on_selector_all("button[data-artist]", "els => els.map(e => e.dataset.artist)")
    )


def test_a_manager_plans_the_demo_month_from_the_board(
    live_server: Any, page: Any, demo: Any
) -> None:
    base = live_server.url
    organization = demo.organization
    tz = organization.tzinfo
    timeline_requests: list[str] = []
    page.on(
        "request",
        lambda r: timeline_requests.append(r.url) if "/planning/timeline" in r.url else None,
    )

    log_in(page, base, "manager@demo.test", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/app/timeline.*"))

    # The demo month, with every shift of it on the board (cancelled ones are hidden until
    # the filter asks for them): a month shows a cell per row and day, counting its shifts.
    today = timezone.now().astimezone(tz).date()
    open_board(page, base, f"view=month&date={today.isoformat()}")
    month_bars = shifts_on_board(page)
    first = datetime(today.year, today.month, 1, tzinfo=tz)
    following = datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=tz)
    in_month = (
        Shift.objects.filter(organization=organization, start_at__lt=following, end_at__gt=first)
        .exclude(status=ShiftStatus.CANCELLED)
        .count()
    )
    assert month_bars == in_month > 20
    open_board(page, base, f"view=week&date={today.isoformat()}")
    screenshot(page, "board")
    open_board(page, base, f"view=month&date={today.isoformat()}")

    # Filtering narrows the board from what is loaded, and lives in the URL.
    before = len(timeline_requests)
    venue_value = page.eval_on_selector("select[name=venue] option:nth-child(2)", "o => o.value")
    page.select_option("select[name=venue]", venue_value)
    assert 0 < shifts_on_board(page) < month_bars
    assert f"venue={venue_value}" in page.url
    assert len(timeline_requests) == before
    page.select_option("select[name=venue]", "")

    # Create a shift in a mission, from free times.
    mission = Mission.objects.filter(organization=organization).order_by("start_at").first()
    staffing = mission.staffing.select_related("role").first()
    start = max(mission.start_at, timezone.now()).astimezone(tz).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    start = min(start, mission.end_at - timedelta(hours=6))
    end = start + timedelta(hours=4)
    shifts_before = Shift.objects.filter(organization=organization).count()
    page.click("#new-shift")
    page.wait_for_selector("#new-shift-form")
    page.select_option("#new-shift-form select[name=mission_id]", str(mission.pk))
    page.select_option("#new-shift-form select[name=template]", "")
    page.select_option("#new-shift-form select[name=role_id]", str(staffing.role_id))
    page.fill("#new-shift-form input[name=start_at]", local_input(start, tz))
    page.fill("#new-shift-form input[name=end_at]", local_input(end, tz))
    page.fill("#new-shift-form input[name=headcount]", "1")
    page.fill("#new-shift-form input[name=max_headcount]", "3")
    page.click("#new-shift-form button[type=submit]")
    wait_written(page)
    created = Shift.objects.filter(organization=organization).order_by("-created_at").first()
    assert Shift.objects.filter(organization=organization).count() == shifts_before + 1
    assert created.start_at == start

    # Assign a first artist, then a second one: the preview shows the soft conflict.
    open_shift(page, base, created, tz)
    first, second = free_skilled_candidates(page)[:2]
    page.click(f"button[data-artist='{first}']")
    page.wait_for_selector("#confirm-assign")
    page.click("#confirm-assign")
    wait_written(page)
    open_shift(page, base, created, tz)
    assign_from_board(page, second)
    assert page.locator(".conflict[data-rule='capacity_soft']").count() == 1
    assert page.locator(".conflict.hard").count() == 0
    page.click("#confirm-assign")
    wait_written(page)
    assert Assignment.objects.filter(shift=created, status="proposed").count() == 2

    # A double booking is refused, and the refusal explains itself.
    busy = ArtistFactory(
        organization=organization, skills=list(staffing.role.required_skills.all())
    )
    other = ShiftFactory(
        mission=mission,
        role=staffing.role,
        start_at=start + timedelta(hours=1),
        end_at=end + timedelta(hours=1),
    )
    AssignmentFactory(shift=other, artist=busy, status="accepted")
    open_shift(page, base, created, tz)
    assign_from_board(page, str(busy.pk))
    # The rule's code is data (``data-rule``), never text: the message names who and when.
    assert page.locator('.conflict.hard[data-rule="double_booking"]').count() == 1
    assert "double_booking" not in page.inner_text(".conflict.hard")
    assert busy.full_name in page.inner_text(".conflict.hard")
    # No one may override a double booking: "Confirm" is disabled and says why.
    assert page.locator("#confirm-assign").is_disabled()
    assert page.get_attribute("#confirm-assign", "aria-describedby") == "blocked-reason"
    assert page.inner_text("#blocked-reason")
    page.locator("#confirm-assign").click(force=True)
    assert not Assignment.objects.filter(shift=created, artist=busy).exists()
    page.keyboard.press("Escape")

    # Auto-assign the week shown: the progress bar reaches the end, then apply.
    open_board(page, base, f"view=week&date={start.astimezone(tz).date().isoformat()}")
    page.click("#auto-assign")
    page.fill("input[name=time_limit]", "2")
    page.click("#start-auto-assign")
    page.wait_for_selector("#job-done", timeout=60000)
    assert page.eval_on_selector("#job-progress", "p => p.value") == 1
    job = AutoAssignJob.objects.filter(organization=organization).latest("created_at")
    assert job.status == "succeeded"
    page.click("#apply-proposal")
    wait_written(page)

    # Publish the project of the new shift once its hard conflicts are resolved.
    blocking = Assignment.objects.filter(organization=organization, status="proposed").exclude(
        source="auto"
    )
    _cancel_hard_conflicts(organization, blocking)
    open_board(page, base, f"view=month&project={mission.project_id}")
    page.click("#publish")
    page.wait_for_selector("#confirm-publish:not([disabled])")
    page.click("#confirm-publish")
    page.wait_for_selector("#publish-result")
    version = PlanningVersion.objects.filter(organization=organization).latest("number")
    assert str(version.number) in page.inner_text("#publish-result")


def _cancel_hard_conflicts(organization: Any, candidates: Any) -> None:
    from apps.planning.rules.conflicts import conflicts_in_range

    start = timezone.now() - timedelta(days=10)
    end = timezone.now() + timedelta(days=60)
    hard = [
        c
        for c in conflicts_in_range(organization=organization, start=start, end=end)
        if c["type"] == "hard"
    ]
    ids = {c["details"].get("assignment_id") for c in hard} | {
        c["details"].get("other_assignment_id") for c in hard
    }
    Assignment.objects.filter(pk__in=[i for i in ids if i], status="proposed").update(
        status="cancelled"
    )
    written_behind_the_services(organization)


def test_a_tech_accepts_an_invitation_from_his_page(live_server: Any, page: Any, demo: Any) -> None:
    organization = demo.organization
    tech = demo.users["tech"]
    assignment = (
        Assignment.objects.filter(organization=organization, artist__user=tech, status="proposed")
        .order_by("start_at")
        .first()
    )
    assert assignment is not None, "the demo gives the tech user proposed assignments"
    Assignment.objects.filter(pk=assignment.pk).update(status="invited")
    invitation = Invitation.objects.create(
        organization=organization,
        assignment=assignment,
        nonce="browser-test",
        expires_at=timezone.now() + timedelta(days=3),
    )

    log_in(page, live_server.url, "tech@demo.test", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r".*/app/me"))
    page.wait_for_selector(f"[data-invitation='{invitation.pk}']")
    screenshot(page, "crew-page")
    page.click(f"[data-invitation='{invitation.pk}'] button.primary")
    page.wait_for_function(f"!document.querySelector(\"[data-invitation='{invitation.pk}']\")")
    assignment.refresh_from_db()
    assert assignment.status == "accepted"
    assert page.locator("#calendar-url").inner_text().endswith(".ics")


def test_the_board_never_shows_another_organizations_data(
    live_server: Any, page: Any, demo: Any
) -> None:
    outsider = UserFactory(email="outsider@elsewhere.test")
    membership = MembershipFactory(user=outsider, role="manager")
    own = ShiftFactory(
        mission__project__organization=membership.organization,
        start_at=timezone.now() + timedelta(hours=2),
        end_at=timezone.now() + timedelta(hours=6),
    )
    own.mission.start_at = own.start_at - timedelta(hours=1)
    own.mission.save(update_fields=["start_at"])

    log_in(page, live_server.url, outsider.email, PASSWORD)
    page.wait_for_url(re.compile(r".*/app/timeline.*"))
    day = own.start_at.astimezone(membership.organization.tzinfo).date().isoformat()
    open_board(page, live_server.url, f"view=month&date={day}")
    bars = page.eval_on_selector_all(
        ".cell", "els => els.flatMap(e => e.dataset.shifts.split(' '))"
    )
    assert bars == [str(own.pk)]
    html = page.content()
    for name in ["Olympia", "Zénith", "Châtelet", demo.organization.name]:
        assert name not in html
