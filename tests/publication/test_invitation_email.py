"""The invitation e-mail: content in both languages, sent after commit, never on rollback."""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from apps.planning.models import Invitation
from apps.planning.publication.tasks import send_invitation_email
from tests.conftest import Scenario, side_effects
from tests.publication.conftest import INVITATIONS, World, assign, invite, local, make_shift

pytestmark = pytest.mark.django_db

BASE_URL = "https://crew.example"


def _assignment(world: World, **shift_fields: Any) -> Any:
    shift = make_shift(world.own, local(24, 18), hours=5.5, **shift_fields)
    return assign(shift, world.own.bruno)


def _links(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith(f"{BASE_URL}/invitations/")]


@override_settings(PUBLIC_BASE_URL=BASE_URL)
def test_the_french_e_mail_gives_the_shift_and_both_links(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assignment = _assignment(world, notes="Entrée des artistes.")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(scenario, assignment)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bruno.own@crew.test"]
    assert message.subject == "Invitation : Rigger own – Olympia own, mardi 24 mars 2026"
    body = message.body
    assert "Bonjour Bruno Berger" in body
    assert "Date : mardi 24 mars 2026" in body
    assert "Horaires : 18:00 – 23:30 (Europe/Paris)" in body
    assert "Lieu : Olympia own, 28 bd des Capucines, Paris" in body
    assert "Mission : Concerts own" in body
    assert "Poste : Rigger own" in body
    assert "Entrée des artistes." in body
    accept, decline = _links(body)
    for link, answer in ((accept, "accept"), (decline, "decline")):
        parsed = urlparse(link)
        assert parsed.path == f"/invitations/{invitation.pk}"
        query = parse_qs(parsed.query)
        assert query["answer"] == [answer]
        assert query["token"]
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    for expected in ("Accepter", "Refuser", "mardi 24 mars 2026", "18:00 – 23:30", accept):
        assert expected.replace("&", "&amp;") in html
    assert message.extra_headers["Content-Language"] == "fr"


@override_settings(PUBLIC_BASE_URL=BASE_URL)
def test_the_english_e_mail_follows_the_organization_language(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    scenario.organization.language = "en"
    scenario.organization.save(update_fields=["language"])
    assignment = _assignment(world)

    with django_capture_on_commit_callbacks(execute=True):
        invite(scenario, assignment)

    message = mail.outbox[0]
    assert message.subject == "Invitation: Rigger own – Olympia own, Tuesday 24 March 2026"
    assert "Hello Bruno Berger" in message.body
    assert "Time: 18:00 – 23:30 (Europe/Paris)" in message.body
    assert "Venue: Olympia own" in message.body
    assert "Role: Rigger own" in message.body
    assert "To accept: " in message.body
    assert "To decline: " in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert ">Accept<" in html
    assert ">Decline<" in html


@override_settings(PUBLIC_BASE_URL=BASE_URL)
def test_a_night_shift_says_on_which_day_it_ends(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = make_shift(world.own, local(24, 22), hours=6)
    with django_capture_on_commit_callbacks(execute=True):
        invite(scenario, assign(shift, world.own.bruno))

    assert "22:00 – 04:00 (fin le mercredi 25 mars 2026)" in mail.outbox[0].body


@override_settings(PUBLIC_BASE_URL=BASE_URL)
def test_the_link_in_the_e_mail_answers_the_invitation(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(scenario, _assignment(world))
    token = parse_qs(urlparse(_links(mail.outbox[0].body)[0]).query)["token"][0]

    response = scenario.client("anonymous").post(
        f"{INVITATIONS}/{invitation.pk}/accept", QUERY_STRING=f"token={token}"
    )

    assert response.status_code == 200, response.content


def test_the_e_mail_leaves_only_after_commit(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(scenario, _assignment(world))
        assert mail.outbox == []

    assert len(side_effects(callbacks)) == 1
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    side_effects(callbacks)[0]()
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assignment = _assignment(world)

    def invite_then_fail() -> None:
        with transaction.atomic():
            invite(scenario, assignment)
            raise RuntimeError("the caller fails after inviting")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        invite_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    assert not Invitation.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == "proposed"


def test_the_task_retries_transient_smtp_failures(scenario: Scenario, world: World) -> None:
    invitation = invite(scenario, _assignment(world))  # not committed: no e-mail yet
    real_send = mail.EmailMultiAlternatives.send
    attempts: list[int] = []

    def flaky(self: Any, fail_silently: bool = False) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise SMTPException("421 try again later")
        return real_send(self, fail_silently)

    # Eagerly, Celery runs the retry in place of the broker (``throw=False``: the worker's
    # behaviour, where a Retry is not an error).
    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky):
        result = send_invitation_email.apply(args=[str(invitation.pk)], throw=False)

    assert result.get() is True

    assert len(attempts) == 2
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_the_task_sends_once_and_skips_withdrawn_invitations(
    scenario: Scenario, world: World
) -> None:
    invitation = invite(scenario, _assignment(world))

    assert send_invitation_email.apply(args=[str(invitation.pk)]).get() is True
    assert send_invitation_email.apply(args=[str(invitation.pk)]).get() is False
    assert len(mail.outbox) == 1

    other = invite(scenario, assign(make_shift(world.own, local(26, 18)), world.own.chloe))
    Invitation.objects.filter(pk=other.pk).update(status="revoked")
    assert send_invitation_email.apply(args=[str(other.pk)]).get() is False
    assert len(mail.outbox) == 1


def test_the_task_does_not_retry_programming_errors(scenario: Scenario, world: World) -> None:
    invitation = invite(scenario, _assignment(world))

    with (
        mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=ValueError("bug")),
        pytest.raises(ValueError, match="bug"),
    ):
        send_invitation_email.apply(args=[str(invitation.pk)], throw=True)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
