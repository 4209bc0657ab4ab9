"""``POST /api/v1/planning/shifts/copy``: shifts copied some days later, as drafts to staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import SHIFTS, Plans, audit_entries, make_shift

pytestmark = pytest.mark.django_db
URL = f"{SHIFTS}/copy"


def test_a_week_is_copied_to_the_next_as_drafts_without_crew(
    scenario: Scenario, plan: Plans
) -> None:
    first = make_shift(plan.own, day=0, hour=8, status="published")
    second = make_shift(plan.own, day=1, hour=14)
    AssignmentFactory(shift=first, status="accepted")

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(first.pk), str(second.pk)], "days": 7}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skipped"] == []
    copies = Shift.objects.filter(pk__in=body["created"]).order_by("start_at")
    assert [c.start_at for c in copies] == [
        first.start_at + timedelta(days=7),
        second.start_at + timedelta(days=7),
    ]
    assert {c.status for c in copies} == {"draft"}
    assert all(not c.assignments.exists() for c in copies)
    assert len(audit_entries(copies[0].pk, "shift.create")) == 1


def test_a_copy_outside_its_mission_is_skipped_with_the_reason(
    scenario: Scenario, plan: Plans
) -> None:
    late = make_shift(plan.own, day=18, hour=8)  # the mission ends on day 20
    early = make_shift(plan.own, day=0, hour=8)

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(late.pk), str(early.pk)], "days": 7}, format="json"
    )

    body = response.json()
    assert len(body["created"]) == 1
    assert body["skipped"] == [
        {
            "shift_id": str(late.pk),
            "code": "invalid",
            "reason": "must not be after the mission ends.",
        }
    ]


def test_a_copy_keeps_the_wall_clock_time_across_a_daylight_saving_change(
    scenario: Scenario, plan: Plans
) -> None:
    mission = plan.own.mission
    mission.end_at = datetime(2030, 4, 30, tzinfo=UTC)
    mission.save(update_fields=["end_at"])
    # Monday 25 March 2030, 18:00 in Paris (UTC+1); the clocks go forward on the 31st.
    shift = make_shift(plan.own, day=21, hour=17)

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(shift.pk)], "days": 7}, format="json"
    )

    copy = Shift.objects.get(pk=response.json()["created"][0])
    assert copy.start_at == shift.start_at + timedelta(days=7, hours=-1)  # 18:00 CEST


def test_a_tech_cannot_copy_and_an_outsiders_ids_are_refused(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own)
    foreign = make_shift(plan.foreign)

    body = {"shift_ids": [str(shift.pk)]}
    assert_error(scenario.client("tech").post(URL, body, format="json"), 403)
    assert_error(scenario.client("outsider").post(URL, body, format="json"), 404, "not_found")
    mixed = {"shift_ids": [str(shift.pk), str(foreign.pk)]}
    assert_error(scenario.client("manager").post(URL, mixed, format="json"), 404, "not_found")
    assert Shift.objects.count() == 2


def test_an_empty_selection_is_refused_naming_the_field(scenario: Scenario, plan: Plans) -> None:
    make_shift(plan.own)

    response = scenario.client("manager").post(URL, {"shift_ids": []}, format="json")

    assert "shift_ids" in assert_error(response, 400)["fields"]
    assert Shift.objects.count() == 1
