"""``/metrics`` is for scrapers: a bearer token or an allowed address, and it can be off."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.50"


def _scrape(**extra: str) -> object:
    return Client().get("/metrics", **extra)  # type: ignore[arg-type]


def test_an_outside_address_without_a_token_is_refused() -> None:
    assert_error(_scrape(REMOTE_ADDR=OUTSIDE), 403, "permission_denied")


def test_a_forwarded_header_does_not_make_an_address_allowed() -> None:
    response = _scrape(REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert_error(response, 403, "permission_denied")


def test_loopback_is_allowed_by_default() -> None:
    response = _scrape(REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert b"http_requests_in_flight" in response.content  # type: ignore[attr-defined]


@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8"])
def test_an_address_of_an_allowed_network_is_let_in() -> None:
    assert _scrape(REMOTE_ADDR="10.1.2.3").status_code == 200  # type: ignore[attr-defined]
    assert_error(_scrape(REMOTE_ADDR="127.0.0.1"), 403)


@override_settings(METRICS_TOKEN="s3cret-scrape-token", METRICS_ALLOWED_IPS=[])
def test_a_configured_token_is_required_and_checked() -> None:
    missing = _scrape(REMOTE_ADDR=OUTSIDE)
    wrong = _scrape(REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer nope")
    right = _scrape(REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")

    assert_error(missing, 401, "not_authenticated")
    assert missing["WWW-Authenticate"].startswith("Bearer")  # type: ignore[index]
    assert_error(wrong, 401, "not_authenticated")
    assert right.status_code == 200  # type: ignore[attr-defined]


@override_settings(METRICS_ENABLED=False)
def test_metrics_can_be_turned_off() -> None:
    assert_error(_scrape(REMOTE_ADDR="127.0.0.1"), 404, "not_found")
