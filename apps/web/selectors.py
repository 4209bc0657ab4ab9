"""Reads for the pages: who fits a shift, and who the logged-in crew member is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from apps.crew.models import Artist, Availability
from apps.orgs.models import Organization, User
from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    free: bool
    skilled: bool
    hours_this_week: float

    @property
    def rank(self) -> tuple[bool, bool, float, str]:
        return (not self.free, not self.skilled, self.hours_this_week, self.name)


def local_week(organization: Organization, instant: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the organization's zone, around an instant."""
    tz = organization.tzinfo
    local_day = instant.astimezone(tz).date()
    monday = local_day - timedelta(days=local_day.weekday())
    start = datetime.combine(monday, time(0), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
    return start, end


def shift_candidates(*, shift: Shift, limit: int = 30) -> list[Candidate]:
    """Active artists ranked by fit: free first, then skilled, then fewest hours this week.

    A fixed number of set-based queries whatever the size of the crew.
    """
    organization = shift.organization
    required = set(shift.role.required_skills.values_list("id", flat=True))
    artists = Artist.objects.filter(organization=organization, is_active=True).prefetch_related(
        "skills"
    )
    active = Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    on_shift = set(active.filter(shift=shift).values_list("artist_id", flat=True))
    busy = set(
        active.filter(start_at__lt=shift.end_at, end_at__gt=shift.start_at).values_list(
            "artist_id", flat=True
        )
    )
    absent = set(
        Availability.objects.filter(
            organization=organization,
            kind="unavailable",
            status="approved",
            start_at__lt=shift.end_at,
            end_at__gt=shift.start_at,
        ).values_list("artist_id", flat=True)
    )
    week_start, week_end = local_week(organization, shift.start_at)
    hours: dict[object, float] = defaultdict(float)
    for artist_id, start, end in active.filter(
        start_at__gte=week_start, start_at__lt=week_end
    ).values_list("artist_id", "start_at", "end_at"):
        hours[artist_id] += (end - start).total_seconds() / 3600
    candidates = [
        Candidate(
            id=str(artist.id),
            name=artist.full_name,
            free=artist.id not in busy and artist.id not in absent,
            skilled=required <= {skill.id for skill in artist.skills.all()},
            hours_this_week=round(hours[artist.id], 1),
        )
        for artist in artists
        if artist.id not in on_shift
    ]
    return sorted(candidates, key=lambda c: c.rank)[:limit]


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
