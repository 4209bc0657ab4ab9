"""The OpenAPI schema documents every crew endpoint, its filters and its errors."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """Generated once for the module: building the whole schema takes half a second."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema?format=json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def parameters(operation: dict[str, Any]) -> set[str]:
    return {parameter["name"] for parameter in operation.get("parameters", [])}


def test_every_crew_endpoint_is_documented(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    expected = {
        "/api/v1/artists": {"get", "post"},
        "/api/v1/artists/{id}": {"get", "patch", "delete"},
        "/api/v1/artists/{id}/rates": {"get", "put"},
        "/api/v1/skills": {"get", "post"},
        "/api/v1/skills/{id}": {"get", "patch", "delete"},
        "/api/v1/tags": {"get", "post"},
        "/api/v1/tags/{id}": {"get", "patch", "delete"},
        "/api/v1/availabilities": {"get", "post"},
        "/api/v1/availabilities/{id}": {"get", "patch", "delete"},
        "/api/v1/availabilities/{id}/approve": {"post"},
        "/api/v1/availabilities/{id}/reject": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
        for method in methods:
            operation = paths[path][method]
            assert operation["tags"] == ["crew"]
            assert operation["summary"]


def test_the_filters_are_documented(schema: dict[str, Any]) -> None:
    artists = schema["paths"]["/api/v1/artists"]["get"]
    availabilities = schema["paths"]["/api/v1/availabilities"]["get"]

    assert {"search", "skills", "tags", "employment_type", "is_active", "page", "page_size"} <= (
        parameters(artists)
    )
    assert {"artist", "kind", "status", "from", "to"} <= parameters(availabilities)
    assert "ordering" not in parameters(artists), "no sorting on private fields"
    assert "reason" not in parameters(availabilities), "no filtering on private reasons"


def test_the_error_responses_are_documented(schema: dict[str, Any]) -> None:
    paths = schema["paths"]

    def codes(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"201", "400", "401", "403", "404", "409"} <= codes("/api/v1/artists", "post")
    assert {"200", "400", "401", "403", "404"} <= codes("/api/v1/artists", "get")
    assert {"204", "401", "403", "404", "409"} <= codes("/api/v1/artists/{id}", "delete")
    assert {"200", "400", "401", "403", "404"} <= codes("/api/v1/artists/{id}/rates", "put")
    assert {"409"} <= codes("/api/v1/availabilities", "post")
    assert {"409"} <= codes("/api/v1/availabilities/{id}/approve", "post")


def test_write_endpoints_carry_request_and_response_examples(schema: dict[str, Any]) -> None:
    writes = [
        ("/api/v1/artists", "post", "201"),
        ("/api/v1/artists/{id}", "patch", "200"),
        ("/api/v1/artists/{id}/rates", "put", "200"),
        ("/api/v1/skills", "post", "201"),
        ("/api/v1/tags/{id}", "patch", "200"),
        ("/api/v1/availabilities", "post", "201"),
        ("/api/v1/availabilities/{id}", "patch", "200"),
        ("/api/v1/availabilities/{id}/approve", "post", "200"),
        ("/api/v1/availabilities/{id}/reject", "post", "200"),
    ]
    for path, method, success in writes:
        operation = schema["paths"][path][method]
        request = operation["requestBody"]["content"]["application/json"]
        response = operation["responses"][success]["content"]["application/json"]
        assert request.get("examples"), (path, method)
        assert response.get("examples"), (path, method)


def test_private_fields_are_optional_in_the_artist_and_availability_shapes(
    schema: dict[str, Any],
) -> None:
    components = schema["components"]["schemas"]

    artist_required = set(components["Artist"]["required"])
    availability_required = set(components["Availability"]["required"])

    assert {"day_rate", "half_day_rate", "hourly_rate", "currency"}.isdisjoint(artist_required)
    assert {"reason", "note"}.isdisjoint(availability_required)
