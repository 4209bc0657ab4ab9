"""Labour rules as shows are staffed, tried on the board in Chromium by a French manager.

A technician does the morning get-in and the afternoon rehearsal of one day; the show crew
does the load-out right after the show. Neither is a hard conflict (one duty period each).
A get-in the morning after the load-out is, and the board says so in French, naming the
shifts in local time. The candidate list shows as fitting only people the preview accepts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from apps.orgs.models import MemberRole
from apps.planning.models import Assignment, Shift
from tests.factories import (
    PASSWORD,
    ArtistFactory,
    AssignmentFactory,
    MembershipFactory,
    MissionFactory,
    MissionRoleFactory,
    OrganizationFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    UserFactory,
    VenueFactory,
)
from tests.web.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2030, 6, 12, tzinfo=PARIS)  # a Wednesday, far from any DST change


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=hour, minutes=minute)


class Festival:
    """One festival day in Lyon: get-in, rehearsal, show, load-out, and the next get-in."""

    def __init__(self) -> None:
        self.organization = OrganizationFactory(name="Festival du Rhône", language="fr")
        self.manager = UserFactory(email="regie@rhone.test", full_name="Régie Rhône")
        MembershipFactory(
            organization=self.organization, user=self.manager, role=MemberRole.MANAGER
        )
        skill = SkillFactory(organization=self.organization, name="plateau")
        role = RoleFactory(
            organization=self.organization, name="Machiniste", required_skills=[skill]
        )
        venue = VenueFactory(organization=self.organization, name="Transbordeur")
        mission = MissionFactory(
            project=ProjectFactory(organization=self.organization, name="Festival 2030"),
            venue=venue,
            name="Jour 1",
            start_at=at(0),
            end_at=at(23, days=2),
        )
        MissionRoleFactory(mission=mission, role=role, headcount=6)

        def shift(start: datetime, end: datetime) -> Shift:
            return ShiftFactory(  # type: ignore[no-any-return]
                mission=mission,
                role=role,
                start_at=start,
                end_at=end,
                headcount=2,
                max_headcount=4,
                break_minutes=30,
                status="published",
            )

        self.get_in = shift(at(8), at(12))
        self.rehearsal = shift(at(13), at(18))
        self.show = shift(at(18), at(23, 30))
        self.load_out = shift(at(23, 30), at(3, 30, days=1))
        self.next_get_in = shift(at(10, days=1), at(14, days=1))
        self.technician = ArtistFactory(
            organization=self.organization, first_name="Inès", last_name="Moreau", skills=[skill]
        )
        self.show_crew = ArtistFactory(
            organization=self.organization, first_name="Hugo", last_name="Bernard", skills=[skill]
        )
        for _ in range(4):
            ArtistFactory(organization=self.organization, skills=[skill])
        AssignmentFactory(shift=self.get_in, artist=self.technician)
        AssignmentFactory(shift=self.show, artist=self.show_crew)


def open_shift(page: Any, base: str, shift: Shift) -> None:
    page.goto(f"{base}/app/timeline?view=day&date={shift.start_at.astimezone(PARIS).date()}")
    page.wait_for_selector("#board[data-ready=true]")
    page.click(f".bar[data-shift='{shift.pk}']")
    page.wait_for_selector("#dialog[open]")


def assign(page: Any, artist_id: Any) -> list[str]:
    """Find artists, check that this one fits, preview, confirm; the preview's conflicts."""
    page.click("#find-artists")
    row = page.locator(f".candidate:has(button[data-artist='{artist_id}'])")
    row.wait_for()
    assert row.get_attribute("data-fits") == "true", row.inner_text()
    page.click(f"button[data-artist='{artist_id}']")
    page.wait_for_selector("#confirm-assign")
    shown = list(page.locator(".conflict.hard").all_inner_texts())
    page.click("#confirm-assign")
    page.wait_for_function("!document.getElementById('dialog').open")
    return shown


def test_split_days_and_load_outs_are_no_conflict_and_a_short_night_is(
    live_server: Any, page: Any
) -> None:
    festival = Festival()
    base = live_server.url
    log_in(page, base, festival.manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")

    open_shift(page, base, festival.rehearsal)
    assert assign(page, festival.technician.pk) == []
    open_shift(page, base, festival.load_out)
    assert assign(page, festival.show_crew.pk) == []

    assert Assignment.objects.filter(artist=festival.technician, status="proposed").count() == 2
    assert Assignment.objects.filter(artist=festival.show_crew, status="proposed").count() == 2
    page.goto(f"{base}/app/timeline?view=day&date={DAY.date()}")
    page.wait_for_selector("#board[data-ready=true]")
    assert page.locator(".bar .badge.hard").count() == 0
    screenshot(page, "rules-split-day")

    # The load-out ends at 03:30: a get-in at 10:00 the same morning joins the duty period.
    open_shift(page, base, festival.next_get_in)
    page.click("#find-artists")
    row = page.locator(f".candidate:has(button[data-artist='{festival.show_crew.pk}'])")
    row.wait_for()
    assert row.get_attribute("data-fits") == "false"
    message = row.locator(".conflict.hard").inner_text()
    assert "Hugo Bernard" in message
    assert "amplitude" in message
    assert "23:30" in message  # local time of the load-out, not UTC (21:30)
    assert "14:00" in message
    assert "13 h" in message

    # Every candidate shown as fitting is accepted by the preview.
    client_fits = page.eval_on_selector_all(
        ".candidate[data-fits='true'] button[data-artist]",
        "els => els.map(e => e.dataset.artist)",
    )
    assert client_fits
    for artist_id in client_fits:
        answer = page.evaluate(
            """async ([shift, artist]) => {
                const csrf = document.cookie.match(/csrftoken=([^;]+)/)?.[1] || "";
                const r = await fetch("/api/v1/planning/conflicts/preview", {
                  method: "POST",
                  headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                  body: JSON.stringify({assignments: [{shift_id: shift, artist_id: artist}]}),
                });
                return await r.json();
            }""",
            [str(festival.next_get_in.pk), artist_id],
        )
        assert [c for c in answer["conflicts"] if c["type"] == "hard"] == [], answer
    screenshot(page, "rules-candidates")
