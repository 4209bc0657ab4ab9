"""The timeline is cached until the organization's next audited write."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import Scenario
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

    # 1 the token's user, 2 membership: nothing of the planning is read again.
    with django_assert_num_queries(2):
        second = scenario.client("manager").get(URL, MONTH)

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.json() == first.json()


def test_an_audited_write_makes_the_next_read_fresh(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = world.shift("2025-03-15 07:00", "2025-03-15 12:00", headcount=2, max_headcount=3)
    artist = world.artist()
    client = scenario.client("manager")
    assert client.get(URL, MONTH).json()["shifts"][0]["crew"] == []

    with django_capture_on_commit_callbacks(execute=True):  # the bump follows the commit
        created = client.post(
            "/api/v1/planning/assignments",
            {"shift_id": str(shift.pk), "artist_id": str(artist.pk)},
            format="json",
        )
    assert created.status_code == 201, created.content

    after = client.get(URL, MONTH)
    assert after["X-Cache"] == "MISS"
    assert len(after.json()["shifts"][0]["crew"]) == 1


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
            assert len(response.json()["shifts"]) == 1
