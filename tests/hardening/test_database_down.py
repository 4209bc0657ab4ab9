"""Database down: 503 ``service_unavailable`` with Retry-After, quickly, on every endpoint.

The outage is real: the default connection is pointed at a closed port (127.0.0.1:1),
so psycopg gets "connection refused" exactly as with a stopped server.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
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


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    """A URL of the route: any id (the database never gets to say it does not exist)."""
    values = {"uuid": str(uuid.uuid4()), "int": "1", "str": "x", "slug": "x", "path": "x"}
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: values[m.group(1) or "str"], route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", values["uuid"], route)  # a router's regex
    return "/" + route.replace("^", "").replace("$", "")


# Routes that answer both an empty POST and a GET without any query: 405 for the GET,
# 400/401 for a body that fails validation first, 204 for a cookie-only logout, and the
# pages' redirect to the login page (an API token is no session; the pages' own 503 is
# ``test_a_page_outside_the_api_answers_503_too``).
NO_QUERY_NEEDED = [
    "api/v1/auth/login",
    "api/v1/auth/logout",
    "api/v1/auth/refresh",
    "api/v1/auth/reset/confirm",
    "api/v1/auth/reset/request",
    "api/v1/auth/signup",
    "app/",
    "app/call-sheet",
    "app/me",
    "app/switch-org",
    "app/timeline",
]
PROBES = ("api/v1/health", "healthz", "readyz", "metrics")
EVERY_ROUTE = sorted(
    route
    for route in _walk(get_resolver().url_patterns)
    if route.startswith(("api/v1/", "app/"))
    and not route.startswith(PROBES)
    and "(?P<format>" not in route
)


@pytest.mark.django_db(transaction=True)
def test_every_route_answers_503_within_the_connect_timeout_when_the_database_refuses(
    scenario: Scenario, database_refused: None
) -> None:
    """A walk over every API route and page, as a manager, GET then POST: 503, never 500."""
    del database_refused
    client = scenario.client("manager")
    answers: dict[str, tuple[int, int]] = {}
    for route in EVERY_ROUTE:
        url = _concrete(route)
        started = time.monotonic()
        got, posted = client.get(url), client.post(url, {}, format="json")
        assert time.monotonic() - started < 2 * settings.DB_CONNECT_TIMEOUT, route
        answers[route] = (got.status_code, posted.status_code)
        for response in (got, posted):
            if response.status_code == 503:
                assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)

    assert len(answers) > 60
    assert {route: codes for route, codes in answers.items() if 500 <= max(codes) != 503} == {}
    no_query = sorted(route for route, codes in answers.items() if 503 not in codes)
    assert no_query == NO_QUERY_NEEDED
