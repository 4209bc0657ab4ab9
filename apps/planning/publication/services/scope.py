"""The scope of a publication, what it covers, what blocks it, and its snapshot."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import Max, Min, QuerySet

from apps.audit.services import json_safe
from apps.core.errors import NotFound, ValidationFailed
from apps.orgs.models import Organization
from apps.planning.models import (
    Assignment,
    Project,
    Shift,
    ShiftStatus,
    Venue,
)
from apps.planning.publication.services.diff import SNAPSHOT_ASSIGNMENT_STATUSES, Entry
from apps.planning.rules.conflicts import conflicts_in_range
from apps.planning.rules.report import is_blocking
from apps.planning.schedule.selectors import shifts_in_scope


@dataclass(frozen=True)
class PublicationScope:
    """A project, a ``[start, end)`` range or a selection of shifts (``shift_ids``, the
    board's bulk publish); ``venue_id`` narrows any of them."""

    project_id: UUID | None = None
    start: datetime | None = None
    end: datetime | None = None
    venue_id: UUID | None = None
    shift_ids: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Canonical string: the same scope always gives the same key (UTC, fixed order)."""
        parts = [f"project={self.project_id}"] if self.project_id else []
        if self.shift_ids:
            # A selection is named by a digest of its sorted ids (the key has 300 characters).
            ids = ",".join(sorted(self.shift_ids))
            parts.append(f"shifts={hashlib.sha256(ids.encode()).hexdigest()[:32]}")
        if self.start is not None and self.end is not None:
            parts += [f"from={utc_iso(self.start)}", f"to={utc_iso(self.end)}"]
        if self.venue_id:
            parts.append(f"venue={self.venue_id}")
        return ";".join(parts)

    def as_json(self) -> dict[str, Any]:
        selection = {"shift_ids": sorted(self.shift_ids)} if self.shift_ids else {}
        return {
            "project_id": str(self.project_id) if self.project_id else None,
            "from": utc_iso(self.start) if self.start else None,
            "to": utc_iso(self.end) if self.end else None,
            "venue_id": str(self.venue_id) if self.venue_id else None,
            **selection,
        }


def utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publication_scope(
    *,
    organization: Organization,
    project_id: UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    venue_id: UUID | None = None,
) -> PublicationScope:
    """Validate a scope: a project of this organization, or an ordered range (400/404)."""
    if project_id is None and (start is None or end is None):
        raise ValidationFailed.for_field("project_id", "Give a project_id, or both from and to.")
    if project_id is not None and (start is not None or end is not None):
        raise ValidationFailed.for_field("project_id", "Give a project_id or a range, not both.")
    if start is not None and end is not None and start >= end:
        raise ValidationFailed.for_field("to", "must be after from.")
    if project_id and not Project.objects.filter(organization=organization, pk=project_id).exists():
        raise NotFound.for_field("project_id")
    if venue_id and not Venue.objects.filter(organization=organization, pk=venue_id).exists():
        raise NotFound.for_field("venue_id")
    return PublicationScope(project_id=project_id, start=start, end=end, venue_id=venue_id)


def shifts_to_publish(*, organization: Organization, scope: PublicationScope) -> QuerySet[Shift]:
    """The shifts a publication scope covers, whatever their status."""
    return shifts_in_scope(
        organization=organization,
        project_id=scope.project_id,
        shift_ids=scope.shift_ids,
        start=scope.start,
        end=scope.end,
        venue_id=scope.venue_id,
    )


# --- Conflicts -----------------------------------------------------------------------


def scope_hard_conflicts(
    *, organization: Organization, scope: PublicationScope
) -> list[dict[str, Any]]:
    """Hard conflicts that block publishing the scope (waived ones do not)."""
    blocking, _ = scope_hard_conflicts_split(organization=organization, scope=scope)
    return blocking


def scope_hard_conflicts_split(
    *, organization: Organization, scope: PublicationScope
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The scope's hard conflicts: those that block publishing, and those an admin waived.

    The conflict engine works on a time range (and a project); a venue scope or a
    selection of shifts keeps the conflicts that name one of its shifts.
    """
    shifts = shifts_to_publish(organization=organization, scope=scope).exclude(
        status=ShiftStatus.CANCELLED
    )
    bounds = shifts.aggregate(start=Min("start_at"), end=Max("end_at"))
    if bounds["start"] is None:
        return [], []
    found = conflicts_in_range(
        organization=organization,
        start=scope.start or bounds["start"],
        end=scope.end or bounds["end"],
        project_id=scope.project_id,
    )
    hard = [conflict for conflict in found if conflict.get("type") == "hard"]
    if scope.venue_id or scope.shift_ids:
        ids = {str(pk) for pk in shifts.values_list("id", flat=True)}
        hard = [c for c in hard if str(c.get("details", {}).get("shift_id", "")) in ids]
    return [c for c in hard if is_blocking(c)], [c for c in hard if not is_blocking(c)]


def take_snapshot(*, organization: Organization, scope: PublicationScope) -> dict[str, Any]:
    """Shifts and their active and declined assignments, JSON-safe, in a stable order.

    Two queries: shifts with mission, venue and role joined; assignments with artists.
    """
    shifts = list(
        shifts_to_publish(organization=organization, scope=scope)
        .select_related("mission", "venue", "role")
        .order_by("start_at", "id")
    )
    assignments = (
        Assignment.objects.filter(
            organization=organization,
            shift_id__in=[shift.pk for shift in shifts],
            status__in=SNAPSHOT_ASSIGNMENT_STATUSES,
        )
        .select_related("artist")
        .order_by("start_at", "id")
    )
    return json_safe(
        {
            "shifts": [_shift_entry(shift) for shift in shifts],
            "assignments": [_assignment_entry(row) for row in assignments],
        }
    )


def _shift_entry(shift: Shift) -> Entry:
    return {
        "id": shift.pk,
        "mission": shift.mission_id,
        "mission_name": shift.mission.name,
        "venue": shift.venue_id,
        "venue_name": shift.venue.name,
        "role": shift.role_id,
        "role_name": shift.role.name,
        "start_at": shift.start_at,
        "end_at": shift.end_at,
        "status": shift.status,
        "headcount": shift.headcount,
    }


def _assignment_entry(assignment: Assignment) -> Entry:
    return {
        "id": assignment.pk,
        "shift": assignment.shift_id,
        "artist": assignment.artist_id,
        "artist_name": assignment.artist.full_name,
        "status": assignment.status,
    }
