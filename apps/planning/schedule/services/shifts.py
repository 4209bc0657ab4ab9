"""Shift writes: create, edit (moving its crew with it), publish, cancel, restore, delete.

A shift lies in its mission's window, at the mission's venue, for a role of the
mission's staffing plan. Moving it re-checks every active assignment it holds and moves
their copies of its times in the same transaction; cancelling it cancels them; deleting
it is refused once anyone accepted it or was invited (cancel it instead), and otherwise
deletes its proposals, each audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import build_entry, record_many, set_audited, snapshot
from apps.core.errors import ConflictError, ValidationFailed
from apps.core.tenancy import require_in_organization
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Invitation,
    MissionRole,
    ProjectStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.rules.conflicts import ProposedShift, conflicts_for_shift, enforce
from apps.planning.rules.waivers import waivers_settle
from apps.planning.schedule.services.common import (
    ConflictPayload,
    WriteResult,
    cancel_assignments,
    locked_shift,
    membership_for,
    record_checked,
    require_transition,
    revoke_pending_invitations,
)
from apps.planning.schedule.services.guards import guarded

SHIFT_TRANSITIONS: dict[str, frozenset[str]] = {
    ShiftStatus.DRAFT: frozenset({ShiftStatus.PUBLISHED, ShiftStatus.CANCELLED}),
    ShiftStatus.PUBLISHED: frozenset({ShiftStatus.CANCELLED}),
    ShiftStatus.CANCELLED: frozenset(),
}
SHIFT_DATA_FIELDS = (
    "mission",
    "role",
    "template",
    "start_at",
    "end_at",
    "headcount",
    "max_headcount",
    "break_minutes",
    "notes",
)
SHIFT_CANCELLED_REASON = "Shift cancelled."


def _apply_shift_data(shift: Shift, data: dict[str, Any], *, organization: Organization) -> None:
    """Copy the editable fields; the venue is the mission's, a different one is refused."""
    for name in SHIFT_DATA_FIELDS:
        if name in data:
            setattr(shift, name, data[name])
    for name in ("mission", "role", "template"):
        related = data.get(name)
        if related is not None:
            require_in_organization(related, organization, f"{name}_id")
    venue = data.get("venue")
    if venue is not None and venue.pk != shift.mission.venue_id:
        raise ValidationFailed.for_field("venue_id", "must be the venue of the mission.")
    shift.venue_id = shift.mission.venue_id


def _validate_shift(shift: Shift) -> None:
    """Order, capacity, the mission's window and its staffing plan."""
    mission = shift.mission
    if shift.start_at >= shift.end_at:
        raise ValidationFailed.for_field("end_at", "must be after start_at.")
    if shift.max_headcount < shift.headcount:
        raise ValidationFailed.for_field("max_headcount", "must be at least headcount.")
    if shift.start_at < mission.start_at:
        raise ValidationFailed.for_field("start_at", "must not be before the mission starts.")
    if shift.end_at > mission.end_at:
        raise ValidationFailed.for_field("end_at", "must not be after the mission ends.")
    if not MissionRole.objects.filter(mission_id=mission.pk, role_id=shift.role_id).exists():
        raise ValidationFailed.for_field("role_id", "is not in the mission's staffing plan.")


def _proposed_shift(shift: Shift, *, new: bool = False) -> ProposedShift:
    return ProposedShift(
        mission_id=shift.mission_id,
        role_id=shift.role_id,
        start_at=shift.start_at,
        end_at=shift.end_at,
        headcount=shift.headcount,
        max_headcount=shift.max_headcount,
        break_minutes=shift.break_minutes,
        status=shift.status,
        id=None if new else shift.pk,
    )


def _checked_shift(
    shift: Shift,
    *,
    new: bool,
    actor: User | None,
    membership: Membership | None,
    override_reason: str | None,
) -> list[ConflictPayload]:
    organization = shift.organization
    found = conflicts_for_shift(organization=organization, shift=_proposed_shift(shift, new=new))
    if override_reason:
        membership = membership_for(organization=organization, actor=actor, membership=membership)
    return enforce(found, membership=membership, override_reason=override_reason)


@transaction.atomic
def shift_create(
    *,
    organization: Organization,
    actor: User | None,
    data: dict[str, Any],
    override_reason: str | None = None,
    membership: Membership | None = None,
) -> WriteResult[Shift]:
    """Create a draft shift in a mission; ``max_headcount`` defaults to ``headcount``."""
    shift = Shift(organization=organization)
    if "max_headcount" not in data:
        data = {**data, "max_headcount": data.get("headcount", shift.headcount)}
    _apply_shift_data(shift, data, organization=organization)
    _validate_shift(shift)
    conflicts = _checked_shift(
        shift, new=True, actor=actor, membership=membership, override_reason=override_reason
    )
    shift.save(force_insert=True)
    record_checked(
        shift,
        organization=organization,
        actor=actor,
        action=AuditAction.SHIFT_CREATE,
        conflicts=conflicts,
        override_reason=override_reason,
    )
    return WriteResult(shift, conflicts)


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    actor: User | None,
    data: dict[str, Any],
    override_reason: str | None = None,
    membership: Membership | None = None,
) -> WriteResult[Shift]:
    """Edit a shift; a move in time re-checks and moves all its assignments with it."""
    shift = locked_shift(shift.pk)
    if shift.status == ShiftStatus.CANCELLED:
        raise ConflictError("A cancelled shift cannot be changed.", code="shift_cancelled")
    before = snapshot(shift)
    times = (shift.start_at, shift.end_at)
    _apply_shift_data(shift, data, organization=shift.organization)
    _validate_shift(shift)
    conflicts = _checked_shift(
        shift, new=False, actor=actor, membership=membership, override_reason=override_reason
    )
    shift.save()
    if (shift.start_at, shift.end_at) != times:
        _move_assignments(shift, actor=actor)
    record_checked(
        shift,
        organization=shift.organization,
        actor=actor,
        action=AuditAction.SHIFT_UPDATE,
        before=before,
        conflicts=conflicts,
        override_reason=override_reason,
    )
    if conflicts:
        conflicts = _settle_waivers(shift, conflicts, actor=actor, override_reason=override_reason)
    return WriteResult(shift, conflicts)


def _settle_waivers(
    shift: Shift,
    conflicts: list[ConflictPayload],
    *,
    actor: User | None,
    override_reason: str | None,
) -> list[ConflictPayload]:
    """Void the waivers the move changed; store an override on the shift's assignments."""
    held = Assignment.objects.filter(shift=shift, status__in=ACTIVE_ASSIGNMENT_STATUSES)
    return waivers_settle(
        organization=shift.organization,
        actor=actor,
        conflicts=conflicts,
        override_reason=override_reason,
        assignment_ids=held.values_list("id", flat=True) if override_reason else (),
    )


def _move_assignments(shift: Shift, *, actor: User | None) -> None:
    """Keep every assignment's copy of the shift's times in step (audited per assignment).

    The exclusion constraint re-checks the active ones in the same statement, so a move
    that the conflict check missed (a concurrent booking) is still refused.
    """
    rows = list(Assignment.objects.select_for_update().filter(shift=shift).order_by("id"))
    if not rows:
        return
    befores = {row.pk: snapshot(row, ("start_at", "end_at")) for row in rows}
    now = timezone.now()
    for row in rows:
        row.start_at, row.end_at, row.updated_at = shift.start_at, shift.end_at, now
    active = [row for row in rows if row.is_active]
    guarded(
        lambda: Assignment.objects.filter(shift=shift).update(
            start_at=shift.start_at, end_at=shift.end_at, updated_at=now
        ),
        organization=shift.organization,
        rows=active,
    )
    record_many(
        [
            build_entry(
                organization=shift.organization,
                actor=actor,
                action=AuditAction.ASSIGNMENT_RESCHEDULE,
                entity=row,
                before=befores[row.pk],
                after=snapshot(row, ("start_at", "end_at")),
            )
            for row in rows
        ]
    )


@transaction.atomic
def shift_set_status(*, shift: Shift, actor: User | None, status: str) -> WriteResult[Shift]:
    """Move along ``draft → published → cancelled`` (or draft → cancelled); nothing else.

    Publishing reports the shift's current conflicts without refusing: the publication
    service decides, for a whole scope, whether hard conflicts block.
    """
    if status == ShiftStatus.CANCELLED:
        return shift_cancel(shift=shift, actor=actor)
    shift = locked_shift(shift.pk)
    require_transition(SHIFT_TRANSITIONS, shift.status, status, "shift")
    _save_status(shift, status, actor=actor, action=AuditAction.SHIFT_STATUS)
    return _with_current_conflicts(shift)


def _save_status(shift: Shift, status: str, *, actor: User | None, action: AuditAction) -> None:
    """Set the shift's ``status`` (stamping ``published_at`` on publication), save, audit."""
    values: dict[str, Any] = {"status": status}
    if status == ShiftStatus.PUBLISHED:
        values["published_at"] = timezone.now()
    set_audited(
        shift, values, fields=None, organization=shift.organization, actor=actor, action=action
    )


def _with_current_conflicts(shift: Shift) -> WriteResult[Shift]:
    """The shift with the conflicts it has now (reported, never refused)."""
    conflicts = conflicts_for_shift(organization=shift.organization, shift=_proposed_shift(shift))
    return WriteResult(shift, conflicts)


@transaction.atomic
def shift_cancel(*, shift: Shift, actor: User | None) -> WriteResult[Shift]:
    """Cancel a shift and, with it, every active assignment it holds (each audited)."""
    shift = locked_shift(shift.pk)
    require_transition(SHIFT_TRANSITIONS, shift.status, ShiftStatus.CANCELLED, "shift")
    active = list(
        Assignment.objects.select_for_update()
        .filter(shift=shift, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .order_by("id")
    )
    cancel_assignments(
        active, organization=shift.organization, actor=actor, reason=SHIFT_CANCELLED_REASON
    )
    revoke_pending_invitations(active, organization=shift.organization, actor=actor)
    _save_status(shift, ShiftStatus.CANCELLED, actor=actor, action=AuditAction.SHIFT_CANCEL)
    return WriteResult(shift, [])


@transaction.atomic
def shift_restore(*, shift: Shift, actor: User | None) -> WriteResult[Shift]:
    """Bring a cancelled shift back as a draft, to be staffed again.

    Its bookings stay cancelled (the crew was told; re-assigning asks them again). Refused
    (409 ``mission_closed``) when its project is archived: the plan there is closed.
    """
    shift = locked_shift(shift.pk)
    if shift.status != ShiftStatus.CANCELLED:
        raise ConflictError(
            f"Only a cancelled shift can be restored (this one is {shift.status}).",
            code="invalid_transition",
            extra={"from": shift.status, "to": ShiftStatus.DRAFT},
        )
    if shift.mission.project.status == ProjectStatus.ARCHIVED:
        raise ConflictError(
            "This shift's project is archived: its shifts cannot be restored.",
            code="mission_closed",
        )
    _save_status(shift, ShiftStatus.DRAFT, actor=actor, action=AuditAction.SHIFT_RESTORE)
    return _with_current_conflicts(shift)


@transaction.atomic
def shift_delete(*, shift: Shift, actor: User | None) -> None:
    """Delete a shift made by mistake; refused once anyone accepted it or was invited."""
    shift = locked_shift(shift.pk)
    rows = list(Assignment.objects.select_for_update().filter(shift=shift).order_by("id"))
    if any(row.status == AssignmentStatus.ACCEPTED for row in rows):
        raise ConflictError(
            "This shift has accepted assignments; cancel the shift instead.",
            code="shift_has_accepted_assignments",
        )
    if rows and Invitation.objects.filter(assignment__in=rows).exists():
        raise ConflictError(
            "Invitations were sent for this shift; cancel the shift instead.",
            code="shift_has_invitations",
        )
    organization = shift.organization
    entries = [
        build_entry(
            organization=organization,
            actor=actor,
            action=AuditAction.ASSIGNMENT_DELETE,
            entity=row,
            before=snapshot(row),
        )
        for row in rows
    ]
    entries.append(
        build_entry(
            organization=organization,
            actor=actor,
            action=AuditAction.SHIFT_DELETE,
            entity=shift,
            before=snapshot(shift),
        )
    )
    Assignment.objects.filter(pk__in=[row.pk for row in rows]).delete()
    shift.delete()
    # Recorded once the rows are gone: recording keeps the stored conflicts up to date.
    record_many(entries)
