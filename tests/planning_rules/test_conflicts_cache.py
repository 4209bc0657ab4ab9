"""A range's conflict list is cached like the board that shows them: reloaded without a
change it is a cache read; a write in its weeks (or one that changes a conflict there)
makes the next read fresh; a write in another week leaves it cached; each language and
each query is cached apart; a foreign id is still a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import Scenario, assert_error
from tests.factories import ProjectFactory
from tests.planning_rules.world import World

URL = "/api/v1/planning/conflicts"
WEEK = {"from": "2025-03-09T23:00:00Z", "to": "2025-03-16T23:00:00Z"}  # Paris, 10 to 17 March


@pytest.fixture
def long_day(world: World) -> Any:
    """Inès on a get-in 08:00–14:00 and the show 18:00–23:30: a duty period too long."""
    artist = world.artist(first_name="Inès", last_name="Moreau")
    world.book(artist, "2025-03-13 08:00", "2025-03-13 14:00", break_minutes=0)
    world.book(artist, "2025-03-13 18:00", "2025-03-13 23:30", break_minutes=0)
    return artist


def assign(scenario: Scenario, shift: Any, artist: Any, capture: Any) -> None:
    with capture(execute=True):  # the revision bumps follow the commit
        answer = scenario.client("admin").post(
            "/api/v1/planning/assignments",
            {"shift_id": str(shift.pk), "artist_id": str(artist.pk), "override_reason": "Tour"},
            format="json",
        )
    assert answer.status_code == 201, answer.content


def test_a_list_reloaded_without_change_is_one_cache_read(
    scenario: Scenario, long_day: Any, django_assert_num_queries: Any
) -> None:
    first = scenario.client("manager").get(URL, WEEK)

    with django_assert_num_queries(1):  # the token's member: nothing of the planning
        second = scenario.client("manager").get(URL, WEEK)

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.json() == first.json()
    assert [conflict["rule"] for conflict in second.json()["conflicts"]] == ["min_rest"]


def test_a_booking_that_makes_a_conflict_is_listed_at_the_next_read(
    scenario: Scenario,
    world: World,
    long_day: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = scenario.client("manager")
    assert len(client.get(URL, WEEK).json()["conflicts"]) == 1
    friday = world.shift("2025-03-14 08:00", "2025-03-14 12:00")

    assign(scenario, friday, world.artist(skilled=False), django_capture_on_commit_callbacks)

    after = client.get(URL, WEEK)
    assert after["X-Cache"] == "MISS"
    assert {conflict["rule"] for conflict in after.json()["conflicts"]} == {
        "min_rest",
        "missing_skill",
    }


def test_a_write_in_another_week_leaves_the_list_cached(
    scenario: Scenario,
    world: World,
    long_day: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = scenario.client("manager")
    client.get(URL, WEEK)
    later = world.shift("2025-03-27 08:00", "2025-03-27 12:00")

    assign(scenario, later, world.artist(), django_capture_on_commit_callbacks)

    assert client.get(URL, WEEK)["X-Cache"] == "HIT"


def test_each_language_is_cached_apart(scenario: Scenario, long_day: Any) -> None:
    french = scenario.client("tech").get(URL, WEEK)
    get_user_model().objects.filter(pk=scenario.tech.pk).update(language="en")

    english = scenario.client("tech").get(URL, WEEK)

    assert english["X-Cache"] == "MISS"
    assert french.json()["conflicts"][0]["message"].startswith("Inès Moreau : amplitude")
    assert english.json()["conflicts"][0]["message"].startswith("Inès Moreau: duty period")


def test_a_query_for_another_project_is_cached_apart(
    scenario: Scenario, world: World, long_day: Any
) -> None:
    client = scenario.client("manager")
    client.get(URL, WEEK)

    other = client.get(
        URL, {**WEEK, "project": str(ProjectFactory(organization=world.organization).pk)}
    )

    assert other["X-Cache"] == "MISS"
    assert other.json()["conflicts"] == []


def test_another_organizations_project_is_a_404_even_when_the_list_is_cached(
    scenario: Scenario, long_day: Any
) -> None:
    client = scenario.client("manager")
    client.get(URL, WEEK)
    foreign = ProjectFactory(organization=scenario.outsider_organization)

    response = client.get(URL, {**WEEK, "project": str(foreign.pk)})

    assert_error(response, 404)


def test_an_artists_list_is_cached_apart_from_the_ranges(
    scenario: Scenario, world: World, long_day: Any
) -> None:
    client = scenario.client("manager")
    client.get(URL, WEEK)
    someone_else = world.artist()

    theirs = client.get(f"/api/v1/artists/{someone_else.pk}/conflicts", WEEK)
    hers = client.get(f"/api/v1/artists/{long_day.pk}/conflicts", WEEK)

    assert (theirs["X-Cache"], theirs.json()["conflicts"]) == ("MISS", [])
    assert hers["X-Cache"] == "MISS"
    assert [conflict["rule"] for conflict in hers.json()["conflicts"]] == ["min_rest"]
