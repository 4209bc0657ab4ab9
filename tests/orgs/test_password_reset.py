"""Password reset: the request never tells whether an account exists; the confirmation
ends every session issued before it."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.orgs.models import User
from tests.conftest import Scenario, assert_error
from tests.factories import PASSWORD, UserFactory
from tests.orgs.helpers import (
    ME_URL,
    REFRESH_URL,
    bearer,
    login,
    refresh_cookie,
    with_refresh_cookie,
)

REQUEST_URL = "/api/v1/auth/reset/request"
CONFIRM_URL = "/api/v1/auth/reset/confirm"
NEW_PASSWORD = "a-brand-new-passphrase-2026"
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def reset_token_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"^(\S+:\S+-\S+)$", mail.outbox[0].body, re.MULTILINE)
    assert match, mail.outbox[0].body
    return match.group(1)


def request_reset(email: str, capture: CaptureOnCommit) -> str:
    with capture(execute=True):
        response = APIClient().post(REQUEST_URL, {"email": email}, format="json")
    assert response.status_code == 202
    return reset_token_from_outbox()


def test_reset_request_answers_the_same_for_known_and_unknown_e_mails(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = APIClient().post(REQUEST_URL, {"email": "tech@nuits.test"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = APIClient().post(REQUEST_URL, {"email": "ghost@nuits.test"}, format="json")

    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.json() == unknown.json()
    assert "reset_token" not in known.json()
    assert [message.to for message in mail.outbox] == [["tech@nuits.test"]]


def test_the_reset_e_mail_leaves_only_after_commit(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = APIClient().post(REQUEST_URL, {"email": "tech@nuits.test"}, format="json")
        assert response.status_code == 202
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()  # what the commit runs; Celery is eager in tests

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tech@nuits.test"]


def test_no_e_mail_is_queued_for_an_unknown_or_inactive_account(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    UserFactory(email="gone@nuits.test", is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        for email in ("ghost@nuits.test", "gone@nuits.test"):
            response = APIClient().post(REQUEST_URL, {"email": email}, format="json")
            assert response.status_code == 202

    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_reset_request_sends_one_e_mail() -> None:
    UserFactory(email="solo@nuits.test")

    response = APIClient().post(REQUEST_URL, {"email": "Solo@Nuits.test"}, format="json")

    assert response.status_code == 202
    assert [message.to for message in mail.outbox] == [["solo@nuits.test"]]


def test_reset_confirm_sets_the_password(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    token = request_reset("tech@nuits.test", django_capture_on_commit_callbacks)

    response = APIClient().post(
        CONFIRM_URL, {"token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 204, response.content
    assert login(APIClient(), "tech@nuits.test", NEW_PASSWORD).status_code == 200
    assert_error(login(APIClient(), "tech@nuits.test", PASSWORD), 401, "invalid_credentials")
    assert AuditEntry.objects.filter(
        action=AuditAction.USER_PASSWORD_RESET, entity_id=str(scenario.tech.id)
    ).exists()


def test_a_reset_kills_refresh_and_access_tokens_issued_before_it(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    sessions = [login(APIClient(), "tech@nuits.test") for _ in range(2)]
    old_refresh = [refresh_cookie(session) for session in sessions]
    old_access = sessions[0].json()["access_token"]
    assert bearer(old_access).get(ME_URL).status_code == 200
    token = request_reset("tech@nuits.test", django_capture_on_commit_callbacks)

    confirmed = APIClient().post(
        CONFIRM_URL, {"token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    assert confirmed.status_code == 204
    for raw in old_refresh:
        assert_error(with_refresh_cookie(raw).post(REFRESH_URL), 401, "token_not_valid")
    assert_error(bearer(old_access).get(ME_URL), 401)
    fresh = login(APIClient(), "tech@nuits.test", NEW_PASSWORD).json()["access_token"]
    assert bearer(fresh).get(ME_URL).status_code == 200


def test_a_reset_token_works_only_once(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    token = request_reset("tech@nuits.test", django_capture_on_commit_callbacks)
    payload = {"token": token, "new_password": NEW_PASSWORD}
    assert APIClient().post(CONFIRM_URL, payload, format="json").status_code == 204

    again = APIClient().post(
        CONFIRM_URL, {"token": token, "new_password": "yet-another-passphrase-9"}, format="json"
    )

    body = assert_error(again, 400, "invalid")
    assert list(body["fields"]) == ["token"]


@pytest.mark.parametrize(
    "token",
    ["garbage", "bm90LWEtdXVpZA:abc-def", "", ":"],
    ids=["no-separator", "unknown-user", "empty", "separator-only"],
)
def test_a_bad_reset_token_is_refused_naming_the_token(scenario: Scenario, token: str) -> None:
    response = APIClient().post(
        CONFIRM_URL, {"token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["token"]


def test_a_forged_token_for_a_real_user_is_refused(scenario: Scenario) -> None:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(scenario.owner.pk))
    response = APIClient().post(
        CONFIRM_URL,
        {"token": f"{uid}:c0ffee-0123456789abcdef", "new_password": NEW_PASSWORD},
        format="json",
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["token"]
    scenario.owner.refresh_from_db()
    assert scenario.owner.check_password(PASSWORD)


def test_reset_confirm_refuses_a_weak_password_naming_the_field(
    scenario: Scenario, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    token = request_reset("tech@nuits.test", django_capture_on_commit_callbacks)

    response = APIClient().post(
        CONFIRM_URL, {"token": token, "new_password": "password"}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["new_password"]
    user = User.objects.get(email="tech@nuits.test")
    assert user.check_password(PASSWORD)
    assert user.auth_version == 0
