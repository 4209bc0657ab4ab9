"""Realistic auto-assign problems for tests and the benchmark.

Tours (a venue every day or two: load-in in the morning, set-up, show in the evening and a
load-out that crosses midnight) and festivals (several stages over a few days) share one
crew pool over a few weeks in Europe/Paris, always spanning the end-of-March change to
summer time. Crew members have a primary skill drawn in proportion to the demand and
secondary skills that go together in the trade (riggers are often stage hands, sound
engineers often do video). Some are absent for a few days, some declared availability
windows, a few pairs are locked. Demand is slightly above what the crew can cover, so the
assignment choices matter. Everything derives from the seed: same seed, same problem.

Version 2 problems (duty periods) add the split days that version 1 could not staff: short
early get-ins and afternoon rehearsals beside the load-in, set-up, show and load-out, with
the limits of FORMAT.md's example (rest 11 h, duty span 13 h, duty work 12 h). A version 1
problem is generated exactly as before (same seed, same document).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .duty import DutyRules, period_with
from .intervals import conflicts
from .problem import FORMAT_V1, FORMAT_V2, Window

Size = Literal["small", "medium", "large"]
SKILLS = ("rigging", "stage", "light", "sound", "video", "wardrobe", "driver")
TIMEZONE = "Europe/Paris"
DST_SUNDAY = date(2026, 3, 29)

# Skills that a crew member with the key as primary skill often also has.
AFFINITY: dict[str, tuple[str, ...]] = {
    "rigging": ("stage", "light", "driver"),
    "stage": ("rigging", "wardrobe", "driver"),
    "light": ("rigging", "video", "stage"),
    "sound": ("video", "stage", "light"),
    "video": ("sound", "light"),
    "wardrobe": ("stage",),
    "driver": ("stage", "rigging"),
}


@dataclass(frozen=True)
class SizeSpec:
    """Target size: crew, shifts and the horizon over which they are spread."""

    artists: int
    shifts: int
    days: int
    first_day: date


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(artists=45, shifts=300, days=18, first_day=date(2026, 3, 16)),
    "medium": SizeSpec(artists=120, shifts=1100, days=18, first_day=date(2026, 3, 16)),
    "large": SizeSpec(artists=310, shifts=3400, days=20, first_day=date(2026, 3, 9)),
}
SIZES_V2: dict[str, SizeSpec] = {
    "small": SizeSpec(artists=40, shifts=300, days=18, first_day=date(2026, 3, 16)),
    "medium": SizeSpec(artists=92, shifts=1100, days=18, first_day=date(2026, 3, 16)),
    "large": SizeSpec(artists=225, shifts=3400, days=20, first_day=date(2026, 3, 9)),
}
RULES_V1 = {"min_rest_minutes": 660, "max_week_minutes": 2880}
RULES_V2 = {
    "min_rest_minutes": 660,
    "max_duty_span_minutes": 780,
    "max_duty_work_minutes": 720,
    "max_week_minutes": 2880,
}


@dataclass(frozen=True)
class Role:
    """One line of a day sheet: a part of the day, the skills it needs, a headcount range."""

    part: str
    skills: tuple[str, ...]
    headcount: tuple[int, int]
    probability: float = 1.0


# (start hour local, start minute jitter choices, duration minutes range) per part of day.
PARTS: dict[str, tuple[int, tuple[int, ...], tuple[int, int]]] = {
    "load-in": (7, (0, 30, 60), (300, 420)),
    "setup": (9, (0, 30, 60), (360, 480)),
    "show": (18, (0, 30, 60), (240, 330)),
    "load-out": (22, (30, 60, 90), (210, 300)),
    "get-in": (6, (0, 30, 60), (180, 240)),
    "rehearsal": (13, (0, 30, 60, 90), (150, 240)),
}

ROLES: tuple[Role, ...] = (
    Role("load-in", ("rigging",), (1, 3)),
    Role("load-in", ("stage",), (1, 3)),
    Role("load-in", ("driver",), (1, 1), 0.4),
    Role("setup", ("light",), (1, 2)),
    Role("setup", ("sound",), (1, 2)),
    Role("setup", ("video",), (1, 1), 0.5),
    Role("setup", ("light", "rigging"), (1, 2), 0.35),
    Role("show", ("light",), (1, 2)),
    Role("show", ("sound",), (1, 2)),
    Role("show", ("stage",), (1, 3)),
    Role("show", ("wardrobe",), (1, 2), 0.6),
    Role("show", ("video",), (1, 1), 0.5),
    Role("show", ("sound", "video"), (1, 1), 0.2),
    Role("load-out", ("rigging",), (1, 3)),
    Role("load-out", ("stage",), (1, 3)),
    Role("load-out", ("driver",), (1, 1), 0.5),
    Role("load-out", ("stage", "driver"), (1, 1), 0.2),
    Role("get-in", ("stage",), (1, 2)),
    Role("get-in", ("rigging",), (1, 2), 0.6),
    Role("get-in", ("driver",), (1, 1), 0.4),
    Role("rehearsal", ("light",), (1, 1)),
    Role("rehearsal", ("sound",), (1, 1)),
    Role("rehearsal", ("video",), (1, 1), 0.4),
    Role("rehearsal", ("stage",), (1, 2), 0.5),
)
SPLIT_PARTS: dict[str, float] = {"get-in": 0.5, "rehearsal": 0.6}
"""Version 2 only: how often a day sheet also has an early get-in or a rehearsal."""


def generate(size: Size | str, seed: int, version: int = 1) -> dict[str, Any]:
    """A problem dict in the ``crew-autoassign/<version>`` format, deterministic for
    ``seed``; version 2 has split days (see the module doc)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    if version not in (1, 2):
        raise ValueError(f"version must be 1 or 2, got {version!r}")
    split = version == 2
    spec = SIZES_V2[size] if split else SIZES[size]
    key = f"{size}-{seed}-v2" if split else f"{size}-{seed}"
    rng = random.Random(key)  # noqa: S311 (test data, not secrets)
    zone = ZoneInfo(TIMEZONE)
    shifts = _shifts(spec, rng, zone, split)
    artists = _artists(spec, rng, zone, shifts)
    locked = _locked(rng, shifts, artists, split)
    return {
        "format": FORMAT_V2 if split else FORMAT_V1,
        "name": f"{size}-{seed}" + ("-v2" if split else ""),
        "timezone": TIMEZONE,
        "rules": dict(RULES_V2 if split else RULES_V1),
        "artists": [_artist_json(artist) for artist in artists],
        "shifts": [_shift_json(shift) for shift in shifts],
        "locked": locked,
    }


@dataclass
class _Shift:
    id: str
    window: Window
    skills: tuple[str, ...]
    headcount: int
    label: str


@dataclass
class _Artist:
    id: str
    skills: tuple[str, ...]
    unavailable: list[Window]
    available: list[Window] | None
    day_rate: int


def _instant(day: date, hour: int, minute: int, zone: ZoneInfo) -> int:
    local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(
        hours=hour, minutes=minute
    )
    return int(local.timestamp())


def _iso(instant: int) -> str:
    return datetime.fromtimestamp(instant, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shifts(spec: SizeSpec, rng: random.Random, zone: ZoneInfo, split: bool) -> list[_Shift]:
    """Add productions (tour legs and festivals) until the target number of shifts is
    reached, then drop a random surplus so that the count is exact and demand stays even
    over the horizon."""
    shifts: list[_Shift] = []
    load: Counter[date] = Counter()
    production = 0
    while len(shifts) < spec.shifts:
        production += 1
        if rng.random() < 0.65:
            days = _tour_days(spec, rng, load)
        else:
            days = _festival_days(spec, rng, load)
        for venue, day, parts in days:
            if split:
                parts = _with_split_parts(rng, parts)
            for part in parts:
                sheet = _day_sheet(rng, zone, f"p{production} {venue}", day, part)
                load[day] += len(sheet)
                shifts.extend(sheet)
    shifts = rng.sample(shifts, spec.shifts)
    shifts.sort(key=lambda shift: (shift.window.start, shift.label))
    for number, shift in enumerate(shifts, start=1):
        shift.id = f"s{number:05d}"
    return shifts


def _with_split_parts(rng: random.Random, parts: tuple[str, ...]) -> tuple[str, ...]:
    """An early get-in before the load-in or set-up, a rehearsal before the show."""
    extra = [part for part, chance in SPLIT_PARTS.items() if rng.random() < chance]
    if "show" not in parts and "rehearsal" in extra:
        extra.remove("rehearsal")
    order = ("get-in", "load-in", "setup", "rehearsal", "show", "load-out")
    return tuple(part for part in order if part in parts or part in extra)


def _quiet_start(spec: SizeSpec, rng: random.Random, load: Counter[date], length: int) -> date:
    """The least busy of a few random start days: a company books productions where its
    crew is free, which keeps the demand roughly even over the horizon."""
    latest = max(1, spec.days - length + 1)
    starts = [spec.first_day + timedelta(days=rng.randrange(latest)) for _ in range(4)]
    return min(
        starts, key=lambda start: sum(load[start + timedelta(days=d)] for d in range(length))
    )


def _tour_days(
    spec: SizeSpec, rng: random.Random, load: Counter[date]
) -> list[tuple[str, date, tuple[str, ...]]]:
    """A tour leg of three to eight days: one- or two-day venues, sometimes a day off."""
    length = rng.randint(3, 8)
    day = _quiet_start(spec, rng, load, length)
    last = min(day + timedelta(days=length - 1), spec.first_day + timedelta(days=spec.days - 1))
    days: list[tuple[str, date, tuple[str, ...]]] = []
    venue = 0
    while day <= last:
        venue += 1
        if rng.random() < 0.3 and day < last:
            days.append((f"v{venue}", day, ("load-in", "setup", "show")))
            days.append((f"v{venue}", day + timedelta(days=1), ("show", "load-out")))
            day += timedelta(days=2)
        else:
            days.append((f"v{venue}", day, ("load-in", "setup", "show", "load-out")))
            day += timedelta(days=1)
        if rng.random() < 0.2:
            day += timedelta(days=1)
    return days


def _festival_days(
    spec: SizeSpec, rng: random.Random, load: Counter[date]
) -> list[tuple[str, date, tuple[str, ...]]]:
    """A festival: two or three stages over three to five days."""
    length = rng.randint(3, 5)
    first = _quiet_start(spec, rng, load, length)
    days: list[tuple[str, date, tuple[str, ...]]] = []
    for stage in range(rng.randint(2, 3)):
        for offset in range(length):
            parts = ["setup", "show"]
            if offset == 0:
                parts.insert(0, "load-in")
            if offset == length - 1:
                parts.append("load-out")
            days.append((f"fest stage{stage + 1}", first + timedelta(days=offset), tuple(parts)))
    return days


def _day_sheet(
    rng: random.Random, zone: ZoneInfo, where: str, day: date, part: str
) -> list[_Shift]:
    hour, jitters, (shortest, longest) = PARTS[part]
    start = _instant(day, hour, rng.choice(jitters), zone)
    duration = 60 * rng.randrange(shortest, longest + 1, 30)
    shifts: list[_Shift] = []
    for role in ROLES:
        if role.part != part or rng.random() >= role.probability:
            continue
        shifts.append(
            _Shift(
                id="",
                window=Window(start, start + duration),
                skills=role.skills,
                headcount=rng.randint(*role.headcount),
                label=f"{where} {day.isoformat()} {part} {'+'.join(role.skills)}",
            )
        )
    return shifts


def _artists(
    spec: SizeSpec, rng: random.Random, zone: ZoneInfo, shifts: list[_Shift]
) -> list[_Artist]:
    """Primary skills in proportion to demand, secondary skills by affinity."""
    demand: Counter[str] = Counter()
    for shift in shifts:
        for skill in shift.skills:
            demand[skill] += shift.headcount
    weights = [demand[skill] for skill in SKILLS]
    artists: list[_Artist] = []
    for number in range(1, spec.artists + 1):
        primary = rng.choices(SKILLS, weights=weights)[0]
        extra = rng.choices((0, 1, 2), weights=(0.3, 0.5, 0.2))[0]
        secondary = rng.sample(AFFINITY[primary], min(extra, len(AFFINITY[primary])))
        artists.append(
            _Artist(
                id=f"a{number:04d}",
                skills=tuple(sorted({primary, *secondary})),
                unavailable=_absences(spec, rng, zone),
                available=_declared_availability(spec, rng, zone),
                day_rate=rng.choice((200, 220, 250, 280, 320, 350)),
            )
        )
    return artists


def _absences(spec: SizeSpec, rng: random.Random, zone: ZoneInfo) -> list[Window]:
    absences: list[Window] = []
    for _ in range(rng.choices((0, 1, 2), weights=(0.6, 0.3, 0.1))[0]):
        first = spec.first_day + timedelta(days=rng.randrange(spec.days))
        length = rng.randint(1, 5)
        absences.append(
            Window(
                _instant(first, 0, 0, zone), _instant(first + timedelta(days=length), 0, 0, zone)
            )
        )
    return absences


def _declared_availability(
    spec: SizeSpec, rng: random.Random, zone: ZoneInfo
) -> list[Window] | None:
    """Mostly None; some crew declared working days (06:00 to 04:00 next day); a few none."""
    draw = rng.random()
    if draw < 0.8:
        return None
    if draw < 0.83:
        return []
    windows: list[Window] = []
    for offset in range(spec.days):
        if rng.random() < 0.6:
            day = spec.first_day + timedelta(days=offset)
            windows.append(Window(_instant(day, 6, 0, zone), _instant(day, 28, 0, zone)))
    return windows


def _locked(
    rng: random.Random, shifts: list[_Shift], artists: list[_Artist], split: bool = False
) -> list[dict[str, str]]:
    """About 3% of slots already confirmed, chosen so that they respect every rule (in
    version 2 too: 11 h apart is stricter than duty periods)."""
    taken: dict[str, list[Window]] = {artist.id: [] for artist in artists}
    locked: list[dict[str, str]] = []
    for shift in rng.sample(shifts, len(shifts) // 20):
        fitting = [
            artist
            for artist in artists
            if set(shift.skills) <= set(artist.skills)
            and not any(absence.overlaps(shift.window) for absence in artist.unavailable)
            and _fits(shift.window, taken[artist.id], split)
        ]
        if fitting:
            artist = rng.choice(fitting)
            taken[artist.id].append(shift.window)
            locked.append({"shift": shift.id, "artist": artist.id})
    return locked


DUTY = DutyRules(rest=660 * 60, span=780 * 60, work=720 * 60)


def _fits(window: Window, taken: list[Window], split: bool) -> bool:
    """Version 1: 11 h from every other shift; version 2: no overlap and a valid duty
    period (so locked split days appear too)."""
    if not split:
        return not any(conflicts(other, window, 660 * 60) for other in taken)
    if any(other.overlaps(window) for other in taken):
        return False
    ordered = sorted(taken, key=lambda other: other.start)
    return DUTY.breach(period_with(ordered, window, DUTY.rest)) is None


def _shift_json(shift: _Shift) -> dict[str, Any]:
    return {
        "id": shift.id,
        "start": _iso(shift.window.start),
        "end": _iso(shift.window.end),
        "skills": list(shift.skills),
        "headcount": shift.headcount,
        "label": shift.label,
    }


def _artist_json(artist: _Artist) -> dict[str, Any]:
    return {
        "id": artist.id,
        "skills": list(artist.skills),
        "unavailable": [{"start": _iso(w.start), "end": _iso(w.end)} for w in artist.unavailable],
        "available": None
        if artist.available is None
        else [{"start": _iso(w.start), "end": _iso(w.end)} for w in artist.available],
        "day_rate": artist.day_rate,
    }
