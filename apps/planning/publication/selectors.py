"""Reads for invitations, published versions and the reports (hours, cost, exports, feed).

Each selector is scoped to one organization (or, for the calendar feed, to one artist,
who belongs to one organization) and joins what its caller reads, so the number of
queries does not grow with the number of rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, DateTimeField, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Invitation,
    PlanningVersion,
    Shift,
    ShiftStatus,
)


def invitation_list(*, organization: Organization) -> QuerySet[Invitation]:
    """Invitations with their assignment, artist and shift joined (one query)."""
    return Invitation.objects.filter(organization=organization).select_related(
        "assignment__artist", "assignment__shift"
    )


def planning_version_list(*, organization: Organization) -> QuerySet[PlanningVersion]:
    """Versions without their heavy snapshot and diff, with the covered period annotated.

    ``period_start`` / ``period_end`` come from the scope stored at publication, so the
    list can be filtered by overlap with a range.
    """
    return (
        PlanningVersion.objects.filter(organization=organization)
        .defer("snapshot", "diff")
        .annotate(
            period_start=Cast(KT("scope__period_start"), DateTimeField()),
            period_end=Cast(KT("scope__period_end"), DateTimeField()),
        )
        .order_by("-number")
    )


def accepted_assignments(*, artist: Artist, start: datetime, end: datetime) -> QuerySet[Assignment]:
    """The artist's accepted assignments on shifts (not cancelled) starting in [start, end)."""
    return (
        Assignment.objects.filter(
            organization_id=artist.organization_id,
            artist=artist,
            status=AssignmentStatus.ACCEPTED,
            shift__start_at__gte=start,
            shift__start_at__lt=end,
        )
        .exclude(shift__status=ShiftStatus.CANCELLED)
        .select_related("shift")
        .order_by("shift__start_at", "id")
    )


def project_cost_assignments(
    *, organization: Organization, project_id: UUID
) -> QuerySet[Assignment]:
    """Active assignments of a project's live shifts, with shift, role and artist rates."""
    return (
        Assignment.objects.filter(
            organization=organization,
            shift__mission__project_id=project_id,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
        )
        .exclude(shift__status=ShiftStatus.CANCELLED)
        .select_related("shift__role", "artist")
        .order_by("shift__start_at", "id")
    )


def project_staffing_gaps(*, organization: Organization, project_id: UUID) -> QuerySet[Shift]:
    """The project's live shifts with their number of active assignments (one query)."""
    return (
        Shift.objects.filter(organization=organization, mission__project_id=project_id)
        .exclude(status=ShiftStatus.CANCELLED)
        .select_related("role")
        .annotate(
            active_count=Count(
                "assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)
            )
        )
        .order_by("start_at", "id")
    )


def role_rate_profiles(
    *, organization: Organization, role_ids: list[Any], currency: str
) -> dict[str, list[dict[str, Any]]]:
    """Per role, the rate profiles of the distinct artists actively booked on it (one query).

    Only artists paid in ``currency``: amounts are never converted.
    """
    rows = (
        Assignment.objects.filter(
            organization=organization,
            shift__role_id__in=role_ids,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            artist__currency=currency,
        )
        .values(
            "shift__role_id",
            "artist_id",
            "artist__hourly_rate",
            "artist__half_day_rate",
            "artist__day_rate",
        )
        .distinct()
        .order_by("shift__role_id", "artist_id")
    )
    profiles: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        profiles.setdefault(str(row["shift__role_id"]), []).append(dict(row))
    return profiles


def export_assignments(
    *,
    organization: Organization,
    start: datetime | None,
    end: datetime | None,
    project_id: UUID | None,
    venue_id: UUID | None,
) -> QuerySet[Assignment]:
    """Active assignments for the CSV export, everything a row prints joined (one query)."""
    rows = Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).select_related("artist", "shift__mission__project", "shift__venue", "shift__role")
    if start is not None:
        rows = rows.filter(shift__end_at__gt=start)
    if end is not None:
        rows = rows.filter(shift__start_at__lt=end)
    if project_id is not None:
        rows = rows.filter(shift__mission__project_id=project_id)
    if venue_id is not None:
        rows = rows.filter(shift__venue_id=venue_id)
    return rows.order_by("shift__start_at", "shift__venue__name", "artist__last_name", "id")


def artist_by_calendar_token(*, token: str) -> Artist | None:
    """The artist a private calendar URL belongs to (any organization: the token decides)."""
    if not token:
        return None
    return Artist.objects.select_related("organization").filter(calendar_token=token).first()


def calendar_assignments(*, artist: Artist) -> QuerySet[Assignment]:
    """What the artist's feed shows: published shifts he or she is invited to or accepted.

    A cancelled shift stays in the feed (``STATUS:CANCELLED``) for those who had heard of
    it: its assignments are cancelled with it, so "invited or accepted" is read as "still
    invited or accepted, or cancelled after an invitation was sent".
    """
    invited_once = Exists(Invitation.objects.filter(assignment=OuterRef("pk")))
    live = Q(
        shift__status=ShiftStatus.PUBLISHED,
        status__in=(AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED),
    )
    cancelled = Q(shift__status=ShiftStatus.CANCELLED) & (
        Q(status__in=(AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED))
        | Q(status=AssignmentStatus.CANCELLED, invited_once=True)
    )
    return (
        Assignment.objects.filter(organization_id=artist.organization_id, artist=artist)
        .alias(invited_once=invited_once)
        .filter(live | cancelled)
        .select_related("shift__mission", "shift__venue", "shift__role")
        .order_by("shift__start_at", "id")
    )
