"""/api/v1/orgs/members: the role matrix, privileged roles, the last owner, tenancy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.orgs.models import ROLE_RANK, MemberRole, Membership, Organization
from tests.conftest import Scenario, api_client_for, assert_error
from tests.factories import MembershipFactory, UserFactory

MEMBERS = "/api/v1/orgs/members"


def member_url(membership: Membership) -> str:
    return f"{MEMBERS}/{membership.id}"


NEWCOMER = "newcomer@nuits.test"


@dataclass(frozen=True)
class Action:
    """One endpoint call; ``on_target`` calls it on a fresh tech member's URL."""

    method: str
    minimum: MemberRole
    success: int
    on_target: bool = False
    path: str = MEMBERS
    payload: dict[str, Any] | None = None

    def call(self, client: APIClient, target: Membership) -> Any:
        url = member_url(target) if self.on_target else self.path
        return getattr(client, self.method)(url, self.payload, format="json")


ACTIONS = {
    "read organization": Action("get", MemberRole.TECH, 200, path="/api/v1/orgs/current"),
    "edit organization": Action(
        "patch", MemberRole.ADMIN, 200, path="/api/v1/orgs/current", payload={"name": "Renamed"}
    ),
    "list members": Action("get", MemberRole.TECH, 200),
    "read a member": Action("get", MemberRole.TECH, 200, on_target=True),
    "invite a member": Action(
        "post", MemberRole.ADMIN, 202, payload={"email": NEWCOMER, "role": "tech"}
    ),
    "change a role": Action(
        "patch", MemberRole.ADMIN, 200, on_target=True, payload={"role": "manager"}
    ),
    "remove a member": Action("delete", MemberRole.ADMIN, 204, on_target=True),
}


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "tech"])
@pytest.mark.parametrize("action_name", list(ACTIONS))
def test_the_role_matrix(scenario: Scenario, role: str, action_name: str) -> None:
    """Each role against each action: allowed from the minimum role up, 403 below it."""
    action = ACTIONS[action_name]
    target = MembershipFactory(organization=scenario.organization, role=MemberRole.TECH)
    UserFactory(email=NEWCOMER)

    response = action.call(scenario.client(role), target)

    if ROLE_RANK[role] >= ROLE_RANK[action.minimum]:
        assert response.status_code == action.success, response.content
    else:
        assert_error(response, 403, "permission_denied")
        assert Membership.objects.get(pk=target.pk).role == MemberRole.TECH
        assert not Membership.objects.filter(user__email=NEWCOMER).exists()
        assert Organization.objects.get(pk=scenario.organization.pk).name == "Les Nuits Sonores"


def test_the_list_shows_the_members_of_the_organization_only(scenario: Scenario) -> None:
    response = scenario.client("tech").get(MEMBERS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert {(row["user"]["email"], row["role"]) for row in rows} == {
        ("owner@nuits.test", "owner"),
        ("admin@nuits.test", "admin"),
        ("manager@nuits.test", "manager"),
        ("tech@nuits.test", "tech"),
    }
    assert set(rows[0]) == {"id", "user", "role", "created_at"}
    outsider_rows = scenario.client("outsider").get(MEMBERS).json()["results"]
    assert [row["user"]["email"] for row in outsider_rows] == ["owner@voisin.test"]


def test_the_member_list_query_count_does_not_grow(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("tech")
    # the token's user with its membership and organization (one query), count, page of
    # memberships + users
    with django_assert_num_queries(3):
        assert client.get(MEMBERS).json()["count"] == 4
    MembershipFactory.create_batch(20, organization=scenario.organization)
    with django_assert_num_queries(3):
        assert client.get(MEMBERS).json()["count"] == 24


@pytest.mark.parametrize("role", ["manager", "tech"])
def test_an_admin_invites_managers_and_techs_who_join_only_by_accepting(
    scenario: Scenario, role: str
) -> None:
    newcomer = UserFactory(email="paul@example.test")

    response = scenario.client("admin").post(
        MEMBERS, {"email": "Paul@Example.test", "role": role}, format="json"
    )

    assert response.status_code == 202, response.content
    assert (response.json()["email"], response.json()["role"]) == ("paul@example.test", role)
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_admin_cannot_grant_a_privileged_role(scenario: Scenario, role: str) -> None:
    newcomer = UserFactory()

    response = scenario.client("admin").post(
        MEMBERS, {"email": newcomer.email, "role": role}, format="json"
    )

    assert_error(response, 403, "permission_denied")
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_owner_invites_to_privileged_roles(scenario: Scenario, role: str) -> None:
    newcomer = UserFactory()

    response = scenario.client("owner").post(
        MEMBERS, {"email": newcomer.email, "role": role}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["role"] == role


def test_inviting_an_unknown_e_mail_answers_as_for_a_known_one(scenario: Scenario) -> None:
    response = scenario.client("admin").post(
        MEMBERS, {"email": "nobody@example.test", "role": "tech"}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["status"] == "pending"


def test_inviting_an_existing_member_is_a_conflict(scenario: Scenario) -> None:
    response = scenario.client("admin").post(
        MEMBERS, {"email": "TECH@nuits.test", "role": "manager"}, format="json"
    )

    body = assert_error(response, 409, "already_member")
    assert list(body["fields"]) == ["email"]
    assert Membership.objects.get(pk=scenario.memberships["tech"].pk).role == MemberRole.TECH


def test_a_member_of_another_organization_is_invited_not_added(scenario: Scenario) -> None:
    response = scenario.client("admin").post(
        MEMBERS, {"email": "owner@voisin.test", "role": "tech"}, format="json"
    )

    assert response.status_code == 202
    assert scenario.outsider.memberships.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"email": "x@example.test", "role": "emperor"}, "role"), ({"role": "tech"}, "email")],
)
def test_bad_member_input_names_the_field(
    scenario: Scenario, payload: dict[str, str], field: str
) -> None:
    response = scenario.client("admin").post(MEMBERS, payload, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == [field]


def test_an_admin_changes_the_role_of_a_tech(scenario: Scenario) -> None:
    tech = scenario.memberships["tech"]

    response = scenario.client("admin").patch(member_url(tech), {"role": "manager"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "manager"
    assert Membership.objects.get(pk=tech.pk).role == MemberRole.MANAGER


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_admin_cannot_promote_to_a_privileged_role(scenario: Scenario, role: str) -> None:
    tech = scenario.memberships["tech"]

    response = scenario.client("admin").patch(member_url(tech), {"role": role}, format="json")

    assert_error(response, 403, "permission_denied")
    assert Membership.objects.get(pk=tech.pk).role == MemberRole.TECH


@pytest.mark.parametrize("target_role", ["admin", "owner"])
def test_an_admin_cannot_change_or_remove_an_admin_or_an_owner(
    scenario: Scenario, target_role: str
) -> None:
    target = MembershipFactory(organization=scenario.organization, role=target_role)
    client = scenario.client("admin")

    demoted = client.patch(member_url(target), {"role": "tech"}, format="json")
    removed = client.delete(member_url(target))

    assert_error(demoted, 403, "permission_denied")
    assert_error(removed, 403, "permission_denied")
    assert Membership.objects.get(pk=target.pk).role == target_role


def test_an_owner_demotes_and_removes_an_admin(scenario: Scenario) -> None:
    admin = scenario.memberships["admin"]
    client = scenario.client("owner")

    assert client.patch(member_url(admin), {"role": "manager"}, format="json").status_code == 200
    assert client.delete(member_url(admin)).status_code == 204
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_the_only_owner_cannot_be_demoted(scenario: Scenario) -> None:
    owner = scenario.memberships["owner"]

    response = scenario.client("owner").patch(member_url(owner), {"role": "admin"}, format="json")

    assert_error(response, 409, "last_owner")
    assert Membership.objects.get(pk=owner.pk).role == MemberRole.OWNER


def test_the_only_owner_cannot_be_removed(scenario: Scenario) -> None:
    owner = scenario.memberships["owner"]

    response = scenario.client("owner").delete(member_url(owner))

    assert_error(response, 409, "last_owner")
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_one_of_two_owners_can_be_demoted_then_the_other_is_the_last(scenario: Scenario) -> None:
    first = scenario.memberships["owner"]
    second = MembershipFactory(organization=scenario.organization, role=MemberRole.OWNER)
    client = scenario.client("owner")

    demoted = client.patch(member_url(first), {"role": "admin"}, format="json")
    second_client = api_client_for(second.user, second)
    last = second_client.delete(member_url(second))

    assert demoted.status_code == 200
    assert Membership.objects.get(pk=first.pk).role == MemberRole.ADMIN
    assert_error(last, 409, "last_owner")


def test_one_of_two_owners_can_be_removed(scenario: Scenario) -> None:
    second = MembershipFactory(organization=scenario.organization, role=MemberRole.OWNER)

    response = scenario.client("owner").delete(member_url(second))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_a_demotion_takes_effect_on_the_next_request(scenario: Scenario) -> None:
    admin_client = scenario.client("admin")
    assert (
        admin_client.patch("/api/v1/orgs/current", {"name": "A"}, format="json").status_code == 200
    )
    scenario.client("owner").patch(
        member_url(scenario.memberships["admin"]), {"role": "tech"}, format="json"
    )

    response = admin_client.patch("/api/v1/orgs/current", {"name": "B"}, format="json")

    assert_error(response, 403, "permission_denied")


def test_a_removed_member_loses_access_at_once(scenario: Scenario) -> None:
    tech_client = scenario.client("tech")
    scenario.client("admin").delete(member_url(scenario.memberships["tech"]))

    response = tech_client.get(MEMBERS)

    # The token stands for a membership that no longer exists: unauthenticated (issue 14).
    assert_error(response, 401, "token_not_valid")


@pytest.mark.parametrize(
    ("method", "payload"), [("get", None), ("patch", {"role": "tech"}), ("delete", None)]
)
def test_the_outsider_gets_404_for_a_member_of_another_organization(
    scenario: Scenario, method: str, payload: dict[str, str] | None
) -> None:
    target = scenario.memberships["manager"]

    response = getattr(scenario.client("outsider"), method)(
        member_url(target), payload, format="json"
    )

    assert_error(response, 404, "not_found")
    assert Membership.objects.get(pk=target.pk).role == MemberRole.MANAGER


@pytest.mark.parametrize("member_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_an_unknown_member_id_is_404(scenario: Scenario, member_id: str) -> None:
    response = scenario.client("owner").get(f"{MEMBERS}/{member_id}")

    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("method", "on_target"),
    [("get", False), ("post", False), ("get", True), ("patch", True), ("delete", True)],
)
def test_anonymous_callers_are_unauthenticated(
    scenario: Scenario, method: str, on_target: bool
) -> None:
    url = member_url(scenario.memberships["tech"]) if on_target else MEMBERS

    response = getattr(scenario.client("anonymous"), method)(url, {"role": "tech"}, format="json")

    assert_error(response, 401, "not_authenticated")


def test_put_is_not_allowed_on_a_member(scenario: Scenario) -> None:
    response = scenario.client("owner").put(
        member_url(scenario.memberships["tech"]), {"role": "manager"}, format="json"
    )

    assert_error(response, 405, "method_not_allowed")
