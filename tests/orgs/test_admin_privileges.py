"""Staff who are not superusers cannot grant themselves platform powers in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from apps.orgs.models import MemberRole, User
from tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def staff(user: User, *codenames: str) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_a_staff_admin_cannot_make_himself_superuser(scenario: Scenario) -> None:
    admin_user = scenario.users[MemberRole.ADMIN]
    client = staff(admin_user, "change_user", "view_user")
    page = client.get(f"/admin/orgs/user/{admin_user.pk}/change/")
    assert page.status_code == 200
    client.post(
        f"/admin/orgs/user/{admin_user.pk}/change/",
        {"email": "pwned@nuits.test", "full_name": "x", "is_superuser": "on", "is_active": "on"},
    )
    admin_user.refresh_from_db()
    assert admin_user.is_superuser is False
    assert admin_user.email == "admin@nuits.test"
    assert client.get(f"/admin/orgs/user/{scenario.owner.pk}/password/").status_code == 403


def test_a_staff_manager_sees_neither_the_organization_nor_its_audit(scenario: Scenario) -> None:
    client = staff(
        scenario.users[MemberRole.MANAGER], "view_organization", "view_auditentry", "view_project"
    )
    organizations = client.get("/admin/orgs/organization/").content.decode()
    assert scenario.organization.name not in organizations
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert "0 audit entries" in client.get("/admin/audit/auditentry/").content.decode()


def test_token_and_lockout_admins_are_for_superusers_only(scenario: Scenario) -> None:
    client = staff(scenario.users[MemberRole.ADMIN], "view_outstandingtoken", "view_accessattempt")
    assert client.get("/admin/token_blacklist/outstandingtoken/").status_code == 403
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_a_forged_forwarded_for_does_not_escape_the_throttle(
    scenario: Scenario, monkeypatch: Any
) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min", "invitation": "9/min"}
    )
    statuses = [
        Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        .post("/api/v1/auth/reset/request", {"email": "x@y.test"}, content_type="application/json")
        .status_code
        for n in range(4)
    ]
    assert statuses[:2] == [202, 202]
    assert statuses[2:] == [429, 429]
