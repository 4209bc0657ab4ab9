"""Probes: liveness, readiness and the plain health check."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.api import tenant_exempt

logger = logging.getLogger(__name__)


@tenant_exempt("probe: says nothing about any organization")
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@tenant_exempt("probe: says nothing about any organization")
@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """The process answers; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("readiness: database unreachable", exc_info=True)
        return False


def cache_ok() -> bool:
    try:
        cache.set("readyz", "1", 5)
        return cache.get("readyz") == "1"
    except Exception:
        logger.warning("readiness: cache unreachable", exc_info=True)
        return False


@tenant_exempt("probe: says nothing about any organization")
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """503 when the database is unreachable; a cache outage degrades but stays ready."""
    checks = {"database": database_ok(), "cache": cache_ok()}
    ready = checks["database"]
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if ready else 503)
