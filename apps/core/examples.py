"""The one way to write an OpenAPI example of a request or a response body."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample


def request_example(name: str, value: Any) -> OpenApiExample:
    """An example request body."""
    return OpenApiExample(name, value=value, request_only=True)


def response_example(name: str, value: Any, status_code: int | None = None) -> OpenApiExample:
    """An example response body, for ``status_code`` (by default every 200 and 201 answer)."""
    status_codes = [str(status_code)] if status_code is not None else None
    return OpenApiExample(name, value=value, response_only=True, status_codes=status_codes)
