"""What every schedule write shares: results, override policy, audit helpers, row locks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import build_entry, record, record_many, snapshot
from apps.core.errors import ConflictError
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import Assignment, AssignmentStatus, Shift
from apps.planning.rules.conflicts import ConflictPayload
from apps.planning.rules.report import is_blocking

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class WriteResult(Generic[ModelT]):
    """What a write answers: the object as saved and the conflicts it has (soft, or overridden)."""

    obj: ModelT
    conflicts: list[ConflictPayload]


@dataclass(frozen=True)
class BulkWriteResult:
    """A bulk write's rows and the (soft) conflicts they have."""

    objs: list[Assignment]
    conflicts: list[ConflictPayload]


def has_hard(conflicts: Iterable[ConflictPayload]) -> bool:
    """A hard conflict that no waiver covers remains (waived ones refuse nothing)."""
    return any(is_blocking(conflict) for conflict in conflicts)


def membership_for(
    *, organization: Organization, actor: User | None, membership: Membership | None
) -> Membership | None:
    """The membership that decides override policy; looked up only when not given."""
    if membership is not None or actor is None or not actor.is_authenticated:
        return membership
    return Membership.objects.filter(organization=organization, user=actor).first()


def audit_reason(conflicts: list[ConflictPayload], override_reason: str | None) -> str:
    """The override reason is audited when a hard rule was actually overridden."""
    return (override_reason or "") if has_hard(conflicts) else ""


def with_overrides(after: dict[str, Any], conflicts: list[ConflictPayload]) -> dict[str, Any]:
    """Add the overridden hard conflicts to an audit snapshot, so the entry says which."""
    hard = [conflict for conflict in conflicts if is_blocking(conflict)]
    return {**after, "overridden_conflicts": hard} if hard else after


def record_checked(
    obj: models.Model,
    *,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    conflicts: list[ConflictPayload],
    override_reason: str | None,
    before: dict[str, Any] | None = None,
) -> None:
    """Audit a write the rules checked: the hard conflicts it overrode, and the reason why."""
    record(
        organization=organization,
        actor=actor,
        action=action,
        entity=obj,
        before=before,
        after=with_overrides(snapshot(obj), conflicts),
        reason=audit_reason(conflicts, override_reason),
    )


def actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def require_transition(
    transitions: dict[str, frozenset[str]], current: str, target: str, entity: str
) -> None:
    if target not in transitions.get(current, frozenset()):
        raise ConflictError(
            f"A {entity} cannot go from {current} to {target}.",
            code="invalid_transition",
            extra={"from": current, "to": target},
        )


def locked_shift(pk: Any) -> Shift:
    """The shift row, locked: serializes writes to one shift (capacity, moves, cancels)."""
    return (
        Shift.objects.select_for_update(of=("self",))
        .select_related("organization", "mission")
        .get(pk=pk)
    )


def locked_assignment(pk: Any) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("organization", "shift__mission", "artist")
        .get(pk=pk)
    )


def revoke_pending_invitations(
    assignments: Iterable[Assignment], *, organization: Organization, actor: User | None
) -> int:
    """Withdraw the pending invitations of assignments that were just cancelled.

    A link to a cancelled booking must not stay in the crew member's inbox as if it could
    still be answered. One query to find them, one update, one audit entry each.
    """
    from apps.planning.models import Invitation, InvitationStatus

    ids = [assignment.pk for assignment in assignments]
    pending = list(
        Invitation.objects.select_for_update().filter(
            organization=organization, assignment_id__in=ids, status=InvitationStatus.PENDING
        )
    )
    if not pending:
        return 0
    entries = []
    for invitation in pending:
        before = {"status": invitation.status}
        invitation.status = InvitationStatus.REVOKED
        entries.append(
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.INVITATION_REVOKE,
                entity=invitation,
                before=before,
                after={"status": invitation.status},
                reason="assignment cancelled",
            )
        )
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(
        status=InvitationStatus.REVOKED
    )
    record_many(entries)
    return len(pending)


def cancel_assignments(
    rows: list[Assignment], *, organization: Organization, actor: User | None, reason: str
) -> None:
    """Cancel ``rows`` (already locked) in one update, one audited status change each.

    The rows are updated in memory too, so the caller's objects say what was saved.
    """
    if not rows:
        return
    befores = {row.pk: snapshot(row) for row in rows}
    now = timezone.now()
    Assignment.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=AssignmentStatus.CANCELLED, status_changed_at=now, updated_at=now
    )
    entries = []
    for row in rows:
        row.status, row.status_changed_at, row.updated_at = AssignmentStatus.CANCELLED, now, now
        entries.append(
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.ASSIGNMENT_STATUS,
                entity=row,
                before=befores[row.pk],
                after=snapshot(row),
                reason=reason,
            )
        )
    record_many(entries)
