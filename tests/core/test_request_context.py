"""Request ids and the one JSON log line per request."""

from __future__ import annotations

import io
import json
import logging
import re
from logging.config import DictConfigurator  # type: ignore[attr-defined]

import pytest
from django.conf import settings
from django.test import Client

from apps.core.logging import RequestContextFilter

pytestmark = pytest.mark.django_db

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@pytest.fixture
def request_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture ``crewplan.request`` as the configured handler sees it (with its filter)."""
    caplog.set_level(logging.INFO, logger="crewplan.request")
    caplog.handler.addFilter(RequestContextFilter())
    return caplog


def only_request_record(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    records = [r for r in caplog.records if r.name == "crewplan.request"]
    assert len(records) == 1, records
    return records[0]


def test_an_incoming_request_id_is_kept_and_echoed(client: Client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.2:b_c"})

    assert response["X-Request-ID"] == "edge-7f3a.2:b_c"


@pytest.mark.parametrize(
    "incoming",
    [None, "", "has spaces", "x" * 129, "semi;colon", "<script>"],
    ids=["absent", "empty", "spaces", "too-long", "semicolon", "markup"],
)
def test_a_request_id_is_minted_when_absent_or_malformed(
    client: Client, incoming: str | None
) -> None:
    headers = {} if incoming is None else {"X-Request-ID": incoming}

    response = client.get("/healthz", headers=headers)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_minted_id(client: Client) -> None:
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3


def test_the_error_body_carries_the_request_id(client: Client) -> None:
    response = client.get("/api/v1/orgs/current", headers={"X-Request-ID": "req-err-1"})

    assert response.json()["error"]["request_id"] == "req-err-1"


def test_one_log_record_per_request_with_its_context(
    client: Client, request_log: pytest.LogCaptureFixture
) -> None:
    client.get(
        "/api/v1/orgs/current", headers={"X-Request-ID": "req-log-1", "traceparent": TRACEPARENT}
    )

    record = only_request_record(request_log)
    assert record.levelname == "INFO"
    assert record.request_id == "req-log-1"  # type: ignore[attr-defined]
    assert record.trace_id == TRACE_ID  # type: ignore[attr-defined]
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.path == "/api/v1/orgs/current"  # type: ignore[attr-defined]
    assert record.status == 401  # type: ignore[attr-defined]
    assert isinstance(record.duration_ms, float)  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("traceparent", ["", "garbage", f"00-{TRACE_ID}-short-01"])
def test_a_missing_or_malformed_traceparent_gives_no_trace_id(
    client: Client, request_log: pytest.LogCaptureFixture, traceparent: str
) -> None:
    client.get("/healthz", headers={"traceparent": traceparent})

    assert only_request_record(request_log).trace_id is None  # type: ignore[attr-defined]


def test_the_configured_formatter_writes_the_line_as_json(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="crewplan.request")
    formatter = DictConfigurator(settings.LOGGING).configure_formatter(
        settings.LOGGING["formatters"]["json"]
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("crewplan.request")
    logger.addHandler(handler)
    try:
        client.post(
            "/api/v1/auth/login",
            {"email": "x@example.test", "password": "nope"},
            content_type="application/json",
            headers={"X-Request-ID": "req-json-1", "traceparent": TRACEPARENT},
        )
    finally:
        logger.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["message"] == "request"
    assert (line["level"], line["logger"]) == ("INFO", "crewplan.request")
    assert (line["request_id"], line["trace_id"]) == ("req-json-1", TRACE_ID)
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/v1/auth/login", 401)
    assert isinstance(line["duration_ms"], float)
    assert "timestamp" in line


def test_the_console_handler_uses_the_json_formatter() -> None:
    from pythonjsonlogger.json import JsonFormatter

    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    ]

    assert handlers, "the root logger should have the configured JSON console handler"
    assert any(isinstance(f, RequestContextFilter) for f in handlers[0].filters)
