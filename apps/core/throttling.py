"""Rate limits that hold when Redis is down.

DRF's throttles keep their history in the default cache, and that cache ignores Redis
errors on purpose (a cache outage must not fail requests): with Redis down every
``get`` answered "no history", so the login throttle silently switched off.

``FailoverThrottleCache`` talks to Redis with its errors raised and, when Redis fails,
keeps the history in this process's memory for ``THROTTLE_FAILOVER_SECONDS`` before it
tries Redis again: a per-process limit rather than none. Every throttle of the API
derives from the classes below.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)

SHARED_CACHE_ERRORS = (ConnectionInterrupted, RedisError, OSError)


class FailoverThrottleCache(BaseCache):
    """The ``get``/``set`` a throttle needs: the shared cache, else a local one."""

    def __init__(self) -> None:
        super().__init__({})
        self.local = LocMemCache("crewplan-throttle-failover", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.down_until = 0.0

    def reset(self) -> None:
        """Forget the local history and try the shared cache again (tests, recovery)."""
        self.local.clear()
        self.down_until = 0.0

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,  # type: ignore[assignment]
        version: int | None = None,
    ) -> None:
        self._call("set", key, value, timeout)

    def _call(self, operation: str, *args: Any) -> Any:
        if time.monotonic() >= self.down_until:
            try:
                return getattr(self._shared(), operation)(*args)
            except SHARED_CACHE_ERRORS:
                seconds = settings.THROTTLE_FAILOVER_SECONDS
                logger.warning("throttle cache unreachable: local limits for %ss", seconds)
                self.down_until = time.monotonic() + seconds
        return getattr(self.local, operation)(*args)

    @staticmethod
    def _shared() -> Any:
        """The default cache; for django-redis its client, which raises instead of ignoring."""
        backend = caches[DEFAULT_CACHE_ALIAS]
        return backend.client if isinstance(backend, RedisCache) else backend


FAILOVER_CACHE = FailoverThrottleCache()


class SimpleRateThrottle(throttling.SimpleRateThrottle):
    cache = FAILOVER_CACHE


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    cache = FAILOVER_CACHE
