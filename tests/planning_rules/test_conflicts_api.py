"""Conflict endpoints: the preview writes nothing, lists read the current state."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, Shift
from tests.conftest import Scenario, assert_error
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    MissionFactory,
    RoleFactory,
    ShiftFactory,
)
from tests.planning_rules.facts import at
from tests.planning_rules.world import World

PREVIEW = "/api/v1/planning/conflicts/preview"
LIST = "/api/v1/planning/conflicts"
MONTH = {"from": "2025-03-01T00:00:00+01:00", "to": "2025-04-01T00:00:00+02:00"}


def iso(local: str) -> str:
    return at(local).isoformat()


def tired_artist(world: World) -> tuple[Any, Any]:
    """An artist who ends at 23:30 on Friday, and a Saturday 07:00 shift for them."""
    artist = world.artist()
    world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    return artist, world.shift("2025-03-15 07:00", "2025-03-15 12:00")


# --- Preview ----------------------------------------------------------------------------


def test_the_preview_answers_conflicts_and_writes_nothing(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    artist, morning = tired_artist(world)
    counts = (Shift.objects.count(), Assignment.objects.count(), AuditEntry.objects.count())
    body = {
        "shifts": [
            {
                "ref": "load-in",
                "mission_id": str(world.mission.pk),
                "role_id": str(world.role.pk),
                "start_at": iso("2025-03-15 13:00"),
                "end_at": iso("2025-03-15 23:00"),
                "headcount": 1,
                "max_headcount": 1,
            }
        ],
        "assignments": [
            {"shift_id": str(morning.pk), "artist_id": str(artist.pk), "ref": "saturday"},
            {"shift_ref": "load-in", "artist_id": str(artist.pk)},
        ],
    }

    # 1 the token's user with its membership (one query); ids of the body: 2 missions,
    # 3 roles, 4 shifts, 5 artists; the check: 6 stored shifts, 7 assignments around them,
    # 8 roles' skills, 9 artists, 10 their skills, 11 availabilities, 12 rule settings; the
    # conflicts found: 13 artists' names, 14 shifts' roles and venues, 15 waivers of the
    # hard ones.
    with django_assert_num_queries(15):
        response = scenario.client("manager").post(PREVIEW, body, format="json")

    assert response.status_code == 200, response.content
    found = response.json()["conflicts"]
    # Friday's show, Saturday's morning and the load-in are one duty period (one conflict).
    assert [(c["rule"], c["type"]) for c in found] == [
        ("min_rest", "hard"),
        ("daily_hours", "soft"),
        ("missing_break", "soft"),
    ]
    assert found[0]["details"]["assignment_ref"] == "saturday"
    assert found[0]["details"]["span_minutes"] == 30 * 60
    assert found[0]["details"]["shifts"][2]["shift_ref"] == "load-in"
    assert found[1]["message"] == (
        f"{artist.full_name} : 20 h 30 de travail dans l'amplitude ven. 14 mars 17:00 – "
        "sam. 15 mars 23:00 (maximum 12 h)."
    )
    assert found[2]["details"] == {**found[2]["details"], "shift_id": None, "shift_ref": "load-in"}
    assert counts == (Shift.objects.count(), Assignment.objects.count(), AuditEntry.objects.count())


def test_the_preview_of_a_changed_shift_rechecks_who_holds_it(
    scenario: Scenario, world: World
) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    later = world.book(artist, "2025-03-15 13:00", "2025-03-15 18:00")
    shift = later.shift
    body = {
        "shifts": [
            {
                "id": str(shift.pk),
                "mission_id": str(shift.mission_id),
                "role_id": str(shift.role_id),
                "start_at": iso("2025-03-15 06:00"),
                "end_at": iso("2025-03-15 11:00"),
                "headcount": 2,
                "max_headcount": 3,
                "break_minutes": 30,
            }
        ]
    }

    response = scenario.client("manager").post(PREVIEW, body, format="json")

    assert [c["rule"] for c in response.json()["conflicts"]] == ["min_rest"]
    shift.refresh_from_db()
    assert shift.start_at == at("2025-03-15 13:00")


def test_a_tech_cannot_preview(scenario: Scenario, world: World) -> None:
    artist, morning = tired_artist(world)
    body = {"assignments": [{"shift_id": str(morning.pk), "artist_id": str(artist.pk)}]}

    assert_error(scenario.client("tech").post(PREVIEW, body, format="json"), 403)
    assert_error(scenario.client("anonymous").post(PREVIEW, body, format="json"), 401)


@pytest.mark.parametrize("field", ["shift_id", "artist_id", "mission_id", "role_id"])
def test_a_foreign_id_in_the_preview_is_a_404_naming_it(
    scenario: Scenario, world: World, field: str
) -> None:
    foreign = scenario.outsider_organization
    ids = {
        "shift_id": world.shift("2025-03-15 07:00", "2025-03-15 12:00").pk,
        "artist_id": world.artist().pk,
        "mission_id": world.mission.pk,
        "role_id": world.role.pk,
    }
    ids[field] = {
        "shift_id": lambda: ShiftFactory(mission=MissionFactory(project__organization=foreign)).pk,
        "artist_id": lambda: ArtistFactory(organization=foreign).pk,
        "mission_id": lambda: MissionFactory(project__organization=foreign).pk,
        "role_id": lambda: RoleFactory(organization=foreign).pk,
    }[field]()
    body = {
        "shifts": [
            {
                "ref": "new",
                "mission_id": str(ids["mission_id"]),
                "role_id": str(ids["role_id"]),
                "start_at": iso("2025-03-16 08:00"),
                "end_at": iso("2025-03-16 12:00"),
            }
        ],
        "assignments": [{"shift_id": str(ids["shift_id"]), "artist_id": str(ids["artist_id"])}],
    }

    response = scenario.client("manager").post(PREVIEW, body, format="json")

    error = assert_error(response, 404, "not_found")
    assert list(error["fields"]) == [field]  # type: ignore[call-overload]


def test_the_outsider_cannot_preview_our_shifts(scenario: Scenario, world: World) -> None:
    artist, morning = tired_artist(world)
    body = {"assignments": [{"shift_id": str(morning.pk), "artist_id": str(artist.pk)}]}

    error = assert_error(scenario.client("outsider").post(PREVIEW, body, format="json"), 404)

    assert "shift_id" in error["fields"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "assignments"),
        (
            {"assignments": [{"artist_id": "6f1c2a4e-0000-4000-8000-000000000001"}]},
            "assignments.0.shift_id",
        ),
        (
            {
                "assignments": [
                    {"shift_ref": "nope", "artist_id": "6f1c2a4e-0000-4000-8000-000000000001"}
                ]
            },
            "shift_ref",
        ),
        (
            {"assignments": [{"shift_ref": "x", "artist_id": "not-a-uuid"}]},
            "assignments.0.artist_id",
        ),
        (
            {
                "shifts": [
                    {
                        "mission_id": "6f1c2a4e-0000-4000-8000-000000000001",
                        "role_id": "6f1c2a4e-0000-4000-8000-000000000002",
                        "start_at": "2025-03-16T12:00:00Z",
                        "end_at": "2025-03-16T08:00:00Z",
                    }
                ]
            },
            "shifts.0.end_at",
        ),
        ({"shifts": "many"}, "shifts"),
    ],
)
def test_a_malformed_preview_is_a_400_naming_the_field(
    scenario: Scenario, body: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(PREVIEW, body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error  # type: ignore[operator]


# --- Lists ------------------------------------------------------------------------------


def test_every_member_lists_the_conflicts_of_a_range(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    artist, morning = tired_artist(world)
    world.assign(morning, artist)
    for day in range(20, 26):
        world.book(world.artist(), f"2025-03-{day} 08:00", f"2025-03-{day} 12:00")

    call_command("check_conflicts", fix=True, stdout=StringIO())  # as the writes keep them

    # 1 the token's user with its membership (one query); 2 shifts of the range,
    # 3 assignments around it, 4 the stored conflicts' state, 5 the stored conflicts; the
    # conflicts found: 6 artists' names, 7 shifts' roles and venues, 8 waivers.
    with django_assert_num_queries(8):
        response = scenario.client("tech").get(LIST, MONTH)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["range"] == {"from": "2025-02-28T23:00:00Z", "to": "2025-03-31T22:00:00Z"}
    assert [c["rule"] for c in body["conflicts"]] == ["min_rest"]
    assert body["conflicts"][0]["details"]["artist_id"] == str(artist.pk)


def test_the_list_filters_by_project_and_artist(scenario: Scenario, world: World) -> None:
    artist, morning = tired_artist(world)
    world.assign(morning, artist)
    client = scenario.client("tech")

    by_project = client.get(LIST, {**MONTH, "project": str(world.project.pk)}).json()
    by_other = client.get(LIST, {**MONTH, "artist": str(world.artist().pk)}).json()

    assert [c["rule"] for c in by_project["conflicts"]] == ["min_rest"]
    assert by_other["conflicts"] == []


def test_the_outsider_sees_none_of_our_conflicts(scenario: Scenario, world: World) -> None:
    artist, morning = tired_artist(world)
    world.assign(morning, artist)

    response = scenario.client("outsider").get(LIST, MONTH)

    assert response.json()["conflicts"] == []


@pytest.mark.parametrize("field", ["project", "artist"])
def test_a_foreign_id_in_the_query_string_is_a_404_naming_it(
    scenario: Scenario, world: World, field: str
) -> None:
    foreign = {"project": world.project.pk, "artist": world.artist().pk}[field]

    response = scenario.client("outsider").get(LIST, {**MONTH, field: str(foreign)})

    error = assert_error(response, 404, "not_found")
    assert list(error["fields"]) == [field]  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": MONTH["to"]}, "from"),
        ({"from": MONTH["from"]}, "to"),
        ({"from": "yesterday", "to": MONTH["to"]}, "from"),
        ({"from": MONTH["to"], "to": MONTH["from"]}, "to"),
        ({"from": "2025-01-01T00:00:00Z", "to": "2025-03-05T00:00:00Z"}, "to"),
        ({**MONTH, "project": "not-a-uuid"}, "project"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_field(
    scenario: Scenario, params: dict[str, str], field: str
) -> None:
    error = assert_error(scenario.client("tech").get(LIST, params), 400, "invalid")

    assert field in error["fields"]  # type: ignore[operator]


def test_a_naive_range_is_read_in_the_organizations_zone(scenario: Scenario, world: World) -> None:
    response = scenario.client("tech").get(LIST, {"from": "2025-03-01", "to": "2025-03-02"})

    assert response.json()["range"] == {
        "from": "2025-02-28T23:00:00Z",
        "to": "2025-03-01T23:00:00Z",
    }


def test_anonymous_cannot_list_conflicts(scenario: Scenario) -> None:
    assert_error(scenario.client("anonymous").get(LIST, MONTH), 401)


# --- An artist's conflicts --------------------------------------------------------------


def test_an_artists_conflicts_are_only_theirs(scenario: Scenario, world: World) -> None:
    artist, morning = tired_artist(world)
    world.assign(morning, artist)
    other, other_morning = tired_artist(world)
    world.assign(other_morning, other)

    response = scenario.client("tech").get(f"/api/v1/artists/{artist.pk}/conflicts", MONTH)

    assert response.status_code == 200, response.content
    found = response.json()["conflicts"]
    assert [(c["rule"], c["details"]["artist_id"]) for c in found] == [("min_rest", str(artist.pk))]


def test_another_tenants_artist_is_a_404(scenario: Scenario, world: World) -> None:
    ours = world.artist()
    url = f"/api/v1/artists/{ours.pk}/conflicts"

    assert_error(scenario.client("outsider").get(url, MONTH), 404, "not_found")
    assert_error(scenario.client("anonymous").get(url, MONTH), 401)
    missing = "/api/v1/artists/6f1c2a4e-0000-4000-8000-000000000001/conflicts"
    assert_error(scenario.client("tech").get(missing, MONTH), 404, "not_found")
    error = assert_error(scenario.client("tech").get(url, {"from": MONTH["from"]}), 400)
    assert "to" in error["fields"]  # type: ignore[operator]


def test_foreign_stored_ids_in_the_preview_are_404s_naming_them(
    scenario: Scenario, world: World
) -> None:
    foreign = scenario.outsider_organization
    theirs = AssignmentFactory(
        shift=ShiftFactory(mission=MissionFactory(project__organization=foreign))
    )
    ours = world.shift("2025-03-15 07:00", "2025-03-15 12:00")
    moved = {
        "id": str(theirs.shift_id),
        "mission_id": str(world.mission.pk),
        "role_id": str(world.role.pk),
        "start_at": iso("2025-03-16 08:00"),
        "end_at": iso("2025-03-16 12:00"),
    }
    updated = {"id": str(theirs.pk), "shift_id": str(ours.pk), "artist_id": str(world.artist().pk)}
    client = scenario.client("manager")

    shift_error = assert_error(client.post(PREVIEW, {"shifts": [moved]}, format="json"), 404)
    assignment_error = assert_error(
        client.post(PREVIEW, {"assignments": [updated]}, format="json"), 404
    )

    assert list(shift_error["fields"]) == ["shifts.id"]  # type: ignore[call-overload]
    assert list(assignment_error["fields"]) == ["assignments.id"]  # type: ignore[call-overload]


def test_a_tuned_rule_changes_what_the_list_reports(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    artist, morning = tired_artist(world)
    world.assign(morning, artist)
    with django_capture_on_commit_callbacks(execute=True):  # the cache's bump follows commit
        scenario.client("admin").put(
            "/api/v1/planning/rules/min_rest", {"severity": "soft"}, format="json"
        )

    softened = scenario.client("tech").get(LIST, MONTH).json()["conflicts"]
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client("admin").put(
            "/api/v1/planning/rules/min_rest", {"enabled": False}, format="json"
        )
    disabled = scenario.client("tech").get(LIST, MONTH).json()["conflicts"]

    assert [(c["rule"], c["type"]) for c in softened] == [("min_rest", "soft")]
    assert disabled == []
