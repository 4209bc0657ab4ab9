"""The timeline is cached until a write that may change it: a shift or an assignment makes
stale the weeks around its times, any other write the whole organization."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import Scenario
from tests.factories import MissionFactory, timeline_shifts, written_behind_the_services
from tests.planning_rules.world import World

URL = "/api/v1/planning/timeline"
MONTH = {"from": "2025-03-01", "to": "2025-04-01"}
CLOSED_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6390/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def test_a_board_reloaded_without_change_is_served_from_the_cache(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    world.book(world.artist(), "2025-03-14 15:00", "2025-03-14 23:30")
    first = scenario.client("manager").get(URL, MONTH)

    # 1 the token's user with its membership: nothing of the planning is read again.
    with django_assert_num_queries(1):
        second = scenario.client("manager").get(URL, MONTH)

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.json() == first.json()


def test_an_audited_write_makes_the_next_read_fresh(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = world.shift("2025-03-15 07:00", "2025-03-15 12:00", headcount=2, max_headcount=3)
    artist = world.artist()
    client = scenario.client("manager")
    assert timeline_shifts(client.get(URL, MONTH).json())[0]["crew"] == []

    with django_capture_on_commit_callbacks(execute=True):  # the bump follows the commit
        created = client.post(
            "/api/v1/planning/assignments",
            {"shift_id": str(shift.pk), "artist_id": str(artist.pk)},
            format="json",
        )
    assert created.status_code == 201, created.content

    after = client.get(URL, MONTH)
    assert after["X-Cache"] == "MISS"
    assert len(timeline_shifts(after.json())[0]["crew"]) == 1


def test_another_organizations_write_leaves_the_cache_alone(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.shift("2025-03-15 07:00", "2025-03-15 12:00")
    client = scenario.client("manager")
    client.get(URL, MONTH)
    with django_capture_on_commit_callbacks(execute=True):
        renamed = scenario.client("outsider").patch(
            "/api/v1/orgs/current", {"name": "Théâtre Voisin SA"}, format="json"
        )
    assert renamed.status_code == 200
    assert client.get(URL, MONTH)["X-Cache"] == "HIT"


def test_filters_are_cached_apart(scenario: Scenario, world: World) -> None:
    world.shift("2025-03-15 07:00", "2025-03-15 12:00")
    client = scenario.client("manager")
    client.get(URL, MONTH)
    filtered = client.get(URL, {**MONTH, "venue": str(world.venue.pk)})
    assert filtered["X-Cache"] == "MISS"


@pytest.mark.django_db
def test_with_redis_down_the_board_is_computed_every_time(scenario: Scenario, world: World) -> None:
    world.shift("2025-03-15 07:00", "2025-03-15 12:00")
    with override_settings(CACHES=CLOSED_REDIS):
        from django.core.cache import caches

        caches._settings = None  # type: ignore[attr-defined]
        for _ in range(2):
            response = scenario.client("manager").get(URL, MONTH)
            assert response.status_code == 200
            assert response["X-Cache"] == "MISS"
            assert len(timeline_shifts(response.json())) == 1


# --- Weeks: a write makes stale the weeks it may change, and only those ---------------

ASSIGNMENTS = "/api/v1/planning/assignments"
WEEK_1 = {"from": "2025-03-03", "to": "2025-03-10"}  # Monday to Monday, in Paris
WEEK_2 = {"from": "2025-03-10", "to": "2025-03-17"}
WEEK_3 = {"from": "2025-03-17", "to": "2025-03-24"}


def test_a_write_in_one_week_leaves_another_weeks_board_cached(
    scenario: Scenario,
    world: World,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
) -> None:
    world.book(world.artist(), "2025-03-05 07:00", "2025-03-05 12:00")
    shift = world.shift("2025-03-19 07:00", "2025-03-19 12:00", headcount=2, max_headcount=3)
    client = scenario.client("manager")
    first = client.get(URL, WEEK_1)
    assert (client.get(URL, WEEK_3)["X-Cache"], client.get(URL, MONTH)["X-Cache"]) == (
        "MISS",
        "MISS",
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ASSIGNMENTS,
            {"shift_id": str(shift.pk), "artist_id": str(world.artist().pk)},
            format="json",
        )
    assert created.status_code == 201, created.content

    # 1 the token's user with its membership: the first week is still the cached one.
    with django_assert_num_queries(1):
        again = client.get(URL, WEEK_1)
    assert again["X-Cache"] == "HIT"
    assert again.json() == first.json()
    for week in (WEEK_3, MONTH):  # the week written, and the month that holds it
        fresh = client.get(URL, week)
        assert fresh["X-Cache"] == "MISS"
        (seat,) = [s for s in timeline_shifts(fresh.json()) if s["id"] == str(shift.pk)]
        assert len(seat["crew"]) == 1


def test_a_booking_that_changes_no_other_conflict_leaves_the_weeks_around_it_cached(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The conflict upkeep recomputes the person's whole week (for the weekly hours) and a
    # rest period around it; only conflicts that came out different make boards stale.
    artist = world.artist()
    world.book(artist, "2025-03-04 07:00", "2025-03-04 12:00")  # the week before
    world.book(artist, "2025-03-18 07:00", "2025-03-18 12:00")  # the week after
    wednesday = world.shift("2025-03-12 07:00", "2025-03-12 12:00")
    written_behind_the_services(world.organization)  # the stored conflicts kept from here on
    client = scenario.client("manager")
    for week in (WEEK_1, WEEK_2, WEEK_3):
        client.get(URL, week)

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ASSIGNMENTS, {"shift_id": str(wednesday.pk), "artist_id": str(artist.pk)}, format="json"
        )
    assert created.status_code == 201, created.content

    assert client.get(URL, WEEK_1)["X-Cache"] == "HIT"
    assert client.get(URL, WEEK_3)["X-Cache"] == "HIT"
    written = client.get(URL, WEEK_2)
    assert written["X-Cache"] == "MISS"
    (seat,) = [s for s in timeline_shifts(written.json()) if s["id"] == str(wednesday.pk)]
    assert len(seat["crew"]) == 1


def test_a_write_late_on_sunday_refreshes_mondays_board_of_the_next_week(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    artist = world.artist()
    monday = world.book(artist, "2025-03-10 00:00", "2025-03-10 11:00", break_minutes=0).shift
    sunday = world.shift("2025-03-09 22:00", "2025-03-10 00:00", break_minutes=0)
    client = scenario.client("manager")

    def monday_rules(body: dict[str, Any]) -> list[str]:
        (badges,) = [s["conflicts"] for s in timeline_shifts(body) if s["id"] == str(monday.pk)]
        return [body["conflicts"][index]["rule"] for index in badges]

    assert "daily_hours" not in monday_rules(client.get(URL, WEEK_2).json())
    client.get(URL, WEEK_3)

    # Sunday 22:00-24:00 then Monday 00:00-11:00: one working day of 13 h (daily_hours,
    # soft: Monday's shift is the one that goes over the 12 h).
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ASSIGNMENTS,
            {"shift_id": str(sunday.pk), "artist_id": str(artist.pk)},
            format="json",
        )
    assert created.status_code == 201, created.content

    after = client.get(URL, WEEK_2)
    assert after["X-Cache"] == "MISS"
    assert "daily_hours" in monday_rules(after.json())
    assert client.get(URL, WEEK_3)["X-Cache"] == "HIT"  # beyond the reach of Sunday night


def test_a_write_of_anything_else_refreshes_every_week(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    artist = world.artist(first_name="Inès", last_name="Roux")
    world.book(artist, "2025-03-05 07:00", "2025-03-05 12:00")
    world.book(artist, "2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    for week in (WEEK_1, WEEK_3):
        client.get(URL, week)

    with django_capture_on_commit_callbacks(execute=True):
        renamed = scenario.client("admin").patch(
            f"/api/v1/artists/{artist.pk}", {"first_name": "Agnès"}, format="json"
        )
    assert renamed.status_code == 200, renamed.content

    for week in (WEEK_1, WEEK_3):
        fresh = client.get(URL, week)
        assert fresh["X-Cache"] == "MISS"
        assert [a["name"] for a in fresh.json()["artists"]] == ["Agnès Roux"]


# --- Names: kept per process until an artist or catalog write --------------------------


def test_a_board_read_again_after_a_booking_names_its_shifts_without_a_query(
    scenario: Scenario,
    world: World,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
) -> None:
    artist = world.artist()
    shift = world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    client.get(URL, WEEK_3)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ASSIGNMENTS, {"shift_id": str(shift.pk), "artist_id": str(artist.pk)}, format="json"
        )
    assert created.status_code == 201, created.content

    # Computed again (the week was written), but the artists, missions, venues, projects and
    # roles come from the names kept at the organization's unchanged scope revision: 1 the
    # user with their membership (one query), 2 shifts, 3 seats, 4 stored conflicts' state,
    # 5 stored conflicts, 6 the weekly cap (a manager's totals).
    with django_assert_num_queries(6):
        fresh = client.get(URL, WEEK_3)
    assert fresh["X-Cache"] == "MISS"
    body = fresh.json()
    assert [a["name"] for a in body["artists"]] == [artist.full_name]
    assert [v["name"] for v in body["venues"]] == ["Transbordeur"]


def test_a_renamed_venue_shows_on_the_next_board(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.book(world.artist(), "2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    assert [v["name"] for v in client.get(URL, WEEK_3).json()["venues"]] == ["Transbordeur"]

    with django_capture_on_commit_callbacks(execute=True):
        renamed = client.patch(
            f"/api/v1/venues/{world.venue.pk}", {"name": "Le Transbordeur"}, format="json"
        )
    assert renamed.status_code == 200, renamed.content

    assert [v["name"] for v in client.get(URL, WEEK_3).json()["venues"]] == ["Le Transbordeur"]


def test_a_mission_the_kept_names_do_not_know_is_read_at_once(
    scenario: Scenario, world: World
) -> None:
    from apps.planning.schedule.names import name_tables

    world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    known = name_tables(world.organization, artists=(), missions=())
    # A mission whose scope bump has not landed yet (written behind the services here).
    late = MissionFactory(project=world.project, venue=world.venue, name="Late")

    tables = name_tables(world.organization, artists=(), missions={str(late.pk)})

    assert str(late.pk) not in known.missions
    assert tables.missions[str(late.pk)][0] == "Late"
