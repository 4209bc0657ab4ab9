"""GET/PATCH /api/v1/orgs/current: every member reads it, admins edit it."""

from __future__ import annotations

import pytest

from apps.orgs.models import Organization
from tests.conftest import Scenario, assert_error

URL = "/api/v1/orgs/current"


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "tech"])
def test_every_member_reads_the_organization(scenario: Scenario, role: str) -> None:
    response = scenario.client(role).get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": str(scenario.organization.id),
        "name": "Les Nuits Sonores",
        "slug": "nuits-sonores",
        "timezone": "Europe/Paris",
        "language": "fr",
        "crew_contacts_visible": False,
        "created_at": response.json()["created_at"],
    }


def test_the_outsider_reads_only_his_own_organization(scenario: Scenario) -> None:
    response = scenario.client("outsider").get(URL)

    assert response.json()["id"] == str(scenario.outsider_organization.id)


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_admins_edit_the_organization(scenario: Scenario, role: str) -> None:
    response = scenario.client(role).patch(
        URL, {"name": "Nuits Sonores", "timezone": "America/Montreal"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["timezone"]) == (
        "Nuits Sonores",
        "America/Montreal",
    )
    scenario.organization.refresh_from_db()
    assert scenario.organization.timezone == "America/Montreal"


@pytest.mark.parametrize("role", ["manager", "tech"])
def test_roles_below_admin_cannot_edit_the_organization(scenario: Scenario, role: str) -> None:
    response = scenario.client(role).patch(URL, {"name": "Hijacked"}, format="json")

    assert_error(response, 403, "permission_denied")
    assert Organization.objects.get(pk=scenario.organization.pk).name == "Les Nuits Sonores"


def test_the_slug_is_read_only(scenario: Scenario) -> None:
    response = scenario.client("owner").patch(URL, {"slug": "renamed"}, format="json")

    assert response.status_code == 200
    assert response.json()["slug"] == "nuits-sonores"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"language": "de"}, "language"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    scenario: Scenario, payload: dict[str, str], field: str
) -> None:
    response = scenario.client("admin").patch(URL, payload, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == [field]


def test_anonymous_callers_are_unauthenticated(scenario: Scenario) -> None:
    assert_error(scenario.client("anonymous").get(URL), 401, "not_authenticated")
    assert_error(scenario.client("anonymous").patch(URL, {"name": "x"}, format="json"), 401)
