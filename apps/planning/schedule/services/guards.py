"""The database's last word on bookings, answered as the service check would (409).

The exclusion constraint ``planning_assignment_no_overlap`` and the partial unique
constraint ``planning_assignment_one_active_per_shift`` hold for every path that writes;
``guarded`` runs an assignment write in a savepoint and maps their refusals, read from
the driver's ``sqlstate`` and constraint name (never from the message), to
``HardConflictError`` (double_booking) and ``ConflictError("already_assigned")``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from apps.audit.services import json_safe
from apps.core.errors import ConflictError, HardConflictError
from apps.crew.models import Artist
from apps.orgs.models import Organization, User
from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from apps.planning.schedule.services.common import ConflictPayload

NO_OVERLAP_CONSTRAINT = "planning_assignment_no_overlap"
ONE_ACTIVE_CONSTRAINT = "planning_assignment_one_active_per_shift"
EXCLUSION_VIOLATION = "23P01"
UNIQUE_VIOLATION = "23505"


def constraint_of(exc: IntegrityError) -> tuple[str | None, str | None]:
    """(sqlstate, constraint name) from the driver's error, never from the message text."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(cause, "sqlstate", None), getattr(diag, "constraint_name", None)


def double_bookings(
    *, organization: Organization, rows: Sequence[Assignment]
) -> list[ConflictPayload]:
    """The double_booking conflicts of rows the exclusion constraint refused (one query).

    Rows refused among themselves (a bulk insert) find no other row in the database and
    are reported without ``other_assignment_id``.
    """
    overlap = Q()
    for row in rows:
        overlap |= Q(artist_id=row.artist_id, start_at__lt=row.end_at, end_at__gt=row.start_at)
    others = list(
        Assignment.objects.filter(organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .filter(overlap)
        .exclude(pk__in=[row.pk for row in rows])
        .values("id", "artist_id", "shift_id", "start_at", "end_at")
    )
    conflicts: list[ConflictPayload] = []
    for row in rows:
        clashes: list[Mapping[str, Any] | None] = [
            other
            for other in others
            if other["artist_id"] == row.artist_id
            and other["start_at"] < row.end_at
            and other["end_at"] > row.start_at
        ]
        conflicts.extend(double_booking(row, other) for other in clashes or [None])
    return conflicts


def double_booking(row: Assignment, other: Mapping[str, Any] | None) -> ConflictPayload:
    details: dict[str, Any] = {
        "artist_id": str(row.artist_id),
        "shift_id": str(row.shift_id),
        "assignment_id": str(row.pk) if row.pk else None,
    }
    if other is not None:
        details["other_assignment_id"] = str(other["id"])
        details["other_shift_id"] = str(other["shift_id"])
    return {
        "type": "hard",
        "rule": "double_booking",
        "message": gettext("The artist is already booked on an overlapping shift."),
        "details": json_safe(details),
    }


def guarded(
    write: Callable[[], object], *, organization: Organization, rows: Sequence[Assignment]
) -> None:
    """Run an assignment write in a savepoint; answer the constraints' refusals as 409s.

    The savepoint keeps the outer transaction usable, so the refusal can name the row
    that won (a concurrent booking that committed first) before the request rolls back.
    """
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        sqlstate, constraint = constraint_of(exc)
        if sqlstate == EXCLUSION_VIOLATION and constraint == NO_OVERLAP_CONSTRAINT:
            conflicts = double_bookings(organization=organization, rows=rows)
            message = gettext("The artist is already booked at that time.")
            raise HardConflictError(conflicts, message) from exc
        if sqlstate == UNIQUE_VIOLATION and constraint == ONE_ACTIVE_CONSTRAINT:
            raise already_assigned() from exc
        raise


def assignment_insert(
    *,
    organization: Organization,
    shift: Shift,
    artist: Artist,
    status: str,
    source: str,
    created_by: User | None,
    now: datetime,
    **fields: Any,
) -> Assignment:
    """Insert one assignment of ``artist`` on ``shift`` under ``guarded``.

    Its times are copied from the shift (what the no-overlap constraint reads) and its
    status is dated ``now``; ``fields`` are the row's other columns (``locked``, ``note``...).
    """
    assignment = Assignment(
        organization=organization,
        shift=shift,
        artist=artist,
        status=status,
        source=source,
        start_at=shift.start_at,
        end_at=shift.end_at,
        status_changed_at=now,
        created_by=created_by,
        **fields,
    )
    guarded(
        lambda: assignment.save(force_insert=True), organization=organization, rows=[assignment]
    )
    return assignment


def already_assigned() -> ConflictError:
    message = "This artist already has an active assignment on this shift."
    return ConflictError(message, code="already_assigned", fields={"artist_id": [message]})
