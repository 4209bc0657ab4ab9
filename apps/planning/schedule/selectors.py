"""Reads of shifts and assignments, each scoped to one organization.

The joins are those the output serializers read (a shift's project comes through its
mission, an assignment's through its shift's mission), so a page costs the same
number of queries for 3 rows and for 200.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from apps.orgs.models import Organization
from apps.planning.models import Assignment, Shift


def shift_list(*, organization: Organization) -> QuerySet[Shift]:
    """Shifts with their mission joined (for ``project_id``), in time order."""
    return (
        Shift.objects.filter(organization=organization)
        .select_related("mission")
        .order_by("start_at", "id")
    )


def assignment_list(*, organization: Organization) -> QuerySet[Assignment]:
    """Assignments with their shift's mission joined (for ``project_id``), in time order."""
    return (
        Assignment.objects.filter(organization=organization)
        .select_related("shift__mission")
        .order_by("start_at", "id")
    )


def shifts_in_scope(
    *,
    organization: Organization,
    project_id: Any = None,
    mission_id: Any = None,
    shift_ids: Collection[Any] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    venue_id: Any = None,
) -> QuerySet[Shift]:
    """The shifts a scope names, whatever their status: the one definition of a scope.

    The first of a project, a mission or a list of shift ids that is given decides;
    otherwise a ``start``–``end`` range keeps the shifts that overlap it, like every
    ``from``/``to`` filter of the API. ``venue_id`` narrows any of them. Publication and
    auto-assign both work on scopes.
    """
    shifts = Shift.objects.filter(organization=organization)
    if project_id is not None:
        shifts = shifts.filter(mission__project_id=project_id)
    elif mission_id is not None:
        shifts = shifts.filter(mission_id=mission_id)
    elif shift_ids:
        shifts = shifts.filter(pk__in=list(shift_ids))
    else:
        shifts = shifts.filter(start_at__lt=end, end_at__gt=start)
    if venue_id is not None:
        shifts = shifts.filter(venue_id=venue_id)
    return shifts
