"""Copying shifts to other days: "copy this week to the next one" on the board.

A copy keeps the shift's wall-clock times in the organization's zone (an 18:00 shift stays
an 18:00 shift across a daylight-saving change), its role, headcount and break, and none of
its crew: it is a new draft to staff. Each copy is created by ``shift_create`` (validated,
checked and audited as any new shift), in its own savepoint: a copy that would leave its
mission's window or break a rule is skipped with the reason, and the others are kept.

``shifts_copy_preview`` answers what a copy would do by running the copy itself in a
transaction it rolls back, so the same checks decide and nothing of it stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.core.errors import ConflictError, ValidationFailed
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import Shift, ShiftStatus
from apps.planning.schedule.services.shifts import shift_create
from apps.planning.timezones import organization_zone, shift_by_local_days


@dataclass(frozen=True)
class Copied:
    """A shift and its copy."""

    source: Shift
    copy: Shift


@dataclass
class CopyResult:
    copied: list[Copied] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def created(self) -> list[Shift]:
        return [pair.copy for pair in self.copied]


@transaction.atomic
def shifts_copy(
    *,
    organization: Organization,
    actor: User | None,
    shifts: list[Shift],
    days: int,
    membership: Membership | None = None,
) -> CopyResult:
    """Copy ``shifts`` (cancelled ones left out) ``days`` calendar days later, or earlier
    when ``days`` is negative, as drafts."""
    zone = organization_zone(organization)
    result = CopyResult()
    for shift in sorted(shifts, key=lambda s: (s.start_at, s.pk)):
        if shift.status == ShiftStatus.CANCELLED:
            continue
        data = {
            "mission": shift.mission,
            "role": shift.role,
            "start_at": shift_by_local_days(shift.start_at, days, zone),
            "end_at": shift_by_local_days(shift.end_at, days, zone),
            "headcount": shift.headcount,
            "max_headcount": shift.max_headcount,
            "break_minutes": shift.break_minutes,
            "notes": shift.notes,
        }
        try:
            with transaction.atomic():
                created = shift_create(
                    organization=organization, actor=actor, data=data, membership=membership
                )
        except (ValidationFailed, ConflictError) as refusal:
            result.skipped.append(
                {"shift_id": str(shift.pk), "code": refusal.code, "reason": refusal.message}
            )
            continue
        result.copied.append(Copied(source=shift, copy=created.obj))
    return result


def shifts_copy_preview(
    *,
    organization: Organization,
    actor: User | None,
    shifts: list[Shift],
    days: int,
    membership: Membership | None = None,
) -> CopyResult:
    """What ``shifts_copy`` would create and skip, with nothing kept.

    The copy runs for real in an atomic block that is then rolled back (a savepoint when a
    transaction is already open): the copies, their audit entries and the stored conflicts
    go with it, and Django discards the on-commit callbacks registered inside it (cache
    bumps, tasks, e-mails). The copies returned are unsaved: their ids name nothing.
    """
    with transaction.atomic():
        result = shifts_copy(
            organization=organization,
            actor=actor,
            shifts=shifts,
            days=days,
            membership=membership,
        )
        transaction.set_rollback(True)
    return result
