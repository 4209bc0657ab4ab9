"""Login, refresh with rotation, logout, me and switch-org, through the API."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from apps.orgs.models import MemberRole
from tests.conftest import Scenario, assert_error
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.orgs.helpers import (
    LOGOUT_URL,
    ME_URL,
    REFRESH_URL,
    bearer,
    claims,
    login,
    refresh_cookie,
    with_refresh_cookie,
)

SWITCH_URL = "/api/v1/auth/switch-org"


def test_login_answers_a_short_lived_bearer_token_for_the_organization(
    scenario: Scenario,
) -> None:
    response = login(APIClient(), "manager@nuits.test")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "org", "role"}
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 900
    assert body["org"] == str(scenario.organization.id)
    assert body["role"] == "manager"
    token = claims(body["access_token"])
    assert token["token_type"] == "access"
    assert token["org"] == str(scenario.organization.id)
    assert token["exp"] - token["iat"] <= 900
    scenario.manager.refresh_from_db()
    assert scenario.manager.last_login is not None


def test_login_puts_the_refresh_token_in_a_locked_down_cookie(scenario: Scenario) -> None:
    response = login(APIClient(), "manager@nuits.test")

    cookie = response.cookies[settings.REFRESH_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True
    assert cookie["path"] == "/api/v1/auth/"
    assert claims(cookie.value)["token_type"] == "refresh"
    assert "refresh" not in response.json()


def test_login_refuses_a_wrong_password_and_an_unknown_account(scenario: Scenario) -> None:
    wrong = login(APIClient(), "manager@nuits.test", "not-the-password")
    unknown = login(APIClient(), "nobody@nuits.test")

    assert_error(wrong, 401, "invalid_credentials")
    assert_error(unknown, 401, "invalid_credentials")
    assert settings.REFRESH_COOKIE_NAME not in wrong.cookies


def test_login_for_a_named_organization_acts_for_it(scenario: Scenario) -> None:
    second = OrganizationFactory()
    MembershipFactory(organization=second, user=scenario.manager, role=MemberRole.ADMIN)

    response = APIClient().post(
        "/api/v1/auth/login",
        {
            "email": "manager@nuits.test",
            "password": "correct-horse-battery-staple",
            "organization": str(second.id),
        },
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["org"], response.json()["role"]) == (str(second.id), "admin")


def test_refresh_rotates_the_cookie_and_answers_a_working_access_token(
    scenario: Scenario,
) -> None:
    client = APIClient()
    first = refresh_cookie(login(client, "tech@nuits.test"))

    response = client.post(REFRESH_URL)

    assert response.status_code == 200, response.content
    second = refresh_cookie(response)
    assert second != first
    assert claims(second)["jti"] != claims(first)["jti"]
    me = bearer(response.json()["access_token"]).get(ME_URL)
    assert me.json()["email"] == "tech@nuits.test"


def test_it_refuses_a_reused_refresh_token(scenario: Scenario) -> None:
    client = APIClient()
    rotated_away = refresh_cookie(login(client, "tech@nuits.test"))
    assert client.post(REFRESH_URL).status_code == 200

    replay = with_refresh_cookie(rotated_away).post(REFRESH_URL)

    assert_error(replay, 401, "token_not_valid")


def test_refresh_without_a_cookie_is_unauthenticated(db: None) -> None:
    response = APIClient().post(REFRESH_URL)

    assert_error(response, 401, "token_not_valid")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshes_with_one_cookie_rotate_it_once() -> None:
    user = UserFactory(email="racer@nuits.test")
    MembershipFactory(user=user, role=MemberRole.TECH)
    raw = refresh_cookie(login(APIClient(), "racer@nuits.test"))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def refresh() -> None:
        try:
            client = with_refresh_cookie(raw)
            barrier.wait()
            statuses.append(client.post(REFRESH_URL).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 401]


def test_logout_revokes_the_refresh_token_and_clears_the_cookie(scenario: Scenario) -> None:
    client = APIClient()
    raw = refresh_cookie(login(client, "admin@nuits.test"))

    response = client.post(LOGOUT_URL)

    assert response.status_code == 204
    cleared = response.cookies[settings.REFRESH_COOKIE_NAME]
    assert cleared.value == ""
    assert cleared["max-age"] == 0
    assert cleared["path"] == "/api/v1/auth/"
    assert BlacklistedToken.objects.filter(token__jti=claims(raw)["jti"]).exists()
    assert_error(with_refresh_cookie(raw).post(REFRESH_URL), 401, "token_not_valid")


def test_logout_without_a_cookie_still_answers_204(db: None) -> None:
    assert APIClient().post(LOGOUT_URL).status_code == 204


def test_me_describes_the_user_and_the_active_membership(scenario: Scenario) -> None:
    response = scenario.client("manager").get(ME_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "manager@nuits.test"
    assert body["current_org"] == str(scenario.organization.id)
    assert body["current_role"] == "manager"
    assert [m["organization"]["slug"] for m in body["memberships"]] == ["nuits-sonores"]


def test_me_needs_authentication(db: None) -> None:
    assert_error(APIClient().get(ME_URL), 401, "not_authenticated")


def test_switch_org_answers_tokens_for_the_other_membership(scenario: Scenario) -> None:
    festival = OrganizationFactory(name="Festival", slug="festival")
    MembershipFactory(organization=festival, user=scenario.manager, role=MemberRole.TECH)
    client = APIClient()
    logged_in = login(client, "manager@nuits.test")
    old_refresh = refresh_cookie(logged_in)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {logged_in.json()['access_token']}")

    response = client.post(SWITCH_URL, {"organization": str(festival.id)}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["org"], body["role"]) == (str(festival.id), "tech")
    assert claims(body["access_token"])["org"] == str(festival.id)
    new_refresh = refresh_cookie(response)
    assert claims(new_refresh)["org"] == str(festival.id)
    current = bearer(body["access_token"]).get("/api/v1/orgs/current")
    assert current.json()["slug"] == "festival"
    assert_error(with_refresh_cookie(old_refresh).post(REFRESH_URL), 401)
    refreshed = with_refresh_cookie(new_refresh).post(REFRESH_URL)
    assert refreshed.json()["org"] == str(festival.id)


def test_switch_org_to_an_organization_without_membership_is_not_found(
    scenario: Scenario,
) -> None:
    for organization_id in (scenario.outsider_organization.id, uuid.uuid4()):
        response = scenario.client("owner").post(
            SWITCH_URL, {"organization": str(organization_id)}, format="json"
        )

        body = assert_error(response, 404, "not_found")
        assert list(body["fields"]) == ["organization"]


def test_switch_org_needs_authentication(scenario: Scenario) -> None:
    response = APIClient().post(
        SWITCH_URL, {"organization": str(scenario.organization.id)}, format="json"
    )

    assert_error(response, 401)
