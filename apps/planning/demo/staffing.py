"""Greedy, overlap-free staffing of the demo shifts, and the conflicts shown on purpose."""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.crew.models import Artist, Availability, AvailabilityKind, AvailabilityStatus
from apps.orgs.models import Organization
from apps.planning.demo.month import MAX_WEEK_HOURS, MIN_REST, PUBLISHED_WEEKS
from apps.planning.models import Assignment, AssignmentSource, AssignmentStatus, Shift, ShiftStatus


@dataclass
class Candidate:
    """An artist as the greedy sees them: skills, booked intervals, absences, windows."""

    id: UUID
    skills: frozenset[UUID]
    starts: list[datetime] = field(default_factory=list)
    ends: list[datetime] = field(default_factory=list)
    absences: list[tuple[datetime, datetime]] = field(default_factory=list)
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)
    week_hours: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    load: int = 0

    def overlaps(self, start: datetime, end: datetime, rest: timedelta) -> bool:
        """Whether ``[start, end)`` overlaps a booked interval widened by ``rest``."""
        index = bisect.bisect_left(self.starts, start)
        if index > 0 and self.ends[index - 1] + rest > start:
            return True
        return index < len(self.starts) and end + rest > self.starts[index]

    def absent(self, shift: Shift) -> bool:
        return any(a < shift.end_at and shift.start_at < b for a, b in self.absences)

    def inside_windows(self, shift: Shift) -> bool:
        """No declared window means available any time."""
        if not self.windows:
            return True
        return any(a <= shift.start_at and shift.end_at <= b for a, b in self.windows)

    def may_take(self, shift: Shift, week: int) -> bool:
        return (
            not self.overlaps(shift.start_at, shift.end_at, MIN_REST)
            and not self.absent(shift)
            and self.inside_windows(shift)
            and self.week_hours[week] + hours(shift) <= MAX_WEEK_HOURS
        )

    def book(self, shift: Shift, week: int) -> None:
        index = bisect.bisect_left(self.starts, shift.start_at)
        self.starts.insert(index, shift.start_at)
        self.ends.insert(index, shift.end_at)
        self.week_hours[week] += hours(shift)
        self.load += 1


def _plan_order(shift: Shift) -> tuple[datetime, str, str]:
    """Ids are random: order by what the plan fixes, so the same seed gives the same month."""
    template_name = shift.template.name if shift.template else ""
    return shift.start_at, template_name, shift.mission.name


def hours(shift: Shift) -> float:
    return (shift.end_at - shift.start_at).total_seconds() / 3600


def load_candidates(organization: Organization) -> list[Candidate]:
    """Active artists with their skills, absences (approved or pending) and windows."""
    artists = {
        artist.pk: Candidate(id=artist.pk, skills=frozenset(s.pk for s in artist.skills.all()))
        for artist in Artist.objects.filter(organization=organization, is_active=True)
        .prefetch_related("skills")
        .order_by("last_name", "first_name", "email")
    }
    entries = Availability.objects.filter(organization=organization, artist_id__in=artists).exclude(
        status=AvailabilityStatus.REJECTED
    )
    for entry in entries:
        candidate = artists[entry.artist_id]
        if entry.kind == AvailabilityKind.UNAVAILABLE:
            candidate.absences.append((entry.start_at, entry.end_at))
        elif entry.status == AvailabilityStatus.APPROVED:
            candidate.windows.append((entry.start_at, entry.end_at))
    return list(artists.values())


@dataclass
class Staffer:
    """Fills shifts with assignments; deterministic for a given seed."""

    organization: Organization
    monday: date
    zone: ZoneInfo
    artists: list[Candidate]
    rng: random.Random
    created_by: Any
    skill_of_role: dict[UUID, UUID]
    now: datetime = field(default_factory=timezone.now)
    assignments: list[Assignment] = field(default_factory=list)
    active: dict[UUID, int] = field(default_factory=lambda: defaultdict(int))

    def week(self, shift: Shift) -> int:
        return (shift.start_at.astimezone(self.zone).date() - self.monday).days // 7

    def published(self, shift: Shift) -> bool:
        return self.week(shift) < PUBLISHED_WEEKS

    def qualified(self, shift: Shift) -> list[Candidate]:
        skill = self.skill_of_role[shift.role_id]
        return [a for a in self.artists if skill in a.skills]

    def staff(self, shifts: Sequence[Shift]) -> None:
        for shift in sorted(shifts, key=_plan_order):
            if shift.status == ShiftStatus.CANCELLED:
                self._cancelled_slots(shift)
                continue
            self._fill(shift)

    def _fill(self, shift: Shift) -> None:
        week = self.week(shift)
        pool = self.qualified(shift)
        self.rng.shuffle(pool)
        free = sorted((a for a in pool if a.may_take(shift, week)), key=lambda a: a.load)
        taken = free[: shift.headcount]
        for artist in taken:
            artist.book(shift, week)
            self.add(shift, artist.id, self._status(shift))
        self._refusals(shift, [a for a in pool if a not in taken])

    def _status(self, shift: Shift) -> str:
        if not self.published(shift):
            return AssignmentStatus.PROPOSED
        draw = self.rng.random()
        if draw < 0.7:
            return AssignmentStatus.ACCEPTED
        return AssignmentStatus.INVITED if draw < 0.88 else AssignmentStatus.PROPOSED

    def _refusals(self, shift: Shift, others: list[Candidate]) -> None:
        """Somebody declined (or was cancelled) before the slot was filled by another."""
        if not others:
            return
        draw = self.rng.random()
        if draw < 0.15:
            self.add(shift, others[0].id, AssignmentStatus.DECLINED)
        elif draw < 0.2:
            self.add(shift, others[0].id, AssignmentStatus.CANCELLED)

    def _cancelled_slots(self, shift: Shift) -> None:
        for artist in self.qualified(shift)[: shift.headcount]:
            self.add(shift, artist.id, AssignmentStatus.CANCELLED, note="Shift cancelled.")

    def add(self, shift: Shift, artist_id: UUID, status: str, note: str = "") -> Assignment:
        proposed = status == AssignmentStatus.PROPOSED
        assignment = Assignment(
            organization=self.organization,
            shift=shift,
            artist_id=artist_id,
            status=status,
            start_at=shift.start_at,
            end_at=shift.end_at,
            source=AssignmentSource.AUTO
            if proposed and self.rng.random() < 0.4
            else AssignmentSource.MANUAL,
            locked=status == AssignmentStatus.ACCEPTED and self.rng.random() < 0.1,
            status_changed_at=None if proposed else self.now,
            created_by=self.created_by,
            note=note,
        )
        self.assignments.append(assignment)
        if status in (
            AssignmentStatus.PROPOSED,
            AssignmentStatus.INVITED,
            AssignmentStatus.ACCEPTED,
        ):
            self.active[shift.pk] += 1
        return assignment

    def has_room(self, shift: Shift) -> bool:
        return self.active[shift.pk] < shift.max_headcount


# --- Conflicts on purpose ----------------------------------------------------------


def _outside_windows(staffer: Staffer, drafts: list[Shift], wanted: int = 2) -> int:
    """Book artists who declared windows outside them (soft ``outside_availability``)."""
    done = 0
    for artist in (a for a in staffer.artists if a.windows):
        shift = next(
            (
                s
                for s in drafts
                if staffer.skill_of_role[s.role_id] in artist.skills
                and not artist.inside_windows(s)
                and not artist.overlaps(s.start_at, s.end_at, MIN_REST)
                and not artist.absent(s)
                and staffer.has_room(s)
            ),
            None,
        )
        if shift is None:
            continue
        artist.book(shift, staffer.week(shift))
        staffer.add(shift, artist.id, AssignmentStatus.PROPOSED, note="Outside declared window.")
        done += 1
        if done == wanted:
            break
    return done


def _short_rest(staffer: Staffer, drafts: list[Shift]) -> int:
    """One *proposed* booking 1-9 h after another of the artist (hard ``min_rest``).

    Both bookings are in the draft weeks, so publishing the first weeks is not blocked.
    """
    drafts = sorted(drafts, key=lambda s: s.start_at)
    starts = [s.start_at for s in drafts]
    first_draft_day = staffer.monday + timedelta(days=7 * PUBLISHED_WEEKS)
    for artist in staffer.artists:
        for end in artist.ends:
            if end.astimezone(staffer.zone).date() < first_draft_day:
                continue
            low = bisect.bisect_left(starts, end + timedelta(hours=1))
            high = bisect.bisect_left(starts, end + timedelta(hours=9))
            for shift in drafts[low:high]:
                if (
                    staffer.skill_of_role[shift.role_id] in artist.skills
                    and not artist.overlaps(shift.start_at, shift.end_at, timedelta(0))
                    and not artist.absent(shift)
                    and staffer.has_room(shift)
                ):
                    artist.book(shift, staffer.week(shift))
                    note = "Short rest (demo)."
                    staffer.add(shift, artist.id, AssignmentStatus.PROPOSED, note=note)
                    return 1
    return 0


def add_deliberate_conflicts(staffer: Staffer, drafts: list[Shift]) -> int:
    """The conflicts the demo shows on purpose; returns how many were added."""
    return _outside_windows(staffer, drafts) + _short_rest(staffer, drafts)
