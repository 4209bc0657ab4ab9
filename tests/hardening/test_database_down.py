"""Database down: 503 ``service_unavailable`` with Retry-After, quickly, on every endpoint.

The outage is real: the default connection is pointed at a closed port (127.0.0.1:1),
so psycopg gets "connection refused" exactly as with a stopped server.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from apps.core.db import stop_job_statement_timeout, use_job_statement_timeout
from tests.conftest import Scenario, assert_error


@pytest.fixture
def database_refused(scenario: Scenario) -> Iterator[None]:
    """The scenario is stored (and committed); then every new connection is refused.

    Tests using it are transactional: no test transaction holds the connection open.
    """
    del scenario
    default = connections["default"]
    saved = dict(default.settings_dict)
    default.close()
    default.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


SIGNUP = {
    "email": "new@crew.test",
    "password": "a-long-passphrase-2026",
    "full_name": "New Owner",
    "organization_name": "New Company",
}


@pytest.fixture
def database_silent(scenario: Scenario) -> Iterator[None]:
    """A server that accepts the TCP connection and never answers the startup message."""
    del scenario
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    default = connections["default"]
    saved = dict(default.settings_dict)
    saved_options = dict(saved.get("OPTIONS", {}))
    default.close()
    default.settings_dict.update(HOST="127.0.0.1", PORT=str(server.getsockname()[1]))
    default.settings_dict["OPTIONS"] = {**saved_options, "connect_timeout": SILENT_TIMEOUT}
    try:
        yield
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)
        default.settings_dict["OPTIONS"] = saved_options
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


SILENT_TIMEOUT = 2  # libpq's shortest effective connect_timeout


def _assert_unavailable(response: Any, started: float) -> None:
    assert_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    assert time.monotonic() - started < settings.DB_CONNECT_TIMEOUT


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_refused")
@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("anonymous", "post", "/api/v1/auth/login", {"email": "a@b.test", "password": "x"}),
        ("anonymous", "post", "/api/v1/auth/signup", SIGNUP),
        ("anonymous", "get", "/api/v1/calendar/some-token.ics", None),
        ("manager", "get", "/api/v1/projects", None),
        ("manager", "post", "/api/v1/projects", {"name": "Tour"}),
        ("tech", "get", "/api/v1/me/assignments", None),
    ],
)
def test_the_api_answers_503_with_retry_after(
    scenario: Scenario, role: str, method: str, path: str, body: Any
) -> None:
    client: APIClient = scenario.client(role)
    started = time.monotonic()

    response = getattr(client, method)(path, body, format="json") if body else client.get(path)

    _assert_unavailable(response, started)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_silent")
def test_a_database_that_does_not_answer_is_a_503_after_the_connect_timeout(
    scenario: Scenario,
) -> None:
    started = time.monotonic()

    response = scenario.client("anonymous").post(
        "/api/v1/auth/login", {"email": "a@b.test", "password": "x"}, format="json"
    )

    elapsed = time.monotonic() - started
    assert_error(response, 503, "service_unavailable")
    assert SILENT_TIMEOUT - 0.5 < elapsed < SILENT_TIMEOUT + 1.5, elapsed


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_refused")
def test_a_page_outside_the_api_answers_503_too(scenario: Scenario) -> None:
    client = Client()
    client.cookies["sessionid"] = "a-session-the-database-would-hold"
    started = time.monotonic()

    response = client.get("/app/")

    _assert_unavailable(response, started)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_refused")
def test_the_probes_keep_their_answers(scenario: Scenario) -> None:
    client = Client()

    assert client.get("/livez").status_code == 200
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] is False


def test_every_settings_module_sets_connect_and_statement_timeouts() -> None:
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
    assert f"statement_timeout={settings.DB_STATEMENT_TIMEOUT_MS}" in options["options"]


@pytest.mark.django_db
def test_web_connections_use_the_web_statement_timeout() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        (value,) = cursor.fetchone()

    assert value == f"{settings.DB_STATEMENT_TIMEOUT_MS // 1000}s"


@pytest.mark.django_db
def test_a_worker_connection_uses_the_longer_job_statement_timeout() -> None:
    use_job_statement_timeout()
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (value,) = cursor.fetchone()
    finally:
        fresh.close()
        stop_job_statement_timeout()

    assert value == f"{settings.DB_JOB_STATEMENT_TIMEOUT_MS // 60_000}min"
    assert settings.DB_JOB_STATEMENT_TIMEOUT_MS > settings.DB_STATEMENT_TIMEOUT_MS


@pytest.mark.django_db
def test_a_statement_over_the_timeout_is_a_503_too(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL cancels the statement (QueryCanceled): a dependency problem, not input."""
    from apps.crew import selectors

    listed = selectors.artist_list

    def slow_artist_list(**kwargs: Any) -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(1)")
        return listed(**kwargs)

    monkeypatch.setattr(selectors, "artist_list", slow_artist_list)

    response = scenario.client("manager").get("/api/v1/artists")

    assert_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
