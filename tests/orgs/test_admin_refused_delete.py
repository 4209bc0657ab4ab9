"""A deletion the policy refuses shows why, deletes nothing and logs no deletion."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client

from apps.orgs.models import MemberRole, Membership
from tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def test_deleting_the_last_owner_in_the_admin_is_refused_and_not_logged(
    scenario: Scenario,
) -> None:
    owner = scenario.memberships[MemberRole.OWNER]
    staff = scenario.admin
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(staff)

    response = client.post(
        f"/admin/orgs/membership/{owner.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert Membership.objects.filter(pk=owner.pk).exists()
    assert not LogEntry.objects.filter(action_flag=DELETION, object_id=str(owner.pk)).exists()
    assert "at least one owner" in response.content.decode()
