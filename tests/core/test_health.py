"""Probes: /healthz, /livez, /readyz (503 without a database) and /api/v1/health."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/healthz", "/livez", "/api/v1/health"])
def test_the_liveness_probes_answer_ok(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_its_checks(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True}}


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every new cursor on the default connection fails as an unreachable server does."""
    refused = OperationalError("connection to server at 127.0.0.1 port 5432 failed")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        yield


@pytest.mark.usefixtures("database_down")
def test_readyz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": False, "cache": True},
    }


@pytest.mark.usefixtures("database_down")
def test_liveness_does_not_depend_on_the_database(client: Client) -> None:
    assert client.get("/livez").status_code == 200
    assert client.get("/healthz").status_code == 200


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_readyz_stays_ready_when_only_the_cache_is_down(client: Client) -> None:
    dead_cache = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    with override_settings(CACHES=dead_cache):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "cache": False}
