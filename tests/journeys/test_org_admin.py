"""The organization's own staff in the Django admin: owners and admins, by role, no hand grants."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.orgs.models import User
from tests.conftest import Scenario
from tests.factories import PASSWORD, ArtistFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("admin", 200), ("manager", 302), ("tech", 302)]
)
def test_owners_and_admins_open_the_admin_without_being_made_staff(
    scenario: Scenario, role: str, status: int
) -> None:
    user = scenario.users[role]
    assert not user.is_staff

    response = logged_in(user).get("/admin/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_an_organization_admin_logs_in_on_the_admins_form(scenario: Scenario) -> None:
    admin_login = Client().post(
        "/admin/login/?next=/admin/", {"username": scenario.admin.email, "password": PASSWORD}
    )
    tech_login = Client().post(
        "/admin/login/?next=/admin/", {"username": scenario.tech.email, "password": PASSWORD}
    )

    assert admin_login.status_code == 302
    assert admin_login["Location"] == "/admin/"
    assert tech_login.status_code == 200
    assert "correct" in tech_login.content.decode()  # "Please enter the correct e-mail…"


PLANNING = ("crew.change_artist", "crew.add_availability", "planning.change_shift")
ORGANIZATION = (
    "orgs.change_organization",
    "orgs.add_membership",
    "orgs.view_user",
    "audit.view_auditentry",
)
PLATFORM = (
    "orgs.add_user",
    "orgs.change_user",
    "orgs.delete_user",
    "orgs.delete_organization",
    "auth.change_group",
    "auth.change_permission",
    "token_blacklist.view_outstandingtoken",
    "axes.view_accessattempt",
    "audit.change_auditentry",
)


@pytest.mark.parametrize(
    ("role", "planning", "organization"),
    [
        ("owner", True, True),
        ("admin", True, True),
        ("manager", True, False),
        ("tech", False, False),
    ],
)
def test_permissions_follow_the_membership_role(
    scenario: Scenario, role: str, planning: bool, organization: bool
) -> None:
    user = User.objects.get(pk=scenario.users[role].pk)

    assert all(user.has_perm(perm) is planning for perm in PLANNING)
    assert all(user.has_perm(perm) is organization for perm in ORGANIZATION)
    assert not any(user.has_perm(perm) for perm in PLATFORM)
    assert user.has_module_perms("crew") is planning


def test_a_deactivated_owner_has_no_permission(scenario: Scenario) -> None:
    owner = User.objects.get(pk=scenario.owner.pk)
    owner.is_active = False

    assert not owner.has_perm("crew.change_artist")


def test_an_organization_admin_sees_and_edits_only_his_organizations_artists(
    scenario: Scenario,
) -> None:
    ours = ArtistFactory(organization=scenario.organization, last_name="Ourselves")
    theirs = ArtistFactory(organization=scenario.outsider_organization, last_name="Neighbour")
    client = logged_in(scenario.admin)

    listing = client.get("/admin/crew/artist/").content.decode()
    own_page = client.get(f"/admin/crew/artist/{ours.pk}/change/")
    foreign_page = client.get(f"/admin/crew/artist/{theirs.pk}/change/")

    assert "Ourselves" in listing
    assert "Neighbour" not in listing
    assert own_page.status_code == 200
    assert foreign_page.status_code == 302  # "does not exist": back to the index


def test_the_outsider_owner_sees_only_his_own_shifts(scenario: Scenario) -> None:
    ours = ShiftFactory(mission__project__organization=scenario.organization)
    theirs = ShiftFactory(mission__project__organization=scenario.outsider_organization)
    client = logged_in(scenario.outsider)

    listing = client.get("/admin/planning/shift/").content.decode()

    assert str(theirs.pk) in listing
    assert str(ours.pk) not in listing


def test_an_organization_admin_cannot_reach_platform_pages(scenario: Scenario) -> None:
    client = logged_in(scenario.owner)

    assert client.get("/admin/orgs/user/add/").status_code == 403
    assert client.get("/admin/auth/group/").status_code in (403, 404)
    assert client.get("/admin/token_blacklist/outstandingtoken/").status_code == 403
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_adding_a_membership_in_the_admin_is_for_platform_staff_only(scenario: Scenario) -> None:
    """Nobody joins without consent: organizations invite through the API."""
    superuser = User.objects.create_superuser("root@crewplan.test", "root-password-2026")

    assert logged_in(scenario.owner).get("/admin/orgs/membership/add/").status_code == 403
    assert logged_in(superuser).get("/admin/orgs/membership/add/").status_code == 200


def test_invitations_to_join_are_read_only_in_the_admin(scenario: Scenario) -> None:
    from apps.orgs import onboarding

    invitation = onboarding.organization_invitation_create(
        organization=scenario.organization,
        actor=scenario.memberships["owner"],
        email="later@x.test",
    )
    client = logged_in(scenario.admin)

    listing = client.get("/admin/orgs/organizationinvitation/").content.decode()
    page = client.get(f"/admin/orgs/organizationinvitation/{invitation.pk}/change/")

    assert "later@x.test" in listing
    assert page.status_code == 200
    assert invitation.nonce not in page.content.decode()
    assert (
        logged_in(scenario.outsider)
        .get(f"/admin/orgs/organizationinvitation/{invitation.pk}/change/")
        .status_code
        == 302
    )
