"""Cancelling, restoring or deleting a selection of shifts at once: the board's bulk actions.

All or nothing, in one transaction: the selection is checked first (a shift in the wrong
state for the action is a 400 naming every such id, before anything is written), then each
shift goes through the same service as alone (``shift_cancel``, ``shift_restore``,
``shift_delete``), so each is locked, checked and audited exactly as a single write is. A
refusal on any of them (a draft someone accepted meanwhile, an archived project) rolls the
whole selection back and names the shift. Publishing a selection is a publication
(``POST /planning/publish`` with ``shift_ids``), not a status change here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.db import transaction

from apps.core.errors import ApplicationError, ValidationFailed
from apps.orgs.models import Organization, User
from apps.planning.models import Shift, ShiftStatus
from apps.planning.schedule.services.shifts import shift_cancel, shift_delete, shift_restore


class BulkShiftAction(StrEnum):
    CANCEL = "cancel"
    RESTORE = "restore"
    DELETE = "delete"


# Which shifts each action takes, and the words that say why another one is refused.
_ALLOWED: dict[BulkShiftAction, tuple[set[str], str]] = {
    BulkShiftAction.CANCEL: (
        {ShiftStatus.DRAFT, ShiftStatus.PUBLISHED},
        "Already cancelled",
    ),
    BulkShiftAction.RESTORE: ({ShiftStatus.CANCELLED}, "Not cancelled"),
    BulkShiftAction.DELETE: ({ShiftStatus.DRAFT}, "Not drafts (only drafts are deleted)"),
}
_SERVICES: dict[BulkShiftAction, Callable[..., Any]] = {
    BulkShiftAction.CANCEL: shift_cancel,
    BulkShiftAction.RESTORE: shift_restore,
    BulkShiftAction.DELETE: shift_delete,
}


@transaction.atomic
def shifts_bulk(
    *,
    organization: Organization,
    shifts: list[Shift],
    action: BulkShiftAction,
    actor: User | None,
) -> list[str]:
    """Apply ``action`` to every shift of the selection, or to none; the ids done, in order."""
    allowed, why = _ALLOWED[action]
    rows = Shift.objects.select_for_update(of=("self",)).filter(
        organization=organization, pk__in=[shift.pk for shift in shifts]
    )
    locked = {shift.pk: shift for shift in rows}
    refused = sorted(str(pk) for pk, shift in locked.items() if shift.status not in allowed)
    if refused:
        raise ValidationFailed.for_field(
            "shift_ids", f"{why}: {', '.join(refused)}.", code="invalid_selection"
        )
    done = []
    for shift in sorted(locked.values(), key=lambda s: (s.start_at, str(s.pk))):
        try:
            _SERVICES[action](shift=shift, actor=actor)
        except ApplicationError as refusal:
            refusal.extra = {**refusal.extra, "shift_id": str(shift.pk)}
            raise
        done.append(str(shift.pk))
    return done
