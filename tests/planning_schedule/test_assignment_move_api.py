"""``POST /planning/assignments/{id}/move``: the board's drag of a person onto another shift.

The booking is cancelled and a proposed one made on the target, both audited, in one
transaction; a refusal (a hard conflict there, another organization's shift) changes nothing.
"""

from __future__ import annotations

import pytest

from apps.planning.models import Assignment, AssignmentStatus
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import ASSIGNMENTS, Plans, audit_entries, make_shift

pytestmark = pytest.mark.django_db


def test_a_person_moves_to_another_shift_in_one_audited_write(
    scenario: Scenario, plan: Plans
) -> None:
    source, target = make_shift(plan.own, day=0), make_shift(plan.own, day=1)
    booking = AssignmentFactory(shift=source, artist=plan.own.artist)

    answer = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{booking.pk}/move", {"shift_id": str(target.pk)}, format="json"
    )

    assert answer.status_code == 201, answer.content
    moved = Assignment.objects.get(pk=answer.json()["assignment"]["id"])
    assert (moved.shift_id, moved.artist_id, moved.status) == (
        target.pk,
        plan.own.artist.pk,
        AssignmentStatus.PROPOSED,
    )
    booking.refresh_from_db()
    assert booking.status == AssignmentStatus.CANCELLED
    assert audit_entries(booking.pk, "assignment.status")
    assert audit_entries(moved.pk, "assignment.create")


def test_a_move_refused_by_a_hard_conflict_leaves_the_booking_where_it_was(
    scenario: Scenario, plan: Plans
) -> None:
    source, target = make_shift(plan.own, day=0), make_shift(plan.own, day=1)
    booking = AssignmentFactory(shift=source, artist=plan.own.artist)
    # The person already works at the target's time elsewhere: a double booking.
    AssignmentFactory(shift=make_shift(plan.own, day=1), artist=plan.own.artist)

    answer = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{booking.pk}/move", {"shift_id": str(target.pk)}, format="json"
    )

    body = assert_error(answer, 409)
    assert "double_booking" in {c["rule"] for c in body["conflicts"]}
    booking.refresh_from_db()
    assert booking.status == AssignmentStatus.PROPOSED
    assert not Assignment.objects.filter(shift=target).exists()


def test_a_move_to_another_organizations_shift_is_a_404_and_changes_nothing(
    scenario: Scenario, plan: Plans
) -> None:
    booking = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    foreign = make_shift(plan.foreign, day=1)

    answer = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{booking.pk}/move", {"shift_id": str(foreign.pk)}, format="json"
    )

    assert "shift_id" in assert_error(answer, 404)["fields"]
    booking.refresh_from_db()
    assert booking.status == AssignmentStatus.PROPOSED


def test_moving_onto_its_own_shift_is_a_400_naming_the_field(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own)
    booking = AssignmentFactory(shift=shift, artist=plan.own.artist)

    answer = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{booking.pk}/move", {"shift_id": str(shift.pk)}, format="json"
    )

    assert "shift_id" in assert_error(answer, 400)["fields"]
