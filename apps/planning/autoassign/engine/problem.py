"""The auto-assign problem (``crew-autoassign/1`` or ``/2``) as plain frozen dataclasses.

The engine works on integer seconds since the Unix epoch (UTC) rather than on datetimes:
comparisons and sums are then exact and cheap, and the solver needs integers anyway. The
local week of each shift is computed once here, with ``zoneinfo``, because it is the only
place where the problem's time zone matters (weeks start on Monday 00:00 local time, also
across a daylight-saving change).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMAT_V1 = "crew-autoassign/1"
FORMAT_V2 = "crew-autoassign/2"
FORMAT_NAME = FORMAT_V1
"""The format of a problem without a ``format`` key (the first version)."""
FORMATS = (FORMAT_V1, FORMAT_V2)
DAY_MINUTES = 1440


class ProblemFormatError(ValueError):
    """Raised for malformed input; the message starts with the path of the bad field."""


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open time interval ``[start, end)`` in seconds since the epoch."""

    start: int
    end: int

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Window) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Window) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Rules:
    """Labour rules; ``None`` means the rule is absent and does not apply.

    ``duty_periods`` says which rule 4 applies: version 1's rest between any two shifts
    (False) or version 2's duty periods (True), whose span limit is already defaulted to
    1440 - ``min_rest_minutes`` by the parser.
    """

    min_rest_minutes: int | None = None
    max_week_minutes: int | None = None
    duty_periods: bool = False
    max_duty_span_minutes: int | None = None
    max_duty_work_minutes: int | None = None

    @property
    def min_rest_seconds(self) -> int:
        return 60 * (self.min_rest_minutes or 0)

    @property
    def has_duty_rule(self) -> bool:
        """Version 2's rule 4 applies (it needs ``min_rest_minutes``)."""
        return self.duty_periods and self.min_rest_minutes is not None

    @property
    def max_duty_span_seconds(self) -> int | None:
        minutes = self.max_duty_span_minutes
        return None if minutes is None or not self.has_duty_rule else 60 * minutes

    @property
    def max_duty_work_seconds(self) -> int | None:
        minutes = self.max_duty_work_minutes
        return None if minutes is None or not self.has_duty_rule else 60 * minutes

    @property
    def max_week_seconds(self) -> int | None:
        return None if self.max_week_minutes is None else 60 * self.max_week_minutes


@dataclass(frozen=True, slots=True)
class Artist:
    """A crew member. ``available=None`` means no declared windows (no penalty)."""

    id: str
    skills: frozenset[str]
    unavailable: tuple[Window, ...] = ()
    available: tuple[Window, ...] | None = None
    day_rate: float | None = None

    def is_absent_during(self, window: Window) -> bool:
        return any(absence.overlaps(window) for absence in self.unavailable)

    def is_outside_availability(self, window: Window) -> bool:
        """True when the artist declared windows and none wholly contains ``window``."""
        if self.available is None:
            return False
        return not any(declared.contains(window) for declared in self.available)


@dataclass(frozen=True, slots=True)
class Shift:
    """A shift to staff. ``week`` is the ordinal of the Monday of its local start week."""

    id: str
    window: Window
    skills: frozenset[str]
    headcount: int
    week: int
    label: str = ""

    @property
    def start(self) -> int:
        return self.window.start

    @property
    def end(self) -> int:
        return self.window.end


@dataclass(frozen=True, slots=True)
class Problem:
    """A whole auto-assign problem; ``locked`` holds unique ``(shift_id, artist_id)`` pairs."""

    name: str
    timezone: str
    rules: Rules
    artists: tuple[Artist, ...]
    shifts: tuple[Shift, ...]
    locked: tuple[tuple[str, str], ...] = ()
    format: str = FORMAT_V1


def parse_instant(value: Any, field: str) -> int:
    """Parse an ISO 8601 instant that carries an offset into seconds since the epoch."""
    if not isinstance(value, str):
        raise ProblemFormatError(f"{field}: expected an ISO 8601 instant string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise ProblemFormatError(f"{field}: not an ISO 8601 instant: {value!r}") from error
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ProblemFormatError(f"{field}: instant {value!r} has no offset (add Z or +01:00)")
    return math.floor(parsed.timestamp())


def local_week(instant: int, zone: ZoneInfo) -> int:
    """Ordinal of the local Monday starting the week that contains ``instant``."""
    local_day: date = datetime.fromtimestamp(instant, tz=zone).date()
    return (local_day - timedelta(days=local_day.weekday())).toordinal()


def parse_problem(data: Any) -> Problem:
    """Read a ``crew-autoassign/1`` or ``/2`` problem; raise ProblemFormatError naming the
    bad field. A problem without ``format`` is version 1."""
    root = _mapping(data, "problem")
    declared_format = root.get("format", FORMAT_V1)
    if declared_format not in FORMATS:
        expected = " or ".join(repr(name) for name in FORMATS)
        raise ProblemFormatError(f"format: expected {expected}, got {declared_format!r}")
    timezone_name = _string(root.get("timezone"), "timezone")
    zone = _zone(timezone_name)
    artists = tuple(
        _artist(item, f"artists[{index}]")
        for index, item in enumerate(_list(root.get("artists"), "artists"))
    )
    shifts = tuple(
        _shift(item, f"shifts[{index}]", zone)
        for index, item in enumerate(_list(root.get("shifts"), "shifts"))
    )
    _reject_duplicate_ids([artist.id for artist in artists], "artists")
    _reject_duplicate_ids([shift.id for shift in shifts], "shifts")
    locked = _locked(root.get("locked", []), {s.id for s in shifts}, {a.id for a in artists})
    name = root.get("name", "")
    return Problem(
        name=name if isinstance(name, str) else str(name),
        timezone=timezone_name,
        rules=_rules(root.get("rules", {}), declared_format == FORMAT_V2),
        artists=artists,
        shifts=shifts,
        locked=locked,
        format=declared_format,
    )


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProblemFormatError(f"{field}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, field: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise ProblemFormatError(f"{field}: expected a list, got {type(value).__name__}")
    return value


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemFormatError(f"{field}: expected a non-empty string, got {value!r}")
    return value


def _minutes(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProblemFormatError(f"{field}: expected a non-negative integer, got {value!r}")
    return int(value)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ProblemFormatError(f"timezone: unknown IANA time zone {name!r}") from error


def _rules(value: Any, duty_periods: bool) -> Rules:
    """Version 1 ignores the duty keys (unknown to it); version 2 defaults the span."""
    rules = _mapping(value, "rules")
    min_rest = _minutes(rules.get("min_rest_minutes"), "rules.min_rest_minutes")
    max_week = _minutes(rules.get("max_week_minutes"), "rules.max_week_minutes")
    if not duty_periods:
        return Rules(min_rest_minutes=min_rest, max_week_minutes=max_week)
    span = _minutes(rules.get("max_duty_span_minutes"), "rules.max_duty_span_minutes")
    if span is None and min_rest is not None:
        span = max(0, DAY_MINUTES - min_rest)
    return Rules(
        min_rest_minutes=min_rest,
        max_week_minutes=max_week,
        duty_periods=True,
        max_duty_span_minutes=span,
        max_duty_work_minutes=_minutes(
            rules.get("max_duty_work_minutes"), "rules.max_duty_work_minutes"
        ),
    )


def _window(value: Any, field: str) -> Window:
    item = _mapping(value, field)
    start = parse_instant(item.get("start"), f"{field}.start")
    end = parse_instant(item.get("end"), f"{field}.end")
    if end <= start:
        raise ProblemFormatError(f"{field}.end: must be after start")
    return Window(start, end)


def _windows(value: Any, field: str) -> tuple[Window, ...]:
    return tuple(_window(item, f"{field}[{i}]") for i, item in enumerate(_list(value, field)))


def _skills(value: Any, field: str) -> frozenset[str]:
    skills = _list(value, field)
    for index, skill in enumerate(skills):
        _string(skill, f"{field}[{index}]")
    return frozenset(skills)


def _artist(value: Any, field: str) -> Artist:
    item = _mapping(value, field)
    available = item.get("available")
    day_rate = item.get("day_rate")
    if day_rate is not None and (
        isinstance(day_rate, bool) or not isinstance(day_rate, int | float)
    ):
        raise ProblemFormatError(f"{field}.day_rate: expected a number or null, got {day_rate!r}")
    return Artist(
        id=_string(item.get("id"), f"{field}.id"),
        skills=_skills(item.get("skills", []), f"{field}.skills"),
        unavailable=_windows(item.get("unavailable", []), f"{field}.unavailable"),
        available=None if available is None else _windows(available, f"{field}.available"),
        day_rate=None if day_rate is None else float(day_rate),
    )


def _shift(value: Any, field: str, zone: ZoneInfo) -> Shift:
    item = _mapping(value, field)
    window = _window(item, field)
    headcount = item.get("headcount")
    if isinstance(headcount, bool) or not isinstance(headcount, int) or headcount < 0:
        raise ProblemFormatError(f"{field}.headcount: expected a non-negative integer")
    label = item.get("label", "")
    return Shift(
        id=_string(item.get("id"), f"{field}.id"),
        window=window,
        skills=_skills(item.get("skills", []), f"{field}.skills"),
        headcount=headcount,
        week=local_week(window.start, zone),
        label=label if isinstance(label, str) else str(label),
    )


def _reject_duplicate_ids(ids: list[str], field: str) -> None:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier in seen:
            raise ProblemFormatError(f"{field}[{index}].id: duplicate id {identifier!r}")
        seen.add(identifier)


def _locked(value: Any, shift_ids: set[str], artist_ids: set[str]) -> tuple[tuple[str, str], ...]:
    """Locked pairs in input order, duplicates dropped (a pair appears at most once)."""
    pairs: dict[tuple[str, str], None] = {}
    for index, raw in enumerate(_list(value, "locked")):
        item = _mapping(raw, f"locked[{index}]")
        shift_id = _string(item.get("shift"), f"locked[{index}].shift")
        artist_id = _string(item.get("artist"), f"locked[{index}].artist")
        if shift_id not in shift_ids:
            raise ProblemFormatError(f"locked[{index}].shift: unknown shift {shift_id!r}")
        if artist_id not in artist_ids:
            raise ProblemFormatError(f"locked[{index}].artist: unknown artist {artist_id!r}")
        pairs[(shift_id, artist_id)] = None
    return tuple(pairs)
