"""Applying a template to several dates: ``…/instantiate/preview`` first, nothing written.

The preview runs the checks of ``instantiate`` on every date at once (outside the
mission's window, already instantiated) and the rules on the new shifts; ``blocked``
says whether confirming would be refused, and then nothing at all is created.
"""

from __future__ import annotations

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.factories import RoleFactory, ShiftTemplateFactory
from tests.planning_catalog.conftest import Catalogs

pytestmark = pytest.mark.django_db
URL = "/api/v1/planning/shift-templates"


def preview(scenario: Scenario, catalogs: Catalogs, dates: list[str], role: str = "manager"):  # type: ignore[no-untyped-def]
    body = {"mission_id": str(catalogs.own.mission.pk), "dates": dates}
    return scenario.client(role).post(
        f"{URL}/{catalogs.own.template.pk}/instantiate/preview", body, format="json"
    )


def test_the_preview_lists_each_dates_shift_in_local_time_and_writes_nothing(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    audit_before = AuditEntry.objects.count()

    response = preview(scenario, catalogs, ["2026-03-29", "2026-03-28"])

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["blocked"] is False
    assert body["conflicts"] == []
    # Sorted by date; 01:00–05:00 Paris wall-clock on both sides of the clock change.
    rows = [(s["date"], s["start_local"], s["end_local"], s["problem"]) for s in body["shifts"]]
    assert rows == [
        ("2026-03-28", "2026-03-28T01:00", "2026-03-28T05:00", None),
        ("2026-03-29", "2026-03-29T01:00", "2026-03-29T05:00", None),
    ]
    assert body["shifts"][1]["start_at"] == "2026-03-29T00:00:00Z"
    assert body["shifts"][1]["end_at"] == "2026-03-29T03:00:00Z"  # 3 h: the clocks jumped
    assert not Shift.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_preview_names_every_refused_date_and_the_write_is_all_or_nothing(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    client = scenario.client("manager")
    path = f"{URL}/{catalogs.own.template.pk}/instantiate"
    mission = str(catalogs.own.mission.pk)
    assert client.post(path, {"mission_id": mission, "dates": ["2026-03-30"]}).status_code == 201
    dates = ["2026-03-27", "2026-03-28", "2026-03-30"]

    body = preview(scenario, catalogs, dates).json()

    assert body["blocked"] is True
    problems = {s["date"]: (s["problem"] or {}).get("code") for s in body["shifts"]}
    assert problems == {
        "2026-03-27": "outside_mission_window",  # 01:00 Paris is before the mission opens
        "2026-03-28": None,
        "2026-03-30": "already_instantiated",
    }
    refused = client.post(path, {"mission_id": mission, "dates": dates}, format="json")
    assert refused.status_code in (400, 409)
    assert Shift.objects.count() == 1  # the 28th was not created either


def test_confirming_what_the_preview_showed_creates_every_shift_audited(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    dates = ["2026-03-28", "2026-03-29", "2026-03-30"]
    shown = preview(scenario, catalogs, dates).json()["shifts"]

    created = scenario.client("manager").post(
        f"{URL}/{catalogs.own.template.pk}/instantiate",
        {"mission_id": str(catalogs.own.mission.pk), "dates": dates},
        format="json",
    )

    assert created.status_code == 201
    starts = sorted(s.start_at for s in Shift.objects.all())
    assert [s.isoformat().replace("+00:00", "Z") for s in starts] == [s["start_at"] for s in shown]
    entries = AuditEntry.objects.filter(action=AuditAction.SHIFT_CREATE)
    assert {str(e.entity_id) for e in entries} == {str(s.pk) for s in Shift.objects.all()}


def test_bad_input_is_a_400_naming_the_field(scenario: Scenario, catalogs: Catalogs) -> None:
    assert "dates" in assert_error(preview(scenario, catalogs, ["2026-03-28"] * 2), 400)["fields"]  # type: ignore[operator]
    assert "dates" in assert_error(preview(scenario, catalogs, []), 400)["fields"]  # type: ignore[operator]
    unstaffed = ShiftTemplateFactory(
        organization=scenario.organization,
        role=RoleFactory(organization=scenario.organization),
        start_time="09:00",
        end_time="12:00",
    )
    body = {"mission_id": str(catalogs.own.mission.pk), "dates": ["2026-03-28"]}
    response = scenario.client("manager").post(
        f"{URL}/{unstaffed.pk}/instantiate/preview", body, format="json"
    )
    assert "mission_id" in assert_error(response, 400, "role_not_staffed")["fields"]  # type: ignore[operator]


def test_roles_and_tenancy(scenario: Scenario, catalogs: Catalogs) -> None:
    assert_error(preview(scenario, catalogs, ["2026-03-28"], role="tech"), 403)
    assert_error(preview(scenario, catalogs, ["2026-03-28"], role="anonymous"), 401)
    assert_error(preview(scenario, catalogs, ["2026-03-28"], role="outsider"), 404)
    foreign_mission = {"mission_id": str(catalogs.foreign.mission.pk), "dates": ["2026-03-28"]}
    response = scenario.client("manager").post(
        f"{URL}/{catalogs.own.template.pk}/instantiate/preview", foreign_mission, format="json"
    )
    assert "mission_id" in assert_error(response, 404)["fields"]  # type: ignore[operator]
