"""``manage.py seed_demo``: idempotent, and its printed logins work through the API."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from rest_framework.test import APIClient

from apps.orgs.models import Membership, Organization, User
from tests.orgs.helpers import ME_URL, bearer, login


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_seed_demo_is_idempotent(db: None) -> None:
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["organizations"] >= 1
    assert first["memberships"] >= 4


def test_seed_demo_prints_logins_that_work_through_the_api(db: None) -> None:
    output = seed()

    password = re.search(r"Password for every demo user: (\S+)", output)
    logins = dict(re.findall(r"^\s+(owner|admin|manager|tech)\s+(\S+@\S+)$", output, re.M))
    assert password
    assert set(logins) == {"owner", "admin", "manager", "tech"}
    for role, email in logins.items():
        response = login(APIClient(), email, password.group(1))
        assert response.status_code == 200, (email, response.content)
        assert response.json()["role"] == role
    access = login(APIClient(), logins["manager"], password.group(1)).json()["access_token"]
    assert bearer(access).get(ME_URL).json()["email"] == logins["manager"]


def test_seed_demo_restores_a_changed_demo_password(db: None) -> None:
    output = seed()
    email = re.findall(r"^\s+tech\s+(\S+)$", output, re.M)[0]
    user = User.objects.get(email=email)
    user.set_password("someone-changed-it-2026")
    user.save()

    seed()

    password = re.search(r"Password for every demo user: (\S+)", output)
    assert password
    assert login(APIClient(), email, password.group(1)).status_code == 200
