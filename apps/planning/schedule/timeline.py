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

from apps.core.revisions import organization_revision
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, Venue
from apps.planning.rules.conflicts import CANCELLED, check_range
from apps.planning.rules.facts import Conflict, Key
from apps.planning.rules.report import present_conflicts

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

    def cache_key(self) -> str:
        parts = (
            utc_iso(self.start),
            utc_iso(self.end),
            self.project_id,
            self.venue_id,
            self.role_id,
            self.artist_id,
            ",".join(self.statuses),
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
    """The board payload as JSON text, cached until the organization's next write.

    The key holds the organization's data revision (bumped after every audited write)
    and the query, so a board reloaded without changes costs a cache read, and any
    change is visible at once. The payload is cached encoded: a hit costs no encoding.
    """
    revision = organization_revision(organization.pk)
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
    conflicts, badges = _badges(
        check.conflicts, present_conflicts(organization, check.conflicts), shown
    )
    artist_ids = {seat[1] for held in seats.values() for seat in held}
    names = _lookups(organization, check.shifts, artist_ids)
    position = {kind: _positions(names[kind]) for kind in ("missions", "roles", "artists")}
    shifts = [
        _shift(row, seats.get(row[0], []), badges.get(row[0], []), position) for row in check.shifts
    ]
    return {
        "range": {"from": utc_iso(query.start), "to": utc_iso(query.end)},
        "timezone": organization.timezone,
        "shifts": shifts,
        "conflicts": conflicts,
        "conflicts_recomputing": check.recomputing,
        **names,
    }


def utc_iso(value: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, as DRF renders datetimes everywhere else."""
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_minute(value: datetime) -> str:
    """An instant in UTC to the minute, ``2025-03-14T17:00Z``: what the board needs."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _positions(items: list[dict[str, Any]]) -> dict[str, int]:
    return {item["id"]: index for index, item in enumerate(items)}


def _assignments_by_shift(
    rows: Iterable[tuple[Any, ...]], shown: Collection[Key]
) -> dict[Key, list[tuple[Any, ...]]]:
    seats: dict[Key, list[tuple[Any, ...]]] = {}
    for assignment_id, shift_id, artist_id, status, locked, source, *_ in rows:
        if shift_id in shown:
            seats.setdefault(shift_id, []).append(
                (str(assignment_id), str(artist_id), status, locked, source)
            )
    return seats


def _badges(
    conflicts: Iterable[Conflict], presented: Iterable[dict[str, Any]], shown: Collection[Key]
) -> tuple[list[dict[str, Any]], dict[Key, list[int]]]:
    """Each conflict once (in the reader's words, ``waived`` when it is), and the positions
    of those that badge each shift."""
    listed: list[dict[str, Any]] = []
    badges: dict[Key, list[int]] = {}
    for conflict, answer in zip(conflicts, presented, strict=True):
        named = [key for key in dict.fromkeys(conflict.shift_keys) if key in shown]
        if not named:
            continue
        listed.append(
            {key: answer[key] for key in ("type", "rule", "message", "waived") if key in answer}
        )
        for shift_key in named:
            badges.setdefault(shift_key, []).append(len(listed) - 1)
    return listed, badges


def _shift(
    row: tuple[Any, ...],
    seats: list[tuple[Any, ...]],
    badges: list[int],
    position: dict[str, dict[str, int]],
) -> dict[str, Any]:
    shift_id, mission_id, _, _, role_id, start_at, end_at, status = row[:8]
    headcount, max_headcount, break_minutes = row[8:11]
    artists = position["artists"]
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
        "crew": [
            [assignment_id, artists[artist_id], seat_status, bool(locked), source]
            for assignment_id, artist_id, seat_status, locked, source in seats
        ],
    }


def _lookups(
    organization: Organization, shift_rows: list[tuple[Any, ...]], artist_ids: Collection[str]
) -> dict[str, list[dict[str, Any]]]:
    """Names of what the shifts refer to: four small queries, one per kind."""
    missions = {row[1] for row in shift_rows}
    projects = {row[2] for row in shift_rows}
    venues = {row[3] for row in shift_rows}
    roles = {row[4] for row in shift_rows}
    scoped = {"organization": organization}
    return {
        "artists": [
            {"id": str(pk), "name": f"{first} {last}".strip()}
            for pk, first, last in Artist.objects.filter(id__in=artist_ids, **scoped)
            .order_by("last_name", "first_name", "id")
            .values_list("id", "first_name", "last_name")
        ],
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
