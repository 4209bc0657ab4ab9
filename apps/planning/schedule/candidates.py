"""Who could work a shift, best fit first: the board's "assign" list.

Fit is decided by the rule code, through ``conflicts_per_candidate``: the very check a
preview or a write makes. A candidate shown as fitting therefore passes the preview, and
every candidate carries the conflicts it would cause, so the board can say why one does
not fit. Ranking: no hard conflict first (then, among the others, those free at that time
before those who are not), then fewest soft conflicts, then those with the role's skills,
then fewest hours this local week, then by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from apps.planning.rules.conflicts import ConflictPayload, conflicts_per_candidate

# A hard conflict that is about the person's skills rather than his or her time.
SKILL_RULE = "missing_skill"


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    skilled: bool
    hours_this_week: float
    conflicts: list[ConflictPayload]

    @property
    def fits(self) -> bool:
        """No hard conflict: assigning this person would be accepted."""
        return not any(conflict["type"] == "hard" for conflict in self.conflicts)

    @property
    def free(self) -> bool:
        """Free at that time: no hard conflict other than a missing skill."""
        return not any(
            conflict["type"] == "hard" and conflict["rule"] != SKILL_RULE
            for conflict in self.conflicts
        )

    @property
    def rank(self) -> tuple[Any, ...]:
        soft = sum(conflict["type"] == "soft" for conflict in self.conflicts)
        return (
            not self.fits,
            not self.free,
            soft,
            not self.skilled,
            self.hours_this_week,
            self.name,
        )


def local_week(organization: Organization, instant: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the organization's zone, around an instant."""
    tz = organization.tzinfo
    local_day = instant.astimezone(tz).date()
    monday = local_day - timedelta(days=local_day.weekday())
    start = datetime.combine(monday, time(0), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
    return start, end


def shift_candidates(
    *, shift: Shift, limit: int = 30, qualified_only: bool = False
) -> list[Candidate]:
    """Active artists not already on the shift, ranked by fit (see the module docstring).

    A fixed number of set-based queries whatever the size of the crew.
    """
    organization = shift.organization
    required = set(shift.role.required_skills.values_list("id", flat=True))
    active = Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    on_shift = set(active.filter(shift=shift).values_list("artist_id", flat=True))
    artists = [
        artist
        for artist in Artist.objects.filter(
            organization=organization, is_active=True
        ).prefetch_related("skills")
        if artist.id not in on_shift
    ]
    skilled = {a.id for a in artists if required <= {skill.id for skill in a.skills.all()}}
    if qualified_only:
        artists = [artist for artist in artists if artist.id in skilled]
    conflicts = conflicts_per_candidate(
        organization=organization, shift_id=shift.pk, artist_ids=[a.id for a in artists]
    )
    hours = _hours_this_week(organization, shift, active)
    candidates = [
        Candidate(
            id=str(artist.id),
            name=artist.full_name,
            skilled=artist.id in skilled,
            hours_this_week=round(hours[artist.id], 1),
            conflicts=conflicts.get(str(artist.id), []),
        )
        for artist in artists
    ]
    return sorted(candidates, key=lambda candidate: candidate.rank)[:limit]


def _hours_this_week(organization: Organization, shift: Shift, active: Any) -> dict[object, float]:
    week_start, week_end = local_week(organization, shift.start_at)
    hours: dict[object, float] = defaultdict(float)
    for artist_id, start, end in active.filter(
        start_at__gte=week_start, start_at__lt=week_end
    ).values_list("artist_id", "start_at", "end_at"):
        hours[artist_id] += (end - start).total_seconds() / 3600
    return hours
