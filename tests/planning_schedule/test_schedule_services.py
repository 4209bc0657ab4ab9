"""The schedule services as other code calls them: auto-assign (bulk) and system actions.

A system action has no membership (a Celery job, an invitation answered by link): it
never overrides a hard rule, and its audit entries are signed "system".
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.core.errors import ConflictError, HardConflictError, NotFound, PermissionDenied
from apps.planning.models import Assignment
from apps.planning.rules import conflicts
from apps.planning.schedule import services
from apps.planning.schedule.services import assignments
from tests.conftest import Scenario
from tests.factories import (
    AssignmentFactory,
    AutoAssignJobFactory,
    AvailabilityFactory,
)
from tests.planning_schedule.conftest import Plans, at, audit_entries, make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls to ``conflicts_for_assignments`` (and the proposals in each)."""
    calls: list[int] = []
    real = conflicts.conflicts_for_assignments

    def counting(**kwargs: Any) -> Any:
        calls.append(len(kwargs["assignments"]))
        return real(**kwargs)

    monkeypatch.setattr(assignments, "conflicts_for_assignments", counting)
    return calls


def test_bulk_create_checks_the_whole_set_once_and_audits_each_row(
    scenario: Scenario, plan: Plans, check_calls: list[int]
) -> None:
    job = AutoAssignJobFactory(organization=scenario.organization)
    monday, tuesday = make_shift(plan.own, day=0), make_shift(plan.own, day=1)
    pairs = [
        (monday, plan.own.artist),
        (monday, plan.own.other_artist),
        (tuesday.pk, plan.own.artist.pk),
    ]

    result = services.assignments_bulk_create(
        organization=scenario.organization, actor=None, pairs=pairs, job=job
    )

    assert check_calls == [3]
    assert len(result.objs) == 3
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert {(row.status, row.source) for row in rows} == {("proposed", "auto")}
    assert {(row.start_at, row.end_at) for row in rows if row.shift_id == tuesday.pk} == {
        (tuesday.start_at, tuesday.end_at)
    }
    entries = AuditEntry.objects.filter(action=AuditAction.ASSIGNMENT_CREATE)
    assert sorted(entry.entity_id for entry in entries) == sorted(str(row.pk) for row in rows)
    assert {entry.actor_label for entry in entries} == {"system"}


def test_bulk_create_refuses_everything_on_a_hard_conflict(scenario: Scenario, plan: Plans) -> None:
    AvailabilityFactory(
        artist=plan.own.artist, start_at=at(1, 0), end_at=at(2, 0), kind="unavailable"
    )
    pairs = [
        (make_shift(plan.own, day=0), plan.own.artist),
        (make_shift(plan.own, day=1), plan.own.artist),
    ]

    with pytest.raises(HardConflictError) as caught:
        services.assignments_bulk_create(
            organization=scenario.organization, actor=None, pairs=pairs
        )

    assert "absence" in {c["rule"] for c in caught.value.conflicts}
    assert not Assignment.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ASSIGNMENT_CREATE).exists()


def test_bulk_create_refuses_a_pair_already_active(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist)

    with pytest.raises(ConflictError) as caught:
        services.assignments_bulk_create(
            organization=scenario.organization, actor=None, pairs=[(shift, plan.own.artist)]
        )

    assert caught.value.code == "already_assigned"


def test_bulk_create_refuses_a_repeated_pair(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)

    with pytest.raises(ConflictError) as caught:
        services.assignments_bulk_create(
            organization=scenario.organization,
            actor=None,
            pairs=[(shift, plan.own.artist), (shift.pk, plan.own.artist.pk)],
        )

    assert caught.value.code == "already_assigned"
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("field", ["shift_id", "artist_id"])
def test_bulk_create_refuses_foreign_objects(scenario: Scenario, plan: Plans, field: str) -> None:
    pair = (
        (make_shift(plan.foreign), plan.own.artist)
        if field == "shift_id"
        else (make_shift(plan.own), plan.foreign.artist)
    )

    with pytest.raises(NotFound) as caught:
        services.assignments_bulk_create(
            organization=scenario.organization, actor=None, pairs=[pair]
        )

    assert field in caught.value.fields


def test_bulk_create_of_nothing_writes_nothing(scenario: Scenario, check_calls: list[int]) -> None:
    result = services.assignments_bulk_create(
        organization=scenario.organization, actor=None, pairs=[]
    )

    assert (result.objs, result.conflicts, check_calls) == ([], [], [])


def test_a_system_action_never_overrides(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)
    assignment = AssignmentFactory(shift=shift, artist=plan.own.artist, status="invited")
    AvailabilityFactory(
        artist=plan.own.artist, start_at=at(3, 0), end_at=at(4, 0), kind="unavailable"
    )

    with pytest.raises(HardConflictError):
        services.assignment_set_status(
            assignment=assignment, actor=None, membership=None, status="accepted"
        )
    with pytest.raises(PermissionDenied):
        services.assignment_set_status(
            assignment=assignment,
            actor=None,
            membership=None,
            status="accepted",
            override_reason="The job says so.",
        )
    assignment.refresh_from_db()
    assert assignment.status == "invited"


def test_a_system_action_is_audited_as_system(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)

    services.assignment_set_status(
        assignment=assignment, actor=None, membership=None, status="invited"
    )

    entry = audit_entries(assignment.pk, "assignment.status")[0]
    assert (entry.actor, entry.actor_label) == (None, "system")


def test_shift_services_look_up_the_membership_for_an_override(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=3)

    result = services.shift_update(
        shift=shift,
        actor=scenario.admin,
        data={"break_minutes": 15},
        override_reason="Checked.",
    )
    with pytest.raises(PermissionDenied):
        services.shift_update(
            shift=shift, actor=scenario.manager, data={"notes": "x"}, override_reason="Why not."
        )

    assert result.obj.break_minutes == 15
    assert audit_entries(shift.pk, "shift.update")[0].reason == ""
