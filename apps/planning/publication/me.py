"""Reads for the crew member's own page: who he or she is, and what he or she was told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.crew.models import Artist, EmploymentType
from apps.orgs.models import Organization, User
from apps.planning.models import Assignment


def artist_for_user(*, organization: Organization, user: User) -> Artist | None:
    return Artist.objects.filter(organization=organization, user=user).first()


# What the crew member has been told about: proposals stay the planners' business.
CREW_VISIBLE_STATUSES = ("invited", "accepted")


def my_assignments(*, artist: Artist, since: datetime) -> list[dict[str, object]]:
    """The artist's invited and accepted assignments ending after ``since``."""
    rows = (
        Assignment.objects.filter(artist=artist, end_at__gt=since, status__in=CREW_VISIBLE_STATUSES)
        .select_related("shift__role", "shift__venue", "shift__mission")
        .order_by("start_at")[:100]
    )
    return [_assignment_row(assignment) for assignment in rows]


def my_pending_invitations(*, artist: Artist) -> list[dict[str, object]]:
    from apps.planning.models import Invitation

    invitations = (
        Invitation.objects.filter(
            organization_id=artist.organization_id, assignment__artist=artist, status="pending"
        )
        .select_related(
            "assignment__shift__role", "assignment__shift__venue", "assignment__shift__mission"
        )
        .order_by("assignment__start_at")
    )
    return [
        {
            **_assignment_row(invitation.assignment),
            "id": invitation.id,
            "expires_at": invitation.expires_at,
        }
        for invitation in invitations
    ]


def _assignment_row(assignment: Assignment) -> dict[str, object]:
    shift = assignment.shift
    return {
        "id": assignment.id,
        "assignment_id": assignment.id,
        "status": assignment.status,
        "start_at": assignment.start_at,
        "end_at": assignment.end_at,
        "role": shift.role.name,
        "venue": shift.venue.name,
        "mission": shift.mission.name,
        "shift_status": shift.status,
    }


INTERMITTENT_THRESHOLD_HOURS = 507


@dataclass(frozen=True)
class HoursTotal:
    first_day: date
    last_day: date
    hours: float
    shifts: int

    def as_json(self) -> dict[str, object]:
        return {
            "from": self.first_day,
            "to": self.last_day,
            "hours": self.hours,
            "shifts": self.shifts,
        }


def _months_back(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def my_hours(*, artist: Artist, now: datetime | None = None) -> dict[str, object]:
    """Paid hours of the artist's accepted shifts: this local month and the last 12.

    Both are whole local calendar months in the organization's zone (this month and the
    eleven before it), upcoming accepted shifts of this month included, counted as the
    reports count them (``apps.planning.publication.reports``: on the local day a shift
    starts, real elapsed time minus the break, cancelled shifts left out). One query.
    """
    from apps.planning.publication.reports import local_day_bounds, paid_minutes
    from apps.planning.publication.selectors import accepted_assignments

    organization = artist.organization
    today = timezone.localtime(now or timezone.now(), organization.tzinfo).date()
    month_first = today.replace(day=1)
    month_last = _months_back(month_first, -1) - timedelta(days=1)
    year_first = _months_back(month_first, 11)
    start, end = local_day_bounds(year_first, month_last, organization)
    month_start, _ = local_day_bounds(month_first, month_last, organization)
    month_minutes = year_minutes = month_shifts = year_shifts = 0
    for row in accepted_assignments(artist=artist, start=start, end=end):
        minutes = paid_minutes(row.shift)
        year_minutes += minutes
        year_shifts += 1
        if row.shift.start_at >= month_start:
            month_minutes += minutes
            month_shifts += 1
    year_hours = round(year_minutes / 60, 2)
    intermittent = artist.employment_type == EmploymentType.INTERMITTENT
    return {
        "timezone": organization.timezone,
        "month": HoursTotal(month_first, month_last, round(month_minutes / 60, 2), month_shifts),
        "last_12_months": HoursTotal(year_first, month_last, year_hours, year_shifts),
        "intermittent_threshold": (
            {
                "threshold": INTERMITTENT_THRESHOLD_HOURS,
                "reached": year_hours >= INTERMITTENT_THRESHOLD_HOURS,
            }
            if intermittent
            else None
        ),
    }
