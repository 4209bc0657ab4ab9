"""The board's bulk actions on a selection of shifts, through the API.

``POST /planning/shifts/bulk`` cancels, restores or deletes a selection all or nothing
(each shift audited as alone); ``POST /planning/publish`` with ``shift_ids`` publishes a
selection and only it. Another organization's id is a 404 and changes nothing; a shift the
action does not apply to is a 400 naming it, before anything is written.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.planning.models import AssignmentStatus, PlanningVersion, Shift, ShiftStatus
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import SHIFTS, Plans, audit_entries, make_shift

BULK = f"{SHIFTS}/bulk"
PUBLISH = "/api/v1/planning/publish"

pytestmark = pytest.mark.django_db


def statuses(shifts: list[Shift]) -> list[str]:
    return [Shift.objects.get(pk=shift.pk).status for shift in shifts]


def ids(shifts: list[Shift]) -> list[str]:
    return [str(shift.pk) for shift in shifts]


def three(plan: Plans, **fields: Any) -> list[Shift]:
    return [make_shift(plan.own, day=day, **fields) for day in (0, 1, 2)]


def test_cancelling_three_shifts_cancels_each_audited_and_restoring_brings_them_back(
    scenario: Scenario, plan: Plans
) -> None:
    shifts = three(plan, status=ShiftStatus.PUBLISHED)
    manager = scenario.client("manager")

    cancelled = manager.post(BULK, {"action": "cancel", "shift_ids": ids(shifts)}, format="json")

    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json() == {"action": "cancel", "shift_ids": ids(shifts)}
    assert statuses(shifts) == [ShiftStatus.CANCELLED] * 3
    assert all(len(audit_entries(shift.pk, "shift.cancel")) == 1 for shift in shifts)

    restored = manager.post(BULK, {"action": "restore", "shift_ids": ids(shifts)}, format="json")

    assert restored.status_code == 200, restored.content
    assert statuses(shifts) == [ShiftStatus.DRAFT] * 3
    assert all(len(audit_entries(shift.pk, "shift.restore")) == 1 for shift in shifts)


def test_deleting_drafts_only_names_the_others_and_deletes_nothing(
    scenario: Scenario, plan: Plans
) -> None:
    drafts = three(plan)
    published = make_shift(plan.own, day=3, status=ShiftStatus.PUBLISHED)

    refused = scenario.client("manager").post(
        BULK, {"action": "delete", "shift_ids": [*ids(drafts), str(published.pk)]}, format="json"
    )

    body = assert_error(refused, 400, "invalid_selection")
    assert body["fields"] == {
        "shift_ids": [f"Not drafts (only drafts are deleted): {published.pk}."]
    }
    assert Shift.objects.filter(pk__in=[*ids(drafts), published.pk]).count() == 4

    done = scenario.client("manager").post(
        BULK, {"action": "delete", "shift_ids": ids(drafts)}, format="json"
    )
    assert done.status_code == 200, done.content
    assert not Shift.objects.filter(pk__in=ids(drafts)).exists()
    assert all(len(audit_entries(shift.pk, "shift.delete")) == 1 for shift in drafts)


def test_a_refusal_on_one_shift_rolls_the_whole_selection_back_and_names_it(
    scenario: Scenario, plan: Plans
) -> None:
    drafts = three(plan)
    AssignmentFactory(shift=drafts[2], artist=plan.own.artist, status=AssignmentStatus.ACCEPTED)

    refused = scenario.client("manager").post(
        BULK, {"action": "delete", "shift_ids": ids(drafts)}, format="json"
    )

    body = assert_error(refused, 409, "shift_has_accepted_assignments")
    assert body["shift_id"] == str(drafts[2].pk)
    assert Shift.objects.filter(pk__in=ids(drafts)).count() == 3
    assert not any(audit_entries(shift.pk, "shift.delete") for shift in drafts)


def test_another_organizations_shift_is_a_404_and_changes_nothing(
    scenario: Scenario, plan: Plans
) -> None:
    own = three(plan)
    foreign = make_shift(plan.foreign)
    manager = scenario.client("manager")

    for path, body in (
        (BULK, {"action": "cancel", "shift_ids": [*ids(own), str(foreign.pk)]}),
        (PUBLISH, {"shift_ids": [*ids(own), str(foreign.pk)]}),
    ):
        answer = assert_error(manager.post(path, body, format="json"), 404, "not_found")
        assert "shift_ids" in answer["fields"]
    assert statuses(own) == [ShiftStatus.DRAFT] * 3
    assert Shift.objects.get(pk=foreign.pk).status == ShiftStatus.DRAFT


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "archive", "shift_ids": []}, "action"),
        ({"action": "cancel", "shift_ids": []}, "shift_ids"),
        ({"action": "cancel", "shift_ids": ["not-an-id"]}, "shift_ids"),
        ({"action": "cancel"}, "shift_ids"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    scenario: Scenario, plan: Plans, body: dict[str, Any], field: str
) -> None:
    answer = assert_error(scenario.client("manager").post(BULK, body, format="json"), 400)
    assert field in answer["fields"]


def test_a_tech_cannot_act_on_a_selection(scenario: Scenario, plan: Plans) -> None:
    shifts = three(plan)
    refused = scenario.client("tech").post(
        BULK, {"action": "cancel", "shift_ids": ids(shifts)}, format="json"
    )
    assert_error(refused, 403)
    assert statuses(shifts) == [ShiftStatus.DRAFT] * 3


def test_publishing_a_selection_publishes_it_and_nothing_else(
    scenario: Scenario, plan: Plans, django_capture_on_commit_callbacks: Any
) -> None:
    selected = three(plan)
    other = make_shift(plan.own, day=4)

    with django_capture_on_commit_callbacks(execute=True):
        answer = scenario.client("manager").post(
            PUBLISH, {"shift_ids": ids(selected)}, format="json"
        )

    assert answer.status_code == 201, answer.content
    assert statuses(selected) == [ShiftStatus.PUBLISHED] * 3
    assert Shift.objects.get(pk=other.pk).status == ShiftStatus.DRAFT
    version = PlanningVersion.objects.get(organization=scenario.organization)
    assert version.scope["shift_ids"] == sorted(ids(selected))
    assert version.summary["shifts_published"] == 3
    (entry,) = audit_entries(version.pk, "planning.publish")
    assert sorted(entry.after["published_shift_ids"]) == sorted(ids(selected))


def test_publishing_a_selection_with_a_cancelled_shift_is_a_400_naming_it(
    scenario: Scenario, plan: Plans
) -> None:
    selected = three(plan)
    cancelled = make_shift(plan.own, day=3, status=ShiftStatus.CANCELLED)

    answer = scenario.client("manager").post(
        PUBLISH, {"shift_ids": [*ids(selected), str(cancelled.pk)]}, format="json"
    )

    body = assert_error(answer, 400)
    assert str(cancelled.pk) in body["fields"]["shift_ids"][0]
    assert statuses(selected) == [ShiftStatus.DRAFT] * 3
