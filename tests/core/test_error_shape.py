"""Every error answers one JSON shape with a stable code and the request id."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Scenario, assert_error


def assert_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    body = assert_error(response, status, code)
    assert set(body) <= {"status", "code", "message", "fields", "conflicts", "request_id"}
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_400_names_each_bad_field(scenario: Scenario) -> None:
    response = scenario.client("admin").post(
        "/api/v1/orgs/members", {"email": "not-an-email", "role": "emperor"}, format="json"
    )

    body = assert_shape(response, 400, "invalid")
    assert set(body["fields"]) == {"email", "role"}
    assert all(isinstance(m, str) for messages in body["fields"].values() for m in messages)
    assert body["message"].split(":")[0] in {"email", "role"}


def test_400_for_malformed_json(db: None, client: Client) -> None:
    response = client.post("/api/v1/auth/login", "{not json", content_type="application/json")

    assert_shape(response, 400, "parse_error")


def test_401_without_credentials(db: None, client: Client) -> None:
    response = client.get("/api/v1/orgs/members")

    assert_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_403_for_a_role_too_low(scenario: Scenario) -> None:
    response = scenario.client("tech").patch("/api/v1/orgs/current", {"name": "x"}, format="json")

    assert_shape(response, 403, "permission_denied")


def test_404_for_an_object_of_another_organization(scenario: Scenario) -> None:
    member = scenario.memberships["tech"]

    foreign = scenario.client("outsider").get(f"/api/v1/orgs/members/{member.id}")
    missing = scenario.client("outsider").get(f"/api/v1/orgs/members/{uuid.uuid4()}")

    assert_shape(foreign, 404, "not_found")
    assert_shape(missing, 404, "not_found")
    assert foreign.json()["error"]["message"] == missing.json()["error"]["message"]


def test_405_for_a_method_the_endpoint_does_not_have(db: None, client: Client) -> None:
    response = client.put(
        "/api/v1/auth/login", {"email": "a@b.test"}, content_type="application/json"
    )

    body = assert_shape(response, 405, "method_not_allowed")
    assert "PUT" in body["message"]


def test_409_for_a_conflict(scenario: Scenario) -> None:
    response = scenario.client("owner").delete(
        f"/api/v1/orgs/members/{scenario.memberships['owner'].id}"
    )

    assert_shape(response, 409, "last_owner")


def test_415_for_a_body_that_is_not_json(db: None, client: Client) -> None:
    response = client.post(
        "/api/v1/auth/login", "email=a@b.test&password=x", content_type="text/plain"
    )

    assert_shape(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("url", ["/api/v1/nope", "/api/v1/orgs/members/a/b", "/nowhere"])
def test_an_unknown_url_answers_json_404(db: None, client: Client, url: str) -> None:
    response = client.get(url)

    assert_shape(response, 404, "not_found")


def test_throttling_answers_429_with_retry_after(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "auth": "1/min"}
    )
    client.post("/api/v1/auth/logout")

    response = client.post("/api/v1/auth/logout")

    assert_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
