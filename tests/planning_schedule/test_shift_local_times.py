"""A shift's times given without an offset are wall-clock time in the organization's zone;
a time the zone skips or reads twice on a daylight-saving night is refused with a 400."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.planning_schedule.conftest import SHIFTS, Plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def dst_plan(plan: Plans) -> Plans:
    """The mission spans both 2030 changes in Europe/Paris (31 March and 27 October)."""
    mission = plan.own.mission
    mission.start_at = datetime(2030, 3, 1, tzinfo=UTC)
    mission.end_at = datetime(2030, 11, 30, tzinfo=UTC)
    mission.save(update_fields=["start_at", "end_at"])
    return plan


def body(plan: Plans, start: str, end: str) -> dict[str, Any]:
    return {
        "mission_id": str(plan.own.mission.pk),
        "role_id": str(plan.own.role.pk),
        "start_at": start,
        "end_at": end,
        "headcount": 1,
    }


def test_a_time_without_offset_is_read_in_the_organizations_zone(
    scenario: Scenario, dst_plan: Plans
) -> None:
    response = scenario.client("manager").post(
        SHIFTS, body(dst_plan, "2030-03-31T04:00", "2030-03-31T08:00"), format="json"
    )

    assert response.status_code == 201, response.content
    shift = Shift.objects.get(pk=response.json()["shift"]["id"])
    assert shift.start_at == datetime(2030, 3, 31, 2, 0, tzinfo=UTC)  # 04:00 CEST


def test_a_time_the_clocks_skip_is_refused(scenario: Scenario, dst_plan: Plans) -> None:
    response = scenario.client("manager").post(
        SHIFTS, body(dst_plan, "2030-03-31T02:30", "2030-03-31T06:00"), format="json"
    )

    error = assert_error(response, 400)
    assert "does not exist in Europe/Paris" in str(error)
    assert not Shift.objects.filter(mission=dst_plan.own.mission).exists()


def test_a_time_the_clocks_read_twice_asks_for_its_offset(
    scenario: Scenario, dst_plan: Plans
) -> None:
    response = scenario.client("manager").post(
        SHIFTS, body(dst_plan, "2030-10-27T02:30", "2030-10-27T06:00"), format="json"
    )

    error = assert_error(response, 400)
    assert "happens twice" in str(error)
    assert "2030-10-27T02:30:00+02:00" in str(error)
