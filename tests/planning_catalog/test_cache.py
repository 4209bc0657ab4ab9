"""Project and mission lists are cached per organization and go stale on every write.

Writes bump the organization's version number in ``transaction.on_commit``; the tests
run inside a transaction that never commits, so each write is wrapped in
``django_capture_on_commit_callbacks(execute=True)``, which runs the callbacks as a
commit would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import Scenario, assert_error
from tests.factories import MissionFactory, ProjectFactory
from tests.planning_catalog.conftest import Catalogs

PROJECTS = "/api/v1/projects"
MISSIONS = "/api/v1/missions"
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


def cache_states(client: Any, url: str, times: int = 2) -> list[str]:
    return [client.get(url)["X-Cache"] for _ in range(times)]


@pytest.mark.parametrize("url", [PROJECTS, MISSIONS])
def test_the_second_read_is_a_hit_with_the_same_body(
    scenario: Scenario, catalogs: Catalogs, url: str
) -> None:
    client = scenario.client("tech")
    first, second = client.get(url), client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.json() == second.json()
    assert first.json()["count"] == 1


def test_the_key_holds_the_full_query_string_in_any_order(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    client = scenario.client("tech")
    assert client.get(f"{PROJECTS}?status=active&page_size=5")["X-Cache"] == "MISS"
    assert client.get(f"{PROJECTS}?page_size=5&status=active")["X-Cache"] == "HIT"
    other = client.get(f"{PROJECTS}?status=draft&page_size=5")
    assert other["X-Cache"] == "MISS"
    assert other.json()["count"] == 0


@pytest.mark.parametrize("url", [PROJECTS, MISSIONS])
def test_every_role_shares_the_organizations_cached_page(
    scenario: Scenario, catalogs: Catalogs, url: str
) -> None:
    """The catalog lists show the same to every role, so one cached page serves them all."""
    assert scenario.client("tech").get(url)["X-Cache"] == "MISS"
    for role in ("manager", "admin", "owner"):
        assert scenario.client(role).get(url)["X-Cache"] == "HIT", role


@pytest.mark.parametrize("url", [PROJECTS, MISSIONS])
def test_a_cached_page_is_never_served_without_authentication(
    scenario: Scenario, catalogs: Catalogs, url: str
) -> None:
    assert cache_states(scenario.client("tech"), url) == ["MISS", "HIT"]
    response = scenario.client("anonymous").get(url)
    assert_error(response, 401)
    assert "X-Cache" not in response


def test_each_organization_has_its_own_cache(scenario: Scenario, catalogs: Catalogs) -> None:
    own = scenario.client("tech").get(MISSIONS)
    outsider = scenario.client("outsider").get(MISSIONS)
    assert (own["X-Cache"], outsider["X-Cache"]) == ("MISS", "MISS")
    assert [m["name"] for m in outsider.json()["results"]] == ["Show foreign"]


def test_errors_are_never_cached(scenario: Scenario, catalogs: Catalogs) -> None:
    client = scenario.client("tech")
    url = f"{MISSIONS}?project={catalogs.foreign.project.pk}"
    assert [client.get(url).status_code for _ in range(2)] == [404, 404]


WRITES: dict[str, Callable[[Any, Catalogs], Any]] = {
    "project create": lambda c, k: c.post(PROJECTS, {"name": "New"}),
    "project update": lambda c, k: c.patch(f"{PROJECTS}/{k.own.project.pk}", {"name": "B"}),
    "mission update": lambda c, k: c.patch(f"/api/v1/missions/{k.own.mission.pk}", {"name": "C"}),
    "mission duplicate": lambda c, k: c.post(
        f"/api/v1/missions/{k.own.mission.pk}/duplicate", {"days": 1}
    ),
    "bulk": lambda c, k: c.post(
        f"{PROJECTS}/{k.own.project.pk}/missions/bulk",
        {
            "items": [
                {
                    "venue_id": str(k.own.venue.pk),
                    "name": "Bulk",
                    "start_at": "2026-05-01T08:00:00Z",
                    "end_at": "2026-05-01T20:00:00Z",
                }
            ]
        },
    ),
    "venue rename": lambda c, k: c.patch(f"/api/v1/venues/{k.own.venue.pk}", {"name": "Z"}),
    "role rename": lambda c, k: c.patch(f"/api/v1/roles/{k.own.role.pk}", {"name": "R"}),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_any_catalog_write_makes_both_lists_stale(
    scenario: Scenario,
    catalogs: Catalogs,
    write: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    reader, writer = scenario.client("tech"), scenario.client("manager")
    for url in (PROJECTS, MISSIONS):
        assert cache_states(reader, url) == ["MISS", "HIT"]
    with django_capture_on_commit_callbacks(execute=True):
        response = WRITES[write](writer, catalogs)
    assert response.status_code in (200, 201), response.content
    for url in (PROJECTS, MISSIONS):
        assert cache_states(reader, url) == ["MISS", "HIT"], url


def test_the_stale_list_shows_the_write(
    scenario: Scenario, catalogs: Catalogs, django_capture_on_commit_callbacks: Any
) -> None:
    reader = scenario.client("tech")
    assert reader.get(PROJECTS).json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client("manager").post(PROJECTS, {"name": "Fresh"})
    response = reader.get(PROJECTS)
    assert (response["X-Cache"], response.json()["count"]) == ("MISS", 2)


def test_a_refused_write_invalidates_nothing(
    scenario: Scenario, catalogs: Catalogs, django_capture_on_commit_callbacks: Any
) -> None:
    reader = scenario.client("tech")
    assert cache_states(reader, PROJECTS) == ["MISS", "HIT"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = scenario.client("manager").delete(f"{PROJECTS}/{catalogs.own.project.pk}")
    assert refused.status_code == 409
    assert callbacks == []
    assert reader.get(PROJECTS)["X-Cache"] == "HIT"


def test_a_write_in_one_organization_keeps_the_others_cache(
    scenario: Scenario, catalogs: Catalogs, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = scenario.client("outsider")
    assert cache_states(outsider, PROJECTS) == ["MISS", "HIT"]
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client("manager").post(PROJECTS, {"name": "Ours"})
    assert outsider.get(PROJECTS)["X-Cache"] == "HIT"


def test_the_lists_answer_from_the_database_when_redis_is_down(
    scenario: Scenario, catalogs: Catalogs, django_capture_on_commit_callbacks: Any
) -> None:
    MissionFactory(project=ProjectFactory(organization=scenario.organization, name="Second"))
    with override_settings(CACHES=UNREACHABLE_REDIS):
        client = scenario.client("tech")
        for url in (PROJECTS, MISSIONS):
            responses = [client.get(url) for _ in range(2)]
            assert [r.status_code for r in responses] == [200, 200]
            assert [r["X-Cache"] for r in responses] == ["MISS", "MISS"]
            assert responses[0].json()["count"] == 2
        with django_capture_on_commit_callbacks(execute=True):
            created = scenario.client("manager").post(PROJECTS, {"name": "Still works"})
        assert created.status_code == 201
        assert client.get(PROJECTS).json()["count"] == 3


def test_a_cache_hit_costs_only_the_authentication_queries(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    MissionFactory.create_batch(3, project__organization=scenario.organization)
    client = scenario.client("tech")
    for url in ("/api/v1/projects", "/api/v1/missions"):
        assert client.get(url)["X-Cache"] == "MISS"
        # 1 the token's user with its membership and organization (one query); the page
        # comes from Redis
        with django_assert_num_queries(1):
            assert client.get(url)["X-Cache"] == "HIT"
