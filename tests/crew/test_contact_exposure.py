"""Crew contacts (e-mail, phone): managers and the person see them; other techs only where
the organization shares crew contacts."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory

pytestmark = pytest.mark.django_db

ARTISTS = "/api/v1/artists"
CURRENT_ORG = "/api/v1/orgs/current"


@pytest.fixture
def crew(scenario: Scenario) -> dict[str, Artist]:
    org = scenario.organization
    return {
        "own": ArtistFactory(
            organization=org, user=scenario.tech, email="me@crew.test", phone="0601"
        ),
        "colleague": ArtistFactory(organization=org, email="colleague@crew.test", phone="0602"),
    }


def _contacts(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return {k: v for k, v in response.json().items() if k in ("email", "phone")}


def test_a_tech_sees_his_own_contacts_but_not_a_colleagues(
    scenario: Scenario, crew: dict[str, Artist]
) -> None:
    tech = scenario.client("tech")

    own = _contacts(tech.get(f"{ARTISTS}/{crew['own'].pk}"))
    colleague = _contacts(tech.get(f"{ARTISTS}/{crew['colleague'].pk}"))
    listed = {row["id"]: row for row in tech.get(ARTISTS).json()["results"]}

    assert own == {"email": "me@crew.test", "phone": "0601"}
    assert colleague == {}
    assert "email" not in listed[str(crew["colleague"].pk)]
    assert "phone" not in listed[str(crew["colleague"].pk)]
    assert listed[str(crew["own"].pk)]["email"] == "me@crew.test"


@pytest.mark.parametrize("role", ["manager", "admin", "owner"])
def test_managers_see_every_contact(scenario: Scenario, crew: dict[str, Artist], role: str) -> None:
    colleague = _contacts(scenario.client(role).get(f"{ARTISTS}/{crew['colleague'].pk}"))

    assert colleague == {"email": "colleague@crew.test", "phone": "0602"}


def test_an_organization_that_shares_contacts_shows_them_to_every_member(
    scenario: Scenario, crew: dict[str, Artist]
) -> None:
    response = scenario.client("admin").patch(
        CURRENT_ORG, {"crew_contacts_visible": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["crew_contacts_visible"] is True
    assert AuditEntry.objects.filter(action=AuditAction.ORGANIZATION_UPDATE).exists()

    colleague = _contacts(scenario.client("tech").get(f"{ARTISTS}/{crew['colleague'].pk}"))

    assert colleague == {"email": "colleague@crew.test", "phone": "0602"}


def test_only_an_admin_changes_the_contact_sharing(scenario: Scenario) -> None:
    response = scenario.client("manager").patch(
        CURRENT_ORG, {"crew_contacts_visible": True}, format="json"
    )

    assert_error(response, 403)


def test_the_schema_marks_contacts_optional(scenario: Scenario) -> None:
    schema = scenario.client("anonymous").get("/api/schema", {"format": "json"}).json()
    artist = schema["components"]["schemas"]["Artist"]

    assert "email" in artist["properties"]
    assert "email" not in artist.get("required", [])
    assert "phone" not in artist.get("required", [])
