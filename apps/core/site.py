"""The public address that links shown to people are built on."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """``SITE_URL`` when configured; else the address the request came to; else (no request,
    as in an e-mail) ``PUBLIC_BASE_URL``. Never ends with a slash.

    Behind a proxy, the request's address is the proxy's view of it only if the proxy
    passes the host on (``USE_X_FORWARDED_HOST``); production should set ``SITE_URL``.
    """
    configured = str(getattr(settings, "SITE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return str(settings.PUBLIC_BASE_URL).rstrip("/")
