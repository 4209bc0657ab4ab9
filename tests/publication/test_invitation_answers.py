"""``POST /api/v1/invitations/{id}/accept|decline?token=…``: every answer of the public API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, Invitation
from apps.planning.publication import tokens
from tests.conftest import Scenario, assert_error
from tests.factories import AvailabilityFactory
from tests.publication.conftest import (
    INVITATIONS,
    World,
    assign,
    audit_entry,
    invite,
    local,
    make_shift,
)

pytestmark = pytest.mark.django_db


def _invitation(scenario: Scenario, world: World, artist_index: int = 1) -> Invitation:
    shift = make_shift(world.own, local(24, 18))
    return invite(scenario, assign(shift, world.own.artists[artist_index]))


def _answer(scenario: Scenario, invitation_id: object, verb: str, token: str | None) -> object:
    query = "" if token is None else f"?token={token}"
    return scenario.client("anonymous").post(f"{INVITATIONS}/{invitation_id}/{verb}{query}")


def _status(invitation: Invitation) -> tuple[str, str]:
    invitation.refresh_from_db()
    assignment = Assignment.objects.get(pk=invitation.assignment_id)
    return invitation.status, assignment.status


def test_accepting_confirms_the_assignment_without_login(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["invitation"]["status"] == "accepted"
    assert body["invitation"]["assignment_status"] == "accepted"
    assert body["conflicts"] == []
    assert _status(invitation) == ("accepted", "accepted")
    assert invitation.answered_at is not None


def test_an_answer_without_a_linked_user_is_audited_with_the_artist_name(
    scenario: Scenario, world: World
) -> None:
    invitation = _invitation(scenario, world)  # Bruno has no user account

    _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    entry = audit_entry(invitation.pk, "invitation.accept")
    assert entry.actor is None
    assert entry.actor_label == "artist:Bruno Berger"
    assert (entry.before["status"], entry.after["status"]) == ("pending", "accepted")
    assert entry.organization == scenario.organization


def test_an_answer_of_a_linked_crew_member_is_audited_as_that_user(
    scenario: Scenario, world: World
) -> None:
    invitation = _invitation(scenario, world, artist_index=0)  # Ana is the tech user

    _answer(scenario, invitation.pk, "decline", tokens.make_token(invitation))

    entry = audit_entry(invitation.pk, "invitation.decline")
    assert entry.actor == scenario.tech
    assert entry.actor_label == scenario.tech.email


def test_declining_declines_the_assignment(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _answer(scenario, invitation.pk, "decline", tokens.make_token(invitation))

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["invitation"]["status"] == "declined"  # type: ignore[attr-defined]
    assert _status(invitation) == ("declined", "declined")
    assert audit_entry(invitation.pk, "invitation.decline").after["status"] == "declined"


def test_a_link_works_only_once(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    _answer(scenario, invitation.pk, "accept", token)

    for verb in ("accept", "decline"):
        body = assert_error(_answer(scenario, invitation.pk, verb, token), 409, "already_answered")
        assert body["invitation_status"] == "accepted"
    assert _status(invitation) == ("accepted", "accepted")
    assert AuditEntry.objects.filter(action__startswith="invitation.accept").count() == 1


@pytest.mark.parametrize(
    "token",
    [None, "", "garbage", "eyJpIjoiMSJ9:1abcde:forgedsignature"],
    ids=["missing", "empty", "garbage", "forged"],
)
def test_a_bad_token_is_a_400_naming_the_token(
    scenario: Scenario, world: World, token: str | None
) -> None:
    invitation = _invitation(scenario, world)

    body = assert_error(_answer(scenario, invitation.pk, "accept", token), 400, "invalid_token")

    assert "token" in body["fields"]  # type: ignore[operator]
    assert _status(invitation) == ("pending", "invited")


def test_a_tampered_token_is_refused(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    assert_error(_answer(scenario, invitation.pk, "accept", tampered), 400, "invalid_token")


def test_a_token_signed_with_another_key_is_refused(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    payload = {"i": str(invitation.pk), "o": str(invitation.organization_id), "n": invitation.nonce}
    forged = signing.dumps(payload, key="not-our-secret", salt=tokens.SALT)

    assert_error(_answer(scenario, invitation.pk, "accept", forged), 400, "invalid_token")


def test_a_token_of_another_invitation_is_useless(scenario: Scenario, world: World) -> None:
    mine = _invitation(scenario, world, 1)
    other = _invitation(scenario, world, 2)

    assert_error(
        _answer(scenario, other.pk, "accept", tokens.make_token(mine)), 400, "invalid_token"
    )
    assert _status(other) == ("pending", "invited")


def test_a_token_of_another_organization_is_useless(scenario: Scenario, world: World) -> None:
    mine = _invitation(scenario, world)
    foreign_assignment = assign(make_shift(world.foreign, local(24, 18)), world.foreign.bruno)
    foreign = invite(scenario, foreign_assignment)

    response = _answer(scenario, mine.pk, "accept", tokens.make_token(foreign))
    assert_error(response, 400, "invalid_token")
    response = _answer(scenario, foreign.pk, "accept", tokens.make_token(mine))
    assert_error(response, 400, "invalid_token")
    assert _status(mine) == ("pending", "invited")
    assert _status(foreign) == ("pending", "invited")


def test_a_token_of_a_retired_nonce_is_refused(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(nonce="rotated")

    assert_error(_answer(scenario, invitation.pk, "accept", token), 400, "invalid_token")


def test_an_unknown_invitation_is_a_404(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _answer(scenario, uuid.uuid4(), "accept", tokens.make_token(invitation))

    assert_error(response, 404, "not_found")


def test_an_expired_invitation_is_a_410(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert_error(_answer(scenario, invitation.pk, "accept", token), 410, "expired")
    assert_error(_answer(scenario, invitation.pk, "decline", token), 410, "expired")
    assert _status(invitation) == ("pending", "invited")


def test_a_token_older_than_the_ttl_is_a_410(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    later = timezone.now().timestamp() + tokens.ttl_seconds() + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = _answer(scenario, invitation.pk, "accept", token)

    assert_error(response, 410, "expired")


def test_a_revoked_invitation_is_a_409(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    scenario.client("manager").delete(f"{INVITATIONS}/{invitation.pk}")

    assert_error(_answer(scenario, invitation.pk, "accept", token), 409, "revoked")
    assert _status(invitation) == ("revoked", "proposed")


def test_a_cancelled_assignment_can_no_longer_be_accepted(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    Assignment.objects.filter(pk=invitation.assignment_id).update(status="cancelled")

    response = _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    assert_error(response, 409, "revoked")
    assert _status(invitation) == ("pending", "cancelled")


def test_accepting_is_refused_when_an_absence_was_approved_since(
    scenario: Scenario, world: World
) -> None:
    invitation = _invitation(scenario, world)
    AvailabilityFactory(
        artist=world.own.bruno, start_at=local(24, 12), end_at=local(25, 12), status="approved"
    )

    response = _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    body = assert_error(response, 409, "hard_conflict")
    assert "absence" in {c["rule"] for c in body["conflicts"]}  # type: ignore[union-attr]
    assert _status(invitation) == ("pending", "invited")
    assert not AuditEntry.objects.filter(action=AuditAction.INVITATION_ACCEPT).exists()


def test_accepting_is_refused_when_rest_would_be_too_short(
    scenario: Scenario, world: World
) -> None:
    """Another shift accepted meanwhile, 09:00-14:00, makes one duty period of 14 h with
    this one (at most 24 h - 11 h of rest)."""
    invitation = _invitation(scenario, world)  # 24 March 18:00-23:00
    earlier = make_shift(world.own, local(24, 9), hours=5)  # ends 14:00
    assign(earlier, world.own.bruno, "accepted")

    response = _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    body = assert_error(response, 409, "hard_conflict")
    assert {c["rule"] for c in body["conflicts"]} == {"min_rest"}  # type: ignore[union-attr]
    assert _status(invitation) == ("pending", "invited")


def test_declining_is_allowed_despite_conflicts(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    AvailabilityFactory(
        artist=world.own.bruno, start_at=local(24, 12), end_at=local(25, 12), status="approved"
    )

    response = _answer(scenario, invitation.pk, "decline", tokens.make_token(invitation))

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert _status(invitation) == ("declined", "declined")


def test_answers_are_throttled(
    scenario: Scenario, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"invitation": "2/min"})
    invitation = _invitation(scenario, world)

    for _ in range(2):
        assert_error(_answer(scenario, invitation.pk, "accept", "bad"), 400, "invalid_token")
    response = _answer(scenario, invitation.pk, "accept", tokens.make_token(invitation))

    assert_error(response, 429, "throttled")
    assert _status(invitation) == ("pending", "invited")


def test_the_answer_endpoints_ignore_credentials(scenario: Scenario, world: World) -> None:
    """A logged-in manager gets no power from a session: the token alone decides."""
    invitation = _invitation(scenario, world)

    response = scenario.client("manager").post(f"{INVITATIONS}/{invitation.pk}/accept")

    assert_error(response, 400, "invalid_token")
