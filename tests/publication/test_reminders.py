"""Follow-ups with a fixed clock (``now=``): reminders, the managers' digest, the eve reminder.

Each is sent once (a second run sends nothing), not before its time, not after an answer,
at most as often as the organization allows, and audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, CrewPolicy, Invitation, SentMessage
from apps.planning.publication.reminders import (
    invitation_reminders_send,
    manager_digests_send,
    shift_reminders_send,
)
from tests.conftest import Scenario
from tests.factories import InvitationFactory
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db
SENT = local(10, 9)  # the invitation e-mail left on 10 March, 09:00


def _invitation(world: World, day: int = 24, artist_index: int = 0) -> Invitation:
    shift = make_shift(world.own, local(day, 18), status="published")
    invitation: Invitation = InvitationFactory(
        assignment=assign(shift, world.own.artists[artist_index], "invited"),
        sent_at=SENT,
        last_sent_at=SENT,
        expires_at=SENT + timedelta(days=20),
    )
    return invitation


def _remind(now: datetime) -> int:
    mail.outbox.clear()
    return invitation_reminders_send(now=now)


# --- Invitation reminders ---------------------------------------------------------------


def test_an_unanswered_invitation_is_reminded_after_the_delay_once_per_round(
    world: World,
) -> None:
    invitation = _invitation(world)

    assert _remind(SENT + timedelta(hours=47, minutes=59)) == 0
    assert mail.outbox == []
    assert _remind(SENT + timedelta(hours=48)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.own.ana.email]
    assert message.subject.startswith("Rappel")
    assert f"/invitations/{invitation.pk}?token=" in message.body
    assert _remind(SENT + timedelta(hours=49)) == 0  # beat again: the round is done
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_REMIND).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.MESSAGE_SEND).count() == 1


def test_reminders_stop_at_the_organizations_maximum(world: World) -> None:
    invitation = _invitation(world)

    sent = [_remind(SENT + timedelta(hours=48 * n)) for n in (1, 2, 3, 4)]

    assert sent == [1, 1, 0, 0]
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2
    assert SentMessage.objects.filter(kind="invitation_reminder").count() == 2


def test_the_organizations_delay_and_maximum_apply(scenario: Scenario, world: World) -> None:
    CrewPolicy.objects.create(
        organization=scenario.organization,
        invitation_reminder_delay_hours=24,
        invitation_reminder_max=1,
    )
    _invitation(world)

    assert _remind(SENT + timedelta(hours=24)) == 1
    assert _remind(SENT + timedelta(hours=72)) == 0


def test_an_answered_or_expired_invitation_is_not_reminded(world: World) -> None:
    answered = _invitation(world, 24)
    Invitation.objects.filter(pk=answered.pk).update(status="accepted")
    expired = _invitation(world, 25)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=SENT + timedelta(hours=30))

    assert _remind(SENT + timedelta(hours=48)) == 0
    assert mail.outbox == []


def test_one_reminder_per_person_lists_all_his_or_her_due_invitations(world: World) -> None:
    first, second = _invitation(world, 24), _invitation(world, 25)
    _invitation(world, 26, artist_index=1)

    assert _remind(SENT + timedelta(hours=48)) == 2

    ana_mail = next(m for m in mail.outbox if m.to == [world.own.ana.email])
    assert f"/invitations/{first.pk}?" in ana_mail.body
    assert f"/invitations/{second.pk}?" in ana_mail.body


# --- The managers' digest ---------------------------------------------------------------


def _digest(now: datetime) -> int:
    mail.outbox.clear()
    return manager_digests_send(now=now)


def test_managers_get_one_digest_a_day_of_declines_and_short_shifts(
    scenario: Scenario, world: World
) -> None:
    declined = _invitation(world, 24, artist_index=1)
    Invitation.objects.filter(pk=declined.pk).update(status="declined", answered_at=local(22, 20))
    Assignment.objects.filter(pk=declined.assignment_id).update(status="declined")
    short = make_shift(world.own, local(24, 18), status="published", headcount=2)
    assign(short, world.own.ana, "accepted")
    staffed = make_shift(world.own, local(25, 18), status="published", headcount=1)
    assign(staffed, world.own.chloe, "accepted")
    make_shift(world.own, local(30, 18), status="published", headcount=2)  # beyond 72 h

    assert _digest(local(23, 6, 59)) == 0  # before the digest hour (07:00 local)
    assert _digest(local(23, 7)) == 3  # owner, admin, manager

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [scenario.owner.email, scenario.admin.email, scenario.manager.email]
    )
    body = mail.outbox[0].body
    assert "Bruno Berger" in body  # the decline
    assert "1/2 confirmés, il manque 1" in body  # the short shift of the 24th
    assert "mercredi 25 mars" not in body  # staffed
    assert "lundi 30 mars" not in body  # beyond the horizon
    assert _digest(local(23, 12)) == 0  # beat again the same day
    assert mail.outbox == []
    assert SentMessage.objects.filter(kind="manager_digest").count() == 3


def test_no_digest_when_there_is_nothing_to_say(world: World) -> None:
    staffed = make_shift(world.own, local(24, 18), status="published", headcount=1)
    assign(staffed, world.own.ana, "accepted")

    assert _digest(local(23, 8)) == 0


# --- The crew's day-before reminder -----------------------------------------------------


def _eve(now: datetime) -> int:
    mail.outbox.clear()
    return shift_reminders_send(now=now)


def test_crew_are_reminded_on_the_eve_with_call_time_venue_and_address(world: World) -> None:
    shift = make_shift(world.own, local(24, 18), status="published", notes="Entrée artistes")
    assign(shift, world.own.ana, "accepted")
    assign(shift, world.own.bruno, "invited")  # not confirmed: no reminder
    assign(make_shift(world.own, local(25, 18), status="published"), world.own.chloe, "accepted")

    assert _eve(local(23, 16, 59)) == 0  # before 17:00 on the eve
    assert _eve(local(23, 17)) == 1

    message = mail.outbox[0]
    assert message.to == [world.own.ana.email]
    assert "Convocation : 18:00" in message.body
    assert "Olympia own" in message.body
    assert "28 bd des Capucines" in message.body
    assert _eve(local(23, 22)) == 0  # beat again
    assert SentMessage.objects.get(kind="shift_reminder").artist == world.own.ana
    assert AuditEntry.objects.filter(action=AuditAction.MESSAGE_SEND).count() == 1
