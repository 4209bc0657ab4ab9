"""A per-organization data revision, for caching what is derived from the planning.

Every audited write bumps its organization's revision once its transaction commits (the
audit service is the one place every planning write already goes through), so a value
cached under ``(organization, revision)`` can never be served after a write. Values also
expire with ``CACHE_TTL_SECONDS``, which bounds staleness if a bump is lost while Redis
is unreachable (its exceptions are ignored by configuration).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction


def _key(organization_id: Any) -> str:
    return f"org-revision:{organization_id}"


def organization_revision(organization_id: Any) -> int:
    value = cache.get(_key(organization_id))
    return int(value) if value is not None else 0


def bump_organization_revision(organization_id: Any) -> None:
    key = _key(organization_id)
    try:
        cache.incr(key)
    except ValueError:  # no revision yet: start one that never expires
        cache.set(key, 1, timeout=None)


def bump_after_commit(organization_id: Any) -> None:
    transaction.on_commit(lambda: bump_organization_revision(organization_id))
