"""Per-organization cache of heavy list endpoints (projects, missions), with ``X-Cache``.

Keys embed a per-organization *version number*; a write bumps the version (``incr``)
after its transaction commits, so every list cached before the write becomes unreachable
at once and simply expires with its TTL. No key patterns are scanned or deleted, and a
rolled-back write invalidates nothing.

The version starts at the current time in nanoseconds rather than at 1, so that if Redis
loses the version key (eviction, restart) the new numbering never meets entries cached
under the old one.

The cache backend ignores Redis errors (``IGNORE_EXCEPTIONS``): when Redis is down every
``get`` is a miss and every ``set`` a no-op, so the lists are served from the database
with ``X-Cache: MISS`` and no error.

Use ``CachedListMixin`` on a list view, and call ``invalidate_catalog_lists`` from every
service that writes projects or missions (or what they embed: venues, roles, staffing).
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
_KEY_ROOT = "planning:lists"


def _version_key(organization_id: UUID | str) -> str:
    return f"{_KEY_ROOT}:version:{organization_id}"


def catalog_version(organization_id: UUID | str) -> int | None:
    """The organization's current list version, created on first use; ``None`` if no cache."""
    key = _version_key(organization_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return int(version) if version is not None else None


def _bump_now(organization_id: UUID | str) -> None:
    key = _version_key(organization_id)
    try:
        cache.incr(key)
    except ValueError:
        # The key does not exist (first write, or evicted): a fresh version is as good.
        cache.add(key, time.time_ns(), timeout=None)


def invalidate_catalog_lists(organization_id: UUID | str) -> None:
    """Make the organization's cached project and mission lists stale once this commits."""
    transaction.on_commit(lambda: _bump_now(organization_id))


def list_cache_key(
    *, namespace: str, organization_id: UUID | str, version: int, query: str, visibility: str
) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"{_KEY_ROOT}:{namespace}:{organization_id}:v{version}:{visibility}:{digest}"


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
        version = catalog_version(organization_id)
        key = None
        if version is not None:
            key = list_cache_key(
                namespace=self.cache_namespace,
                organization_id=organization_id,
                version=version,
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
