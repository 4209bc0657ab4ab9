"""The shift list of a range is cached under the revisions of its weeks.

A shift written in another week leaves it cached; one written in its
weeks (or any other write of the organization) makes it fresh.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Scenario
from tests.factories import MissionRoleFactory
from tests.planning_rules.world import World

URL = "/api/v1/planning/shifts"
WEEK_1 = {"from": "2025-03-03T00:00:00+01:00", "to": "2025-03-10T00:00:00+01:00"}
WEEK_3 = {"from": "2025-03-17T00:00:00+01:00", "to": "2025-03-24T00:00:00+01:00"}


def _world(scenario: Scenario) -> World:
    """The rules' world, its role in its mission's staffing plan (edits check it)."""
    world = World.build(scenario.organization)
    MissionRoleFactory(mission=world.mission, role=world.role)
    return world


def _patch(client: Any, shift_id: Any, **changes: str) -> Any:
    return client.patch(f"{URL}/{shift_id}", changes, format="json")


def test_a_shift_created_in_another_week_leaves_the_weeks_list_cached(
    scenario: Scenario,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
) -> None:
    world = _world(scenario)
    world.shift("2025-03-05 07:00", "2025-03-05 12:00")
    later = world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    first = client.get(URL, WEEK_1)
    assert first["X-Cache"] == "MISS"
    assert client.get(URL, WEEK_3).json()["results"][0]["notes"] == ""

    with django_capture_on_commit_callbacks(execute=True):
        edited = _patch(client, later.pk, notes="Bring the long ladders.")
    assert edited.status_code == 200, edited.content

    # 1 the token's user with its membership: no shift is read.
    with django_assert_num_queries(1):
        again = client.get(URL, WEEK_1)
    assert again["X-Cache"] == "HIT"
    assert again.json() == first.json()
    fresh = client.get(URL, WEEK_3)
    assert fresh["X-Cache"] == "MISS"
    assert fresh.json()["results"][0]["notes"] == "Bring the long ladders."


def test_a_shift_moved_into_the_week_shows_at_once(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    world = _world(scenario)
    shift = world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    assert client.get(URL, WEEK_1).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        # Sunday night, late: still the first week, two weeks from where it was.
        moved = _patch(
            client,
            shift.pk,
            start_at="2025-03-09T21:00:00+01:00",
            end_at="2025-03-09T23:30:00+01:00",
        )
    assert moved.status_code == 200, moved.content

    after = client.get(URL, WEEK_1)
    assert after["X-Cache"] == "MISS"
    assert after.json()["count"] == 1


def test_a_list_without_a_range_is_stale_after_any_write(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    world = _world(scenario)
    shift = world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    assert client.get(URL).json()["results"][0]["notes"] == ""
    assert client.get(URL)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        edited = _patch(client, shift.pk, notes="Bring the long ladders.")
    assert edited.status_code == 200, edited.content

    after = client.get(URL)
    assert after["X-Cache"] == "MISS"
    assert after.json()["results"][0]["notes"] == "Bring the long ladders."
