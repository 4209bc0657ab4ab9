"""The OpenAPI schema documents the auth and organization endpoints and the Error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    """Generated once for the module: the whole API is introspected."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema", {"format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)  # type: ignore[no-any-return]


def test_the_schema_is_openapi_3(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Crew planning API"


def test_the_schema_lists_the_auth_and_organization_paths(schema: dict[str, Any]) -> None:
    expected = {
        "/api/v1/auth/signup": "post",
        "/api/v1/auth/login": "post",
        "/api/v1/auth/refresh": "post",
        "/api/v1/auth/logout": "post",
        "/api/v1/auth/me": "get",
        "/api/v1/auth/switch-org": "post",
        "/api/v1/auth/reset/request": "post",
        "/api/v1/auth/reset/confirm": "post",
        "/api/v1/orgs/current": "patch",
        "/api/v1/orgs/members": "post",
        "/api/v1/orgs/members/{id}": "delete",
        "/api/v1/audit": "get",
    }
    for path, method in expected.items():
        assert method in schema["paths"].get(path, {}), path


def test_the_error_component_is_documented_and_used(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert "Error" in components
    error_ref = "#/components/schemas/Error"
    patch_members = schema["paths"]["/api/v1/orgs/members/{id}"]["patch"]["responses"]
    for status in ("400", "401", "403", "404", "409"):
        content = patch_members[status]["content"]["application/json"]["schema"]
        assert content["$ref"] == error_ref, status
    login = schema["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert login["429"]["content"]["application/json"]["schema"]["$ref"] == error_ref


def test_every_operation_documents_503_and_bodies_document_413(schema: dict[str, Any]) -> None:
    error_ref = "#/components/schemas/Error"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["503"]["content"]["application/json"]["schema"]["$ref"] == error_ref
            if method in ("post", "put", "patch"):
                assert "413" in responses, (path, method)


def test_the_yaml_schema_is_served_by_default(client: Client) -> None:
    response = client.get("/api/schema")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_interactive_docs_answer(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
