"""``/api/v1/invitations``: invite, list, read, revoke; roles, tenancy, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.planning.models import Assignment, Invitation
from tests.conftest import Scenario, assert_error
from tests.factories import InvitationFactory
from tests.publication.conftest import (
    INVITATIONS,
    World,
    assign,
    audit_actions,
    audit_entry,
    invite,
    local,
    make_shift,
)

pytestmark = pytest.mark.django_db


def _proposed(world: World, day: int = 24, artist_index: int = 1) -> Assignment:
    shift = make_shift(world.own, local(day, 18), status="published")
    return assign(shift, world.own.artists[artist_index])


# --- Create ---------------------------------------------------------------------------


def test_a_manager_invites_the_artist_of_a_proposed_assignment(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: object
) -> None:
    assignment = _proposed(world)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = scenario.client("manager").post(
            INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["assignment"]["id"] == str(assignment.pk)
    assert body["assignment"]["status"] == "invited"
    assert body["created_by"] == str(scenario.manager.pk)
    assert not {"token", "nonce"} & set(body)
    assignment.refresh_from_db()
    assert assignment.status == "invited"
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.sent_at is not None
    expected_expiry = invitation.created_at + timedelta(days=7)
    assert abs((invitation.expires_at - expected_expiry).total_seconds()) < 5
    assert audit_actions(invitation.pk) == ["invitation.create", "invitation.send"]
    assert audit_entry(invitation.pk, "invitation.create").actor == scenario.manager
    assert "assignment.status" in audit_actions(assignment.pk)
    assert [message.to for message in mail.outbox] == [[world.own.bruno.email]]


def test_the_lowest_write_role_is_manager(scenario: Scenario, world: World) -> None:
    assignment = _proposed(world)

    response = scenario.client("tech").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert_error(response, 403, "permission_denied")
    assert not Invitation.objects.exists()


def test_anonymous_callers_are_refused(scenario: Scenario, world: World) -> None:
    assignment = _proposed(world)

    response = scenario.client("anonymous").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert_error(response, 401)
    assert_error(scenario.client("anonymous").get(INVITATIONS), 401)


def test_a_foreign_assignment_id_in_the_body_is_a_404_naming_the_field(
    scenario: Scenario, world: World
) -> None:
    foreign = assign(make_shift(world.foreign, local(24, 18)), world.foreign.ana)

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(foreign.pk)}, format="json"
    )

    body = assert_error(response, 404, "not_found")
    assert "assignment_id" in body["fields"]  # type: ignore[operator]
    foreign.refresh_from_db()
    assert foreign.status == "proposed"


def test_a_missing_assignment_id_is_a_400_naming_it(scenario: Scenario, world: World) -> None:
    response = scenario.client("manager").post(INVITATIONS, {}, format="json")

    body = assert_error(response, 400, "invalid")
    assert "assignment_id" in body["fields"]  # type: ignore[operator]


def test_an_artist_without_e_mail_cannot_be_invited(scenario: Scenario, world: World) -> None:
    assignment = _proposed(world)
    world.own.bruno.email = ""
    world.own.bruno.save(update_fields=["email"])

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert "assignment_id" in body["fields"]  # type: ignore[operator]
    assignment.refresh_from_db()
    assert assignment.status == "proposed"


@pytest.mark.parametrize("status", ["accepted", "declined", "cancelled"])
def test_only_proposed_or_invited_assignments_can_be_invited(
    scenario: Scenario, world: World, status: str
) -> None:
    shift = make_shift(world.own, local(24, 18), status="published")
    assignment = assign(shift, world.own.bruno, status)

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert_error(response, 409, "invalid_transition")
    assert not Invitation.objects.exists()


def test_an_assignment_with_a_pending_invitation_is_not_invited_twice(
    scenario: Scenario, world: World
) -> None:
    assignment = _proposed(world)
    invite(scenario, assignment)

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert_error(response, 409, "already_invited")
    assert Invitation.objects.count() == 1


def test_re_inviting_after_expiry_retires_the_old_invitation(
    scenario: Scenario, world: World
) -> None:
    assignment = _proposed(world)
    old = invite(scenario, assignment)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert response.status_code == 201, response.content
    old.refresh_from_db()
    assert old.status == "revoked"
    assert audit_actions(old.pk)[-1] == "invitation.expire"
    assert Invitation.objects.filter(assignment=assignment, status="pending").count() == 1


def test_re_inviting_after_revocation_creates_a_new_invitation(
    scenario: Scenario, world: World
) -> None:
    assignment = _proposed(world)
    old = invite(scenario, assignment)
    scenario.client("manager").delete(f"{INVITATIONS}/{old.pk}")

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["id"] != str(old.pk)
    assignment.refresh_from_db()
    assert assignment.status == "invited"


def test_inviting_refuses_what_would_now_break_a_hard_rule(
    scenario: Scenario, world: World
) -> None:
    """Proposed → invited goes through the schedule service, which re-checks the rules."""
    assignment = _proposed(world)
    world.own.bruno.skills.clear()

    response = scenario.client("manager").post(
        INVITATIONS, {"assignment_id": str(assignment.pk)}, format="json"
    )

    body = assert_error(response, 409, "hard_conflict")
    assert {c["rule"] for c in body["conflicts"]} == {"missing_skill"}  # type: ignore[union-attr]
    assert not Invitation.objects.exists()


# --- Read -----------------------------------------------------------------------------


def test_the_list_filters_by_status_assignment_and_artist(scenario: Scenario, world: World) -> None:
    first = invite(scenario, _proposed(world, 24, 1))
    second = invite(scenario, _proposed(world, 25, 2))
    client = scenario.client("manager")

    assert client.get(INVITATIONS).json()["count"] == 2
    by_artist = client.get(INVITATIONS, {"artist": str(world.own.chloe.pk)}).json()
    assert [row["id"] for row in by_artist["results"]] == [str(second.pk)]
    by_assignment = client.get(INVITATIONS, {"assignment": str(first.assignment_id)}).json()
    assert [row["id"] for row in by_assignment["results"]] == [str(first.pk)]
    assert client.get(INVITATIONS, {"status": "accepted"}).json()["count"] == 0
    assert_error(client.get(INVITATIONS, {"status": "nope"}), 400, "invalid")


def test_foreign_ids_in_the_query_string_are_404s(scenario: Scenario, world: World) -> None:
    foreign = assign(make_shift(world.foreign, local(24, 18)), world.foreign.ana)
    client = scenario.client("manager")

    body = assert_error(client.get(INVITATIONS, {"artist": str(world.foreign.ana.pk)}), 404)
    assert "artist" in body["fields"]  # type: ignore[operator]
    body = assert_error(client.get(INVITATIONS, {"assignment": str(foreign.pk)}), 404)
    assert "assignment" in body["fields"]  # type: ignore[operator]


def test_the_list_costs_a_fixed_number_of_queries(
    scenario: Scenario, world: World, django_assert_num_queries: object
) -> None:
    for day in range(24, 30):
        InvitationFactory(
            assignment=assign(make_shift(world.own, local(day, 18)), world.own.bruno, "invited")
        )
    client = scenario.client("manager")

    # 1 the user of the access token with the membership and its organization (one query),
    # 2 the page's count, 3 the page with assignments, artists and shifts joined.
    with django_assert_num_queries(3):  # type: ignore[operator]
        response = client.get(INVITATIONS)

    assert response.json()["count"] == 6


def test_technicians_cannot_read_invitations(scenario: Scenario, world: World) -> None:
    invitation = invite(scenario, _proposed(world))

    assert_error(scenario.client("tech").get(INVITATIONS), 403, "permission_denied")
    assert_error(scenario.client("tech").get(f"{INVITATIONS}/{invitation.pk}"), 403)


def test_an_outsider_gets_404_on_every_object_endpoint(scenario: Scenario, world: World) -> None:
    invitation = invite(scenario, _proposed(world))
    outsider = scenario.client("outsider")

    assert_error(outsider.get(f"{INVITATIONS}/{invitation.pk}"), 404, "not_found")
    assert_error(outsider.delete(f"{INVITATIONS}/{invitation.pk}"), 404, "not_found")
    assert outsider.get(INVITATIONS).json()["count"] == 0
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_the_detail_shows_the_assignment_but_never_the_token(
    scenario: Scenario, world: World
) -> None:
    invitation = invite(scenario, _proposed(world))

    body = scenario.client("admin").get(f"{INVITATIONS}/{invitation.pk}").json()

    assert body["id"] == str(invitation.pk)
    assert body["assignment"]["artist_name"] == "Bruno Berger"
    assert set(body) == {
        "id",
        "status",
        "assignment",
        "expires_at",
        "sent_at",
        "answered_at",
        "created_at",
        "created_by",
    }


# --- Revoke ---------------------------------------------------------------------------


def test_revoking_puts_the_assignment_back_to_proposed(scenario: Scenario, world: World) -> None:
    assignment = _proposed(world)
    invitation = invite(scenario, assignment)

    response = scenario.client("manager").delete(f"{INVITATIONS}/{invitation.pk}")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    assert response.json()["assignment"]["status"] == "proposed"
    invitation.refresh_from_db()
    assignment.refresh_from_db()
    assert (invitation.status, assignment.status) == ("revoked", "proposed")
    entry = audit_entry(invitation.pk, "invitation.revoke")
    assert entry.actor == scenario.manager
    assert (entry.before["status"], entry.after["status"]) == ("pending", "revoked")
    status_entry = [e for e in audit_actions(assignment.pk) if e == "assignment.status"]
    assert len(status_entry) == 2  # proposed → invited, then invited → proposed


def test_a_revoked_or_answered_invitation_cannot_be_revoked(
    scenario: Scenario, world: World
) -> None:
    invitation = invite(scenario, _proposed(world))
    client = scenario.client("manager")
    client.delete(f"{INVITATIONS}/{invitation.pk}")

    assert_error(client.delete(f"{INVITATIONS}/{invitation.pk}"), 409, "revoked")
    Invitation.objects.filter(pk=invitation.pk).update(status="accepted")
    assert_error(client.delete(f"{INVITATIONS}/{invitation.pk}"), 409, "already_answered")


def test_technicians_cannot_revoke(scenario: Scenario, world: World) -> None:
    invitation = invite(scenario, _proposed(world))

    assert_error(scenario.client("tech").delete(f"{INVITATIONS}/{invitation.pk}"), 403)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
