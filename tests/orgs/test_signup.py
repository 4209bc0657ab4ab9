"""POST /api/v1/auth/signup: an account, its organization and the owner membership."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from apps.audit.models import AuditEntry
from apps.orgs.models import MemberRole, Membership, Organization, User
from tests.conftest import Scenario, assert_error
from tests.orgs.helpers import claims

SIGNUP_URL = "/api/v1/auth/signup"


def signup_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "email": "Claire@Example.com",
        "password": "a-long-passphrase-for-claire",
        "full_name": "Claire Martin",
        "organization_name": "Les Nuits Sonores",
        "timezone": "America/Montreal",
        "language": "en",
    }
    payload.update(overrides)
    return payload


@pytest.mark.django_db
def test_it_creates_the_user_the_organization_and_the_owner_membership() -> None:
    response = APIClient().post(SIGNUP_URL, signup_payload(), format="json")

    assert response.status_code == 201, response.content
    user = User.objects.get(email="claire@example.com")
    assert user.check_password("a-long-passphrase-for-claire")
    organization = Organization.objects.get()
    assert (organization.name, organization.timezone, organization.language) == (
        "Les Nuits Sonores",
        "America/Montreal",
        "en",
    )
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (organization, MemberRole.OWNER)
    body = response.json()
    assert body["org"] == str(organization.id)
    assert body["role"] == "owner"
    assert claims(body["access_token"])["org"] == str(organization.id)
    assert settings.REFRESH_COOKIE_NAME in response.cookies


@pytest.mark.django_db
def test_it_audits_the_organization_and_the_owner_membership() -> None:
    response = APIClient().post(
        SIGNUP_URL, signup_payload(), format="json", headers={"X-Request-ID": "signup-42"}
    )

    assert response.status_code == 201
    user = User.objects.get(email="claire@example.com")
    entries = {entry.action: entry for entry in AuditEntry.objects.all()}
    assert set(entries) == {"organization.create", "membership.create"}
    assert all(entry.actor_id == user.id for entry in entries.values())
    assert all(entry.request_id == "signup-42" for entry in entries.values())
    assert entries["organization.create"].after["name"] == "Les Nuits Sonores"
    assert entries["membership.create"].after["role"] == "owner"


def test_it_refuses_an_e_mail_already_in_use_whatever_its_case(scenario: Scenario) -> None:
    response = APIClient().post(SIGNUP_URL, signup_payload(email="ADMIN@nuits.test"), format="json")

    body = assert_error(response, 409, "email_taken")
    assert "email" in body["fields"]
    assert Organization.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["password", "12345678901", "short"])
def test_it_refuses_a_weak_password_and_writes_nothing(password: str) -> None:
    response = APIClient().post(SIGNUP_URL, signup_payload(password=password), format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["password"]
    assert not User.objects.exists()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_password_too_similar_to_the_e_mail() -> None:
    response = APIClient().post(
        SIGNUP_URL,
        signup_payload(email="claire.martin@example.com", password="claire.martin@example"),
        format="json",
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["password"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_time_zone_that_is_not_iana() -> None:
    response = APIClient().post(
        SIGNUP_URL, signup_payload(timezone="Mars/Olympus_Mons"), format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["timezone"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_names_every_missing_field() -> None:
    response = APIClient().post(SIGNUP_URL, {}, format="json")

    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) == {"email", "password", "full_name", "organization_name"}
