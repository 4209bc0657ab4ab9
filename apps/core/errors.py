"""Typed application errors and the one place that maps every error to JSON.

Services raise these; views never build error responses themselves. Every error
answers the same shape, documented in the OpenAPI schema as ``Error``::

    {"error": {"status": 409, "code": "hard_conflict", "message": "...",
               "fields": {"end_at": ["..."]}, "conflicts": [...], "request_id": "..."}}

``code`` is stable and machine-readable; ``message`` is for people. ``fields`` appears
on validation errors (and on a 404 whose id came from the body), ``conflicts`` on
planning conflicts.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from apps.core.context import current_request_id

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """Base of every error a service may raise on purpose."""

    status_code = 400
    code = "invalid"
    default_message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)

    @property
    def headers(self) -> dict[str, str]:
        """Response headers this error adds (``Retry-After`` on a 503)."""
        return {}


class ValidationFailed(ApplicationError):
    status_code = 400
    code = "invalid"
    default_message = "Invalid input."

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str = "invalid") -> ValidationFailed:
        return cls(message, code=code, fields={field: [message]})


class NotAuthenticated(ApplicationError):
    status_code = 401
    code = "not_authenticated"
    default_message = "Authentication credentials were not provided or are invalid."


class PermissionDenied(ApplicationError):
    status_code = 403
    code = "permission_denied"
    default_message = "Your role does not allow this action."


class NotFound(ApplicationError):
    """Missing and "not yours" answer the same, so ids of other tenants leak nothing."""

    status_code = 404
    code = "not_found"
    default_message = "Not found."

    @classmethod
    def for_field(cls, field: str) -> NotFound:
        message = "No such object in this organization."
        return cls(message, fields={field: [message]})


class ConflictError(ApplicationError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class HardConflictError(ConflictError):
    """A planning write that would break a hard labour rule."""

    code = "hard_conflict"
    default_message = "The change breaks a hard planning rule."

    def __init__(self, conflicts: list[dict[str, Any]], message: str | None = None) -> None:
        super().__init__(message, extra={"conflicts": conflicts})
        self.conflicts = conflicts


class PreconditionFailed(ApplicationError):
    """An ``If-Match`` that no longer names the current version of the row."""

    status_code = 412
    code = "precondition_failed"
    default_message = "Someone else changed this in the meantime; reload it and try again."


class Gone(ApplicationError):
    status_code = 410
    code = "gone"
    default_message = "This link has expired."


class PayloadTooLarge(ApplicationError):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's ``RequestDataTooBig`` too)."""

    status_code = 413
    code = "payload_too_large"
    default_message = "The request body is too large."


class TooManyRequests(ApplicationError):
    status_code = 429
    code = "throttled"
    default_message = "Too many requests; try again later."


class ServiceUnavailable(ApplicationError):
    """A dependency (the database) is unreachable or timed out: retry, it is not your input."""

    status_code = 503
    code = "service_unavailable"
    default_message = "The service is temporarily unavailable; try again shortly."

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)}


# Connection refused or lost, connect or statement timeout: psycopg's OperationalError
# family, as Django wraps it. Mapped on the class, never on the message.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def unavailable_from(exc: BaseException | None) -> ServiceUnavailable | None:
    """The 503 a database outage answers, or ``None`` for any other exception."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        logger.warning("database unavailable: answering 503", exc_info=exc)
        return ServiceUnavailable()
    return None


_DRF_CODES: dict[type[drf.APIException], str] = {
    drf.ParseError: "parse_error",
    drf.AuthenticationFailed: "authentication_failed",
    drf.NotAuthenticated: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
}


def error_body(
    status: int,
    code: str,
    message: str,
    *,
    fields: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    if extra:
        body.update(extra)
    body["request_id"] = current_request_id()
    return {"error": body}


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"dotted.field": [messages]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_fields(value, name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flatten_fields(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _from_validation(detail: Any) -> Response:
    fields = flatten_fields(detail)
    first = next(iter(fields.items()), ("", ["Invalid input."]))
    message = f"{first[0]}: {first[1][0]}" if first[0] else first[1][0]
    return Response(error_body(400, "invalid", message, fields=fields), status=400)


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in errs] for key, errs in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error becomes the documented JSON shape."""
    # Imported here: rest_framework.views imports the authentication classes, which
    # import this module.
    from rest_framework.views import set_rollback

    set_rollback()
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    exc = unavailable_from(exc) or exc
    if isinstance(exc, ApplicationError):
        body = error_body(
            exc.status_code, exc.code, exc.message, fields=exc.fields, extra=exc.extra
        )
        return Response(body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, DjangoValidationError):
        return _from_validation(_django_validation_detail(exc))
    if isinstance(exc, drf.ValidationError):
        return _from_validation(exc.detail)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    if isinstance(exc, drf.APIException):
        return _from_api_exception(exc)
    return None


def _from_api_exception(exc: drf.APIException) -> Response:
    code = _code_for(exc)
    detail = exc.detail
    if isinstance(detail, dict):
        message = str(detail.get("detail", detail.get("message", exc.default_detail)))
    elif isinstance(detail, list):
        message = str(detail[0]) if detail else str(exc.default_detail)
    else:
        message = str(detail)
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(int(wait))
    return Response(
        error_body(exc.status_code, code, message), status=exc.status_code, headers=headers
    )


def _code_for(exc: drf.APIException) -> str:
    for klass in type(exc).__mro__:
        if klass in _DRF_CODES:
            code = _DRF_CODES[klass]
            if code == "authentication_failed" and type(exc).__name__ == "InvalidToken":
                return "token_not_valid"
            return code
    return str(getattr(exc, "default_code", "error"))


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 404 handler: unknown URLs answer the same JSON shape as the API."""
    return JsonResponse(error_body(404, "not_found", "Not found."), status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    """Django's 500 handler. It runs inside the ``except`` that caught the error, so a
    database outage raised outside any view (a middleware) still answers 503."""
    unavailable = unavailable_from(sys.exc_info()[1])
    if unavailable is not None:
        return application_error_response(unavailable)
    return JsonResponse(
        error_body(500, "server_error", "An unexpected error occurred."), status=500
    )


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 400 handler; a body over the limit (``RequestDataTooBig``) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return application_error_response(PayloadTooLarge())
    return JsonResponse(error_body(400, "bad_request", "Bad request."), status=400)


def application_error_response(exc: ApplicationError) -> JsonResponse:
    """An application error answered outside DRF (middleware, Django's handlers)."""
    body = error_body(exc.status_code, exc.code, exc.message, fields=exc.fields, extra=exc.extra)
    response = JsonResponse(body, status=exc.status_code)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def json_permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> JsonResponse:
    return JsonResponse(error_body(403, "permission_denied", "Permission denied."), status=403)
