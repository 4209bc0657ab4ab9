"""A per-organization data revision: the one invalidation scheme of every cache.

Every audited write bumps its organization's revision once its transaction commits (the
audit service is the one place every write already goes through), so a value cached
under ``(organization, revision)`` can never be served after a write, and a rolled-back
write invalidates nothing. No key patterns are scanned or deleted: stale entries become
unreachable and expire with ``CACHE_TTL_SECONDS``, which also bounds staleness if a bump
is lost while Redis is unreachable (its exceptions are ignored by configuration: every
``get`` is then a miss and every ``set`` a no-op, so reads come from the database).

A revision starts at the current time in nanoseconds rather than at 1, so that if Redis
loses the key (eviction, restart) the new numbering never meets entries cached under the
old one.

``CachedListMixin`` serves a list endpoint from this cache with ``X-Cache: HIT|MISS``.

Ranges (the timeline) are invalidated more finely, so that a write in one week does not
throw away the cached board of another. Weeks are the organization's local weeks (Monday
to Monday in its time zone), the weeks of the ``weekly_hours`` rule. A write whose reach
is known (a shift or an assignment, from its times before and after) bumps the revisions
of the weeks that its times overlap once widened by ``REACH`` on each side (rest and duty
periods run across midnight, so a write late on Sunday may badge Monday's shift); any
other write bumps the organization's *scope* revision, which every range revision
includes (rule settings, artists, the catalog, absences: they may change any week). A
range's revision combines the scope revision and those of the weeks it overlaps, read in
one round trip. Every write still bumps the organization revision above, which the list
caches keep using.

The board's timeline also keeps each local *day* of a range apart (its shifts and their
crew drawn, ``planning.schedule.timeline``), under day revisions: a shift's or an
assignment's write bumps the days its times overlap, exactly (a day's rows are those of
the shifts starting on it, so no ``REACH``: the badges, which reach further, are not part
of a day and are read again on every computed board). A week's board recomputed after a
write then draws only the day written.

Conflicts reach further than ``REACH`` only through a chain of shifts less than the
minimum rest apart that runs over more than a day (itself a ``min_rest`` conflict): the
stored conflicts' upkeep (``apps.planning.rules.stored``) bumps the weeks of the window it
replaced and of the conflicts it wrote, so such a chain's far badge is refreshed too.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, ClassVar
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.renderers import Rendered, render_json

CACHE_HEADER = "X-Cache"


# How far a write's effect on reads reaches around its times (see the module docstring).
REACH = timedelta(days=1)
# Beyond this many weeks one organization-wide bump costs less and is as correct.
MAX_WEEKS = 8
MAX_DAYS = 7 * MAX_WEEKS
Span = tuple[datetime, datetime]


def _key(organization_id: Any) -> str:
    return f"org-revision:{organization_id}"


def _scope_key(organization_id: Any) -> str:
    return f"org-scope-revision:{organization_id}"


def _week_key(organization_id: Any, monday: date) -> str:
    return f"org-week-revision:{organization_id}:{monday.isoformat()}"


def _day_key(organization_id: Any, day: date) -> str:
    return f"org-day-revision:{organization_id}:{day.isoformat()}"


def organization_revision(organization_id: Any) -> int | None:
    """The organization's current revision, created on first use; ``None`` without a cache."""
    return _revision(_key(organization_id))


def scope_revision(organization_id: Any) -> int | None:
    """The revision that only writes other than a shift's or an assignment's bump."""
    return _revision(_scope_key(organization_id))


def _revision(key: str) -> int | None:
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return int(value) if value is not None else None


def local_days(start: datetime, end: datetime, zone: tzinfo) -> list[date]:
    """The dates (in ``zone``) that ``[start, end)`` overlaps."""
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def local_weeks(start: datetime, end: datetime, zone: tzinfo) -> list[date]:
    """The Mondays (in ``zone``) of the local weeks that ``[start, end)`` overlaps."""
    mondays = {day - timedelta(days=day.weekday()) for day in local_days(start, end, zone)}
    return sorted(mondays)


def range_revision(
    organization_id: Any, start: datetime, end: datetime, zone: tzinfo
) -> str | None:
    """The revision of what a read of ``[start, end)`` shows; ``None`` without a cache.

    The scope revision and those of the local weeks the range overlaps, in one
    ``get_many``; a week never written yet gets its revision on first read (so that a
    later bump changes it).
    """
    keys = [_scope_key(organization_id)]
    keys += [_week_key(organization_id, monday) for monday in local_weeks(start, end, zone)]
    values = _revisions(keys)
    if values is None:
        return None
    joined = ".".join(str(values[key]) for key in keys)
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


def day_revisions(organization_id: Any, days: Iterable[date]) -> dict[date, str] | None:
    """Each day's revision joined with the scope revision, in one ``get_many`` (a day
    never written yet gets its revision on first read); ``None`` without a cache."""
    days = list(days)
    scope = _scope_key(organization_id)
    keys = {day: _day_key(organization_id, day) for day in days}
    values = _revisions([scope, *keys.values()])
    if values is None:
        return None
    return {day: f"{values[scope]}.{values[key]}" for day, key in keys.items()}


def _revisions(keys: list[str]) -> dict[str, Any] | None:
    """The revisions under ``keys``, created where missing; ``None`` without a cache."""
    values = cache.get_many(keys)
    missing = [key for key in keys if key not in values]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        values.update(cache.get_many(missing))
        if any(key not in values for key in keys):
            return None
    return values


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no revision yet (first write, or evicted): a fresh one is as good
        cache.add(key, time.time_ns(), timeout=None)


def bump_organization_revision(organization_id: Any) -> None:
    """Make everything cached for the organization stale: its lists and every range."""
    _bump(_key(organization_id))
    _bump(_scope_key(organization_id))


def bump_weeks(
    organization_id: Any, spans: Iterable[Span], zone: tzinfo, *, days: bool = True
) -> None:
    """Make stale the lists and the ranges within ``REACH`` of ``spans`` (a shift's or an
    assignment's times before and after a write); other weeks keep their cached reads.
    With ``days``, the days ``spans`` overlap too (a row written there)."""
    spans = list(spans)
    weeks = {
        monday for start, end in spans for monday in local_weeks(start - REACH, end + REACH, zone)
    }
    written = (
        {day for start, end in spans for day in local_days(start, end, zone)} if days else set()
    )
    if len(weeks) > MAX_WEEKS or len(written) > MAX_DAYS:
        bump_organization_revision(organization_id)
        return
    # Days first: a read that sees a week's new revision then reads its days' new ones, so
    # a board is never drawn from a day older than its key (``schedule.timeline``).
    for day in sorted(written):
        _bump(_day_key(organization_id, day))
    for monday in sorted(weeks):
        _bump(_week_key(organization_id, monday))
    _bump(_key(organization_id))


def bump_after_commit(
    organization_id: Any,
    spans: list[Span] | None = None,
    zone: tzinfo = UTC,
    *,
    days: bool = True,
) -> None:
    """Once the write commits: the weeks (in ``zone``) around ``spans`` (and the days they
    overlap, unless ``days`` is false: no row was written there); ``None``: all."""
    if spans is None:
        transaction.on_commit(lambda: bump_organization_revision(organization_id))
    else:
        transaction.on_commit(lambda: bump_weeks(organization_id, spans, zone, days=days))


def list_cache_key(
    *,
    namespace: str,
    organization_id: UUID | str,
    revision: int | str,
    query: str,
    visibility: str,
) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"lists:{namespace}:{organization_id}:r{revision}:{visibility}:{digest}"


def canonical_query(request: Request) -> str:
    """The full query string, parameters sorted so that ``?a=1&b=2`` and ``?b=2&a=1`` share."""
    pairs = sorted((key, value) for key, values in request.query_params.lists() for value in values)
    return "&".join(f"{key}={value}" for key, value in pairs)


class CachedListMixin:
    """Serve ``list`` from the per-organization cache; answer ``X-Cache: HIT|MISS``.

    Only successful answers are cached, so a 404 for a foreign id in the query string or
    a 400 for a bad filter is computed every time. Permissions and tenancy run before
    ``list`` (in ``initial``), so a cached page is only ever served to a member of its
    organization. ``cache_visibility`` separates what different callers may see; the
    catalog lists show the same to every role, so it is constant by default.
    """

    cache_namespace: ClassVar[str]
    # A list that shows nothing of shifts and assignments (the crew) may say so: it then
    # stays cached through their writes, and only other writes make it stale.
    cache_survives_planning_writes: ClassVar[bool] = False

    def cache_visibility(self) -> str:
        return "all"

    def cache_range(self) -> tuple[datetime, datetime] | None:
        """A list bounded in time (shifts of a week) may name its range: it is then cached
        under the range's revision, and a write in another week leaves it cached."""
        return None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = request.organization  # type: ignore[attr-defined]
        organization_id = organization.pk
        bounds = self.cache_range()
        revision: int | str | None
        if bounds is not None:
            revision = range_revision(organization_id, *bounds, organization.tzinfo)
        elif self.cache_survives_planning_writes:
            revision = scope_revision(organization_id)
        else:
            revision = organization_revision(organization_id)
        key = None
        if revision is not None:
            key = list_cache_key(
                namespace=self.cache_namespace,
                organization_id=organization_id,
                revision=revision,
                query=canonical_query(request),
                visibility=self.cache_visibility(),
            )
        compute = super().list  # type: ignore[misc]
        return cached_answer(key, lambda: compute(request, *args, **kwargs))


def cached_answer(key: str | None, compute: Callable[[], Response]) -> Response:
    """The answer cached under ``key`` (``X-Cache: HIT``), else ``compute``'s (``MISS``),
    cached when it is a success: a 404 for a foreign id or a 400 for a bad filter is
    computed every time. The body is cached rendered, so a hit is neither unpickled nor
    encoded. ``key`` ``None`` (no cache): computed."""
    if key is not None:
        cached = cache.get(key)
        if isinstance(cached, bytes):
            return Response(Rendered(cached), headers={CACHE_HEADER: "HIT"})
    response = compute()
    if key is not None and response.status_code == 200:
        body = render_json(response.data)  # once, for the cache and for this answer
        cache.set(key, body, timeout=settings.CACHE_TTL_SECONDS)
        response.data = Rendered(body)
    response[CACHE_HEADER] = "MISS"
    return response
