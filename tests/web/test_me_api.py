"""The crew member's own endpoints: his or her assignments and invitations."""

from __future__ import annotations

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AssignmentFactory, InvitationFactory, ShiftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(scenario: Scenario) -> object:
    artist = ArtistFactory(organization=scenario.organization, user=scenario.tech)
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    assignment = AssignmentFactory(shift=shift, artist=artist, status="invited")
    return InvitationFactory(assignment=assignment)


def test_a_crew_member_lists_and_accepts_his_invitation(
    scenario: Scenario, invited: object
) -> None:
    client = scenario.client("tech")
    listed = client.get("/api/v1/me/invitations").json()["results"]
    assert [row["id"] for row in listed] == [str(invited.pk)]  # type: ignore[attr-defined]

    response = client.post(f"/api/v1/me/invitations/{invited.pk}/accept")  # type: ignore[attr-defined]

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assignment = Assignment.objects.get(pk=invited.assignment_id)  # type: ignore[attr-defined]
    assert assignment.status == "accepted"
    assert AuditEntry.objects.filter(
        action=AuditAction.INVITATION_ACCEPT, actor=scenario.tech
    ).exists()
    assert client.get("/api/v1/me/invitations").json()["results"] == []
    upcoming = client.get("/api/v1/me/assignments").json()["results"]
    assert [row["status"] for row in upcoming] == ["accepted"]


def test_a_crew_member_declines_and_cannot_answer_twice(
    scenario: Scenario, invited: object
) -> None:
    client = scenario.client("tech")
    assert (
        client.post(f"/api/v1/me/invitations/{invited.pk}/decline").json()["status"] == "declined"
    )  # type: ignore[attr-defined]
    assert_error(
        client.post(f"/api/v1/me/invitations/{invited.pk}/accept"), 409, "already_answered"
    )  # type: ignore[attr-defined]


def test_someone_elses_invitation_is_a_404(scenario: Scenario, invited: object) -> None:
    ArtistFactory(organization=scenario.organization, user=scenario.manager)
    assert_error(
        scenario.client("manager").post(f"/api/v1/me/invitations/{invited.pk}/accept"), 404
    )  # type: ignore[attr-defined]
    assert_error(
        scenario.client("outsider").post(f"/api/v1/me/invitations/{invited.pk}/accept"), 404
    )  # type: ignore[attr-defined]
    assert_error(
        scenario.client("anonymous").post(f"/api/v1/me/invitations/{invited.pk}/accept"), 401
    )  # type: ignore[attr-defined]
    assert Assignment.objects.get(pk=invited.assignment_id).status == "invited"  # type: ignore[attr-defined]


def test_without_a_crew_profile_the_endpoints_answer_404(scenario: Scenario) -> None:
    assert_error(scenario.client("manager").get("/api/v1/me/artist"), 404)
    assert_error(scenario.client("manager").get("/api/v1/me/invitations"), 404)


def test_the_candidates_rank_free_and_skilled_artists_first(scenario: Scenario) -> None:
    from tests.factories import AvailabilityFactory, RoleFactory, SkillFactory

    skill = SkillFactory(organization=scenario.organization, name="lighting")
    role = RoleFactory(organization=scenario.organization, required_skills=[skill])
    shift = ShiftFactory(mission__project__organization=scenario.organization, role=role)
    skilled = ArtistFactory(organization=scenario.organization, last_name="Aubert", skills=[skill])
    unskilled = ArtistFactory(organization=scenario.organization, last_name="Blanc")
    absent = ArtistFactory(organization=scenario.organization, last_name="Colin", skills=[skill])
    AvailabilityFactory(artist=absent, start_at=shift.start_at, end_at=shift.end_at)

    results = (
        scenario.client("manager")
        .get(f"/api/v1/planning/shifts/{shift.id}/candidates")
        .json()["results"]
    )

    order = [row["id"] for row in results]
    assert (
        order.index(str(skilled.id)) < order.index(str(unskilled.id)) < order.index(str(absent.id))
    )
    first = results[0]
    assert first["free"] is True
    assert first["skilled"] is True
