"""``POST /api/v1/planning/shifts/{id}/restore``: a cancelled shift comes back as a draft."""

from __future__ import annotations

import pytest

from apps.planning.models import Assignment, ProjectStatus
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import SHIFTS, Plans, audit_entries, make_shift

pytestmark = pytest.mark.django_db


def test_a_cancelled_shift_is_restored_as_a_draft_and_audited(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, status="cancelled")
    booking = AssignmentFactory(shift=shift, status="cancelled")

    response = scenario.client("manager").post(f"{SHIFTS}/{shift.pk}/restore", format="json")

    assert response.status_code == 200, response.content
    assert response.json()["shift"]["status"] == "draft"
    shift.refresh_from_db()
    assert shift.status == "draft"
    assert Assignment.objects.get(pk=booking.pk).status == "cancelled"
    entry = audit_entries(shift.pk, "shift.restore")[0]
    assert (entry.before["status"], entry.after["status"]) == ("cancelled", "draft")


@pytest.mark.parametrize("status", ["draft", "published"])
def test_only_a_cancelled_shift_is_restored(scenario: Scenario, plan: Plans, status: str) -> None:
    shift = make_shift(plan.own, status=status)

    response = scenario.client("manager").post(f"{SHIFTS}/{shift.pk}/restore", format="json")

    assert_error(response, 409, "invalid_transition")
    assert audit_entries(shift.pk, "shift.restore") == []


def test_a_shift_of_an_archived_project_is_not_restored(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, status="cancelled")
    project = shift.mission.project
    project.status = ProjectStatus.ARCHIVED
    project.save(update_fields=["status"])

    response = scenario.client("manager").post(f"{SHIFTS}/{shift.pk}/restore", format="json")

    assert_error(response, 409, "mission_closed")
    shift.refresh_from_db()
    assert shift.status == "cancelled"


def test_a_tech_cannot_restore_and_an_outsider_finds_nothing(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, status="cancelled")
    url = f"{SHIFTS}/{shift.pk}/restore"

    assert_error(scenario.client("tech").post(url, format="json"), 403, "permission_denied")
    assert_error(scenario.client("outsider").post(url, format="json"), 404, "not_found")
    shift.refresh_from_db()
    assert shift.status == "cancelled"
