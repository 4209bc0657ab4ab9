"""Assignment writes: book, change status, lock, edit, delete, and bulk-book (auto-assign).

Transitions: ``proposed → invited → accepted | declined``, ``cancelled`` from any active
state; a cancelled or declined assignment is reactivated by creating a new one. Deleting
is for mistakes: refused for an accepted assignment or one with invitations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import (
    build_entry,
    record_many,
    set_audited,
    snapshot,
)
from apps.core.errors import ConflictError, NotFound, ValidationFailed
from apps.core.tenancy import require_in_organization
from apps.crew.models import Artist
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    AutoAssignJob,
    Invitation,
    Shift,
    ShiftStatus,
)
from apps.planning.rules.conflicts import ProposedAssignment, conflicts_for_assignments, enforce
from apps.planning.rules.selectors import shared_reads
from apps.planning.rules.waivers import waivers_settle
from apps.planning.schedule.services.common import (
    BulkWriteResult,
    ConflictPayload,
    WriteResult,
    actor_or_none,
    locked_assignment,
    locked_shift,
    record_checked,
    require_transition,
    revoke_pending_invitations,
)
from apps.planning.schedule.services.guards import already_assigned, assignment_insert, guarded

ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.PROPOSED: frozenset({AssignmentStatus.INVITED, AssignmentStatus.CANCELLED}),
    AssignmentStatus.INVITED: frozenset(
        {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED, AssignmentStatus.CANCELLED}
    ),
    AssignmentStatus.ACCEPTED: frozenset({AssignmentStatus.CANCELLED}),
    AssignmentStatus.DECLINED: frozenset(),
    AssignmentStatus.CANCELLED: frozenset(),
}
INITIAL_ASSIGNMENT_STATUSES = frozenset({AssignmentStatus.PROPOSED})


def _require_bookable(shift: Shift, artist: Artist) -> None:
    if shift.status == ShiftStatus.CANCELLED:
        raise ConflictError("Nobody can be assigned to a cancelled shift.", code="shift_cancelled")
    if not artist.is_active:
        raise ValidationFailed.for_field("artist_id", "This artist is inactive.")


@transaction.atomic
@shared_reads()
def assignment_create(
    *,
    organization: Organization,
    actor: User | None,
    membership: Membership | None,
    shift: Shift,
    artist: Artist,
    status: str = AssignmentStatus.PROPOSED,
    locked: bool = False,
    source: str = AssignmentSource.MANUAL,
    note: str = "",
    override_reason: str | None = None,
    job: AutoAssignJob | None = None,
) -> WriteResult[Assignment]:
    """Put an artist on a shift; its times are copied from the shift for the constraint."""
    require_in_organization(shift, organization, "shift_id")
    require_in_organization(artist, organization, "artist_id")
    if status not in INITIAL_ASSIGNMENT_STATUSES:
        raise ValidationFailed.for_field("status", "A new assignment starts as proposed.")
    shift = locked_shift(shift.pk)
    _require_bookable(shift, artist)
    active = Assignment.objects.filter(
        shift=shift, artist=artist, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    if active.exists():
        raise already_assigned()
    found = conflicts_for_assignments(
        organization=organization,
        assignments=[ProposedAssignment(shift_id=shift.pk, artist_id=artist.pk, status=status)],
    )
    conflicts = enforce(found, membership=membership, override_reason=override_reason)
    assignment = assignment_insert(
        organization=organization,
        shift=shift,
        artist=artist,
        status=status,
        source=source,
        created_by=actor_or_none(actor),
        now=timezone.now(),
        locked=locked,
        note=note,
        auto_assign_job=job,
    )
    record_checked(
        assignment,
        organization=organization,
        actor=actor,
        action=AuditAction.ASSIGNMENT_CREATE,
        conflicts=conflicts,
        override_reason=override_reason,
    )
    conflicts = waivers_settle(
        organization=organization,
        actor=actor,
        conflicts=conflicts,
        override_reason=override_reason,
        assignment_ids=[assignment.pk],
    )
    return WriteResult(assignment, conflicts)


def _current_conflicts(
    assignment: Assignment, *, status: str | None = None
) -> list[ConflictPayload]:
    """Conflicts of an existing assignment as it is (or at another active status)."""
    return conflicts_for_assignments(
        organization=assignment.organization,
        assignments=[
            ProposedAssignment(
                shift_id=assignment.shift_id,
                artist_id=assignment.artist_id,
                status=status or assignment.status,
                id=assignment.pk,
            )
        ],
    )


@transaction.atomic
@shared_reads()
def assignment_set_status(
    *,
    assignment: Assignment,
    actor: User | None,
    membership: Membership | None,
    status: str,
    override_reason: str | None = None,
) -> WriteResult[Assignment]:
    """``proposed → invited → accepted | declined``, ``cancelled`` from any active state.

    Moving to another active state re-checks the rules (an absence approved since the
    proposal blocks acceptance unless an admin overrides); leaving them checks nothing.
    """
    assignment = locked_assignment(assignment.pk)
    require_transition(ASSIGNMENT_TRANSITIONS, assignment.status, status, "assignment")
    conflicts: list[ConflictPayload] = []
    if status in ACTIVE_ASSIGNMENT_STATUSES:
        found = _current_conflicts(assignment, status=status)
        conflicts = enforce(found, membership=membership, override_reason=override_reason)
    before = snapshot(assignment)
    assignment.status = status
    assignment.status_changed_at = timezone.now()
    assignment.save(update_fields=["status", "status_changed_at", "updated_at"])
    record_checked(
        assignment,
        organization=assignment.organization,
        actor=actor,
        action=AuditAction.ASSIGNMENT_STATUS,
        before=before,
        conflicts=conflicts,
        override_reason=override_reason,
    )
    if conflicts:
        conflicts = waivers_settle(
            organization=assignment.organization,
            actor=actor,
            conflicts=conflicts,
            override_reason=override_reason,
            assignment_ids=[assignment.pk],
        )
    if status == AssignmentStatus.CANCELLED:
        revoke_pending_invitations([assignment], organization=assignment.organization, actor=actor)
    return WriteResult(assignment, conflicts)


@transaction.atomic
def assignment_set_locked(
    *, assignment: Assignment, actor: User | None, locked: bool
) -> WriteResult[Assignment]:
    """Lock (auto-assign never moves it) or unlock; only an active assignment can be locked.

    Setting the value it already has changes nothing and writes no audit entry.
    """
    assignment = locked_assignment(assignment.pk)
    if locked and not assignment.is_active:
        raise ConflictError("Only an active assignment can be locked.", code="assignment_inactive")
    if assignment.locked != locked:
        set_audited(
            assignment,
            {"locked": locked},
            fields=None,
            organization=assignment.organization,
            actor=actor,
            action=AuditAction.ASSIGNMENT_LOCK if locked else AuditAction.ASSIGNMENT_UNLOCK,
        )
    conflicts = _current_conflicts(assignment) if assignment.is_active else []
    return WriteResult(assignment, conflicts)


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, actor: User | None, data: dict[str, Any]
) -> WriteResult[Assignment]:
    """Edit the note and/or the lock; status has its own service (transitions)."""
    result = None
    if "locked" in data:
        result = assignment_set_locked(assignment=assignment, actor=actor, locked=data["locked"])
    assignment = locked_assignment(assignment.pk)
    if "note" in data and data["note"] != assignment.note:
        set_audited(
            assignment,
            {"note": data["note"]},
            fields=None,
            organization=assignment.organization,
            actor=actor,
            action=AuditAction.ASSIGNMENT_UPDATE,
        )
    if result is not None:
        return WriteResult(assignment, result.conflicts)
    conflicts = _current_conflicts(assignment) if assignment.is_active else []
    return WriteResult(assignment, conflicts)


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor: User | None) -> None:
    """Delete a mistaken assignment; accepted ones and invited people keep their record."""
    assignment = locked_assignment(assignment.pk)
    if assignment.status == AssignmentStatus.ACCEPTED:
        raise ConflictError(
            "An accepted assignment cannot be deleted; cancel it instead.",
            code="assignment_accepted",
        )
    if Invitation.objects.filter(assignment=assignment).exists():
        raise ConflictError(
            "An invitation was sent for this assignment; cancel it instead.",
            code="assignment_has_invitations",
        )
    entry = build_entry(
        organization=assignment.organization,
        actor=actor,
        action=AuditAction.ASSIGNMENT_DELETE,
        entity=assignment,
        before=snapshot(assignment),
    )
    assignment.delete()
    # Recorded once the row is gone: recording keeps the stored conflicts up to date.
    record_many([entry])


def _pk(value: models.Model | UUID | str) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _bulk_targets(
    *, organization: Organization, pairs: Sequence[tuple[Any, Any]]
) -> dict[str, Shift]:
    """Lock the pairs' shifts (in id order, no deadlock) and check the artists: 2 queries."""
    shift_ids = sorted({str(_pk(shift)) for shift, _ in pairs})
    shifts = {
        str(shift.pk): shift
        for shift in Shift.objects.select_for_update()
        .filter(organization=organization, pk__in=shift_ids)
        .order_by("id")
    }
    if len(shifts) != len(shift_ids):
        raise NotFound.for_field("shift_id")
    artist_ids = {str(_pk(artist)) for _, artist in pairs}
    found = dict(
        Artist.objects.filter(organization=organization, pk__in=artist_ids).values_list(
            "id", "is_active"
        )
    )
    if len(found) != len(artist_ids):
        raise NotFound.for_field("artist_id")
    if not all(found.values()):
        raise ValidationFailed.for_field("artist_id", "This artist is inactive.")
    if any(shift.status == ShiftStatus.CANCELLED for shift in shifts.values()):
        raise ConflictError("Nobody can be assigned to a cancelled shift.", code="shift_cancelled")
    return shifts


@transaction.atomic
def assignments_bulk_create(
    *,
    organization: Organization,
    actor: User | None,
    pairs: Sequence[tuple[Shift | UUID | str, Artist | UUID | str]],
    source: str = AssignmentSource.AUTO,
    job: AutoAssignJob | None = None,
) -> BulkWriteResult:
    """Create many proposed assignments at once, all or nothing (the auto-assign job).

    One conflict check for the whole set; any hard conflict refuses everything
    (``HardConflictError``, never overridable here), as does a pair already active or repeated.
    """
    if not pairs:
        return BulkWriteResult([], [])
    keys = [(str(_pk(shift)), str(_pk(artist))) for shift, artist in pairs]
    if len(set(keys)) != len(keys):
        raise already_assigned()
    shifts = _bulk_targets(organization=organization, pairs=pairs)
    taken = Q()
    for shift_id, artist_id in keys:
        taken |= Q(shift_id=shift_id, artist_id=artist_id)
    active = Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    if active.filter(taken).exists():
        raise already_assigned()
    proposed = [
        ProposedAssignment(shift_id=UUID(shift_id), artist_id=UUID(artist_id))
        for shift_id, artist_id in keys
    ]
    found = conflicts_for_assignments(organization=organization, assignments=proposed)
    conflicts = enforce(found, membership=None, override_reason=None)
    now = timezone.now()
    rows = [
        Assignment(
            organization=organization,
            shift=shifts[shift_id],
            artist_id=UUID(artist_id),
            status=AssignmentStatus.PROPOSED,
            source=source,
            start_at=shifts[shift_id].start_at,
            end_at=shifts[shift_id].end_at,
            status_changed_at=now,
            created_by=actor_or_none(actor),
            auto_assign_job=job,
        )
        for shift_id, artist_id in keys
    ]
    guarded(lambda: Assignment.objects.bulk_create(rows), organization=organization, rows=rows)
    record_many(
        [
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.ASSIGNMENT_CREATE,
                entity=row,
                after=snapshot(row),
            )
            for row in rows
        ]
    )
    return BulkWriteResult(rows, conflicts)


@transaction.atomic
@shared_reads()
def assignment_move(
    *,
    assignment: Assignment,
    actor: User | None,
    membership: Membership | None,
    shift: Shift,
    override_reason: str | None = None,
) -> WriteResult[Assignment]:
    """Re-assign a person to another shift (the board's drag of a crew member): the booking
    is cancelled and a proposed one made on ``shift``, both audited, in one transaction.

    Cancelling first frees the person's time, so a move to an overlapping shift is not a
    double booking with itself; any refusal of the new booking (a hard conflict, a full
    shift, an unqualified person) rolls the cancellation back.
    """
    assignment = locked_assignment(assignment.pk)
    if assignment.shift_id == shift.pk:
        raise ValidationFailed.for_field("shift_id", "This is already the booking's shift.")
    if assignment.status not in ACTIVE_ASSIGNMENT_STATUSES:
        raise ConflictError(
            f"Only an active booking can be moved (this one is {assignment.status}).",
            code="invalid_transition",
        )
    assignment_set_status(
        assignment=assignment, actor=actor, membership=membership, status=AssignmentStatus.CANCELLED
    )
    return assignment_create(
        organization=assignment.organization,
        actor=actor,
        membership=membership,
        shift=shift,
        artist=assignment.artist,
        override_reason=override_reason,
    )
