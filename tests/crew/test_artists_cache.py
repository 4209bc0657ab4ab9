"""The crew list is cached per organization and viewer, and survives planning writes.

It shows nothing of shifts and assignments, so their writes (the most frequent ones)
leave it cached; a write of the crew, or of anything else, makes it stale.
"""

from __future__ import annotations

from typing import Any

from apps.crew.models import Artist
from tests.conftest import Scenario
from tests.factories import ArtistFactory
from tests.planning_rules.world import World

URL = "/api/v1/artists"


def test_an_assignment_leaves_the_crew_list_cached_and_an_artist_edit_refreshes_it(
    scenario: Scenario,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
) -> None:
    world = World.build(scenario.organization)
    artist = world.artist(first_name="Inès", last_name="Roux")
    shift = world.shift("2025-03-19 07:00", "2025-03-19 12:00")
    client = scenario.client("manager")
    first = client.get(URL)
    assert first["X-Cache"] == "MISS"

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/planning/assignments",
            {"shift_id": str(shift.pk), "artist_id": str(artist.pk)},
            format="json",
        )
    assert created.status_code == 201, created.content
    # 1 the token's user with its membership (one query): the crew is not read again.
    with django_assert_num_queries(1):
        again = client.get(URL)
    assert again["X-Cache"] == "HIT"
    assert again.json() == first.json()

    with django_capture_on_commit_callbacks(execute=True):
        renamed = client.patch(f"{URL}/{artist.pk}", {"first_name": "Agnès"}, format="json")
    assert renamed.status_code == 200, renamed.content
    fresh = client.get(URL)
    assert fresh["X-Cache"] == "MISS"
    assert [row["first_name"] for row in fresh.json()["results"]] == ["Agnès"]


def test_a_crew_member_is_not_served_the_managers_cached_list(
    scenario: Scenario, tech_artist: Artist
) -> None:
    other = ArtistFactory(organization=scenario.organization, last_name="Zola", day_rate=300)
    manager = scenario.client("manager").get(URL)
    assert {row["id"]: row.get("day_rate") for row in manager.json()["results"]}[
        str(other.pk)
    ] is not None

    tech = scenario.client("tech").get(URL)
    assert tech["X-Cache"] == "MISS"
    rows = {row["id"]: row for row in tech.json()["results"]}
    assert "day_rate" not in rows[str(other.pk)]  # another artist's rate stays private
    assert rows[str(tech_artist.pk)]["day_rate"] is not None  # the tech's own is shown
    assert scenario.client("tech").get(URL)["X-Cache"] == "HIT"
