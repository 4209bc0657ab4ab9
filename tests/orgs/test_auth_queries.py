"""One query authenticates an API request: the token's user and their membership together.

An access token names its organization (claim ``org``). ``OrgJWTAuthentication`` reads the
membership of the token's user in that organization with the user and the organization
joined, and tenancy (``resolve_membership``) takes that membership instead of reading it
again. Without such a membership (no claim, a malformed one, a removed member) the user is
read alone, as simplejwt reads it, and tenancy resolves and refuses exactly as before.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from apps.core.tenancy import SESSION_ORG_KEY, remember_token_membership, resolve_membership
from apps.orgs.auth import AUTH_VERSION_CLAIM, ORG_CLAIM, OrgJWTAuthentication, issue_tokens
from apps.orgs.models import MemberRole, Membership, User
from tests.conftest import Scenario, assert_error
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory
from tests.orgs.helpers import ME_URL, bearer, login

CURRENT_URL = "/api/v1/orgs/current"
PROJECTS_URL = "/api/v1/projects"
SWITCH_URL = "/api/v1/auth/switch-org"


def _token_without_org(user: User) -> str:
    token = AccessToken.for_user(user)
    token[AUTH_VERSION_CLAIM] = user.auth_version
    return str(token)


@pytest.fixture
def member_of_both(scenario: Scenario) -> Membership:
    """The manager also belongs to the outsider organization (as a tech)."""
    return MembershipFactory(
        organization=scenario.outsider_organization, user=scenario.manager, role=MemberRole.TECH
    )


# --- The query saved ----------------------------------------------------------------------


def test_an_api_request_reads_its_user_and_membership_in_one_query(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    # ``/orgs/current`` answers the resolved organization itself, so the only query is
    # authentication's: the membership of the token's user in the token's organization,
    # with the user and the organization joined. It was two (the user, then the
    # membership with its organization).
    with django_assert_num_queries(1) as captured:
        response = scenario.client("manager").get(CURRENT_URL)

    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(scenario.organization.id)
    sql = captured.captured_queries[0]["sql"]
    assert all(
        table in sql for table in ('"orgs_membership"', '"orgs_user"', '"orgs_organization"')
    )


def test_a_token_without_an_organization_is_read_in_two_queries_as_before(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    # No ``org`` claim: 1 the user (simplejwt), 2 the oldest membership with its
    # organization (tenancy).
    with django_assert_num_queries(2):
        response = bearer(_token_without_org(scenario.manager)).get(CURRENT_URL)

    assert response.json()["id"] == str(scenario.organization.id)


def test_the_user_is_the_memberships_user(scenario: Scenario) -> None:
    token = AccessToken(issue_tokens(scenario.manager, scenario.memberships["manager"]).access)  # type: ignore[arg-type]

    user = OrgJWTAuthentication().get_user(token)
    request = SimpleNamespace(user=user, auth=token, session=None)
    membership = resolve_membership(request)

    assert user == scenario.manager
    assert membership is not None
    assert membership.pk == scenario.memberships["manager"].pk
    assert membership.user is user
    assert membership.organization == scenario.organization


# --- Refusals unchanged -------------------------------------------------------------------


def test_a_removed_members_token_is_still_401(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("tech")
    assert client.get(CURRENT_URL).status_code == 200
    Membership.objects.filter(pk=scenario.memberships["tech"].pk).delete()

    # No membership in the token's organization: the user is read alone (simplejwt), then
    # tenancy looks the membership up, finds none and refuses, as before: a refusal costs
    # one query more than it did (the membership looked for at authentication).
    with django_assert_num_queries(3):
        response = client.get(CURRENT_URL)

    body = assert_error(response, 401, "token_not_valid")
    assert body["message"] == "Your membership of this organization has ended."
    assert_error(client.get(PROJECTS_URL), 401, "token_not_valid")


def test_an_inactive_users_token_is_still_401_as_simplejwt_answers_it(scenario: Scenario) -> None:
    with_org = issue_tokens(scenario.manager, scenario.memberships["manager"]).access
    without_org = _token_without_org(scenario.manager)
    User.objects.filter(pk=scenario.manager.pk).update(is_active=False)

    joined = bearer(with_org).get(CURRENT_URL)  # the user read with the membership
    alone = bearer(without_org).get(CURRENT_URL)  # the user read by simplejwt

    assert_error(joined, 401)
    assert {**joined.json()["error"], "request_id": None} == {
        **alone.json()["error"],
        "request_id": None,
    }
    assert joined["WWW-Authenticate"] == alone["WWW-Authenticate"]
    assert_error(bearer(with_org).get(ME_URL), 401)


def test_a_token_of_an_older_auth_version_is_still_401(scenario: Scenario) -> None:
    client = scenario.client("manager")
    assert client.get(CURRENT_URL).status_code == 200
    User.objects.filter(pk=scenario.manager.pk).update(auth_version=F("auth_version") + 1)

    for url in (CURRENT_URL, ME_URL):
        assert assert_error(client.get(url), 401)["message"] == "Token is no longer valid."


def test_each_request_reads_the_membership_afresh(scenario: Scenario) -> None:
    client = scenario.client("admin")
    assert client.patch(CURRENT_URL, {"name": "Renamed"}, format="json").status_code == 200
    Membership.objects.filter(pk=scenario.memberships["admin"].pk).update(role=MemberRole.TECH)

    response = client.patch(CURRENT_URL, {"name": "Hijacked"}, format="json")

    assert_error(response, 403, "permission_denied")


# --- The organization resolved ------------------------------------------------------------


def test_a_token_for_one_organization_cannot_read_the_others_objects(
    scenario: Scenario, member_of_both: Membership
) -> None:
    own = ProjectFactory(organization=scenario.organization, name="Own")
    other = ProjectFactory(organization=scenario.outsider_organization, name="Other")
    for_own = bearer(issue_tokens(scenario.manager, scenario.memberships["manager"]).access)
    for_other = bearer(issue_tokens(scenario.manager, member_of_both).access)

    assert for_own.get(f"{PROJECTS_URL}/{own.pk}").status_code == 200
    assert_error(for_own.get(f"{PROJECTS_URL}/{other.pk}"), 404)
    assert [p["name"] for p in for_own.get(PROJECTS_URL).json()["results"]] == ["Own"]
    assert for_other.get(f"{PROJECTS_URL}/{other.pk}").status_code == 200
    assert_error(for_other.get(f"{PROJECTS_URL}/{own.pk}"), 404)
    assert [p["name"] for p in for_other.get(PROJECTS_URL).json()["results"]] == ["Other"]
    # Each token acts with the role of its own membership (tech in the other organization).
    assert for_own.post(PROJECTS_URL, {"name": "New"}, format="json").status_code == 201
    assert_error(for_other.post(PROJECTS_URL, {"name": "New"}, format="json"), 403)


def test_switching_organization_through_the_api_resolves_the_new_membership(
    scenario: Scenario, member_of_both: Membership, django_assert_num_queries: Any
) -> None:
    logged_in = login(APIClient(), "manager@nuits.test").json()
    assert logged_in["org"] == str(scenario.organization.id)
    switched = bearer(logged_in["access_token"]).post(
        SWITCH_URL, {"organization": str(scenario.outsider_organization.id)}, format="json"
    )
    assert switched.status_code == 200, switched.content

    other = bearer(switched.json()["access_token"])
    with django_assert_num_queries(1):  # the user with the new membership
        response = other.get(CURRENT_URL)

    assert response.json()["id"] == str(scenario.outsider_organization.id)
    assert_error(other.patch(CURRENT_URL, {"name": "X"}, format="json"), 403)  # a tech there


def test_a_session_follows_its_organization_unchanged(
    scenario: Scenario, member_of_both: Membership, django_assert_num_queries: Any
) -> None:
    client = Client()
    login_page = client.post("/app/login", {"email": scenario.manager.email, "password": PASSWORD})
    assert login_page.status_code == 302
    assert client.get(CURRENT_URL).json()["id"] == str(scenario.organization.id)

    switched = client.post("/app/switch-org", {"organization": str(member_of_both.organization_id)})
    assert switched.status_code == 302

    # Session authentication is untouched: 1 the session, 2 the user, 3 the membership of
    # the session's organization with the organization.
    with django_assert_num_queries(3):
        response = client.get(CURRENT_URL)
    assert response.json()["id"] == str(scenario.outsider_organization.id)
    assert_error(client.patch(CURRENT_URL, {"name": "X"}, content_type="application/json"), 403)


def test_a_bearer_token_wins_over_the_sessions_organization(
    scenario: Scenario, member_of_both: Membership
) -> None:
    client = APIClient()
    client.force_login(scenario.manager)
    session = client.session
    session[SESSION_ORG_KEY] = str(member_of_both.organization_id)
    session.save()
    assert client.get(CURRENT_URL).json()["id"] == str(scenario.outsider_organization.id)
    access = issue_tokens(scenario.manager, scenario.memberships["manager"]).access
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    assert client.get(CURRENT_URL).json()["id"] == str(scenario.organization.id)


# --- The hand-over from authentication to tenancy -----------------------------------------


def _request_for(user: User, org_id: object, remembered: Membership | None) -> Any:
    token = AccessToken.for_user(user)
    token[ORG_CLAIM] = str(org_id)
    if remembered is not None:
        remember_token_membership(token, remembered)
    return SimpleNamespace(user=user, auth=token, session=None)


def test_tenancy_takes_the_remembered_membership_without_a_query(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    mine = Membership.objects.select_related("organization").get(
        pk=scenario.memberships["manager"].pk
    )
    request = _request_for(scenario.manager, scenario.organization.id, mine)

    with django_assert_num_queries(0):
        assert resolve_membership(request) is mine
    # Taken once: a later resolution in the same request reads the database.
    with django_assert_num_queries(1):
        again = resolve_membership(request)
    assert again is not None
    assert again.pk == mine.pk
    assert again is not mine


@pytest.mark.parametrize("whose", ["same user, other organization", "other user"])
def test_tenancy_ignores_a_remembered_membership_it_would_not_resolve(
    scenario: Scenario, member_of_both: Membership, whose: str, django_assert_num_queries: Any
) -> None:
    wrong = member_of_both if whose.startswith("same") else scenario.memberships["owner"]
    request = _request_for(scenario.manager, scenario.organization.id, wrong)

    with django_assert_num_queries(1):  # read from the database, as without it
        membership = resolve_membership(request)

    assert membership is not None
    assert membership.pk == scenario.memberships["manager"].pk
    assert membership.organization_id == scenario.organization.id
