"""The private calendar feed (iCalendar) and the rotation of its token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.factories import InvitationFactory
from tests.publication.conftest import PARIS, World, assign, local, make_shift

pytestmark = pytest.mark.django_db


def _feed(scenario: Scenario, token: str, **headers: str) -> Any:
    return scenario.client("anonymous").get(f"/api/v1/calendar/{token}.ics", **headers)


def _events(response: Any) -> dict[str, Any]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _rotate(scenario: Scenario, role: str, artist: Artist) -> Any:
    return scenario.client(role).post(f"/api/v1/artists/{artist.pk}/calendar-token/rotate")


class Feed:
    """Ana's assignments in every state the feed must tell apart."""

    def __init__(self, world: World) -> None:
        plan, ana = world.own, world.own.ana
        self.night = make_shift(plan, local(28, 22), hours=6, status="published")  # DST night
        self.accepted = assign(self.night, ana, "accepted")
        self.invited = assign(make_shift(plan, local(24, 18), status="published"), ana, "invited")
        cancelled_shift = make_shift(plan, local(26, 18), status="cancelled")
        self.cancelled = assign(cancelled_shift, ana, "cancelled")
        InvitationFactory(assignment=self.cancelled, status="revoked")
        self.hidden = [
            assign(make_shift(plan, local(25, 8), status="published"), ana, "proposed"),
            assign(make_shift(plan, local(30, 8)), ana, "accepted"),  # draft shift
            assign(make_shift(plan, local(31, 8), status="cancelled"), ana, "cancelled"),
            assign(make_shift(plan, local(32, 8), status="published"), ana, "declined"),
            assign(self.night, world.own.bruno, "accepted"),  # someone else
        ]


def test_the_feed_holds_exactly_the_published_schedule(scenario: Scenario, world: World) -> None:
    feed = Feed(world)

    response = _feed(scenario, world.own.ana.calendar_token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response)
    assert set(events) == {
        f"{feed.accepted.pk}@crewplan",
        f"{feed.invited.pk}@crewplan",
        f"{feed.cancelled.pk}@crewplan",
    }
    assert str(events[f"{feed.accepted.pk}@crewplan"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"{feed.invited.pk}@crewplan"]["STATUS"]) == "TENTATIVE"
    assert str(events[f"{feed.cancelled.pk}@crewplan"]["STATUS"]) == "CANCELLED"


def test_the_feed_is_a_valid_calendar_with_local_times(scenario: Scenario, world: World) -> None:
    feed = Feed(world)

    calendar = Calendar.from_ical(_feed(scenario, world.own.ana.calendar_token).content)

    assert str(calendar["VERSION"]) == "2.0"
    assert "CrewPlan" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Les Nuits Sonores — Ana Arnaud"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    night = {str(e["UID"]): e for e in calendar.walk("VEVENT")}[f"{feed.accepted.pk}@crewplan"]
    start, end = night["DTSTART"], night["DTEND"]
    assert start.params["TZID"] == "Europe/Paris"
    assert end.params["TZID"] == "Europe/Paris"
    # 22:00 CET + 6 real hours = 05:00 CEST: the clocks moved forward that night.
    assert start.dt == datetime(2026, 3, 28, 22, 0, tzinfo=PARIS)
    assert end.dt.replace(tzinfo=None) == datetime(2026, 3, 29, 5, 0)
    assert end.dt.utcoffset() == timedelta(hours=2)
    assert str(night["SUMMARY"]) == "Rigger own – Olympia own"
    assert "Olympia own" in str(night["LOCATION"])
    assert "Concerts own" in str(night["DESCRIPTION"])
    assert isinstance(night["DTSTAMP"].dt, datetime)
    assert int(night["SEQUENCE"]) > 0


def test_the_sequence_grows_when_the_shift_changes(scenario: Scenario, world: World) -> None:
    feed = Feed(world)
    uid = f"{feed.invited.pk}@crewplan"
    before = int(_events(_feed(scenario, world.own.ana.calendar_token))[uid]["SEQUENCE"])

    Shift.objects.filter(pk=feed.invited.shift_id).update(
        updated_at=timezone.now() + timedelta(minutes=5)
    )

    after = int(_events(_feed(scenario, world.own.ana.calendar_token))[uid]["SEQUENCE"])
    assert after > before


def test_calendar_clients_asking_for_text_calendar_are_served(
    scenario: Scenario, world: World
) -> None:
    Feed(world)

    response = _feed(scenario, world.own.ana.calendar_token, HTTP_ACCEPT="text/calendar")

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_an_unknown_token_is_a_404(scenario: Scenario, world: World) -> None:
    assert_error(_feed(scenario, "not-a-token"), 404, "not_found")


def test_each_token_shows_only_its_artist(scenario: Scenario, world: World) -> None:
    feed = Feed(world)
    foreign = assign(
        make_shift(world.foreign, local(24, 18), status="published"), world.foreign.ana, "accepted"
    )

    events = _events(_feed(scenario, world.foreign.ana.calendar_token))

    assert set(events) == {f"{foreign.pk}@crewplan"}
    assert f"{feed.accepted.pk}@crewplan" not in events


def test_an_artist_with_nothing_published_gets_an_empty_calendar(
    scenario: Scenario, world: World
) -> None:
    response = _feed(scenario, world.own.chloe.calendar_token)

    assert response.status_code == 200
    assert _events(response) == {}


# --- Rotation ------------------------------------------------------------------------


def test_the_crew_member_rotates_his_own_token(scenario: Scenario, world: World) -> None:
    Feed(world)
    old = world.own.ana.calendar_token

    response = _rotate(scenario, "tech", world.own.ana)

    assert response.status_code == 200, response.content
    world.own.ana.refresh_from_db()
    new = world.own.ana.calendar_token
    assert new != old
    assert response.json() == {
        "artist": str(world.own.ana.pk),
        "calendar_url": f"http://localhost:8000/api/v1/calendar/{new}.ics",
    }
    assert_error(_feed(scenario, old), 404)
    assert _feed(scenario, new).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.ARTIST_CALENDAR_TOKEN_ROTATE)
    assert (entry.actor, entry.entity_id) == (scenario.tech, str(world.own.ana.pk))
    assert old not in str(entry.before) + str(entry.after)


def test_a_manager_rotates_anyones_token(scenario: Scenario, world: World) -> None:
    old = world.own.bruno.calendar_token

    assert _rotate(scenario, "manager", world.own.bruno).status_code == 200

    world.own.bruno.refresh_from_db()
    assert world.own.bruno.calendar_token != old


def test_a_tech_cannot_rotate_someone_elses_token(scenario: Scenario, world: World) -> None:
    old = world.own.bruno.calendar_token

    assert_error(_rotate(scenario, "tech", world.own.bruno), 403, "permission_denied")

    world.own.bruno.refresh_from_db()
    assert world.own.bruno.calendar_token == old
    assert not AuditEntry.objects.filter(action=AuditAction.ARTIST_CALENDAR_TOKEN_ROTATE).exists()


def test_outsiders_get_404_and_anonymous_401(scenario: Scenario, world: World) -> None:
    old = world.own.bruno.calendar_token

    assert_error(_rotate(scenario, "outsider", world.own.bruno), 404, "not_found")
    assert_error(_rotate(scenario, "anonymous", world.own.bruno), 401)

    world.own.bruno.refresh_from_db()
    assert world.own.bruno.calendar_token == old
