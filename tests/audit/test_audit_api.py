"""GET /api/v1/audit: admins read their organization's trail, filtered and paginated."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from tests.conftest import Scenario, assert_error
from tests.factories import AuditEntryFactory

URL = "/api/v1/audit"


def entry_at(when: datetime, **fields: Any) -> AuditEntry:
    """An entry stamped at ``when`` (the timestamp is ``auto_now_add``)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return AuditEntryFactory(**fields)  # type: ignore[no-any-return]


def listed_ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def trail(scenario: Scenario) -> dict[str, AuditEntry]:
    org = scenario.organization
    return {
        "march": entry_at(
            datetime(2026, 3, 1, 9, tzinfo=UTC),
            organization=org,
            actor=scenario.owner,
            action=AuditAction.ORGANIZATION_UPDATE,
            entity_type="orgs.organization",
            entity_id=str(org.id),
        ),
        "april": entry_at(
            datetime(2026, 4, 1, 9, tzinfo=UTC),
            organization=org,
            actor=scenario.admin,
            action=AuditAction.MEMBERSHIP_CREATE,
            entity_type="orgs.membership",
            entity_id="m-1",
        ),
        "may": entry_at(
            datetime(2026, 5, 1, 9, tzinfo=UTC),
            organization=org,
            actor=scenario.admin,
            action=AuditAction.MEMBERSHIP_CHANGE_ROLE,
            entity_type="orgs.membership",
            entity_id="m-1",
        ),
        "outsider": entry_at(
            datetime(2026, 4, 15, 9, tzinfo=UTC),
            organization=scenario.outsider_organization,
            actor=scenario.outsider,
            action=AuditAction.MEMBERSHIP_CREATE,
            entity_type="orgs.membership",
            entity_id="m-1",
        ),
    }


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_admins_read_the_trail_newest_first(
    scenario: Scenario, trail: dict[str, AuditEntry], role: str
) -> None:
    response = scenario.client(role).get(URL)

    assert listed_ids(response) == [str(trail[k].id) for k in ("may", "april", "march")]
    row = response.json()["results"][0]
    assert set(row) == {
        "id",
        "timestamp",
        "actor",
        "actor_label",
        "action",
        "entity_type",
        "entity_id",
        "before",
        "after",
        "reason",
        "request_id",
    }


@pytest.mark.parametrize("role", ["manager", "tech"])
def test_roles_below_admin_cannot_read_the_trail(
    scenario: Scenario, trail: dict[str, AuditEntry], role: str
) -> None:
    assert_error(scenario.client(role).get(URL), 403, "permission_denied")
    assert_error(scenario.client(role).get(f"{URL}/{trail['march'].id}"), 403, "permission_denied")


def test_anonymous_callers_are_unauthenticated(db: None) -> None:
    from rest_framework.test import APIClient

    assert_error(APIClient().get(URL), 401, "not_authenticated")


def test_the_outsider_sees_only_his_organization(
    scenario: Scenario, trail: dict[str, AuditEntry]
) -> None:
    client = scenario.client("outsider")

    assert listed_ids(client.get(URL)) == [str(trail["outsider"].id)]
    assert listed_ids(client.get(URL, {"entity_id": "m-1"})) == [str(trail["outsider"].id)]
    assert_error(client.get(f"{URL}/{trail['march'].id}"), 404, "not_found")


def test_an_admin_reads_one_entry(scenario: Scenario, trail: dict[str, AuditEntry]) -> None:
    response = scenario.client("admin").get(f"{URL}/{trail['april'].id}")

    assert response.status_code == 200
    assert response.json()["action"] == "membership.create"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"entity_type": "orgs.membership"}, ["may", "april"]),
        ({"entity_id": "m-1"}, ["may", "april"]),
        ({"action": "membership.create"}, ["april"]),
        ({"action_prefix": "membership."}, ["may", "april"]),
        ({"from": "2026-04-01T09:00:00Z"}, ["may", "april"]),
        ({"to": "2026-04-01T09:00:00Z"}, ["march"]),
        ({"from": "2026-03-15T00:00:00Z", "to": "2026-04-15T00:00:00Z"}, ["april"]),
        ({"entity_type": "orgs.membership", "action": "membership.change_role"}, ["may"]),
    ],
)
def test_it_filters_the_trail(
    scenario: Scenario,
    trail: dict[str, AuditEntry],
    params: dict[str, str],
    expected: list[str],
) -> None:
    response = scenario.client("admin").get(URL, params)

    assert listed_ids(response) == [str(trail[name].id) for name in expected]


def test_it_filters_by_actor(scenario: Scenario, trail: dict[str, AuditEntry]) -> None:
    client = scenario.client("admin")

    by_owner = client.get(URL, {"actor": str(scenario.owner.id)})
    by_outsider = client.get(URL, {"actor": str(scenario.outsider.id)})

    assert listed_ids(by_owner) == [str(trail["march"].id)]
    assert listed_ids(by_outsider) == []


@pytest.mark.parametrize(("param", "value"), [("actor", "not-a-uuid"), ("from", "yesterday")])
def test_a_malformed_filter_names_the_parameter(scenario: Scenario, param: str, value: str) -> None:
    response = scenario.client("admin").get(URL, {param: value})

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == [param]


def test_the_list_query_count_does_not_grow_with_the_trail(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("admin")
    AuditEntryFactory.create_batch(3, organization=scenario.organization, actor=scenario.admin)
    # the token's user with its membership and organization (one query), count, one page of entries
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 3
    AuditEntryFactory.create_batch(27, organization=scenario.organization, actor=scenario.admin)
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 30


def test_the_list_is_paginated(scenario: Scenario) -> None:
    AuditEntryFactory.create_batch(5, organization=scenario.organization)

    response = scenario.client("admin").get(URL, {"page_size": 2, "page": 2})

    body = response.json()
    assert (body["count"], len(body["results"])) == (5, 2)
    assert "page=3" in body["next"]
    assert body["previous"].endswith("page_size=2")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_trail_cannot_be_written_through_the_api(
    scenario: Scenario, trail: dict[str, AuditEntry], method: str
) -> None:
    url = URL if method == "post" else f"{URL}/{trail['march'].id}"

    response = getattr(scenario.client("owner"), method)(url, {"action": "x"}, format="json")

    assert_error(response, 405, "method_not_allowed")
    assert AuditEntry.objects.get(pk=trail["march"].pk).action == "organization.update"
