"""Availabilities and absences: declared by crew members, decided by managers.

A manager's entry is approved at once. A crew member (role ``tech``) declares, edits and
withdraws only the entries of the artist linked to his or her account; these start (and,
after an edit, go back to) ``pending`` until a manager approves or rejects them.
An absence a manager once approved is not removed by its crew member alone: withdrawing
it records a withdrawal request, which a manager approves (the entry goes) or rejects.
Every write is audited in its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import (
    build_entry,
    record_many,
    save_audited,
    set_audited,
    snapshot,
)
from apps.core.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from apps.core.integrity import constraint_errors
from apps.crew.models import Artist, Availability, AvailabilityKind, AvailabilityStatus
from apps.crew.policies import is_manager, is_own
from apps.orgs.models import Organization, User

AVAILABILITY_FIELDS = (
    "id",
    "artist",
    "start_at",
    "end_at",
    "kind",
    "status",
    "reason",
    "note",
    "requested_by",
    "decided_by",
    "decided_at",
    "withdrawal_requested_at",
)
EDITABLE_FIELDS = ("start_at", "end_at", "kind", "reason", "note")
UNIQUE_WINDOW = "crew_availability_unique_window"


def _duplicate_window() -> ConflictError:
    return ConflictError(
        "This artist already declared this window with this kind.", code="duplicate_window"
    )


def _save_unique_window(availability: Availability) -> None:
    with constraint_errors({UNIQUE_WINDOW: _duplicate_window}):
        availability.save()


def validate_window(*, start_at: datetime, end_at: datetime, kind: str, reason: str) -> None:
    """Aware datetimes, ``start_at < end_at``, a reason for absences and only for them."""
    fields: dict[str, list[str]] = {}
    for name, value in (("start_at", start_at), ("end_at", end_at)):
        if timezone.is_naive(value):
            fields[name] = ["Give a time zone offset, e.g. 2026-07-01T09:00:00+02:00."]
    if not fields and start_at >= end_at:
        fields["end_at"] = ["Must be after start_at."]
    if kind == AvailabilityKind.UNAVAILABLE and not reason:
        fields["reason"] = ["Required for an absence (kind unavailable)."]
    if kind == AvailabilityKind.AVAILABLE and reason:
        fields["reason"] = ["Must be blank for a declared availability (kind available)."]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


def _require_may_write(artist: Artist, *, actor: User, actor_role: str) -> None:
    if not is_manager(actor_role) and not is_own(user_id=actor.pk, artist_user_id=artist.user_id):
        raise PermissionDenied(
            "A crew member may declare, edit and withdraw only his or her own availabilities."
        )


def _require_new_window(availability: Availability) -> None:
    duplicate = (
        Availability.objects.filter(
            artist_id=availability.artist_id,
            kind=availability.kind,
            start_at=availability.start_at,
            end_at=availability.end_at,
        )
        .exclude(pk=availability.pk)
        .exists()
    )
    if duplicate:
        raise _duplicate_window()


def _mark_submitted(
    availability: Availability, *, actor: User, actor_role: str, creating: bool
) -> None:
    """A manager's new entry is decided at once; a crew member's write awaits a manager.

    A manager's edit keeps the status: approving is a separate, explicit act.
    """
    if is_manager(actor_role):
        if creating:
            availability.status = AvailabilityStatus.APPROVED
            availability.decided_by = actor
            availability.decided_at = timezone.now()
            availability.first_approved_at = availability.decided_at
        return
    availability.status = AvailabilityStatus.PENDING
    availability.decided_by = None
    availability.decided_at = None


def _submit(
    availability: Availability,
    *,
    actor: User,
    actor_role: str,
    before: dict[str, Any] | None,
) -> Availability:
    """Validate, set the status, save and audit a new (``before`` is None) or changed entry."""
    creating = before is None
    if creating:
        availability.requested_by = actor
    _mark_submitted(availability, actor=actor, actor_role=actor_role, creating=creating)
    validate_window(
        start_at=availability.start_at,
        end_at=availability.end_at,
        kind=availability.kind,
        reason=availability.reason,
    )
    _require_new_window(availability)
    availability.full_clean(exclude=["artist", "organization"], validate_constraints=False)
    return save_audited(
        availability,
        fields=AVAILABILITY_FIELDS,
        organization=availability.organization,
        actor=actor,
        action=AuditAction.AVAILABILITY_CREATE if creating else AuditAction.AVAILABILITY_UPDATE,
        before=before,
        save=_save_unique_window,
    )


@transaction.atomic
def availability_create(
    *,
    organization: Organization,
    actor: User,
    actor_role: str,
    artist: Artist,
    start_at: datetime,
    end_at: datetime,
    kind: str,
    reason: str = "",
    note: str = "",
) -> Availability:
    if artist.organization_id != organization.pk:
        raise NotFound.for_field("artist_id")
    _require_may_write(artist, actor=actor, actor_role=actor_role)
    availability = Availability(
        organization=organization,
        artist=artist,
        start_at=start_at,
        end_at=end_at,
        kind=kind,
        reason=reason,
        note=note,
    )
    return _submit(availability, actor=actor, actor_role=actor_role, before=None)


def _locked(availability: Availability) -> Availability:
    return (
        Availability.objects.select_for_update(of=("self",))
        .select_related("artist", "organization")
        .get(pk=availability.pk)
    )


@transaction.atomic
def availability_update(
    *, availability: Availability, actor: User, actor_role: str, data: Mapping[str, Any]
) -> Availability:
    """Apply the keys of ``EDITABLE_FIELDS`` present in ``data``; the artist never changes.

    Turning an absence into a declared window without naming a reason clears the reason.
    """
    availability = _locked(availability)
    _require_may_write(availability.artist, actor=actor, actor_role=actor_role)
    before = snapshot(availability, AVAILABILITY_FIELDS)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(availability, name, data[name])
    if availability.kind == AvailabilityKind.AVAILABLE and "reason" not in data:
        availability.reason = ""
    return _submit(availability, actor=actor, actor_role=actor_role, before=before)


@transaction.atomic
def availability_save(*, availability: Availability, actor: User, actor_role: str) -> Availability:
    """Create or update from an instance a form has already filled (the admin).

    Same rules and audit as the API; the instance keeps its identity, which the admin
    needs for its redirects.
    """
    _require_may_write(availability.artist, actor=actor, actor_role=actor_role)
    before = None
    if not availability._state.adding:
        stored = _locked(availability)
        _require_may_write(stored.artist, actor=actor, actor_role=actor_role)
        before = snapshot(stored, AVAILABILITY_FIELDS)
    return _submit(availability, actor=actor, actor_role=actor_role, before=before)


def needs_manager_to_withdraw(availability: Availability, *, actor_role: str) -> bool:
    """A crew member's absence that a manager once approved stays until a manager agrees."""
    return (
        not is_manager(actor_role)
        and availability.kind == AvailabilityKind.UNAVAILABLE
        and availability.first_approved_at is not None
        and availability.status != AvailabilityStatus.REJECTED
    )


def _delete(
    availability: Availability, *, actor: User, action: AuditAction, reason: str = ""
) -> None:
    entry = build_entry(
        organization=availability.organization,
        actor=actor,
        action=action,
        entity=availability,
        before=snapshot(availability, AVAILABILITY_FIELDS),
        reason=reason,
    )
    availability.delete()
    # Recorded once the row is gone: recording keeps the stored conflicts up to date.
    record_many([entry])


@transaction.atomic
def availability_delete(*, availability: Availability, actor: User, actor_role: str) -> None:
    """Withdraw a request or remove an entry; an approved absence of a crew member's own
    needs a manager (``availability_withdraw`` asks for one)."""
    availability = _locked(availability)
    _require_may_write(availability.artist, actor=actor, actor_role=actor_role)
    if needs_manager_to_withdraw(availability, actor_role=actor_role):
        raise ConflictError(
            "A manager approved this absence: request its withdrawal instead.",
            code="withdrawal_required",
        )
    _delete(availability, actor=actor, action=AuditAction.AVAILABILITY_DELETE)


@transaction.atomic
def availability_withdraw(
    *, availability: Availability, actor: User, actor_role: str
) -> Availability | None:
    """``DELETE`` by its owner or a manager: removes the entry (``None``), or, for an
    absence a manager once approved and a crew member withdrawing it, records the
    withdrawal request and answers the entry, still in force."""
    availability = _locked(availability)
    _require_may_write(availability.artist, actor=actor, actor_role=actor_role)
    if not needs_manager_to_withdraw(availability, actor_role=actor_role):
        _delete(availability, actor=actor, action=AuditAction.AVAILABILITY_DELETE)
        return None
    if availability.withdrawal_requested_at is None:
        set_audited(
            availability,
            {"withdrawal_requested_at": timezone.now()},
            fields=AVAILABILITY_FIELDS,
            organization=availability.organization,
            actor=actor,
            action=AuditAction.AVAILABILITY_WITHDRAWAL_REQUEST,
        )
    return availability


def _require_withdrawal_decider(availability: Availability, *, actor_role: str) -> None:
    if not is_manager(actor_role):
        raise PermissionDenied("Only managers decide on a withdrawal.")
    if availability.withdrawal_requested_at is None:
        raise ConflictError(
            "No withdrawal was requested for this entry.", code="invalid_transition"
        )


@transaction.atomic
def availability_withdrawal_approve(
    *, availability: Availability, actor: User, actor_role: str, comment: str = ""
) -> None:
    """The manager agrees: the absence goes (audited with its last state)."""
    availability = _locked(availability)
    _require_withdrawal_decider(availability, actor_role=actor_role)
    _delete(
        availability,
        actor=actor,
        action=AuditAction.AVAILABILITY_WITHDRAWAL_APPROVE,
        reason=comment,
    )


@transaction.atomic
def availability_withdrawal_reject(
    *, availability: Availability, actor: User, actor_role: str, comment: str = ""
) -> Availability:
    """The manager refuses: the absence stays in force, the request is cleared."""
    availability = _locked(availability)
    _require_withdrawal_decider(availability, actor_role=actor_role)
    return set_audited(
        availability,
        {"withdrawal_requested_at": None},
        fields=AVAILABILITY_FIELDS,
        organization=availability.organization,
        actor=actor,
        action=AuditAction.AVAILABILITY_WITHDRAWAL_REJECT,
        reason=comment,
    )


def _decide(
    availability: Availability, *, actor: User, actor_role: str, status: str, comment: str
) -> Availability:
    if not is_manager(actor_role):
        raise PermissionDenied("Only managers approve or reject availabilities.")
    availability = _locked(availability)
    if availability.status == status:
        raise ConflictError(f"This entry is already {status}.", code="invalid_transition")
    now = timezone.now()
    values: dict[str, Any] = {"status": status, "decided_by": actor, "decided_at": now}
    if status == AvailabilityStatus.APPROVED and availability.first_approved_at is None:
        values["first_approved_at"] = now
    verb = "approve" if status == AvailabilityStatus.APPROVED else "reject"
    return set_audited(
        availability,
        values,
        fields=AVAILABILITY_FIELDS,
        organization=availability.organization,
        actor=actor,
        action=AuditAction(f"availability.{verb}"),
        reason=comment,
    )


@transaction.atomic
def availability_approve(
    *, availability: Availability, actor: User, actor_role: str, comment: str = ""
) -> Availability:
    """Pending or rejected → approved."""
    return _decide(
        availability,
        actor=actor,
        actor_role=actor_role,
        status=AvailabilityStatus.APPROVED,
        comment=comment,
    )


@transaction.atomic
def availability_reject(
    *, availability: Availability, actor: User, actor_role: str, comment: str = ""
) -> Availability:
    """Pending or approved → rejected."""
    return _decide(
        availability,
        actor=actor,
        actor_role=actor_role,
        status=AvailabilityStatus.REJECTED,
        comment=comment,
    )
