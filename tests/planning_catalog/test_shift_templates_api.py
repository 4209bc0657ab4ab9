"""``/api/v1/planning/shift-templates``: CRUD and instantiation in local time (DST-safe)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Mission, Shift, ShiftTemplate
from tests.conftest import Scenario, assert_error
from tests.factories import MissionFactory, MissionRoleFactory, RoleFactory, ShiftTemplateFactory
from tests.planning_catalog.conftest import ALL_ROLES, WRITE_ROLES, Catalogs, audit_actions

URL = "/api/v1/planning/shift-templates"


def template_body(catalogs: Catalogs, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Show",
        "role_id": str(catalogs.own.role.pk),
        "start_time": "18:00",
        "end_time": "23:30",
        "headcount": 2,
        "max_headcount": 3,
        "break_minutes": 20,
    }
    return body | overrides


def instantiate(
    scenario: Scenario, template: ShiftTemplate, mission: Mission, dates: list[str]
) -> Any:
    url = f"{URL}/{template.pk}/instantiate"
    return scenario.client("manager").post(url, {"mission_id": str(mission.pk), "dates": dates})


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_for_shift_templates(scenario: Scenario, catalogs: Catalogs, role: str) -> None:
    client = scenario.client(role)
    template = catalogs.own.template
    spare = ShiftTemplateFactory(organization=scenario.organization, role=catalogs.own.role)
    answers = [
        client.post(URL, template_body(catalogs)),
        client.patch(f"{URL}/{template.pk}", {"headcount": 1}),
        client.post(
            f"{URL}/{template.pk}/instantiate",
            {"mission_id": str(catalogs.own.mission.pk), "dates": ["2026-03-28"]},
        ),
        client.delete(f"{URL}/{spare.pk}"),
    ]
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}/{template.pk}").status_code == 200
    if role in WRITE_ROLES:
        assert [r.status_code for r in answers] == [201, 200, 201, 204]
    else:
        for response in answers:
            assert_error(response, 403, "permission_denied")
        assert not Shift.objects.exists()


def test_anonymous_gets_401(scenario: Scenario, catalogs: Catalogs) -> None:
    anonymous = scenario.client("anonymous")
    assert_error(anonymous.get(URL), 401)
    assert_error(anonymous.post(URL, template_body(catalogs)), 401)


def test_the_outsider_gets_404_on_every_template_endpoint(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    outsider = scenario.client("outsider")
    path = f"{URL}/{catalogs.own.template.pk}"
    assert_error(outsider.get(path), 404, "not_found")
    assert_error(outsider.patch(path, {"name": "Mine"}), 404, "not_found")
    assert_error(outsider.delete(path), 404, "not_found")
    body = {"mission_id": str(catalogs.foreign.mission.pk), "dates": ["2026-03-28"]}
    assert_error(outsider.post(f"{path}/instantiate", body), 404, "not_found")
    assert [t["name"] for t in outsider.get(URL).json()["results"]] == ["Load-out foreign"]


def test_a_template_is_created_and_audited(scenario: Scenario, catalogs: Catalogs) -> None:
    response = scenario.client("manager").post(
        URL, template_body(catalogs, start_time="23:00", end_time="03:00")
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["crosses_midnight"], data["duration_minutes"]) == (True, 240)
    assert data["role_name"] == "Rigger own"
    assert audit_actions(scenario.organization, data["id"]) == ["shift_template.create"]


def test_max_headcount_defaults_to_headcount(scenario: Scenario, catalogs: Catalogs) -> None:
    body = template_body(catalogs, headcount=4)
    del body["max_headcount"]
    response = scenario.client("manager").post(URL, body)
    assert response.json()["max_headcount"] == 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "18:00"}, "end_time"),
        ({"headcount": 3, "max_headcount": 2}, "max_headcount"),
        ({"headcount": 0}, "headcount"),
        ({"break_minutes": 330}, "break_minutes"),
        ({"start_time": "25:00"}, "start_time"),
        ({"name": ""}, "name"),
        ({"role_id": "nope"}, "role_id"),
    ],
)
def test_invalid_templates_are_400s_naming_the_field(
    scenario: Scenario, catalogs: Catalogs, overrides: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(URL, template_body(catalogs, **overrides))
    assert field in assert_error(response, 400, "invalid")["fields"]  # type: ignore[operator]
    assert ShiftTemplate.objects.filter(organization=scenario.organization).count() == 1


def test_a_foreign_role_is_a_404_naming_role_id(scenario: Scenario, catalogs: Catalogs) -> None:
    body = template_body(catalogs, role_id=str(catalogs.foreign.role.pk))
    response = scenario.client("manager").post(URL, body)
    assert "role_id" in assert_error(response, 404, "not_found")["fields"]  # type: ignore[operator]


def test_an_update_checks_the_merged_state_and_is_audited(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    template = catalogs.own.template  # headcount 2, max 3
    client = scenario.client("manager")
    refused = client.patch(f"{URL}/{template.pk}", {"headcount": 5})
    assert "max_headcount" in assert_error(refused, 400)["fields"]  # type: ignore[operator]
    response = client.patch(f"{URL}/{template.pk}", {"end_time": "06:00"})
    assert response.json()["duration_minutes"] == 300
    entry = AuditEntry.objects.get(
        entity_id=str(template.pk), action=AuditAction.SHIFT_TEMPLATE_UPDATE
    )
    assert (entry.before["end_time"], entry.after["end_time"]) == ("05:00:00", "06:00:00")


def test_deleting_a_template_keeps_its_shifts(scenario: Scenario, catalogs: Catalogs) -> None:
    template = catalogs.own.template
    created = instantiate(scenario, template, catalogs.own.mission, ["2026-03-28"])
    assert created.status_code == 201, created.content
    assert scenario.client("manager").delete(f"{URL}/{template.pk}").status_code == 204
    shift = Shift.objects.get()
    assert shift.template is None
    assert audit_actions(scenario.organization, template.pk)[-1] == "shift_template.delete"


# --- Instantiate ---------------------------------------------------------------------


def test_a_night_template_is_three_real_hours_on_the_spring_dst_night(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    """01:00 CET -> 05:00 CEST on Sunday 29 March 2026 in Europe/Paris."""
    response = instantiate(
        scenario, catalogs.own.template, catalogs.own.mission, ["2026-03-29", "2026-03-28"]
    )

    assert response.status_code == 201, response.content
    shifts = response.json()["shifts"]
    assert [(s["start_at"], s["end_at"]) for s in shifts] == [
        ("2026-03-28T00:00:00Z", "2026-03-28T04:00:00Z"),
        ("2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z"),
    ]
    mission = catalogs.own.mission
    for row in Shift.objects.filter(mission=mission):
        assert (row.status, row.venue_id, row.role_id) == (
            "draft",
            mission.venue_id,
            catalogs.own.role.pk,
        )
        assert (row.template_id, row.headcount, row.max_headcount) == (
            catalogs.own.template.pk,
            2,
            3,
        )


def test_a_nonexistent_local_start_resolves_forward(scenario: Scenario, catalogs: Catalogs) -> None:
    """02:30 does not exist on 29 March 2026 in Paris: it becomes 03:30 CEST (01:30 UTC)."""
    template = ShiftTemplateFactory(
        organization=scenario.organization,
        role=catalogs.own.role,
        start_time="02:30",
        end_time="06:00",
    )
    response = instantiate(scenario, template, catalogs.own.mission, ["2026-03-29"])
    shift = response.json()["shifts"][0]
    assert (shift["start_at"], shift["end_at"]) == ("2026-03-29T01:30:00Z", "2026-03-29T04:00:00Z")


@pytest.fixture
def october_mission(scenario: Scenario, catalogs: Catalogs) -> Mission:
    mission = MissionFactory(
        project=catalogs.own.project,
        venue=catalogs.own.venue,
        start_at=utc(2026, 10, 23, 22),
        end_at=utc(2026, 10, 27, 12),
    )
    MissionRoleFactory(mission=mission, role=catalogs.own.role)
    return mission


def test_a_night_template_is_five_real_hours_on_the_autumn_dst_night(
    scenario: Scenario, catalogs: Catalogs, october_mission: Mission
) -> None:
    """01:00 CEST -> 05:00 CET on Sunday 25 October 2026; a repeated time is the first."""
    night = instantiate(scenario, catalogs.own.template, october_mission, ["2026-10-25"])
    shift = night.json()["shifts"][0]
    assert (shift["start_at"], shift["end_at"]) == ("2026-10-24T23:00:00Z", "2026-10-25T04:00:00Z")

    repeated = ShiftTemplateFactory(
        organization=scenario.organization,
        role=catalogs.own.role,
        start_time="02:30",
        end_time="04:00",
    )
    response = instantiate(scenario, repeated, october_mission, ["2026-10-25"])
    assert response.json()["shifts"][0]["start_at"] == "2026-10-25T00:30:00Z"


def test_a_template_crossing_midnight_ends_the_next_day(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    template = ShiftTemplateFactory(
        organization=scenario.organization,
        role=catalogs.own.role,
        start_time="23:00",
        end_time="03:00",
    )
    response = instantiate(scenario, template, catalogs.own.mission, ["2026-03-27"])
    shift = response.json()["shifts"][0]
    assert (shift["start_at"], shift["end_at"]) == ("2026-03-27T22:00:00Z", "2026-03-28T02:00:00Z")


def test_instantiation_is_audited_per_shift(scenario: Scenario, catalogs: Catalogs) -> None:
    response = instantiate(
        scenario, catalogs.own.template, catalogs.own.mission, ["2026-03-28", "2026-03-30"]
    )
    ids = sorted(s["id"] for s in response.json()["shifts"])
    entries = AuditEntry.objects.filter(action=AuditAction.SHIFT_CREATE)
    assert sorted(e.entity_id for e in entries) == ids
    assert all(e.actor == scenario.manager for e in entries)


def test_dates_outside_the_mission_window_are_a_400_naming_dates(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    response = instantiate(
        scenario, catalogs.own.template, catalogs.own.mission, ["2026-03-28", "2026-04-01"]
    )
    error = assert_error(response, 400, "outside_mission_window")
    assert error["fields"] == {  # type: ignore[comparison-overlap]
        "dates": ["2026-04-01: the shift falls outside the mission's window."]
    }
    assert not Shift.objects.exists()


def test_a_role_missing_from_the_staffing_plan_is_a_400(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    other = ShiftTemplateFactory(
        organization=scenario.organization, role=RoleFactory(organization=scenario.organization)
    )
    response = instantiate(scenario, other, catalogs.own.mission, ["2026-03-28"])
    assert "mission_id" in assert_error(response, 400, "role_not_staffed")["fields"]  # type: ignore[operator]
    assert not Shift.objects.exists()


def test_a_foreign_mission_is_a_404_naming_mission_id(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    response = instantiate(
        scenario, catalogs.own.template, catalogs.foreign.mission, ["2026-03-28"]
    )
    assert "mission_id" in assert_error(response, 404, "not_found")["fields"]  # type: ignore[operator]
    assert not Shift.objects.exists()


@pytest.mark.parametrize("dates", [[], ["2026-03-28", "2026-03-28"], ["28/03/2026"], "2026-03-28"])
def test_bad_dates_are_a_400_naming_dates(
    scenario: Scenario, catalogs: Catalogs, dates: Any
) -> None:
    response = instantiate(scenario, catalogs.own.template, catalogs.own.mission, dates)
    fields = assert_error(response, 400)["fields"]
    assert any(name.startswith("dates") for name in fields)  # type: ignore[union-attr]


def test_instantiating_twice_on_a_date_is_a_409(scenario: Scenario, catalogs: Catalogs) -> None:
    template, mission = catalogs.own.template, catalogs.own.mission
    assert instantiate(scenario, template, mission, ["2026-03-28"]).status_code == 201
    again = instantiate(scenario, template, mission, ["2026-03-30", "2026-03-28"])
    assert "dates" in assert_error(again, 409, "already_instantiated")["fields"]  # type: ignore[operator]
    local = Shift.objects.get().start_at.astimezone(scenario.organization.tzinfo)
    message = again.json()["error"]["message"]
    assert message.endswith(f"starting on 2026-03-28 at {local:%H:%M}.")  # local, not UTC
    assert Shift.objects.count() == 1
    assert Shift.objects.get().end_at - Shift.objects.get().start_at == timedelta(hours=4)
