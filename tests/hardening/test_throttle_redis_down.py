"""Redis down: the rate limits hold (per process) instead of switching off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle as DRFScopedRateThrottle

from apps.core.throttling import FAILOVER_CACHE
from tests.conftest import Scenario, assert_error

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: connection refused
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}


@pytest.fixture
def redis_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    rates = {**DRFScopedRateThrottle.THROTTLE_RATES, "auth": "3/min", "invitation": "3/min"}
    monkeypatch.setattr(DRFScopedRateThrottle, "THROTTLE_RATES", rates)
    with override_settings(CACHES=DEAD_REDIS):
        cache.set("probe", "1")
        assert cache.get("probe") is None, "the cache should be unreachable"
        yield


@pytest.mark.usefixtures("redis_down")
@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/v1/auth/login", {"email": "nobody@nuits.test", "password": "x"}),
        ("/api/v1/auth/signup", {}),
        ("/api/v1/auth/reset/request", {"email": "nobody@nuits.test"}),
    ],
)
def test_the_auth_throttle_still_answers_429_when_redis_is_down(
    scenario: Scenario, url: str, payload: dict[str, str]
) -> None:
    client = APIClient()

    allowed = [client.post(url, payload, format="json").status_code for _ in range(3)]
    response = client.post(url, payload, format="json")

    assert 429 not in allowed
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    other = client.post(url, payload, format="json", REMOTE_ADDR="203.0.113.7")
    assert other.status_code != 429, "the limit is still per client address"


@pytest.mark.usefixtures("redis_down")
def test_the_invitation_link_throttle_still_answers_429_when_redis_is_down(
    scenario: Scenario,
) -> None:
    client = APIClient()
    url = "/api/v1/invitations/6b1f9a52-3c1e-4c43-9a4b-0c7de3a8e001/accept"

    allowed = [client.post(url, {"token": "x"}, format="json").status_code for _ in range(3)]
    response = client.post(url, {"token": "x"}, format="json")

    assert 429 not in allowed
    assert_error(response, 429, "throttled")


@pytest.mark.django_db
def test_with_redis_up_the_history_is_shared_in_redis(scenario: Scenario) -> None:
    client = APIClient()

    client.post("/api/v1/auth/login", {"email": "a@b.test", "password": "x"}, format="json")

    assert any("throttle_auth_" in str(key) for key in cache.keys("*throttle_auth_*"))
    assert not FAILOVER_CACHE.local._cache  # type: ignore[attr-defined]
