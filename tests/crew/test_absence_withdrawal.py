"""An approved absence is withdrawn by its crew member only through a manager's approval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Artist, Availability
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AvailabilityFactory

pytestmark = pytest.mark.django_db

AVAILABILITIES = "/api/v1/availabilities"


def url(availability: Availability, suffix: str = "") -> str:
    return f"{AVAILABILITIES}/{availability.pk}{suffix}"


@pytest.fixture
def tech_artist(scenario: Scenario) -> Artist:
    return ArtistFactory(organization=scenario.organization, user=scenario.tech)  # type: ignore[no-any-return]


@pytest.fixture
def approved(scenario: Scenario, tech_artist: Artist) -> Availability:
    return AvailabilityFactory(artist=tech_artist, decided_by=scenario.manager)  # type: ignore[no-any-return]


def actions(availability: Availability) -> list[str]:
    entries = AuditEntry.objects.filter(entity_id=str(availability.pk)).order_by("timestamp", "id")
    return [entry.action for entry in entries]


def test_a_tech_deleting_his_approved_absence_only_requests_its_withdrawal(
    scenario: Scenario, approved: Availability
) -> None:
    response = scenario.client("tech").delete(url(approved))

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["withdrawal_requested_at"] is not None
    approved.refresh_from_db()
    assert approved.status == "approved", "still in force"
    assert actions(approved) == ["availability.withdrawal_request"]
    again = scenario.client("tech").delete(url(approved))
    assert again.status_code == 202
    assert actions(approved) == ["availability.withdrawal_request"], "requested once"


def test_a_manager_approves_the_withdrawal_and_the_absence_goes(
    scenario: Scenario, approved: Availability
) -> None:
    scenario.client("tech").delete(url(approved))

    response = scenario.client("manager").post(
        url(approved, "/approve-withdrawal"), {"comment": "Tour cancelled."}, format="json"
    )

    assert response.status_code == 204
    assert not Availability.objects.filter(pk=approved.pk).exists()
    assert actions(approved) == [
        "availability.withdrawal_request",
        "availability.withdrawal_approve",
    ]


def test_a_manager_rejects_the_withdrawal_and_the_absence_stays(
    scenario: Scenario, approved: Availability
) -> None:
    scenario.client("tech").delete(url(approved))

    response = scenario.client("manager").post(url(approved, "/reject-withdrawal"), {})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["withdrawal_requested_at"]) == (
        "approved",
        None,
    )
    assert Availability.objects.filter(pk=approved.pk).exists()


def test_a_tech_cannot_decide_on_his_own_withdrawal(
    scenario: Scenario, approved: Availability
) -> None:
    tech = scenario.client("tech")
    tech.delete(url(approved))

    assert_error(tech.post(url(approved, "/approve-withdrawal"), {}), 403)
    assert_error(tech.post(url(approved, "/reject-withdrawal"), {}), 403)
    assert Availability.objects.filter(pk=approved.pk).exists()


def test_deciding_a_withdrawal_nobody_requested_is_a_409(
    scenario: Scenario, approved: Availability
) -> None:
    response = scenario.client("manager").post(url(approved, "/approve-withdrawal"), {})

    assert_error(response, 409, "invalid_transition")


def test_editing_an_approved_absence_back_to_pending_does_not_open_a_way_around(
    scenario: Scenario, approved: Availability
) -> None:
    tech = scenario.client("tech")
    new_end = (approved.end_at + timedelta(hours=1)).isoformat()
    assert tech.patch(url(approved), {"end_at": new_end}).json()["status"] == "pending"

    response = tech.delete(url(approved))

    assert response.status_code == 202
    assert Availability.objects.filter(pk=approved.pk).exists()


def test_a_pending_request_a_manager_never_approved_is_withdrawn_at_once(
    scenario: Scenario, tech_artist: Artist
) -> None:
    pending = AvailabilityFactory(artist=tech_artist, status="pending")

    assert scenario.client("tech").delete(url(pending)).status_code == 204
    assert not Availability.objects.filter(pk=pending.pk).exists()


@pytest.mark.parametrize("role", ["manager", "admin", "owner"])
def test_a_manager_still_deletes_an_approved_absence_directly(
    scenario: Scenario, approved: Availability, role: str
) -> None:
    assert scenario.client(role).delete(url(approved)).status_code == 204
    assert not Availability.objects.filter(pk=approved.pk).exists()


def test_an_outsider_cannot_decide_a_withdrawal(scenario: Scenario, approved: Availability) -> None:
    scenario.client("tech").delete(url(approved))

    assert_error(scenario.client("outsider").post(url(approved, "/approve-withdrawal"), {}), 404)
