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

``CachedListMixin`` serves a list endpoint from this cache with ``X-Cache: HIT|MISS``; the
timeline caches its payload the same way.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, ClassVar
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from rest_framework.request import Request
from rest_framework.response import Response

CACHE_HEADER = "X-Cache"


def _key(organization_id: Any) -> str:
    return f"org-revision:{organization_id}"


def organization_revision(organization_id: Any) -> int | None:
    """The organization's current revision, created on first use; ``None`` without a cache."""
    key = _key(organization_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return int(value) if value is not None else None


def bump_organization_revision(organization_id: Any) -> None:
    key = _key(organization_id)
    try:
        cache.incr(key)
    except ValueError:  # no revision yet (first write, or evicted): a fresh one is as good
        cache.add(key, time.time_ns(), timeout=None)


def bump_after_commit(organization_id: Any) -> None:
    transaction.on_commit(lambda: bump_organization_revision(organization_id))


def list_cache_key(
    *, namespace: str, organization_id: UUID | str, revision: int, query: str, visibility: str
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

    def cache_visibility(self) -> str:
        return "all"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization_id = request.organization.pk  # type: ignore[attr-defined]
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
            cached = cache.get(key)
            if cached is not None:
                return Response(cached, headers={CACHE_HEADER: "HIT"})
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if key is not None and response.status_code == 200:
            cache.set(key, response.data, timeout=settings.CACHE_TTL_SECONDS)
        response[CACHE_HEADER] = "MISS"
        return response
