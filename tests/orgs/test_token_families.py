"""Refresh-token families, removed members and malformed ``org`` claims: all answer 401."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from apps.orgs.auth import AUTH_VERSION_CLAIM, FAMILY_CLAIM, ORG_CLAIM
from apps.orgs.models import Membership
from tests.conftest import Scenario, assert_error
from tests.orgs.helpers import (
    REFRESH_URL,
    bearer,
    claims,
    login,
    refresh_cookie,
    with_refresh_cookie,
)

PROTECTED_URL = "/api/v1/orgs/current"
PROJECTS_URL = "/api/v1/projects"


def _refresh(raw: str) -> tuple[int, str | None]:
    response = with_refresh_cookie(raw).post(REFRESH_URL)
    cookie = response.cookies.get("refresh_token")
    return response.status_code, (cookie.value if cookie is not None and cookie.value else None)


def test_rotation_keeps_the_login_family(scenario: Scenario) -> None:
    first = refresh_cookie(login(APIClient(), "tech@nuits.test"))

    status, second = _refresh(first)

    assert status == 200
    assert second is not None
    assert claims(second)[FAMILY_CLAIM] == claims(first)[FAMILY_CLAIM]
    other_login = refresh_cookie(login(APIClient(), "tech@nuits.test"))
    assert claims(other_login)[FAMILY_CLAIM] != claims(first)[FAMILY_CLAIM]


def test_a_thief_replaying_a_rotated_token_revokes_the_victims_successor(
    scenario: Scenario,
) -> None:
    stolen = refresh_cookie(login(APIClient(), "tech@nuits.test"))
    status, victims_next = _refresh(stolen)  # the victim rotates first
    assert status == 200
    assert victims_next

    replay_status, _ = _refresh(stolen)  # the thief replays the stolen copy

    assert replay_status == 401
    assert_error(with_refresh_cookie(victims_next).post(REFRESH_URL), 401, "token_not_valid")


def test_a_victim_replaying_after_the_thief_revokes_the_thiefs_successor(
    scenario: Scenario,
) -> None:
    stolen = refresh_cookie(login(APIClient(), "tech@nuits.test"))
    status, thiefs_next = _refresh(stolen)  # the thief rotates first
    assert status == 200
    assert thiefs_next
    status, thiefs_third = _refresh(thiefs_next)
    assert status == 200
    assert thiefs_third

    victim = with_refresh_cookie(stolen).post(REFRESH_URL)  # the victim's copy is now reused

    assert_error(victim, 401, "token_not_valid")
    assert _refresh(thiefs_third)[0] == 401
    assert _refresh(thiefs_next)[0] == 401


def test_revoking_a_family_leaves_the_users_other_logins_alone(scenario: Scenario) -> None:
    stolen = refresh_cookie(login(APIClient(), "tech@nuits.test"))
    laptop = refresh_cookie(login(APIClient(), "tech@nuits.test"))
    _refresh(stolen)

    assert _refresh(stolen)[0] == 401

    assert _refresh(laptop)[0] == 200


def test_a_removed_members_access_token_answers_401(scenario: Scenario) -> None:
    client = scenario.client("tech")
    assert client.get(PROJECTS_URL).status_code == 200
    Membership.objects.filter(pk=scenario.memberships["tech"].pk).delete()

    for url in (PROJECTS_URL, PROTECTED_URL):
        response = client.get(url)
        assert_error(response, 401, "token_not_valid")
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("org", ["not-a-uuid", "12345", ["x"], {"id": 1}, 7])
def test_a_malformed_org_claim_answers_401(scenario: Scenario, org: object) -> None:
    token = AccessToken.for_user(scenario.manager)
    token[ORG_CLAIM] = org
    token[AUTH_VERSION_CLAIM] = scenario.manager.auth_version

    for url in (PROJECTS_URL, PROTECTED_URL, "/api/v1/auth/me"):
        assert_error(bearer(str(token)).get(url), 401, "token_not_valid")


def test_a_refresh_token_with_a_malformed_org_claim_answers_401(scenario: Scenario) -> None:
    token = RefreshToken.for_user(scenario.manager)
    token[ORG_CLAIM] = "not-a-uuid"
    token[AUTH_VERSION_CLAIM] = scenario.manager.auth_version

    assert_error(with_refresh_cookie(str(token)).post(REFRESH_URL), 401, "token_not_valid")
