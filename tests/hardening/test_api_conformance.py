"""What the API fuzzing (scripts/fuzz-api.sh, Schemathesis) found: each answer through the
API, and the schema that documents it.

- statuses the API answered but the schema did not list (401 on login, 409 on sign-up,
  404 for a foreign id in a filter or a page past the last, 400 for a NUL byte, 406);
- answers the schema refused ("" where it said ``format: email``, ``18:30:00`` where it
  said ``format: time``, the restored shift's body);
- input the API accepted though the schema forbids it (numbers for strings, empty or
  malformed filters, a time with an offset, a page size out of range);
- ``search`` documented on lists that ignored it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from apps.core.schema import LOCAL_TIME_PATTERN
from tests.conftest import Scenario, assert_error
from tests.factories import (
    ArtistFactory,
    ProjectFactory,
    RoleFactory,
    ShiftTemplateFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)  # type: ignore[no-any-return]


def responses(schema: dict[str, Any], path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def parameters(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    operation = schema["paths"][path][method]
    return {p["name"]: p for p in operation.get("parameters", [])}


# --- Statuses the schema did not list ---------------------------------------------------


def test_public_auth_operations_document_their_refusals(schema: dict[str, Any]) -> None:
    assert {"401", "403"} <= responses(schema, "/api/v1/auth/login", "post")
    assert "401" in responses(schema, "/api/v1/auth/refresh", "post")
    assert "409" in responses(schema, "/api/v1/auth/signup", "post")


def test_login_answers_the_401_it_documents(scenario: Scenario) -> None:
    response = scenario.client("anonymous").post(
        "/api/v1/auth/login", {"email": "manager@nuits.test", "password": "wrong"}, format="json"
    )

    assert_error(response, 401, "invalid_credentials")


def test_every_operation_documents_400_and_406(schema: dict[str, Any]) -> None:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert {"400", "406"} <= set(operation["responses"]), (method, path)


def test_lists_document_the_404_of_a_foreign_filter_or_a_page_past_the_last(
    schema: dict[str, Any],
) -> None:
    for path in (
        "/api/v1/projects",
        "/api/v1/missions",
        "/api/v1/planning/shifts",
        "/api/v1/me/assignments",
    ):
        assert "404" in responses(schema, path, "get"), path


def test_a_foreign_id_in_a_filter_is_the_documented_404(scenario: Scenario) -> None:
    foreign = ProjectFactory(organization=scenario.outsider_organization)

    response = scenario.client("manager").get("/api/v1/missions", {"project": str(foreign.pk)})

    body = assert_error(response, 404, "not_found")
    assert "project" in body["fields"]  # type: ignore[operator]


def test_a_page_past_the_last_is_a_404(scenario: Scenario) -> None:
    response = scenario.client("manager").get("/api/v1/projects", {"page": "99"})

    assert_error(response, 404, "not_found")


def test_an_unacceptable_accept_header_is_the_documented_406(scenario: Scenario) -> None:
    response = scenario.client("manager").get("/api/v1/projects", HTTP_ACCEPT="text/html")

    assert_error(response, 406, "not_acceptable")


def test_a_nul_byte_in_any_query_parameter_is_the_documented_400(scenario: Scenario) -> None:
    response = scenario.client("manager").get("/api/v1/orgs/invitations", {"x": "a\x00b"})

    assert_error(response, 400)


# --- Answers the schema refused --------------------------------------------------------


def test_an_artist_without_email_answers_an_email_the_schema_allows(
    scenario: Scenario, schema: dict[str, Any]
) -> None:
    artist = ArtistFactory(organization=scenario.organization, email="")

    response = scenario.client("manager").get(f"/api/v1/artists/{artist.pk}")

    assert response.status_code == 200
    assert response.json()["email"] == ""
    email = schema["components"]["schemas"]["Artist"]["properties"]["email"]
    assert {"type": "string", "maxLength": 0} in email["oneOf"]
    assert {"type": "string", "format": "email"} in email["oneOf"]


def test_shift_template_times_are_documented_as_local_times(
    scenario: Scenario, schema: dict[str, Any]
) -> None:
    template = ShiftTemplateFactory(organization=scenario.organization)

    body = scenario.client("manager").get(f"/api/v1/planning/shift-templates/{template.pk}").json()

    start = schema["components"]["schemas"]["ShiftTemplate"]["properties"]["start_time"]
    assert "format" not in start
    assert start["pattern"] == LOCAL_TIME_PATTERN
    assert re.match(LOCAL_TIME_PATTERN, body["start_time"]), body["start_time"]
    assert re.match(LOCAL_TIME_PATTERN, body["end_time"]), body["end_time"]


def test_restoring_a_shift_documents_the_shift_and_its_conflicts(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/planning/shifts/{id}/restore"]["post"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert ok["$ref"].endswith("/ShiftWriteResult")
    assert "requestBody" not in operation


# --- Input the schema forbids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/skills", {"name": 0}, "name"),
        ("/api/v1/tags", {"name": 12.5}, "name"),
        ("/api/v1/venues", {"name": 7, "city": "Lyon"}, "name"),
        (
            "/api/v1/projects",
            {
                "name": "Tour",
                "start_date": "2026-03-01",
                "end_date": "2026-03-02",
                "description": 3,
            },
            "description",
        ),
    ],
)
def test_a_number_where_the_schema_says_string_is_a_400_naming_it(
    scenario: Scenario, path: str, body: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(path, body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]


def test_a_string_is_still_accepted(scenario: Scenario) -> None:
    response = scenario.client("manager").post("/api/v1/skills", {"name": "0"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "0"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "null"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"ordering": "no_such_field"}, "ordering"),
    ],
)
def test_malformed_paging_and_ordering_are_a_400_naming_them(
    scenario: Scenario, params: dict[str, str], field: str
) -> None:
    response = scenario.client("manager").get("/api/v1/projects", params)

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]


def test_paging_and_ordering_within_the_schema_work(scenario: Scenario) -> None:
    for name in ("Bravo", "Alpha", "Charlie"):
        ProjectFactory(organization=scenario.organization, name=name)

    response = scenario.client("manager").get(
        "/api/v1/projects", {"ordering": "-name", "page_size": "2", "page": "1"}
    )

    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["results"]] == ["Charlie", "Bravo"]


def test_the_ordering_values_are_listed_in_the_schema(schema: dict[str, Any]) -> None:
    ordering = parameters(schema, "/api/v1/projects", "get")["ordering"]

    assert {"name", "-name"} <= set(ordering["schema"]["enum"])


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/availabilities", {"to": ""}, "to"),
        ("/api/v1/planning/shifts", {"project": ""}, "project"),
        ("/api/v1/me/assignments", {"from": ""}, "from"),
        (
            "/api/v1/planning/conflicts",
            {"from": "2026-03-01T00:00:00Z", "to": ""},
            "to",
        ),
        (
            "/api/v1/planning/timeline",
            {"from": "", "to": "2026-03-02T00:00:00Z"},
            "from",
        ),
    ],
)
def test_an_empty_typed_filter_is_a_400_naming_it(
    scenario: Scenario, path: str, params: dict[str, str], field: str
) -> None:
    ArtistFactory(organization=scenario.organization, user=scenario.tech)
    role = "tech" if path.startswith("/api/v1/me/") else "manager"

    response = scenario.client(role).get(path, params)

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]


@pytest.mark.parametrize("value", ["18:30+02:00", "18:30:00Z", "6pm", 1830])
def test_a_template_time_with_an_offset_or_not_a_time_is_a_400(
    scenario: Scenario, value: Any
) -> None:
    role = RoleFactory(organization=scenario.organization)
    body = {"name": "Evening", "role_id": str(role.pk), "start_time": value, "end_time": "23:00"}

    response = scenario.client("manager").post(
        "/api/v1/planning/shift-templates", body, format="json"
    )

    error = assert_error(response, 400, "invalid")
    assert "start_time" in error["fields"]  # type: ignore[operator]


def test_a_local_template_time_is_accepted(scenario: Scenario) -> None:
    role = RoleFactory(organization=scenario.organization)
    body = {"name": "Evening", "role_id": str(role.pk), "start_time": "18:30", "end_time": "23:00"}

    response = scenario.client("manager").post(
        "/api/v1/planning/shift-templates", body, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["start_time"] == "18:30:00"


# --- search --------------------------------------------------------------------------------


def test_search_is_documented_only_where_it_filters(schema: dict[str, Any]) -> None:
    for path in (
        "/api/v1/planning/shifts",
        "/api/v1/planning/assignments",
        "/api/v1/invitations",
        "/api/v1/audit",
    ):
        assert "search" not in parameters(schema, path, "get"), path
    for path in ("/api/v1/artists", "/api/v1/projects", "/api/v1/skills"):
        assert "search" in parameters(schema, path, "get"), path


def test_search_filters_where_it_is_documented(scenario: Scenario) -> None:
    SkillFactory(organization=scenario.organization, name="rigging")
    SkillFactory(organization=scenario.organization, name="lighting")

    response = scenario.client("manager").get("/api/v1/skills", {"search": "rigg"})

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["rigging"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/artists", {"is_active": "null"}, "is_active"),
        ("/api/v1/planning/assignments", {"locked": "yes"}, "locked"),
    ],
)
def test_a_boolean_filter_other_than_true_or_false_is_a_400(
    scenario: Scenario, path: str, params: dict[str, str], field: str
) -> None:
    response = scenario.client("manager").get(path, params)

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]


def test_a_boolean_filter_filters(scenario: Scenario) -> None:
    ArtistFactory(organization=scenario.organization, first_name="Active", is_active=True)
    ArtistFactory(organization=scenario.organization, first_name="Gone", is_active=False)

    response = scenario.client("manager").get("/api/v1/artists", {"is_active": "false"})

    assert response.status_code == 200
    assert [row["first_name"] for row in response.json()["results"]] == ["Gone"]
