"""The synthetic month of ``bench_planning`` (and of the planning tests that need volume).

A realistic month built with ``bulk_create`` in one organization: crews that mostly fit,
with some short rests, long weeks, missing skills, absences, pending requests and
declared windows among them. Seeded, so every build is the same planning. No two active
assignments of an artist overlap (PostgreSQL's exclusion constraint would refuse them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from apps.core.db import analyze
from apps.crew.models import Artist, Availability, Skill
from apps.orgs.models import MemberRole, Membership, Organization, User
from apps.planning.models import (
    Assignment,
    Mission,
    Project,
    Role,
    Shift,
    StoredConflict,
    Venue,
)
from apps.planning.rules import stored
from apps.planning.rules.wording import week_monday

BENCH_SLUG = "bench-planning"
BENCH_OWNER = "bench-owner@bench.invalid"
FIRST_DAY = date(2026, 3, 1)  # a month with a daylight-saving change (29 March)


@dataclass(frozen=True)
class BenchSize:
    artists: int
    days: int
    shifts_per_day: int
    per_shift: int = 2

    def scaled(self, factor: int) -> BenchSize:
        """``factor`` times the shifts and the crew: the same work per artist, more of it."""
        return BenchSize(
            artists=self.artists * factor,
            days=self.days,
            shifts_per_day=self.shifts_per_day * factor,
            per_shift=self.per_shift,
        )


SIZES = {
    "small": BenchSize(artists=24, days=7, shifts_per_day=12),
    "medium": BenchSize(artists=300, days=10, shifts_per_day=100),
    "large": BenchSize(artists=300, days=31, shifts_per_day=97),
    # The large demo's month in shifts (~3,500): the 1× of ``bench_planning --scale``.
    "demo": BenchSize(artists=300, days=31, shifts_per_day=113),
}


def synthetic_organization(
    *, size_name: str, size: BenchSize | None = None, first_day: date = FIRST_DAY
) -> Organization:
    """The bench organization of that size (``bench-planning-large``), built once, reused.

    ``size`` overrides ``SIZES[size_name]`` (a scaled size names itself ``large-x8``).
    Built in one transaction, so an interrupted build leaves nothing to half-reuse.
    """
    slug = f"{BENCH_SLUG}-{size_name}"
    organization = Organization.objects.filter(slug=slug).first()
    if organization is not None:
        _conflicts_stored(organization)
        return organization
    with transaction.atomic():
        organization = Organization.objects.create(
            name=f"Bench Planning ({size_name})", slug=slug, timezone="Europe/Paris"
        )
        owner, _ = User.objects.get_or_create(email=BENCH_OWNER)
        Membership.objects.create(organization=organization, user=owner, role=MemberRole.OWNER)
        build_month(organization=organization, size=size or SIZES[size_name], first_day=first_day)
    analyze((Shift, Assignment, Availability, Artist, Mission))
    _conflicts_stored(organization)
    return organization


def _conflicts_stored(organization: Organization) -> None:
    """Store the month's conflicts, as a deployment keeps them (``rules.stored``): rows
    written in bulk bypass the services that keep them, and without them every read would
    run the rules itself (the fallback while a recompute is pending), not what users get."""
    if stored.state_of(organization) != stored.FRESH:
        stored.recompute_organization(organization)
        analyze((StoredConflict,))


def build_month(
    *, organization: Organization, size: BenchSize, first_day: date, seed: int = 7
) -> None:
    """A month a planner could have made: crews mostly skilled, rested and available,
    with a few careless picks (about 3 % of seats) that make the conflicts to find."""
    rng = random.Random(seed)  # noqa: S311 - data, not secrets
    catalog = _catalog(organization)
    crew = _artists(organization, size.artists, catalog["skills"], rng)
    windows = _availabilities(organization, crew.artists, first_day, size.days, rng)
    shifts = _shifts(organization, size, first_day, catalog, rng)
    _assignments(organization, shifts, crew, windows, size.per_shift, rng)


@dataclass
class Crew:
    artists: list[Artist]
    skills: dict[Any, set[Any]]
    required: dict[Any, Any]  # role id -> the skill it requires


@dataclass
class Windows:
    absences: dict[Any, list[tuple[datetime, datetime]]]
    available: dict[Any, list[tuple[datetime, datetime]]]

    def fits(self, artist_id: Any, start: datetime, end: datetime) -> bool:
        if any(a < end and start < b for a, b in self.absences.get(artist_id, ())):
            return False
        declared = self.available.get(artist_id)
        return declared is None or any(a <= start and end <= b for a, b in declared)


def _catalog(organization: Organization) -> dict[str, list[Any]]:
    skills = Skill.objects.bulk_create(
        [Skill(organization=organization, name=f"Bench skill {n}") for n in range(8)]
    )
    roles = Role.objects.bulk_create(
        [Role(organization=organization, name=f"Bench role {n}") for n in range(10)]
    )
    Role.required_skills.through.objects.bulk_create(
        [
            Role.required_skills.through(role_id=role.pk, skill_id=skills[n].pk)
            for n, role in enumerate(roles)
            if n < 8
        ]
    )
    venues = Venue.objects.bulk_create(
        [Venue(organization=organization, name=f"Bench venue {n}") for n in range(4)]
    )
    colors = ("#e4572e", "#29335c", "#f3a712")
    projects = Project.objects.bulk_create(
        [
            Project(organization=organization, name=f"Bench tour {n}", color=colors[n])
            for n in range(3)
        ]
    )
    start = datetime.combine(FIRST_DAY - timedelta(days=7), datetime.min.time(), UTC)
    missions = Mission.objects.bulk_create(
        [
            Mission(
                organization=organization,
                project=project,
                venue=venue,
                name=f"{project.name} at {venue.name}",
                start_at=start,
                end_at=start + timedelta(days=60),
            )
            for project in projects
            for venue in venues
        ]
    )
    return {"skills": skills, "roles": roles, "missions": missions}


def _artists(organization: Organization, count: int, skills: list[Any], rng: random.Random) -> Crew:
    artists = Artist.objects.bulk_create(
        [
            Artist(
                organization=organization,
                first_name=f"Crew{n:03d}",
                last_name=f"Bench{n % 17:02d}",
                email=f"crew{n}@bench.invalid",
            )
            for n in range(count)
        ]
    )
    held = {artist.pk: {skill.pk for skill in rng.sample(skills, 3)} for artist in artists}
    Artist.skills.through.objects.bulk_create(
        [
            Artist.skills.through(artist_id=artist_id, skill_id=skill_id)
            for artist_id, skill_ids in held.items()
            for skill_id in skill_ids
        ]
    )
    required = dict(
        Role.required_skills.through.objects.filter(role__organization=organization).values_list(
            "role_id", "skill_id"
        )
    )
    return Crew(artists, held, required)


def _shifts(
    organization: Organization,
    size: BenchSize,
    first_day: date,
    catalog: dict[str, list[Any]],
    rng: random.Random,
) -> list[Shift]:
    zone = organization.tzinfo
    shifts = []
    for day in range(size.days):
        local_day = first_day + timedelta(days=day)
        for _ in range(size.shifts_per_day):
            hour = rng.choice((6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20, 21))
            hours = rng.choice((4, 5, 6, 7, 8, 9, 10))
            start = datetime(local_day.year, local_day.month, local_day.day, hour, tzinfo=zone)
            mission = rng.choice(catalog["missions"])
            long_break = 0 if rng.random() < 0.05 else rng.choice((30, 45, 60))
            shifts.append(
                Shift(
                    organization=organization,
                    mission=mission,
                    venue_id=mission.venue_id,
                    role=rng.choice(catalog["roles"]),
                    start_at=start.astimezone(UTC),
                    end_at=(start + timedelta(hours=hours)).astimezone(UTC),
                    headcount=size.per_shift,
                    max_headcount=size.per_shift + 1,
                    break_minutes=0 if hours <= 6 else long_break,
                    status=rng.choice(("draft", "published", "published")),
                )
            )
    return Shift.objects.bulk_create(shifts, batch_size=5000)


def _assignments(
    organization: Organization,
    shifts: list[Shift],
    crew: Crew,
    windows: Windows,
    per_shift: int,
    rng: random.Random,
) -> None:
    """Greedy crews: by start time, each seat takes a sampled artist who fits.

    ``free_at`` is the end of an artist's last shift so far, so no two of an artist's
    assignments overlap (PostgreSQL would refuse them). A careless pick only checks that.
    """
    free_at: dict[Any, datetime] = {}
    rest = timedelta(hours=11)
    rows = []
    for shift in sorted(shifts, key=lambda item: item.start_at):
        need = crew.required.get(shift.role_id)
        chosen: list[Artist] = []
        for artist in rng.sample(crew.artists, min(len(crew.artists), 24)):
            last = free_at.get(artist.pk)
            if last is not None and last > shift.start_at:
                continue
            careless = rng.random() < 0.01
            fits = (
                (last is None or last + rest <= shift.start_at)
                and (need is None or need in crew.skills[artist.pk])
                and windows.fits(artist.pk, shift.start_at, shift.end_at)
            )
            if fits or careless:
                chosen.append(artist)
            if len(chosen) == per_shift:
                break
        for artist in chosen:
            free_at[artist.pk] = shift.end_at
            rows.append(
                Assignment(
                    organization=organization,
                    shift=shift,
                    artist=artist,
                    status=rng.choice(("proposed", "invited", "accepted", "accepted")),
                    start_at=shift.start_at,
                    end_at=shift.end_at,
                )
            )
    Assignment.objects.bulk_create(rows, batch_size=5000)


def _availabilities(
    organization: Organization,
    artists: list[Artist],
    first_day: date,
    days: int,
    rng: random.Random,
) -> Windows:
    """Absences for a tenth of the crew, pending requests for a twentieth, and weekday
    windows (Monday to Friday) declared by another tenth."""
    zone = organization.tzinfo
    rows = []
    windows = Windows({}, {})
    for artist in artists:
        draw = rng.random()
        day = first_day + timedelta(days=rng.randrange(days))
        start = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
        if draw < 0.10:
            rows.append(_window(organization, artist, start, 2, "unavailable", "approved"))
            windows.absences.setdefault(artist.pk, []).append((start, rows[-1].end_at))
        elif draw < 0.15:
            rows.append(_window(organization, artist, start, 1, "unavailable", "pending"))
        elif draw < 0.25:
            monday = week_monday(first_day)
            for week in range(0, days + 7, 7):
                begin = datetime.combine(monday + timedelta(days=week), datetime.min.time(), zone)
                window = _window(
                    organization, artist, begin.astimezone(UTC), 5, "available", "approved"
                )
                rows.append(window)
                windows.available.setdefault(artist.pk, []).append((window.start_at, window.end_at))
    Availability.objects.bulk_create(rows)
    return windows


def _window(
    organization: Organization, artist: Artist, start: datetime, days: int, kind: str, status: str
) -> Availability:
    return Availability(
        organization=organization,
        artist=artist,
        start_at=start,
        end_at=start + timedelta(days=days),
        kind=kind,
        status=status,
        reason="leave" if kind == "unavailable" else "",
    )
