"""``/api/v1/missions``: CRUD with staffing plans, filters, tenancy, roles and audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Mission, MissionRole
from tests.conftest import Scenario, assert_error
from tests.factories import (
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    VenueFactory,
)
from tests.planning_catalog.conftest import ALL_ROLES, WRITE_ROLES, Catalogs, audit_actions

URL = "/api/v1/missions"


def mission_body(catalogs: Catalogs, **overrides: Any) -> dict[str, Any]:
    own = catalogs.own
    body = {
        "project_id": str(own.project.pk),
        "venue_id": str(own.venue.pk),
        "name": "Zénith — show day",
        "start_at": "2026-04-10T08:00:00+02:00",
        "end_at": "2026-04-11T03:00:00+02:00",
        "notes": "Dock B",
        "staffing": [{"role_id": str(own.role.pk), "headcount": 3}],
    }
    return body | overrides


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_for_missions(scenario: Scenario, catalogs: Catalogs, role: str) -> None:
    client = scenario.client(role)
    mission = MissionFactory(project=catalogs.own.project, venue=catalogs.own.venue)
    answers = [
        client.post(URL, mission_body(catalogs)),
        client.patch(f"{URL}/{mission.pk}", {"notes": "changed"}),
        client.post(f"{URL}/{mission.pk}/duplicate", {"days": 1}),
        client.delete(f"{URL}/{mission.pk}"),
    ]
    assert client.get(URL).status_code == 200
    if role in WRITE_ROLES:
        assert [r.status_code for r in answers] == [201, 200, 201, 204]
    else:
        for response in answers:
            assert_error(response, 403, "permission_denied")
        assert client.get(f"{URL}/{mission.pk}").status_code == 200


def test_anonymous_gets_401(scenario: Scenario, catalogs: Catalogs) -> None:
    anonymous = scenario.client("anonymous")
    assert_error(anonymous.get(URL), 401)
    assert_error(anonymous.get(f"{URL}/{catalogs.own.mission.pk}"), 401)
    assert_error(anonymous.post(URL, mission_body(catalogs)), 401)


def test_the_outsider_gets_404_on_every_mission_endpoint(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    outsider = scenario.client("outsider")
    path = f"{URL}/{catalogs.own.mission.pk}"
    assert_error(outsider.get(path), 404, "not_found")
    assert_error(outsider.patch(path, {"name": "Mine"}), 404, "not_found")
    assert_error(outsider.delete(path), 404, "not_found")
    assert_error(outsider.post(f"{path}/duplicate", {"days": 1}), 404, "not_found")
    assert Mission.objects.filter(organization=scenario.organization).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("project_id", "foreign.project", "project_id"),
        ("venue_id", "foreign.venue", "venue_id"),
        ("staffing", "foreign.role", "staffing.0.role_id"),
    ],
)
def test_foreign_ids_in_the_body_are_404s_naming_the_field(
    scenario: Scenario, catalogs: Catalogs, field: str, value: str, path: str
) -> None:
    foreign_id = str(getattr(catalogs.foreign, value.split(".")[1]).pk)
    if field == "staffing":
        body = mission_body(catalogs, staffing=[{"role_id": foreign_id, "headcount": 1}])
    else:
        body = mission_body(catalogs, **{field: foreign_id})
    client = scenario.client("manager")
    error = assert_error(client.post(URL, body), 404, "not_found")
    assert path in error["fields"]  # type: ignore[operator]
    patch = {"staffing": body["staffing"]} if field == "staffing" else {field: foreign_id}
    assert_error(client.patch(f"{URL}/{catalogs.own.mission.pk}", patch), 404, "not_found")
    assert Mission.objects.filter(organization=scenario.organization).count() == 1


def test_a_mission_is_created_with_its_staffing_plan(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    response = scenario.client("manager").post(URL, mission_body(catalogs))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["project_name"], data["venue_name"]) == ("Tour own", "Olympia own")
    assert data["staffing"] == [
        {"role_id": str(catalogs.own.role.pk), "role_name": "Rigger own", "headcount": 3}
    ]
    assert data["start_at"] == "2026-04-10T06:00:00Z"
    mission = Mission.objects.get(pk=data["id"])
    assert list(mission.staffing.values_list("headcount", flat=True)) == [3]
    entry = AuditEntry.objects.get(entity_id=str(mission.pk))
    assert entry.action == "mission.create"
    assert entry.after["staffing"] == [{"role_id": str(catalogs.own.role.pk), "headcount": 3}]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_at": "2026-04-10T08:00:00+02:00"}, "end_at"),
        ({"start_at": "tomorrow"}, "start_at"),
        ({"name": ""}, "name"),
        ({"staffing": [{"role_id": "x", "headcount": 1}]}, "staffing.0.role_id"),
        ({"staffing": [{"role_id": "own", "headcount": 0}]}, "staffing.0.headcount"),
        (
            {"staffing": [{"role_id": "own", "headcount": 1}, {"role_id": "own", "headcount": 2}]},
            "staffing.1.role_id",
        ),
    ],
)
def test_invalid_mission_input_is_a_400_naming_the_field(
    scenario: Scenario, catalogs: Catalogs, overrides: dict[str, Any], field: str
) -> None:
    for line in overrides.get("staffing", []):
        if line["role_id"] == "own":
            line["role_id"] = str(catalogs.own.role.pk)
    response = scenario.client("manager").post(URL, mission_body(catalogs, **overrides))
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error  # type: ignore[operator]
    assert Mission.objects.filter(organization=scenario.organization).count() == 1


def test_an_archived_project_takes_no_new_mission(scenario: Scenario, catalogs: Catalogs) -> None:
    archived = ProjectFactory(organization=scenario.organization, status="archived")
    body = mission_body(catalogs, project_id=str(archived.pk))
    assert_error(scenario.client("manager").post(URL, body), 409, "project_archived")


def test_updating_the_staffing_replaces_it_wholesale_and_is_audited(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    mission = catalogs.own.mission
    video = RoleFactory(organization=scenario.organization, name="Video")
    response = scenario.client("manager").patch(
        f"{URL}/{mission.pk}", {"staffing": [{"role_id": str(video.pk), "headcount": 2}]}
    )
    assert response.status_code == 200, response.content
    assert [(s["role_name"], s["headcount"]) for s in response.json()["staffing"]] == [("Video", 2)]
    assert list(MissionRole.objects.filter(mission=mission).values_list("role", flat=True)) == [
        video.pk
    ]
    entry = AuditEntry.objects.get(entity_id=str(mission.pk), action=AuditAction.MISSION_UPDATE)
    assert entry.before["staffing"] == [{"role_id": str(catalogs.own.role.pk), "headcount": 4}]
    assert entry.after["staffing"] == [{"role_id": str(video.pk), "headcount": 2}]


def test_a_patch_without_staffing_keeps_the_plan(scenario: Scenario, catalogs: Catalogs) -> None:
    mission = catalogs.own.mission
    response = scenario.client("manager").patch(f"{URL}/{mission.pk}", {"name": "Renamed"})
    assert response.status_code == 200
    assert [s["headcount"] for s in response.json()["staffing"]] == [4]


def test_a_patch_checks_the_window_against_the_stored_start(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    mission = catalogs.own.mission
    early = (mission.start_at - timedelta(hours=1)).isoformat()
    response = scenario.client("manager").patch(f"{URL}/{mission.pk}", {"end_at": early})
    assert "end_at" in assert_error(response, 400)["fields"]  # type: ignore[operator]


def test_the_window_cannot_shrink_past_a_shift(scenario: Scenario, catalogs: Catalogs) -> None:
    mission = catalogs.own.mission
    shift = ShiftFactory(mission=mission, role=catalogs.own.role)
    cut = (shift.end_at - timedelta(hours=1)).isoformat()
    response = scenario.client("manager").patch(f"{URL}/{mission.pk}", {"end_at": cut})
    error = assert_error(response, 409, "shifts_outside_window")
    assert "end_at" in error["fields"]  # type: ignore[operator]


def test_a_role_with_shifts_cannot_leave_the_plan(scenario: Scenario, catalogs: Catalogs) -> None:
    mission = catalogs.own.mission
    ShiftFactory(mission=mission, role=catalogs.own.role)
    response = scenario.client("manager").patch(f"{URL}/{mission.pk}", {"staffing": []})
    assert_error(response, 409, "role_in_use")
    assert MissionRole.objects.filter(mission=mission).count() == 1


def test_moving_a_mission_to_another_venue_moves_its_shifts(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    mission = catalogs.own.mission
    shift = ShiftFactory(mission=mission, role=catalogs.own.role)
    cigale = VenueFactory(organization=scenario.organization, name="La Cigale")
    response = scenario.client("manager").patch(f"{URL}/{mission.pk}", {"venue_id": str(cigale.pk)})
    assert response.status_code == 200, response.content
    shift.refresh_from_db()
    assert shift.venue == cigale
    entry = AuditEntry.objects.get(entity_id=str(shift.pk), action=AuditAction.SHIFT_UPDATE)
    assert (entry.before["venue_id"], entry.after["venue_id"]) == (
        str(catalogs.own.venue.pk),
        str(cigale.pk),
    )


def test_deleting_a_mission_with_shifts_is_a_409(scenario: Scenario, catalogs: Catalogs) -> None:
    mission = catalogs.own.mission
    ShiftFactory(mission=mission, role=catalogs.own.role)
    assert_error(
        scenario.client("manager").delete(f"{URL}/{mission.pk}"), 409, "mission_has_shifts"
    )
    assert Mission.objects.filter(pk=mission.pk).exists()
    assert audit_actions(scenario.organization, mission.pk) == []


def test_deleting_a_mission_removes_its_staffing_and_is_audited(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    mission = catalogs.own.mission
    assert scenario.client("manager").delete(f"{URL}/{mission.pk}").status_code == 204
    assert not MissionRole.objects.filter(mission_id=mission.pk).exists()
    entry = AuditEntry.objects.get(entity_id=str(mission.pk))
    assert entry.action == "mission.delete"
    assert entry.before["staffing"][0]["headcount"] == 4


def test_filters_by_project_venue_and_time_range(scenario: Scenario, catalogs: Catalogs) -> None:
    own = catalogs.own
    other_project = ProjectFactory(organization=scenario.organization)
    other_venue = VenueFactory(organization=scenario.organization)
    april = datetime(2026, 4, 10, 8, tzinfo=UTC)
    MissionFactory(
        project=other_project,
        venue=own.venue,
        name="April",
        start_at=april,
        end_at=april + timedelta(hours=20),
    )
    MissionFactory(
        project=own.project,
        venue=other_venue,
        name="May",
        start_at=april + timedelta(days=30),
        end_at=april + timedelta(days=31),
    )
    client = scenario.client("tech")

    def names(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return sorted(m["name"] for m in response.json()["results"])

    assert names(f"project={own.project.pk}") == ["May", "Show own"]
    assert names(f"venue={own.venue.pk}") == ["April", "Show own"]
    assert names(f"project={own.project.pk}&venue={own.venue.pk}") == ["Show own"]
    assert names("from=2026-04-11T00:00:00Z&to=2026-04-12T00:00:00Z") == ["April"]
    assert names("from=2026-03-31T21:00:00Z&to=2026-04-10T08:00:00Z") == ["Show own"]
    assert names("search=may") == ["May"]


@pytest.mark.parametrize("param", ["project", "venue"])
def test_foreign_ids_in_filters_are_404s_naming_the_parameter(
    scenario: Scenario, catalogs: Catalogs, param: str
) -> None:
    foreign = getattr(catalogs.foreign, param)
    response = scenario.client("tech").get(f"{URL}?{param}={foreign.pk}")
    assert param in assert_error(response, 404, "not_found")["fields"]  # type: ignore[operator]


def test_a_bad_time_filter_is_a_400_naming_it(scenario: Scenario) -> None:
    response = scenario.client("tech").get(f"{URL}?from=noon")
    assert "from" in assert_error(response, 400)["fields"]  # type: ignore[operator]


def test_the_mission_list_keeps_the_documented_order(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    later = MissionFactory(
        project=catalogs.own.project,
        venue=catalogs.own.venue,
        name="Later",
        start_at=catalogs.own.mission.start_at + timedelta(days=2),
        end_at=catalogs.own.mission.end_at,
    )
    results = scenario.client("tech").get(URL).json()["results"]
    assert [m["id"] for m in results] == [str(catalogs.own.mission.pk), str(later.pk)]


def test_the_mission_list_costs_four_queries_for_3_or_30_missions(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("tech")
    project = ProjectFactory(organization=scenario.organization)
    venue = VenueFactory(organization=scenario.organization)
    for count in (3, 30):
        existing = Mission.objects.filter(organization=scenario.organization).count()
        for mission in MissionFactory.create_batch(count - existing, project=project, venue=venue):
            MissionRoleFactory.create_batch(2, mission=mission)
        cache.clear()
        # 1 the token's user with its membership and organization (one query), 2 count,
        # 3 page of missions joined with project and venue, 4 staffing lines joined with
        # their roles (prefetch)
        with django_assert_num_queries(4):
            response = client.get("/api/v1/missions?page_size=100")
        assert response["X-Cache"] == "MISS"
        results = response.json()["results"]
        assert len(results) == count
        assert {len(m["staffing"]) for m in results} == {2}
