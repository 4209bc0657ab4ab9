"""The planning board's one read: a range of shifts, who is on them, and their badges.

Built for speed, as the board reloads it on every scroll: rows come as tuples of text and
floats (``values_list`` with ids cast to text and instants to seconds in SQL) and leave as
plain lists and strings, with no model instances and no serializers; each distinct instant
is formatted once and each version (``v``) is the row's ``updated_at`` in base 36. The
shifts and their seats are two queries; the conflict badges are the stored ones
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
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, Q
from django.utils import translation

from apps.core.revisions import range_revision
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
        parts = (
            utc_iso(self.start),
            utc_iso(self.end),
            self.project_id,
            self.venue_id,
            self.role_id,
            self.artist_id,
            ",".join(self.statuses),
            "costs" if self.costs else "",
        )
        return hashlib.sha256("|".join(str(p or "") for p in parts).encode()).hexdigest()[:32]

    def shift_filter(self) -> Q:
        condition = Q()
        if self.project_id:
            condition &= Q(mission__project_id=self.project_id)
        if self.venue_id:
            condition &= Q(venue_id=self.venue_id)
        if self.role_id:
            condition &= Q(role_id=self.role_id)
        if self.statuses:
            condition &= Q(status__in=self.statuses)
        return condition


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
    cached beside it, made on the first such read: compressing a week takes some 7 ms and
    a month 25, more than the cached read itself, so it is done once per revision, not on
    every request.
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


def gzipped(body: bytes) -> bytes:
    """What ``gzip_page`` would send (level 6, no timestamp, so equal bodies compress
    alike)."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def timeline(*, organization: Organization, query: TimelineQuery) -> dict[str, Any]:
    """The board payload for ``query`` (see the module docstring for what it holds).

    Reads only what the payload says: ids as text, instants and versions as floats
    (``selectors.IdText``, ``Epoch``), each distinct instant formatted once; the badges
    come from the stored conflicts (``check_range`` runs the rules here only while they
    are absent or being recomputed).
    """
    shifts = range_shifts(
        organization=organization,
        start=query.start,
        end=query.end,
        shift_filter=query.shift_filter(),
        artist_id=query.artist_id,
        include_cancelled=CANCELLED in query.statuses,
    )
    shift_rows = list(shifts.annotate(**_annotations(SHIFT_COLUMNS)).values_list(*SHIFT_NAMES))
    seat_rows = _seat_rows(organization, query)
    shown = {row[0] for row in shift_rows}
    live = {row[0] for row in shift_rows if row[6] != CANCELLED}
    recomputing = False
    if stored.state_of(organization) == stored.FRESH:
        focus = range_focus(live, seat_rows, query.artist_id)
        found = stored.stored_in_range(organization, query.start, query.end, focus)
    else:
        check = check_range(
            organization=organization,
            start=query.start,
            end=query.end,
            shift_filter=query.shift_filter(),
            artist_id=query.artist_id,
            include_cancelled=CANCELLED in query.statuses,
        )
        found, recomputing = check.conflicts, check.recomputing
    seats: dict[Key, list[tuple[Any, ...]]] = {}
    for row in seat_rows:
        if row[1] in live:  # a cancelled shift shows no crew
            seats.setdefault(row[1], []).append(row)
    artist_ids = {row[2] for held in seats.values() for row in held}
    rates: dict[str, RateProfile] | None = {} if query.costs else None
    names = _lookups(organization, shift_rows, artist_ids, rates)
    position = {kind: _positions(names[kind]) for kind in ("missions", "roles", "artists")}
    conflicts, badges = _badges(
        found, present_conflicts(organization, found), shown, position["artists"]
    )
    render = _Renderer(position, rates)
    shifts_out = [
        render.shift(row, seats.get(row[0], []), badges.get(row[0], [])) for row in shift_rows
    ]
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


def _seat_rows(organization: Organization, query: TimelineQuery) -> list[tuple[Any, ...]]:
    """The active assignments over the range (rows of ``SEAT_COLUMNS``), in the order the
    board lists a shift's crew; the caller keeps those on the live shifts shown (so no
    join with the shifts here)."""
    assignments = Assignment.objects.filter(
        organization=organization,
        status__in=ACTIVE_ASSIGNMENT_STATUSES,
        start_at__lt=query.end,
        end_at__gt=query.start,
    )
    ordered = assignments.annotate(**_annotations(SEAT_COLUMNS)).order_by("start_at", "id")
    return list(ordered.values_list(*SEAT_NAMES))


class _Renderer:
    """Shifts and seats as the payload says them: each distinct instant is formatted once
    and each (person, paid minutes) priced once."""

    def __init__(
        self, position: dict[str, dict[str, int]], rates: dict[str, RateProfile] | None
    ) -> None:
        self.missions = position["missions"]
        self.roles = position["roles"]
        self.artists = position["artists"]
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

    def shift(
        self, row: tuple[Any, ...], seats: list[tuple[Any, ...]], badges: list[int]
    ) -> list[Any]:
        """One shift as a list in the order of ``SHIFT_FIELDS``."""
        (
            shift_id,
            mission_id,
            _,
            role_id,
            start_at,
            end_at,
            status,
            headcount,
            max_headcount,
            break_minutes,
            updated_at,
        ) = row
        artists, minutes = self.artists, self.minutes
        crew: list[list[Any]] = [
            [
                assignment_id,
                artists[artist_id],
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
            self.missions[mission_id],
            self.roles[role_id],
            minutes.get(start_at) or self.minute(start_at),
            minutes.get(end_at) or self.minute(end_at),
            status,
            headcount,
            max_headcount,
            break_minutes,
            badges,
            crew,
            version_of_micros(round(updated_at * 1_000_000)),
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
    shift_rows: list[tuple[Any, ...]],
    artist_ids: Collection[str],
    rates: dict[str, RateProfile] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Names of what the shifts (rows of ``SHIFT_COLUMNS``) refer to, each list in its
    model's order, from the organization's name tables (``schedule.names``: no query while
    no artist or catalog write happened); with ``rates`` (a dict to fill), the artists' rate
    profiles too."""
    missions = {row[1] for row in shift_rows}
    tables = name_tables(organization, artists=artist_ids, missions=missions)
    venues = {row[2] for row in shift_rows}
    roles = {row[3] for row in shift_rows}
    artists = []
    for key, known in tables.artists.items():
        if key not in artist_ids:
            continue
        artist: dict[str, Any] = {"id": key, "name": known.name}
        if rates is not None:
            rates[key] = known.rates
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
