"""``/metrics``: Prometheus exposition, for scrapers only.

The page tells anyone who reads it the traffic of every view, so it is guarded:

- ``METRICS_ENABLED=false`` turns it off (404);
- a scraper is let in if it sends ``Authorization: Bearer <METRICS_TOKEN>`` (when that
  setting is set; compared in constant time), or if its address (``REMOTE_ADDR``, not a
  forwarded header) is in ``METRICS_ALLOWED_IPS`` (addresses or CIDR networks;
  loopback only by default);
- anyone else gets 401 (a token is configured) or 403, in the API's error shape.

Under gunicorn with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty,
writable directory shared by the workers (wiped at start-up): django-prometheus then
aggregates every worker's samples on each scrape.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from apps.core.errors import (
    ApplicationError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    application_error_response,
)


@lru_cache(maxsize=8)
def _networks(
    allowed: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)


def address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


def token_matches(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)


def refusal(request: HttpRequest) -> ApplicationError | None:
    if not settings.METRICS_ENABLED:
        return NotFound()
    if token_matches(request) or address_allowed(request.META.get("REMOTE_ADDR", "")):
        return None
    if settings.METRICS_TOKEN:
        return NotAuthenticated("A metrics bearer token is required.")
    return PermissionDenied("Metrics are served to allowed addresses only.")


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    refused = refusal(request)
    if refused is None:
        return ExportToDjangoView(request)  # type: ignore[no-any-return]
    response = application_error_response(refused)
    if refused.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response
