"""Reads of shifts and assignments, each scoped to one organization.

The joins are those the output serializers read (a shift's project comes through its
mission, an assignment's through its shift's mission), so a page costs the same
number of queries for 3 rows and for 200.
"""

from __future__ import annotations

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
