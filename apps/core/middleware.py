"""Request context, the per-request JSON log line, the in-flight gauge and the request guard."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import Gauge

from apps.core.context import request_id_var, trace_id_var, undo_var
from apps.core.errors import (
    ApplicationError,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    application_error_response,
    unavailable_from,
)

logger = logging.getLogger("crewplan.request")

REQUEST_ID_HEADER = "X-Request-ID"
# Sent by a write that undoes the previous one (the board's undo toast): audited as such.
UNDO_HEADER = "X-Undo"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")

IN_FLIGHT = Gauge(
    "http_requests_in_flight",
    "HTTP requests being served right now by this process.",
    # Under PROMETHEUS_MULTIPROC_DIR: the sum over the live workers.
    multiprocess_mode="livesum",
)


def incoming_request_id(request: HttpRequest) -> str:
    """Keep a well-formed incoming id (so a trace spans services); mint one otherwise."""
    candidate = request.headers.get(REQUEST_ID_HEADER, "")
    if _SAFE_REQUEST_ID.match(candidate):
        return candidate
    return uuid.uuid4().hex


def incoming_trace_id(request: HttpRequest) -> str | None:
    match = _TRACEPARENT.match(request.headers.get("traceparent", "").strip().lower())
    return match.group(1) if match else None


class RequestContextMiddleware:
    """Sets the request id and trace id, echoes the id, logs one JSON line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request)
        trace_id = incoming_trace_id(request)
        request_token = request_id_var.set(request_id)
        trace_token = trace_id_var.set(trace_id)
        undo_token = undo_var.set(request.headers.get(UNDO_HEADER, "").lower() in ("1", "true"))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            request_id_var.reset(request_token)
            trace_id_var.reset(trace_token)
            undo_var.reset(undo_token)


class InFlightMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        IN_FLIGHT.inc()
        try:
            return self.get_response(request)
        finally:
            IN_FLIGHT.dec()


class RequestGuardMiddleware:
    """Refuses, before any view, requests that would otherwise end in a 500 deeper down.

    - A NUL byte in the path answers 404 (no route holds one), in a query parameter 400
      naming the parameter: PostgreSQL text cannot hold NUL, so it would fail in a query.
    - A declared ``Content-Length`` over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413
      without reading the body (multipart uploads excepted, as in Django's own limit).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self.refusal(request)
        if refused is not None:
            return application_error_response(refused)
        return self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> ApplicationError | None:
        if "\x00" in request.path:
            return NotFound()
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                field = name.replace("\x00", "\\x00")
                return ValidationFailed.for_field(field, "NUL characters are not allowed.")
        if _declared_length(request) > _body_limit(request):
            return PayloadTooLarge()
        return None


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _body_limit(request: HttpRequest) -> float:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return float("inf")
    return float(limit)


class ServiceUnavailableMiddleware:
    """Views outside DRF (pages, admin): a database outage answers 503 with Retry-After.

    DRF views get the same answer from ``apps.core.errors.exception_handler``, and
    middleware failures from ``json_server_error``; the probes keep their own bodies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        unavailable = unavailable_from(exception)
        return application_error_response(unavailable) if unavailable else None
