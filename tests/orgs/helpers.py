"""Helpers for the account and organization tests: log in through the API, read tokens."""

from __future__ import annotations

from typing import Any

import jwt
from django.conf import settings
from rest_framework.response import Response
from rest_framework.test import APIClient

from tests.factories import PASSWORD

LOGIN_URL = "/api/v1/auth/login"
REFRESH_URL = "/api/v1/auth/refresh"
LOGOUT_URL = "/api/v1/auth/logout"
ME_URL = "/api/v1/auth/me"


def login(client: APIClient, email: str, password: str = PASSWORD, **extra: Any) -> Response:
    """POST /auth/login; the client keeps the refresh cookie it answers with."""
    return client.post(  # type: ignore[no-any-return]
        LOGIN_URL, {"email": email, "password": password}, format="json", **extra
    )


def refresh_cookie(response: Response) -> str:
    return str(response.cookies[settings.REFRESH_COOKIE_NAME].value)


def claims(token: str) -> dict[str, Any]:
    """Verified claims of a token signed by this service."""
    return jwt.decode(  # type: ignore[no-any-return]
        token, settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"]
    )


def bearer(access_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


def with_refresh_cookie(raw: str) -> APIClient:
    client = APIClient()
    client.cookies[settings.REFRESH_COOKIE_NAME] = raw
    return client
