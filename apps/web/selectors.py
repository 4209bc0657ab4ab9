"""Reads for the pages: who the logged-in crew member is and what he or she was told."""

from __future__ import annotations

from datetime import datetime

from apps.crew.models import Artist
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
