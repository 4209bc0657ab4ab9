"""Brute-force protection: django-axes locks an (account, IP) pair after five failures,
with its database handler (so it holds when Redis is down), and the auth endpoints are
rate-limited."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.conftest import Scenario, assert_error
from tests.factories import PASSWORD
from tests.orgs.helpers import login

ACCOUNT = "manager@nuits.test"
ATTACKER_IP = "198.51.100.23"


def fail_five_times(client: APIClient, email: str = ACCOUNT, ip: str = ATTACKER_IP) -> list[int]:
    return [login(client, email, "wrong-password", REMOTE_ADDR=ip).status_code for _ in range(5)]


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(
    scenario: Scenario,
) -> None:
    client = APIClient()

    statuses = fail_five_times(client)
    response = login(client, ACCOUNT, PASSWORD, REMOTE_ADDR=ATTACKER_IP)

    assert statuses == [401, 401, 401, 401, 429]
    assert_error(response, 429, "account_locked")
    assert "refresh_token" not in response.cookies


def test_the_lockout_is_per_account_and_address(scenario: Scenario) -> None:
    fail_five_times(APIClient())

    other_address = login(APIClient(), ACCOUNT, PASSWORD, REMOTE_ADDR="203.0.113.7")
    other_account = login(APIClient(), "tech@nuits.test", PASSWORD, REMOTE_ADDR=ATTACKER_IP)

    assert other_address.status_code == 200
    assert other_account.status_code == 200


def test_a_forwarded_for_header_does_not_lift_the_lockout(scenario: Scenario) -> None:
    fail_five_times(APIClient())

    response = login(
        APIClient(), ACCOUNT, PASSWORD, REMOTE_ADDR=ATTACKER_IP, HTTP_X_FORWARDED_FOR="192.0.2.1"
    )

    assert_error(response, 429, "account_locked")


def test_a_success_before_the_limit_resets_the_failure_count(scenario: Scenario) -> None:
    client = APIClient()
    for _ in range(4):
        login(client, ACCOUNT, "wrong-password", REMOTE_ADDR=ATTACKER_IP)
    assert login(client, ACCOUNT, PASSWORD, REMOTE_ADDR=ATTACKER_IP).status_code == 200

    statuses = [
        login(client, ACCOUNT, "wrong-password", REMOTE_ADDR=ATTACKER_IP).status_code
        for _ in range(4)
    ]

    assert statuses == [401, 401, 401, 401]


@pytest.fixture
def redis_down() -> Iterator[None]:
    """The cache points at a port where nothing listens (errors are ignored, as in prod)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    with override_settings(CACHES=dead):
        cache.set("probe", "1")
        assert cache.get("probe") is None, "the cache should be unreachable"
        yield


@pytest.mark.usefixtures("redis_down")
def test_the_lockout_holds_when_redis_is_down(scenario: Scenario) -> None:
    client = APIClient()

    statuses = fail_five_times(client)
    response = login(client, ACCOUNT, PASSWORD, REMOTE_ADDR=ATTACKER_IP)

    assert statuses == [401, 401, 401, 401, 429]
    assert_error(response, 429, "account_locked")
    assert login(APIClient(), ACCOUNT, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.fixture
def auth_rate_three_per_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRF copies the rates onto the throttle class at import, so patch them there."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": "3/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


@pytest.mark.usefixtures("auth_rate_three_per_minute")
@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/v1/auth/login", {"email": "nobody@nuits.test", "password": "x"}),
        ("/api/v1/auth/reset/request", {"email": "nobody@nuits.test"}),
        ("/api/v1/auth/signup", {}),
        ("/api/v1/auth/refresh", {}),
    ],
)
def test_auth_endpoints_are_throttled_with_retry_after(
    db: None, url: str, payload: dict[str, str]
) -> None:
    client = APIClient()

    allowed = [client.post(url, payload, format="json").status_code for _ in range(3)]
    response = client.post(url, payload, format="json")

    assert 429 not in allowed
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    other_address = client.post(url, payload, format="json", REMOTE_ADDR="203.0.113.7")
    assert other_address.status_code != 429
