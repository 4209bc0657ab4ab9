"""What a crew member sees on /app/me: hours of this month and the last 12, the calendar link."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.crew.models import Artist
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AssignmentFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def local(day: date, hour: int, minute: int = 0, *, tz: Any) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def worked(artist: Artist, start: datetime, hours: float, status: str = "accepted", **shift: Any):  # type: ignore[no-untyped-def]
    shift_row = ShiftFactory(
        mission__project__organization=artist.organization,
        mission__start_at=start - timedelta(days=1),
        start_at=start,
        end_at=start + timedelta(hours=hours),
        status=shift.pop("shift_status", "published"),
        **shift,
    )
    return AssignmentFactory(shift=shift_row, artist=artist, status=status)


@pytest.fixture
def crew_member(scenario: Scenario) -> Artist:
    return ArtistFactory(organization=scenario.organization, user=scenario.tech)  # type: ignore[no-any-return]


def test_hours_count_accepted_shifts_of_this_local_month_and_the_last_12(
    scenario: Scenario, crew_member: Artist
) -> None:
    tz = scenario.organization.tzinfo
    today = timezone.localtime(timezone.now(), tz).date()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    # This month: 00:30 on the 1st (the previous month in UTC), today, the last day (upcoming).
    worked(crew_member, local(first, 0, 30, tz=tz), 4)
    worked(crew_member, local(today, 9, tz=tz), 6, break_minutes=30)
    worked(crew_member, local(last, 18, tz=tz), 5)
    worked(crew_member, local(last, 6, tz=tz), 2)
    # Not this month but in the last 12: the evening of the previous month's last day.
    worked(crew_member, local(first - timedelta(days=1), 19, tz=tz), 3)
    # Counted nowhere: declined, a cancelled shift, 12 months before this month's first day.
    worked(crew_member, local(today, 20, tz=tz), 2, status="declined")
    worked(crew_member, local(first, 5, tz=tz), 2, shift_status="cancelled")
    worked(crew_member, local(first.replace(year=first.year - 1), 10, tz=tz), 8)

    body = scenario.client("tech").get("/api/v1/me/hours").json()

    assert body["timezone"] == "Europe/Paris"
    assert body["month"] == {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "hours": 16.5,
        "shifts": 4,
    }
    assert body["last_12_months"]["hours"] == 19.5
    assert body["last_12_months"]["shifts"] == 5
    assert body["last_12_months"]["to"] == last.isoformat()
    assert body["intermittent_threshold"] == {"threshold": 507, "reached": False}


def test_hours_are_only_ones_own(scenario: Scenario, crew_member: Artist) -> None:
    assert_error(scenario.client("manager").get("/api/v1/me/hours"), 404)
    assert_error(scenario.client("outsider").get("/api/v1/me/hours"), 404)
    assert_error(scenario.client("anonymous").get("/api/v1/me/hours"), 401)


def test_the_calendar_link_uses_the_configured_site_url(
    scenario: Scenario, crew_member: Artist, settings: Any
) -> None:
    settings.SITE_URL = "https://planning.example.com"

    url = scenario.client("tech").get("/api/v1/me/artist").json()["calendar_url"]

    assert url == f"https://planning.example.com/api/v1/calendar/{crew_member.calendar_token}.ics"


def test_without_site_url_the_calendar_link_is_on_the_requests_host_and_works(
    scenario: Scenario, crew_member: Artist, settings: Any
) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["crew.example.org"]
    client = Client(HTTP_HOST="crew.example.org")
    client.force_login(scenario.tech)

    url = client.get("/api/v1/me/artist").json()["calendar_url"]

    assert url.startswith("http://crew.example.org/api/v1/calendar/")
    feed = Client(HTTP_HOST="crew.example.org").get(url.removeprefix("http://crew.example.org"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")


def test_hours_cost_a_fixed_number_of_queries(
    scenario: Scenario, crew_member: Artist, django_assert_num_queries: Any
) -> None:
    tz = scenario.organization.tzinfo
    today = timezone.localtime(timezone.now(), tz).date()
    client = scenario.client("tech")
    # the token's user with its membership and organization (one query), the artist, his
    # organization, the assignments
    with django_assert_num_queries(4):
        client.get("/api/v1/me/hours")
    for hour in (6, 12, 18):
        worked(crew_member, local(today, hour, tz=tz), 4)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/me/hours").json()["month"]["shifts"] == 3
