"""Cancelling a booking withdraws its pending invitation (audited), so no dead link lingers."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Invitation
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory, InvitationFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def invited(scenario: Scenario) -> Any:
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    assignment = AssignmentFactory(shift=shift, status="invited")
    return InvitationFactory(assignment=assignment)


def test_cancelling_an_invited_assignment_revokes_its_invitation(scenario: Scenario) -> None:
    invitation = invited(scenario)
    response = scenario.client("manager").post(
        f"/api/v1/planning/assignments/{invitation.assignment_id}/status",
        {"status": "cancelled"},
        format="json",
    )
    assert response.status_code == 200, response.content
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    entry = AuditEntry.objects.get(
        action=AuditAction.INVITATION_REVOKE, entity_id=str(invitation.pk)
    )
    assert entry.reason == "assignment cancelled"
    assert entry.actor == scenario.manager


def test_cancelling_a_shift_revokes_the_invitations_of_its_assignments(scenario: Scenario) -> None:
    invitation = invited(scenario)
    shift_id = invitation.assignment.shift_id
    response = scenario.client("manager").post(f"/api/v1/planning/shifts/{shift_id}/cancel")
    assert response.status_code == 200, response.content
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"


def test_a_declined_answer_leaves_other_invitations_alone(scenario: Scenario) -> None:
    kept = invited(scenario)
    other = invited(scenario)
    scenario.client("manager").post(
        f"/api/v1/planning/assignments/{other.assignment_id}/status",
        {"status": "cancelled"},
        format="json",
    )
    assert Invitation.objects.get(pk=kept.pk).status == "pending"


def test_impossible_and_extreme_dates_are_400s(scenario: Scenario) -> None:
    from tests.factories import ArtistFactory, ShiftTemplateFactory

    artist = ArtistFactory(organization=scenario.organization, user=scenario.tech)
    tech = scenario.client("tech")
    assert_error(tech.get("/api/v1/me/assignments", {"from": "2026-02-30T10:00:00Z"}), 400)
    hours = tech.get(f"/api/v1/artists/{artist.pk}/hours", {"to": "9999-12-31"})
    assert assert_error(hours, 400)["fields"] == {"to": [hours.json()["error"]["fields"]["to"][0]]}
    export = scenario.client("manager").get(
        "/api/v1/planning/export.csv", {"from": "9999-12-30", "to": "9999-12-31"}
    )
    assert_error(export, 400)
    template = ShiftTemplateFactory(organization=scenario.organization)
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    body = {"mission_id": str(shift.mission_id), "dates": ["9999-12-31"]}
    instantiate = scenario.client("manager").post(
        f"/api/v1/planning/shift-templates/{template.pk}/instantiate", body, format="json"
    )
    assert "dates.0" in assert_error(instantiate, 400)["fields"]
