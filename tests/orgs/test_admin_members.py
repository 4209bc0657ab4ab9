"""Members edited in the admin follow the same policy as the API."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.orgs.models import MemberRole, Membership
from tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def staff_client(scenario: Scenario, role: str) -> Client:
    user = scenario.users[role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__endswith="_membership"))
    client = Client()
    client.force_login(user)
    return client


def change(client: Client, membership: Membership, role: str) -> object:
    return client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        {
            "organization": str(membership.organization_id),
            "user": str(membership.user_id),
            "role": role,
        },
    )


def test_a_staff_manager_cannot_make_himself_owner_in_the_admin(scenario: Scenario) -> None:
    client = staff_client(scenario, MemberRole.MANAGER)
    membership = scenario.memberships[MemberRole.MANAGER]
    response = change(client, membership, MemberRole.OWNER)
    # Memberships are an admin's business: the manager's admin does not even list them.
    assert response.status_code == 302
    assert "0 memberships" in client.get("/admin/orgs/membership/").content.decode()
    membership.refresh_from_db()
    assert membership.role == MemberRole.MANAGER


def test_a_staff_admin_cannot_grant_admin_but_can_promote_a_tech(scenario: Scenario) -> None:
    client = staff_client(scenario, MemberRole.ADMIN)
    tech = scenario.memberships[MemberRole.TECH]
    refused = change(client, tech, MemberRole.ADMIN)
    assert "Only an owner can grant" in refused.content.decode()
    accepted = change(client, tech, MemberRole.MANAGER)
    assert accepted.status_code == 302
    tech.refresh_from_db()
    assert tech.role == MemberRole.MANAGER
    entry = AuditEntry.objects.get(
        entity_id=str(tech.pk), action=AuditAction.MEMBERSHIP_CHANGE_ROLE
    )
    assert entry.before["role"] == MemberRole.TECH
    assert entry.after["role"] == MemberRole.MANAGER


def test_the_last_owner_cannot_be_demoted_in_the_admin(scenario: Scenario) -> None:
    client = staff_client(scenario, MemberRole.OWNER)
    owner = scenario.memberships[MemberRole.OWNER]
    response = change(client, owner, MemberRole.ADMIN)
    assert "at least one owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == MemberRole.OWNER
