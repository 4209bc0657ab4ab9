"""The planning board's one read: a range of shifts, who is on them, and their badges.

Built for speed, as the board reloads it on every scroll: rows come as tuples
(``values_list``) and leave as plain dicts and strings, with no model instances and no
serializers. The shifts, the assignments and the conflict badges come from one
``check_range`` (the same detection as every other conflict check, run once over the
range); five small lookups name what the shifts refer to (artists, venues, missions,
projects, roles). Twelve queries in all, whatever the number of shifts.

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
- Each shift and each seat carries its version (``v``, the crew tuple's last item): the
  opaque part of the row's ``ETag``, 20 characters, which the board sends back as
  ``If-Match: W/"<v>"`` so that a shift changed by someone else since it was drawn is a
  412 showing what changed, not a silent overwrite (``apps.core.versions``).
- For managers (``costs``; rates are private to them): each seat's cost as its 7th item
  (the pricing rule of ``publication.reports.slot_cost``, breaks unpaid; ``null`` when
  the person has no rate), each artist's ``currency``, and ``weekly_cap_hours`` (the
  ``weekly_hours`` rule's cap, ``null`` when it is off), for the board's totals per day and
  per person. A conflict that is about one person names them (``artist``, a position).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import translation

from apps.core.revisions import range_revision
from apps.core.versions import etag_for
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, Venue
from apps.planning.publication.reports import RateProfile, slot_cost
from apps.planning.rules.conflicts import CANCELLED, check_range
from apps.planning.rules.facts import Conflict, Key
from apps.planning.rules.report import present_conflicts
from apps.planning.rules.selectors import rule_configs

# In the cache key: a payload cached by a release of another shape is never served to this one.
PAYLOAD_VERSION = 3


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
    """The board payload already encoded as JSON, and whether it came from the cache."""

    body: str
    hit: bool


def cached_timeline(*, organization: Organization, query: TimelineQuery) -> CachedTimeline:
    """The board payload as JSON text, cached until a write that may change it.

    The key holds the revision of the range (``apps.core.revisions.range_revision``:
    bumped by a write of a shift or an assignment in the local weeks around it, and by
    any other write of the organization) and the query, so a board reloaded without changes
    costs a cache read, a write in another week leaves it cached, and any change that
    may show is visible at once. The payload is cached encoded: a hit costs no encoding.
    """
    revision = range_revision(organization.pk, query.start, query.end, organization.tzinfo)
    language = translation.get_language() or ""
    key = f"timeline:{PAYLOAD_VERSION}:{organization.pk}:{revision}:{language}:{query.cache_key()}"
    body = cache.get(key) if revision is not None else None
    if body is not None:
        return CachedTimeline(body=body, hit=True)
    body = json.dumps(timeline(organization=organization, query=query), separators=(",", ":"))
    if revision is not None:
        cache.set(key, body, timeout=settings.CACHE_TTL_SECONDS)
    return CachedTimeline(body=body, hit=False)


def timeline(*, organization: Organization, query: TimelineQuery) -> dict[str, Any]:
    """The board payload for ``query`` (see the module docstring for what it holds)."""
    check = check_range(
        organization=organization,
        start=query.start,
        end=query.end,
        shift_filter=query.shift_filter(),
        artist_id=query.artist_id,
        include_cancelled=CANCELLED in query.statuses,
    )
    shown = {row[0] for row in check.shifts}
    seats = _assignments_by_shift(check.assignments, shown)
    artist_ids = {seat[1] for held in seats.values() for seat in held}
    rates: dict[str, RateProfile] | None = {} if query.costs else None
    names = _lookups(organization, check.shifts, artist_ids, rates)
    position = {kind: _positions(names[kind]) for kind in ("missions", "roles", "artists")}
    conflicts, badges = _badges(
        check.conflicts,
        present_conflicts(organization, check.conflicts),
        shown,
        position["artists"],
    )
    shifts = [
        _shift(row, seats.get(row[0], []), badges.get(row[0], []), position, rates)
        for row in check.shifts
    ]
    extra: dict[str, Any] = {}
    if query.costs:
        weekly = rule_configs(organization=organization)["weekly_hours"]
        extra["weekly_cap_hours"] = weekly.param("max_hours") if weekly.enabled else None
    return {
        "range": {"from": utc_iso(query.start), "to": utc_iso(query.end)},
        "timezone": organization.timezone,
        "shifts": shifts,
        "conflicts": conflicts,
        "conflicts_recomputing": check.recomputing,
        **names,
        **extra,
    }


def utc_iso(value: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, as DRF renders datetimes everywhere else."""
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_minute(value: datetime) -> str:
    """An instant in UTC to the minute, ``2025-03-14T17:00Z``: what the board needs."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def version(updated_at: datetime) -> str:
    """The opaque part of the row's ``ETag`` (``W/"…"`` left out: eleven characters)."""
    etag = etag_for(updated_at) or ""
    return etag.removeprefix('W/"').removesuffix('"')


def _positions(items: list[dict[str, Any]]) -> dict[str, int]:
    return {item["id"]: index for index, item in enumerate(items)}


def _assignments_by_shift(
    rows: Iterable[tuple[Any, ...]], shown: Collection[Key]
) -> dict[Key, list[tuple[Any, ...]]]:
    seats: dict[Key, list[tuple[Any, ...]]] = {}
    for assignment_id, shift_id, artist_id, status, locked, source, *_, updated_at in rows:
        if shift_id in shown:
            seats.setdefault(shift_id, []).append(
                (
                    str(assignment_id),
                    str(artist_id),
                    status,
                    locked,
                    source,
                    version(updated_at),
                )
            )
    return seats


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


def _shift(
    row: tuple[Any, ...],
    seats: list[tuple[Any, ...]],
    badges: list[int],
    position: dict[str, dict[str, int]],
    rates: dict[str, RateProfile] | None = None,
) -> dict[str, Any]:
    shift_id, mission_id, _, _, role_id, start_at, end_at, status = row[:8]
    headcount, max_headcount, break_minutes, updated_at = row[8:12]
    artists = position["artists"]
    crew = [
        [assignment_id, artists[artist_id], seat_status, bool(locked), source, seat_version]
        for assignment_id, artist_id, seat_status, locked, source, seat_version in seats
    ]
    if rates is not None:
        paid = max(int((end_at - start_at).total_seconds() // 60) - break_minutes, 0)
        for seat, (_, artist_id, *_rest) in zip(crew, seats, strict=True):
            cost = slot_cost(rates[artist_id], paid) if artist_id in rates else None
            seat.append(float(cost) if cost is not None else None)
    return {
        "id": str(shift_id),
        "mission": position["missions"][str(mission_id)],
        "role": position["roles"][str(role_id)],
        "start_at": utc_minute(start_at),
        "end_at": utc_minute(end_at),
        "status": status,
        "headcount": headcount,
        "max_headcount": max_headcount,
        "break_minutes": break_minutes,
        "conflicts": badges,
        "crew": crew,
        "v": version(updated_at),
    }


def _lookups(
    organization: Organization,
    shift_rows: list[tuple[Any, ...]],
    artist_ids: Collection[str],
    rates: dict[str, RateProfile] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Names of what the shifts refer to: four small queries, one per kind; with ``rates``
    (a dict to fill), the artists' rate profiles too, from the same query."""
    missions = {row[1] for row in shift_rows}
    projects = {row[2] for row in shift_rows}
    venues = {row[3] for row in shift_rows}
    roles = {row[4] for row in shift_rows}
    scoped = {"organization": organization}
    artists = []
    for pk, first, last, hourly, half_day, day, currency in (
        Artist.objects.filter(id__in=artist_ids, **scoped)
        .order_by("last_name", "first_name", "id")
        .values_list(
            "id", "first_name", "last_name", "hourly_rate", "half_day_rate", "day_rate", "currency"
        )
    ):
        artist: dict[str, Any] = {"id": str(pk), "name": f"{first} {last}".strip()}
        if rates is not None:
            rates[str(pk)] = RateProfile(hourly, half_day, day)
            artist["currency"] = currency
        artists.append(artist)
    return {
        "artists": artists,
        "venues": [
            {"id": str(pk), "name": name}
            for pk, name in Venue.objects.filter(id__in=venues, **scoped).values_list("id", "name")
        ],
        "missions": [
            {"id": str(pk), "name": name, "project_id": str(project), "venue_id": str(venue)}
            for pk, name, project, venue in Mission.objects.filter(
                id__in=missions, **scoped
            ).values_list("id", "name", "project_id", "venue_id")
        ],
        "projects": [
            {"id": str(pk), "name": name, "color": color}
            for pk, name, color in Project.objects.filter(id__in=projects, **scoped).values_list(
                "id", "name", "color"
            )
        ],
        "roles": [
            {"id": str(pk), "name": name}
            for pk, name in Role.objects.filter(id__in=roles, **scoped).values_list("id", "name")
        ],
    }
