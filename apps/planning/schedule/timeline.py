"""The planning board's one read: a range of shifts, who is on them, and their badges.

Built for speed, as the board reloads it on every scroll: rows come as tuples of text and
floats (``values_list`` with ids cast to text and instants to seconds in SQL) and leave as
plain lists and strings, with no model instances and no serializers; each distinct instant
is formatted once and each version (``v``) is the row's ``updated_at`` in base 36. The
shifts and their seats are two queries, drawn day by day and each day cached until a row of
it is written (see "Days drawn" below: a week recomputed after one write reads and draws
the day written, not the seven); the conflict badges are the stored ones
(``rules.stored``, one query, plus the names and waivers their messages need); the
organization's name tables (``schedule.names``, kept per process until an artist or catalog
write) name what the shifts refer to (artists, venues, missions, projects, roles). While the
stored conflicts are being recomputed, ``check_range`` runs the rules over the range instead.

Choices:
- Cancelled shifts are left out unless the ``status`` filter asks for them.
- A shift lists its *active* assignments (proposed, invited, accepted): declined and
  cancelled ones are history, not the plan.
- A conflict badges every shift it names (a double booking or a duty period too long
  badges all its shifts; an hour cap badges the shift that went over it); a waived one
  says so (``waived``). Messages are in the reader's language, so the cache key holds it.
- Sent once, referred to by position: a month of the large demo is ~3,500 shifts, so
  every id and message repeated on each shift weighed half the payload. The lists of
  names (``missions``, ``roles``, ``artists``, ...) and of ``conflicts`` come once; a
  shift names its mission and role, an assignment its artist, and a shift its badges by
  their index in those lists. A shift's project and venue are its mission's; its fill is
  counted from its crew. Instants are UTC to the minute (``2025-03-14T17:00Z``).
- A shift is a list, not an object: its fields in the order ``shift_fields`` gives
  (``SHIFT_FIELDS``), like a seat of its crew. The names repeated as keys on every shift
  weighed some 400 KB of a month's 1.46 MB; the board reads them back into objects once
  (``static/web/board/state.js``, ``expandPayload``).
- Each shift and each seat carries its version (``v``, and a seat's sixth item): the
  opaque part of the row's ``ETag`` (``updated_at`` in base 36, about ten characters),
  which the board sends back as ``If-Match: W/"<v>"`` so that a shift changed by someone
  else since it was drawn is a 412 showing what changed, not a silent overwrite
  (``apps.core.versions``).
- For managers (``costs``; rates are private to them): each seat's cost as its 7th item
  (the pricing rule of ``publication.reports.slot_cost``, breaks unpaid; ``null`` when
  the person has no rate), each artist's ``currency``, and ``weekly_cap_hours`` (the
  ``weekly_hours`` rule's cap, ``null`` when it is off), for the board's totals per day and
  per person. A conflict that is about one person names them (``artist``, a position).
"""

from __future__ import annotations

import gzip
import hashlib
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, Q, QuerySet
from django.utils import translation

from apps.core.prepared import PreparedRead
from apps.core.revisions import day_revisions, local_days, range_revision
from apps.core.versions import version_of_micros
from apps.orgs.models import Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
)
from apps.planning.publication.reports import RateProfile, slot_cost
from apps.planning.rules import stored
from apps.planning.rules.conflicts import CANCELLED, check_range, range_focus
from apps.planning.rules.facts import Conflict, Key
from apps.planning.rules.report import present_conflicts
from apps.planning.rules.selectors import (
    Epoch,
    IdText,
    instant,
    range_shifts,
    rule_configs,
    texts_in,
)
from apps.planning.schedule.names import name_tables

# In the cache key: a payload cached by a release of another shape is never served to this one
# (nor one cached as text, before bodies were cached as bytes).
PAYLOAD_VERSION = 4
CACHE_PREFIX = f"timeline:{PAYLOAD_VERSION}:bytes"


@dataclass(frozen=True)
class TimelineQuery:
    start: datetime
    end: datetime
    project_id: UUID | None = None
    venue_id: UUID | None = None
    role_id: UUID | None = None
    artist_id: UUID | None = None
    statuses: tuple[str, ...] = ()
    costs: bool = False

    def cache_key(self) -> str:
        return _digest((utc_iso(self.start), utc_iso(self.end), *self._filters()))

    def filter_key(self) -> str:
        """What the query asks besides its range (a drawn day's cache key holds it)."""
        return _digest(self._filters())

    def _filters(self) -> tuple[Any, ...]:
        return (
            self.project_id,
            self.venue_id,
            self.role_id,
            self.artist_id,
            ",".join(self.statuses),
            "costs" if self.costs else "",
        )

    def range_arguments(self) -> dict[str, Any]:
        """The range and the filters as ``range_shifts`` and ``check_range`` take them."""
        return {
            "start": self.start,
            "end": self.end,
            "shift_filter": self.shift_filter(),
            "artist_id": self.artist_id,
            "include_cancelled": CANCELLED in self.statuses,
        }

    def shift_filter(self) -> Q:
        condition = Q()
        if self.project_id:
            condition &= Q(mission__project_id=self.project_id)
        if self.venue_id:
            condition &= Q(venue_id=self.venue_id)
        if self.role_id:
            condition &= Q(role_id=self.role_id)
        if self.statuses:
            condition &= texts_in("status", self.statuses)
        return condition


def _digest(parts: Iterable[Any]) -> str:
    return hashlib.sha256("|".join(str(p or "") for p in parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class CachedTimeline:
    """The board payload already encoded as JSON (gzipped when ``gzipped``), and whether
    it came from the cache."""

    body: bytes
    hit: bool
    gzipped: bool = False


def cached_timeline(
    *, organization: Organization, query: TimelineQuery, gzip_ok: bool = False
) -> CachedTimeline:
    """The board payload as JSON, cached until a write that may change it.

    The key holds the revision of the range (``apps.core.revisions.range_revision``:
    bumped by a write of a shift or an assignment in the local weeks around it, and by
    any other write of the organization) and the query, so a board reloaded without changes
    costs a cache read, a write in another week leaves it cached, and any change that
    may show is visible at once. The payload is cached encoded: a hit costs no encoding.
    For a client that accepts gzip (``gzip_ok``: every browser) the compressed body is
    cached beside it, made on the first such read: compressing a week takes some 3 ms
    (``GZIP_LEVEL``), more than the cached read itself, so it is done once per revision,
    not on every request. A miss draws only the days written since (``drawn_days``).
    """
    revision = range_revision(organization.pk, query.start, query.end, organization.tzinfo)
    if revision is None:  # no cache: compute, and compress for whoever accepts it
        body = encode(timeline(organization=organization, query=query))
        if gzip_ok:
            return CachedTimeline(body=gzipped(body), hit=False, gzipped=True)
        return CachedTimeline(body=body, hit=False)
    language = translation.get_language() or ""
    key = f"{CACHE_PREFIX}:{organization.pk}:{revision}:{language}:{query.cache_key()}"
    packed_key = f"{key}:gz"
    found = cache.get_many([key, packed_key] if gzip_ok else [key])
    if packed_key in found:
        return CachedTimeline(body=found[packed_key], hit=True, gzipped=True)
    cached: bytes | None = found.get(key)
    hit = cached is not None
    body = (
        cached if cached is not None else encode(timeline(organization=organization, query=query))
    )
    if not hit:
        cache.set(key, body, timeout=settings.CACHE_TTL_SECONDS)
    if not gzip_ok:
        return CachedTimeline(body=body, hit=hit)
    packed = gzipped(body)
    cache.set(packed_key, packed, timeout=settings.CACHE_TTL_SECONDS)
    return CachedTimeline(body=packed, hit=hit, gzipped=True)


def encode(payload: dict[str, Any]) -> bytes:
    """The payload as compact JSON (``orjson``: a week in 0.2 ms where ``json`` takes 2)."""
    return orjson.dumps(payload)


# nginx's default level: a week of the large demo in 3 ms instead of 11 at level 6 (the
# level ``gzip_page`` uses), for 104 KB instead of 94. Under ``make loadtest`` every
# computed board is compressed, so the level is the server's time, not the network's.
GZIP_LEVEL = 1


def gzipped(body: bytes) -> bytes:
    """The body gzipped (at ``GZIP_LEVEL``, with no timestamp, so equal bodies compress
    alike)."""
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def timeline(*, organization: Organization, query: TimelineQuery) -> dict[str, Any]:
    """The board payload for ``query`` (see the module docstring for what it holds).

    The range's shifts and their crew are drawn day by day (``drawn_days``: each local
    day's drawing cached until a row of that day is written), then put together with what
    spans the days, read on every call: the badges from the stored conflicts
    (``check_range`` runs the rules here only while they are absent or being recomputed),
    and the names, each list once, referred to by position.
    """
    try:
        return _board(organization, query, drawn_days(organization, query))
    except _Unnamed:
        # A day drawn before a write that the names already know of (an artist deleted with
        # their seats, until the write's revision bump): one read of every day instead.
        days = local_days(query.start, query.end, organization.tzinfo)
        return _board(organization, query, _draw_days(organization, query, days, days))


def _board(
    organization: Organization, query: TimelineQuery, days: list[list[list[Any]]]
) -> dict[str, Any]:
    """The payload of the drawn ``days``: badges and names read, ids placed."""
    drawn = [shift for day in days for shift in day]
    shown = {shift[0] for shift in drawn}
    live = {shift[0] for shift in drawn if shift[5] != CANCELLED}
    seat_rows = [(seat[0], shift[0], seat[1]) for shift in drawn for seat in shift[DRAWN_CREW]]
    recomputing = False
    if stored.state_of(organization) == stored.FRESH:
        focus = range_focus(live, seat_rows, query.artist_id)
        found = stored.stored_in_range(organization, query.start, query.end, focus)
    else:
        check = check_range(organization=organization, **query.range_arguments())
        found, recomputing = check.conflicts, check.recomputing
    names = _lookups(
        organization,
        missions={shift[1] for shift in drawn},
        venues={shift[DRAWN_VENUE] for shift in drawn},
        roles={shift[2] for shift in drawn},
        artist_ids={row[2] for row in seat_rows},
        costs=query.costs,
    )
    position = {kind: _positions(names[kind]) for kind in ("missions", "roles", "artists")}
    conflicts, badges = _badges(
        found, present_conflicts(organization, found), shown, position["artists"]
    )
    shifts_out = _placed(drawn, position, badges)
    extra: dict[str, Any] = {}
    if query.costs:
        weekly = rule_configs(organization=organization)["weekly_hours"]
        extra["weekly_cap_hours"] = weekly.param("max_hours") if weekly.enabled else None
    return {
        "range": {"from": utc_iso(query.start), "to": utc_iso(query.end)},
        "timezone": organization.timezone,
        "shift_fields": SHIFT_FIELDS,
        "shifts": shifts_out,
        "conflicts": conflicts,
        "conflicts_recomputing": recomputing,
        **names,
        **extra,
    }


# --- Days drawn ------------------------------------------------------------------------
#
# A day's drawing is its shifts as the payload says them but for what depends on the whole
# range: the mission, the role and each seat's person are ids (not yet positions), the
# badges are left out, and the shift's venue id follows its version (``DRAWN_VENUE``). A
# day holds the shifts of the range that start on it (in the organization's time zone);
# the range's first day also those that started earlier and run into the range.

DRAWN_CREW = 9
DRAWN_VERSION = 10
DRAWN_VENUE = 11
DAY_PREFIX = f"timeline-day:{PAYLOAD_VERSION}"


def drawn_days(organization: Organization, query: TimelineQuery) -> list[list[list[Any]]]:
    """Each local day of the range drawn, in order: from the cache where its rows have not
    been written since (``apps.core.revisions.day_revisions``), the others read in two
    queries together, drawn and cached.

    A write may commit while the missing days are read: the days taken from the cache are
    then from before it, those read from after it (a shift moved from one to the other
    would show twice, or not at all). So the revisions are read again after the read, and
    the days whose revision moved are taken again (``REREADS`` times at most, then every
    day in one read): under a steady stream of writes, the one or two days a write
    touched, not the whole range.
    """
    days = local_days(query.start, query.end, organization.tzinfo)
    revisions = day_revisions(organization.pk, days)
    if revisions is None:  # no cache: draw every day
        return _draw_days(organization, query, days, days)
    settled: dict[date, list[list[Any]]] = {}
    fresh: dict[date, str] = {}  # the days drawn here, with the key each is cached under
    for _ in range(REREADS + 1):
        keys = {
            day: _day_cache_key(organization, query, day, days, revisions[day])
            for day in days
            if day not in settled
        }
        found = cache.get_many(list(keys.values()))
        missing = [day for day in keys if keys[day] not in found]
        drawn = dict(zip(missing, _draw_days(organization, query, days, missing), strict=True))
        for day, key in keys.items():
            if day in drawn:
                settled[day], fresh[day] = drawn[day], key
            else:
                settled[day] = orjson.loads(found[key])
        if not drawn or len(drawn) == len(days):  # one source: nothing to reconcile
            break
        now = day_revisions(organization.pk, days)
        if now is None:  # the cache went away meanwhile: nothing to compare with
            return _draw_days(organization, query, days, days)
        moved = [day for day in days if now[day] != revisions[day]]
        if not moved:
            break
        for day in moved:
            fresh.pop(day, None)
            del settled[day]
        revisions = now
    else:
        return _draw_days(organization, query, days, days)
    if fresh:
        cache.set_many(
            {key: orjson.dumps(settled[day]) for day, key in fresh.items()},
            timeout=settings.CACHE_TTL_SECONDS,
        )
    return [settled[day] for day in days]


# How many times the days a write moved while the others were read are taken again before
# every day is read in one go.
REREADS = 2


def _day_cache_key(
    organization: Organization, query: TimelineQuery, day: date, days: list[date], revision: str
) -> str:
    """A day's key: its revision and the query's filters; the first day's rows depend on
    where the range starts, the last day's on where it ends."""
    bounds = (
        utc_iso(query.start) if day == days[0] else "",
        utc_iso(query.end) if day == days[-1] else "",
    )
    return (
        f"{DAY_PREFIX}:{organization.pk}:{revision}:{day.isoformat()}:"
        f"{bounds[0]}:{bounds[1]}:{query.filter_key()}"
    )


def _draw_days(
    organization: Organization, query: TimelineQuery, days: list[date], wanted: list[date]
) -> list[list[list[Any]]]:
    """The ``wanted`` days of the range (``days``) drawn, from one read of their shifts and
    one of their seats."""
    if not wanted:
        return []
    zone = organization.tzinfo
    # Where each day after the first begins (``combine`` gives a date's first instant, a
    # clock change at midnight included): a shift's day is found by its start's place.
    begins = [datetime.combine(day, time(0), tzinfo=zone) for day in days[1:]]
    start: datetime | None = None  # from the first day: every shift running into the range
    if wanted[0] != days[0]:
        start = begins[days.index(wanted[0]) - 1]
    end = query.end
    if wanted[-1] != days[-1]:
        end = begins[days.index(wanted[-1])]
    shift_rows = _DAY_SHIFTS(
        organization_id=organization.pk,
        start=query.start,
        end=query.end,
        since=start,
        until=end,
        project_id=query.project_id,
        venue_id=query.venue_id,
        role_id=query.role_id,
        artist_id=query.artist_id,
        statuses=query.statuses,
        include_cancelled=CANCELLED in query.statuses,
    )
    by_day: dict[date, list[tuple[Any, ...]]] = {day: [] for day in wanted}
    seconds = [begin.timestamp() for begin in begins]
    for row in shift_rows:
        held = by_day.get(days[bisect_right(seconds, row[4])])
        if held is not None:
            held.append(row)
    kept = {row[0] for rows in by_day.values() for row in rows if row[6] != CANCELLED}
    seats: dict[Key, list[tuple[Any, ...]]] = {}
    for row in _seat_rows(organization, query, start, end):
        if row[1] in kept:  # a cancelled shift shows no crew
            seats.setdefault(row[1], []).append(row)
    artist_ids = {row[2] for held in seats.values() for row in held}
    rates: dict[str, RateProfile] | None = None
    if query.costs:
        tables = name_tables(
            organization, artists=artist_ids, missions={row[1] for row in shift_rows}
        )
        rates = {key: tables.artists[key].rates for key in artist_ids if key in tables.artists}
    draw = _Drawer(rates)
    return [[draw.shift(row, seats.get(row[0], [])) for row in by_day[day]] for day in wanted]


def _day_shifts(
    *,
    organization_id: Any,
    start: datetime,
    end: datetime,
    since: datetime | None,
    until: datetime,
    project_id: Any,
    venue_id: Any,
    role_id: Any,
    artist_id: Any,
    statuses: Collection[str],
    include_cancelled: bool,
) -> QuerySet[Any]:
    """The rows (``SHIFT_COLUMNS``) of the range's shifts starting from ``since`` (else
    every one running into the range) until ``until``, in the board's order."""
    query = TimelineQuery(
        start=start,
        end=end,
        project_id=project_id,
        venue_id=venue_id,
        role_id=role_id,
        statuses=tuple(statuses),
    )
    shifts = range_shifts(
        organization=organization_id,
        start=start,
        end=end,
        shift_filter=query.shift_filter(),
        artist_id=artist_id,
        include_cancelled=include_cancelled,
    ).filter(start_at__lt=until)
    if since is not None:
        shifts = shifts.filter(start_at__gte=since)
    return shifts.annotate(**_annotations(SHIFT_COLUMNS)).values_list(*SHIFT_NAMES)


_DAY_SHIFTS = PreparedRead(_day_shifts)


def _placed(
    drawn: list[list[Any]], position: dict[str, dict[str, int]], badges: dict[Key, list[int]]
) -> list[list[Any]]:
    """The drawn shifts as the payload says them: ids as positions in the lists of names,
    with their badges, in the order of ``SHIFT_FIELDS``. In place: each drawing was read
    from the cache (or encoded into it) for this board alone."""
    missions, roles, artists = position["missions"], position["roles"], position["artists"]
    try:
        for shift in drawn:
            shift[1] = missions[shift[1]]
            shift[2] = roles[shift[2]]
            crew = shift[DRAWN_CREW]
            for seat in crew:
                seat[1] = artists[seat[1]]
            shift[DRAWN_CREW:] = (badges.get(shift[0], []), crew, shift[DRAWN_VERSION])
    except KeyError as error:
        raise _Unnamed(error.args[0]) from error
    return drawn


class _Unnamed(Exception):
    """A drawn day names what the lists of names do not hold (it was drawn before a write
    whose revision bump is still to come)."""


# A shift of the payload is a list, in this order (the payload says it as ``shift_fields``):
# a month's 3,500 shifts repeating these names as keys weighed some 400 KB.
SHIFT_FIELDS = (
    "id",
    "mission",
    "role",
    "start_at",
    "end_at",
    "status",
    "headcount",
    "max_headcount",
    "break_minutes",
    "conflicts",
    "crew",
    "v",
)

# The rows the payload is built from: ids as text, instants (and versions) as floats.
SHIFT_COLUMNS = (
    "id",
    "mission_id",
    "venue_id",
    "role_id",
    "start_at",
    "end_at",
    "status",
    "headcount",
    "max_headcount",
    "break_minutes",
    "updated_at",
)
SEAT_COLUMNS = ("id", "shift_id", "artist_id", "status", "locked", "source", "updated_at")


def _read_as(column: str) -> str:
    """The name a column is read under: annotations may not shadow the model's fields."""
    return f"read_{column}" if column == "id" or column.endswith(("_id", "_at")) else column


SHIFT_NAMES = tuple(_read_as(column) for column in SHIFT_COLUMNS)
SEAT_NAMES = tuple(_read_as(column) for column in SEAT_COLUMNS)


def _annotations(columns: tuple[str, ...]) -> dict[str, Func]:
    """Ids read as text and instants as floats (``_read_as`` names)."""
    expressions: dict[str, Func] = {}
    for column in columns:
        if column.endswith("_at"):
            expressions[_read_as(column)] = Epoch(F(column))
        elif column == "id" or column.endswith("_id"):
            expressions[_read_as(column)] = IdText(F(column))
    return expressions


def _seat_rows(
    organization: Organization, query: TimelineQuery, start: datetime | None, end: datetime
) -> list[tuple[Any, ...]]:
    """The active assignments over the range starting before ``end`` (at most the range's
    end) and from ``start``
    (rows of ``SEAT_COLUMNS``), in the order the board lists a shift's crew; the caller
    keeps those on the live shifts it draws (so no join with the shifts here)."""
    return _SEATS(organization_id=organization.pk, start=query.start, since=start, until=end)


def _seats(
    *, organization_id: Any, start: datetime, since: datetime | None, until: datetime
) -> QuerySet[Any]:
    assignments = Assignment.objects.filter(
        organization_id=organization_id,
        status__in=ACTIVE_ASSIGNMENT_STATUSES,
        start_at__lt=until,
        end_at__gt=start,
    )
    if since is not None:
        assignments = assignments.filter(start_at__gte=since)
    ordered = assignments.annotate(**_annotations(SEAT_COLUMNS)).order_by("start_at", "id")
    return ordered.values_list(*SEAT_NAMES)


_SEATS = PreparedRead(_seats)


class _Drawer:
    """Shifts and seats drawn (see "Days drawn"): each distinct instant is formatted once
    and each (person, paid minutes) priced once."""

    def __init__(self, rates: dict[str, RateProfile] | None) -> None:
        self.rates = rates
        self.minutes: dict[float, str] = {}
        self.costs: dict[tuple[str, int], float | None] = {}

    def minute(self, seconds: float) -> str:
        text = self.minutes.get(seconds)
        if text is None:
            text = self.minutes[seconds] = utc_minute(instant(seconds))
        return text

    def cost(self, rates: dict[str, RateProfile], artist_id: str, paid: int) -> float | None:
        key = (artist_id, paid)
        if key not in self.costs:
            profile = rates.get(artist_id)
            cost = slot_cost(profile, paid) if profile is not None else None
            self.costs[key] = float(cost) if cost is not None else None
        return self.costs[key]

    def shift(self, row: tuple[Any, ...], seats: list[tuple[Any, ...]]) -> list[Any]:
        """One shift (a row of ``SHIFT_COLUMNS``) and its seats drawn."""
        (
            shift_id,
            mission_id,
            venue_id,
            role_id,
            start_at,
            end_at,
            status,
            headcount,
            max_headcount,
            break_minutes,
            updated_at,
        ) = row
        minutes = self.minutes
        crew: list[list[Any]] = [
            [
                assignment_id,
                artist_id,
                seat_status,
                bool(locked),
                source,
                version_of_micros(round(seat_updated * 1_000_000)),
            ]
            for assignment_id, _, artist_id, seat_status, locked, source, seat_updated in seats
        ]
        if self.rates is not None and crew:
            # Seconds to the microsecond, as a ``timedelta`` between the two would say.
            paid = max(int(round(end_at - start_at, 6) // 60) - break_minutes, 0)
            for seat, held in zip(crew, seats, strict=True):
                seat.append(self.cost(self.rates, held[2], paid))
        return [
            shift_id,
            mission_id,
            role_id,
            minutes.get(start_at) or self.minute(start_at),
            minutes.get(end_at) or self.minute(end_at),
            status,
            headcount,
            max_headcount,
            break_minutes,
            crew,
            version_of_micros(round(updated_at * 1_000_000)),
            venue_id,
        ]


def utc_iso(value: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, as DRF renders datetimes everywhere else."""
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_minute(value: datetime) -> str:
    """An instant in UTC to the minute, ``2025-03-14T17:00Z``: what the board needs
    (formatted by hand: ``strftime`` costs some 30 µs a call, a month formats hundreds)."""
    at = value.astimezone(UTC)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}Z"


def _positions(items: list[dict[str, Any]]) -> dict[str, int]:
    return {item["id"]: index for index, item in enumerate(items)}


def _badges(
    conflicts: Iterable[Conflict],
    presented: Iterable[dict[str, Any]],
    shown: Collection[Key],
    artists: dict[str, int],
) -> tuple[list[dict[str, Any]], dict[Key, list[int]]]:
    """Each conflict once (in the reader's words, ``waived`` when it is, naming the person it
    is about), and the positions of those that badge each shift."""
    listed: list[dict[str, Any]] = []
    badges: dict[Key, list[int]] = {}
    for conflict, answer in zip(conflicts, presented, strict=True):
        named = [key for key in dict.fromkeys(conflict.shift_keys) if key in shown]
        if not named:
            continue
        entry = {key: answer[key] for key in ("type", "rule", "message", "waived") if key in answer}
        artist = artists.get(str(conflict.details.get("artist_id", "")))
        if artist is not None:
            entry["artist"] = artist
        listed.append(entry)
        for shift_key in named:
            badges.setdefault(shift_key, []).append(len(listed) - 1)
    return listed, badges


def _lookups(
    organization: Organization,
    *,
    missions: Collection[str],
    venues: Collection[str],
    roles: Collection[str],
    artist_ids: Collection[str],
    costs: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """Names of what the shifts refer to, each list in its model's order, from the
    organization's name tables (``schedule.names``: no query while no artist or catalog
    write happened); with ``costs``, each artist's currency too."""
    tables = name_tables(organization, artists=artist_ids, missions=missions)
    artists = []
    for key, known in tables.artists.items():
        if key not in artist_ids:
            continue
        artist: dict[str, Any] = {"id": key, "name": known.name}
        if costs:
            artist["currency"] = known.currency
        artists.append(artist)
    mission_rows = [(key, *known) for key, known in tables.missions.items() if key in missions]
    projects = {project for _, _, project, _ in mission_rows}
    return {
        "artists": artists,
        "venues": [
            {"id": key, "name": name} for key, name in tables.venues.items() if key in venues
        ],
        "missions": [
            {"id": key, "name": name, "project_id": project, "venue_id": venue}
            for key, name, project, venue in mission_rows
        ],
        "projects": [
            {"id": key, "name": name, "color": color}
            for key, (name, color) in tables.projects.items()
            if key in projects
        ],
        "roles": [{"id": key, "name": name} for key, name in tables.roles.items() if key in roles],
    }
