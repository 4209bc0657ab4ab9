"""The admin: staff who are not superusers see and edit only their organizations' rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.orgs.models import MemberRole, Membership, User
from tests.conftest import Scenario
from tests.factories import AuditEntryFactory

OUR_ORG = "Les Nuits Sonores"
OTHER_ORG = "Théâtre Voisin"


def staff_client(user: User) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_organization",
                "change_organization",
                "view_membership",
                "change_membership",
                "add_membership",
                "view_auditentry",
            ]
        )
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trail(scenario: Scenario) -> dict[str, AuditEntry]:
    return {
        "ours": AuditEntryFactory(organization=scenario.organization, entity_id="ours-entry-1"),
        "other": AuditEntryFactory(
            organization=scenario.outsider_organization, entity_id="other-entry-1"
        ),
    }


def changelist(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.usefixtures("trail")
def test_a_staff_admin_sees_only_his_organizations_rows(scenario: Scenario) -> None:
    client = staff_client(scenario.admin)

    organizations = changelist(client, "/admin/orgs/organization/")
    memberships = changelist(client, "/admin/orgs/membership/")
    entries = changelist(client, "/admin/audit/auditentry/")

    assert OUR_ORG in organizations
    assert OTHER_ORG not in organizations
    assert "tech@nuits.test" in memberships
    assert "owner@voisin.test" not in memberships
    assert OTHER_ORG not in memberships
    assert "ours-entry-1" in entries
    assert "other-entry-1" not in entries


@pytest.mark.usefixtures("trail")
def test_a_superuser_sees_every_organization(scenario: Scenario) -> None:
    superuser = User.objects.create_superuser("root@crewplan.test", "root-password-2026")
    client = Client()
    client.force_login(superuser)

    organizations = changelist(client, "/admin/orgs/organization/")
    memberships = changelist(client, "/admin/orgs/membership/")
    entries = changelist(client, "/admin/audit/auditentry/")

    assert OUR_ORG in organizations
    assert OTHER_ORG in organizations
    assert "owner@voisin.test" in memberships
    assert "ours-entry-1" in entries
    assert "other-entry-1" in entries


def test_a_staff_admin_cannot_open_or_edit_another_organizations_rows(
    scenario: Scenario,
) -> None:
    client = staff_client(scenario.admin)
    other_org = scenario.outsider_organization
    other_membership = scenario.outsider_membership

    opened = client.get(f"/admin/orgs/organization/{other_org.pk}/change/")
    edited = client.post(
        f"/admin/orgs/membership/{other_membership.pk}/change/",
        {"user": str(scenario.admin.pk), "organization": str(other_org.pk), "role": "tech"},
    )

    assert opened.status_code == 302  # "does not exist", back to the admin index
    assert edited.status_code == 302
    assert Membership.objects.get(pk=other_membership.pk).role == MemberRole.OWNER


def test_a_staff_admin_can_pick_only_his_organizations_in_forms(scenario: Scenario) -> None:
    client = staff_client(scenario.admin)

    # Adding a membership is for platform staff (organizations invite); pick in another form.
    form = client.get("/admin/crew/skill/add/").content.decode()

    assert f'value="{scenario.organization.pk}"' in form
    assert f'value="{scenario.outsider_organization.pk}"' not in form


def test_a_staff_admin_edits_his_organization_and_it_is_audited(scenario: Scenario) -> None:
    client = staff_client(scenario.admin)
    tech = scenario.memberships["tech"]

    response = client.post(
        f"/admin/orgs/membership/{tech.pk}/change/",
        {
            "user": str(scenario.tech.pk),
            "organization": str(scenario.organization.pk),
            "role": "manager",
        },
    )

    assert response.status_code == 302
    assert Membership.objects.get(pk=tech.pk).role == MemberRole.MANAGER
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_CHANGE_ROLE)
    assert (entry.actor_id, entry.reason) == (scenario.admin.id, "admin")
    assert (entry.before["role"], entry.after["role"]) == ("tech", "manager")


@pytest.mark.usefixtures("trail")
def test_a_staff_tech_sees_no_rows(scenario: Scenario) -> None:
    client = staff_client(scenario.tech)

    organizations = changelist(client, "/admin/orgs/organization/")
    entries = changelist(client, "/admin/audit/auditentry/")

    assert OUR_ORG not in organizations
    assert "ours-entry-1" not in entries


def test_audit_entries_cannot_be_changed_or_deleted_in_the_admin(
    scenario: Scenario, trail: dict[str, AuditEntry]
) -> None:
    superuser = User.objects.create_superuser("root@crewplan.test", "root-password-2026")
    client = Client()
    client.force_login(superuser)
    entry = trail["ours"]

    deleted = client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    added = client.get("/admin/audit/auditentry/add/")

    assert deleted.status_code == 403
    assert added.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
