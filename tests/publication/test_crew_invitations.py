"""Publishing invites the crew, one e-mail per person; bulk invite and resend from the board."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, Invitation, SentMessage, Shift
from apps.planning.publication.crew_invitations import invitation_digest_send
from tests.conftest import Scenario, assert_error
from tests.publication.conftest import (
    INVITATIONS,
    PUBLISH,
    World,
    assign,
    invite,
    local,
    make_shift,
)

pytestmark = pytest.mark.django_db
BULK = f"{INVITATIONS}/bulk"
RESEND = f"{INVITATIONS}/resend"


def _links(message: Any) -> set[str]:
    """The distinct invitations an e-mail links to (each shift has its own)."""
    return set(re.findall(r"/invitations/([0-9a-f-]{36})\?token=", message.body))


def _published(world: World, day: int) -> Shift:
    return make_shift(world.own, local(day, 18), status="published")


# --- Publication ------------------------------------------------------------------------


def test_publishing_invites_each_person_once_listing_all_of_his_or_her_shifts(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ana = [assign(make_shift(world.own, local(day, 18)), world.own.ana) for day in (24, 25, 26)]
    bruno = assign(make_shift(world.own, local(27, 18)), world.own.bruno)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client("manager").post(
            PUBLISH, {"project_id": str(world.own.project.pk)}, format="json"
        )

    assert response.status_code == 201, response.content
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.own.ana.email, world.own.bruno.email]
    )
    invitations = {str(i.assignment_id): i for i in Invitation.objects.all()}
    assert set(invitations) == {str(a.pk) for a in [*ana, bruno]}
    assert set(Assignment.objects.values_list("status", flat=True)) == {"invited"}
    ana_mail = next(m for m in mail.outbox if m.to == [world.own.ana.email])
    assert _links(ana_mail) == {str(invitations[str(a.pk)].pk) for a in ana}
    assert "3 services à confirmer" in ana_mail.subject
    for day in ("mardi 24 mars", "mercredi 25 mars", "jeudi 26 mars"):
        assert day in ana_mail.body
    html = ana_mail.alternatives[0][0]  # type: ignore[index]
    assert html.count("answer=accept") == 3
    assert html.count("answer=decline") == 3
    bruno_mail = next(m for m in mail.outbox if m.to == [world.own.bruno.email])
    assert _links(bruno_mail) == {str(invitations[str(bruno.pk)].pk)}
    assert all(i.sent_at is not None for i in Invitation.objects.all())
    summary = response.json()["version"]["summary"]
    assert (summary["invitations_sent"], summary["artists_invited"]) == (4, 2)
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_CREATE).count() == 4
    assert SentMessage.objects.filter(kind="invitation_digest").count() == 2


def test_a_redelivered_digest_task_sends_nothing_more(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assign(make_shift(world.own, local(24, 18)), world.own.ana)
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client("manager").post(
            PUBLISH, {"project_id": str(world.own.project.pk)}, format="json"
        )
    message = SentMessage.objects.get()
    mail.outbox.clear()

    again = invitation_digest_send(
        artist_id=world.own.ana.pk,
        invitation_ids=message.payload["invitation_ids"],
        key=message.key,
    )

    assert again is False
    assert mail.outbox == []


def test_inviting_on_a_draft_shift_is_a_409_and_writes_nothing(
    scenario: Scenario, world: World
) -> None:
    assignment = assign(make_shift(world.own, local(24, 18)), world.own.ana)
    client = scenario.client("manager")

    single = client.post(INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json")
    bulk = client.post(BULK, {"assignment_ids": [str(assignment.pk)]}, format="json")

    assert_error(single, 409, "shift_not_published")
    assert_error(bulk, 409, "shift_not_published")
    assert not Invitation.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == "proposed"
    assert not AuditEntry.objects.filter(action__startswith="invitation").exists()


# --- Bulk invite ------------------------------------------------------------------------


def test_a_manager_invites_a_selection_one_e_mail_per_person(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    chosen = [
        assign(_published(world, 24), world.own.ana),
        assign(_published(world, 25), world.own.ana),
        assign(_published(world, 26), world.own.chloe),
    ]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client("manager").post(
            BULK, {"assignment_ids": [str(a.pk) for a in chosen]}, format="json"
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["artists"] == 2
    assert len(body["invitations"]) == 3
    assert len(mail.outbox) == 2
    ana_mail = next(m for m in mail.outbox if m.to == [world.own.ana.email])
    assert len(_links(ana_mail)) == 2
    entries = AuditEntry.objects.filter(action=AuditAction.INVITATION_CREATE)
    assert {e.actor for e in entries} == {scenario.manager}
    assert entries.count() == 3


def test_a_bulk_invitation_is_all_or_nothing(scenario: Scenario, world: World) -> None:
    fine = assign(_published(world, 24), world.own.ana)
    accepted = assign(_published(world, 25), world.own.bruno, "accepted")

    response = scenario.client("manager").post(
        BULK, {"assignment_ids": [str(fine.pk), str(accepted.pk)]}, format="json"
    )

    assert_error(response, 409, "invalid_transition")
    assert not Invitation.objects.exists()
    fine.refresh_from_db()
    assert fine.status == "proposed"


def test_a_bulk_invitation_checks_the_rules(scenario: Scenario, world: World) -> None:
    assignment = assign(_published(world, 24), world.own.bruno)
    world.own.bruno.skills.clear()

    response = scenario.client("manager").post(
        BULK, {"assignment_ids": [str(assignment.pk)]}, format="json"
    )

    body = assert_error(response, 409, "hard_conflict")
    assert {c["rule"] for c in body["conflicts"]} == {"missing_skill"}  # type: ignore[union-attr]
    assert not Invitation.objects.exists()


def test_bulk_invite_bad_input(scenario: Scenario, world: World) -> None:
    foreign = assign(
        make_shift(world.foreign, local(24, 18), status="published"), world.foreign.ana
    )
    client = scenario.client("manager")

    assert_error(client.post(BULK, {"assignment_ids": []}, format="json"), 400)
    assert_error(client.post(BULK, {"assignment_ids": ["nope"]}, format="json"), 400)
    response = client.post(BULK, {"assignment_ids": [str(foreign.pk)]}, format="json")
    assert_error(response, 404)
    assert not Invitation.objects.exists()


def test_bulk_and_resend_role_matrix_and_outsider(scenario: Scenario, world: World) -> None:
    assignment = assign(_published(world, 24), world.own.ana)
    bulk_body = {"assignment_ids": [str(assignment.pk)]}
    resend_body = {"project_id": str(world.own.project.pk)}

    for role, code in (("tech", 403), ("anonymous", 401), ("outsider", 404)):
        assert_error(scenario.client(role).post(BULK, bulk_body, format="json"), code)
        assert_error(scenario.client(role).post(RESEND, resend_body, format="json"), code)
    assert not Invitation.objects.exists()


# --- Resend -----------------------------------------------------------------------------


def test_resend_reaches_the_unanswered_once_per_person_and_throttles(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = invite(scenario, assign(_published(world, 24), world.own.ana))
    second = invite(scenario, assign(_published(world, 25), world.own.ana))
    answered = invite(scenario, assign(_published(world, 26), world.own.bruno))
    Invitation.objects.filter(pk=answered.pk).update(status="declined")
    long_ago = timezone.now() - timedelta(hours=3)
    Invitation.objects.update(last_sent_at=long_ago, sent_at=long_ago)
    client = scenario.client("manager")
    body = {"project_id": str(world.own.project.pk)}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND, body, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "resent": 2,
        "artists": [str(world.own.ana.pk)],
        "throttled_artists": [],
    }
    assert len(mail.outbox) == 1
    assert _links(mail.outbox[0]) == {str(first.pk), str(second.pk)}
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_RESEND).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(RESEND, body, format="json")

    assert again.json() == {
        "resent": 0,
        "artists": [],
        "throttled_artists": [str(world.own.ana.pk)],
    }
    assert mail.outbox == []


def test_the_preview_counts_the_crew_to_invite_as_concerned(
    scenario: Scenario, world: World
) -> None:
    """The issue's first complaint: "Équipe concernée" was empty before version 1."""
    assign(make_shift(world.own, local(24, 18)), world.own.ana)
    assign(make_shift(world.own, local(25, 18)), world.own.bruno)

    response = scenario.client("manager").post(
        f"{PUBLISH}/preview", {"project_id": str(world.own.project.pk)}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [a["name"] for a in body["affected_artists"]] == [
        world.own.ana.full_name,
        world.own.bruno.full_name,
    ]
    assert body["summary"]["invitations_to_send"] == 2
    assert not Invitation.objects.exists()
    assert set(Assignment.objects.values_list("status", flat=True)) == {"proposed"}
