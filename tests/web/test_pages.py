"""Pages without a browser: login, redirects, tenancy of what they show."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import Scenario
from tests.factories import PASSWORD, ArtistFactory

pytestmark = pytest.mark.django_db


def logged_in(email: str) -> Client:
    client = Client()
    response = client.post("/app/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def page_config(response: object) -> dict[str, object]:
    html = response.content.decode()  # type: ignore[attr-defined]
    start = html.index('<script id="app-config" type="application/json">') + len(
        '<script id="app-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])  # type: ignore[no-any-return]


def test_it_shows_the_login_page_to_anonymous_visitors() -> None:
    response = Client().get("/app/timeline")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/login")
    assert Client().get("/app/login").status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(scenario: Scenario) -> None:
    response = Client().post("/app/login", {"email": scenario.manager.email, "password": "nope"})
    assert response.status_code == 401
    assert "Wrong e-mail or password." in response.content.decode()


def test_a_manager_lands_on_the_board_and_a_tech_on_his_page(scenario: Scenario) -> None:
    assert logged_in(scenario.manager.email).get("/app/")["Location"] == "/app/timeline"
    assert logged_in(scenario.tech.email).get("/app/")["Location"] == "/app/me"


def test_the_board_config_names_only_the_users_own_organizations(scenario: Scenario) -> None:
    config = page_config(logged_in(scenario.manager.email).get("/app/timeline"))
    assert config["org"]["id"] == str(scenario.organization.id)  # type: ignore[index]
    names = {m["name"] for m in config["memberships"]}  # type: ignore[attr-defined]
    assert names == {scenario.organization.name}
    assert scenario.outsider_organization.name not in json.dumps(config)
    assert config["canEdit"] is True


def test_switching_to_a_foreign_organization_is_a_404(scenario: Scenario) -> None:
    client = logged_in(scenario.manager.email)
    response = client.post(
        "/app/switch-org", {"organization": str(scenario.outsider_organization.id)}
    )
    assert response.status_code == 404


def test_the_crew_api_answers_the_session_with_the_users_artist_only(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization, user=scenario.tech)
    ArtistFactory(organization=scenario.outsider_organization, user=scenario.tech)
    client = logged_in(scenario.tech.email)
    response = client.get("/api/v1/me/artist")
    assert response.status_code == 200
    assert response.json()["id"] == str(artist.id)
    assert client.get("/api/v1/me/assignments").json() == {"results": []}


def test_the_candidates_of_a_foreign_shift_are_a_404(scenario: Scenario) -> None:
    from tests.factories import ShiftFactory

    foreign = ShiftFactory(mission__project__organization=scenario.outsider_organization)
    response = scenario.client("manager").get(f"/api/v1/planning/shifts/{foreign.id}/candidates")
    assert response.status_code == 404
    assert (
        scenario.client("tech").get(f"/api/v1/planning/shifts/{foreign.id}/candidates").status_code
        == 403
    )


def test_switching_to_a_malformed_organization_id_is_a_404(scenario: Scenario) -> None:
    response = logged_in(scenario.manager.email).post("/app/switch-org", {"organization": "abc"})
    assert response.status_code == 404
