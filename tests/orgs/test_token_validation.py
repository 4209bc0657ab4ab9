"""Access tokens the API must refuse: tampered, expired, unsigned, of the wrong type, of a
different key, or of a deactivated user."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import AccessToken

from apps.orgs.auth import AUTH_VERSION_CLAIM, ORG_CLAIM, issue_tokens
from apps.orgs.models import Membership, User
from tests.conftest import Scenario, assert_error
from tests.orgs.helpers import ME_URL, REFRESH_URL, bearer, login

PROTECTED_URL = "/api/v1/orgs/current"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def _valid_access(scenario: Scenario) -> str:
    return issue_tokens(scenario.manager, scenario.memberships["manager"]).access


def assert_refused(token: str) -> None:
    response = bearer(token).get(PROTECTED_URL)
    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_token_is_accepted(scenario: Scenario) -> None:
    assert bearer(_valid_access(scenario)).get(PROTECTED_URL).status_code == 200


def test_it_refuses_a_token_whose_payload_was_changed(scenario: Scenario) -> None:
    header, _, signature = _valid_access(scenario).split(".")
    claims = _payload(_valid_access(scenario))
    claims[ORG_CLAIM] = str(scenario.outsider_organization.id)
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])

    assert_refused(forged)


def test_it_refuses_a_token_whose_signature_was_changed(scenario: Scenario) -> None:
    header, payload, signature = _valid_access(scenario).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert_refused(f"{header}.{payload}.{flipped}")


def test_it_refuses_an_expired_token(scenario: Scenario) -> None:
    token = AccessToken.for_user(scenario.manager)
    token[ORG_CLAIM] = str(scenario.organization.id)
    token[AUTH_VERSION_CLAIM] = scenario.manager.auth_version
    token.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=15))

    response = bearer(str(token)).get(PROTECTED_URL)

    assert_error(response, 401, "token_not_valid")


def test_it_refuses_an_unsigned_alg_none_token(scenario: Scenario) -> None:
    claims = _payload(_valid_access(scenario))
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{header}.{_b64(json.dumps(claims).encode())}."

    assert_refused(unsigned)


def test_it_refuses_a_token_signed_with_another_key(scenario: Scenario) -> None:
    claims = _payload(_valid_access(scenario))
    foreign = jwt.encode(claims, "another-secret-key-that-is-long-enough-0123456789", "HS256")

    assert_refused(foreign)


def test_it_refuses_a_refresh_token_used_as_an_access_token(scenario: Scenario) -> None:
    refresh = issue_tokens(scenario.manager, scenario.memberships["manager"]).refresh
    assert _payload(refresh)["token_type"] == "refresh"

    assert_refused(refresh)


def test_it_refuses_a_token_without_the_auth_version(scenario: Scenario) -> None:
    claims = _payload(_valid_access(scenario))
    del claims[AUTH_VERSION_CLAIM]
    resigned = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], "HS256")

    assert_refused(resigned)


def test_it_refuses_the_token_of_a_deactivated_user(scenario: Scenario) -> None:
    token = _valid_access(scenario)
    User.objects.filter(pk=scenario.manager.pk).update(is_active=False)

    assert_refused(token)
    assert_error(bearer(token).get(ME_URL), 401)


@pytest.mark.parametrize("header", ["Bearer", "Bearer not.a.jwt", "Token abc", "Bearer a b"])
def test_it_refuses_a_malformed_authorization_header(scenario: Scenario, header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(PROTECTED_URL)

    assert_error(response, 401)


def test_a_deactivated_user_can_neither_log_in_nor_refresh(scenario: Scenario) -> None:
    client = APIClient()
    assert login(client, "manager@nuits.test").status_code == 200
    User.objects.filter(pk=scenario.manager.pk).update(is_active=False)

    refreshed = client.post(REFRESH_URL)
    logged_in = login(APIClient(), "manager@nuits.test")

    assert_error(refreshed, 401, "token_not_valid")
    assert_error(logged_in, 401, "invalid_credentials")


# --- A token validated once is remembered until it expires ----------------------------


def test_a_token_is_checked_once_then_remembered(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its signature and claims are the same bytes' until it expires: checked once."""
    token = _valid_access(scenario)
    decoded: list[str] = []
    decode = TokenBackend.decode

    def counting(self: TokenBackend, raw: str, verify: bool = True) -> dict[str, Any]:
        decoded.append(raw)
        return decode(self, raw, verify)

    monkeypatch.setattr(TokenBackend, "decode", counting)
    for _ in range(3):
        assert bearer(token).get(PROTECTED_URL).status_code == 200

    assert decoded == [token.encode()]


def test_a_remembered_token_is_refused_once_expired(scenario: Scenario) -> None:
    token = AccessToken.for_user(scenario.manager)
    token[ORG_CLAIM] = str(scenario.organization.id)
    token[AUTH_VERSION_CLAIM] = scenario.manager.auth_version
    token.set_exp(lifetime=timedelta(seconds=1))
    raw = str(token)
    assert bearer(raw).get(PROTECTED_URL).status_code == 200

    time.sleep(max(token["exp"] - time.time(), 0) + 0.1)  # past its exp, to the second
    response = bearer(raw).get(PROTECTED_URL)

    assert_error(response, 401, "token_not_valid")


def test_a_remembered_token_still_ends_with_a_password_reset(scenario: Scenario) -> None:
    token = _valid_access(scenario)
    assert bearer(token).get(PROTECTED_URL).status_code == 200
    User.objects.filter(pk=scenario.manager.pk).update(auth_version=F("auth_version") + 1)

    assert_refused(token)


def test_a_remembered_token_carries_no_membership_from_an_earlier_request(
    scenario: Scenario,
) -> None:
    """Authentication leaves the membership it read on the request's token for tenancy:
    a request that never takes it (a refused organization switch) must not hand it to the
    next request with the same token, after the member was removed."""
    client = scenario.client("tech")
    assert client.get("/api/v1/projects").status_code == 200
    refused = client.post("/api/v1/auth/switch-org", {"organization": "nope"}, format="json")
    assert refused.status_code == 400
    Membership.objects.filter(pk=scenario.memberships["tech"].pk).delete()

    response = client.get("/api/v1/projects")

    assert_error(response, 401)
