"""The pages' list endpoints cost a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AssignmentFactory, InvitationFactory, ShiftFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("artists", [3, 30])
def test_the_candidates_cost_the_same_queries_for_3_and_30_artists(
    scenario: Scenario, artists: int, django_assert_num_queries: Any
) -> None:
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    for _ in range(artists):
        ArtistFactory(organization=scenario.organization)
    client = scenario.client("manager")

    # 1 the token's user with its membership (one query), 2 the shift with its role, 3 the
    # role's skills, 4 artists already on the shift, 5 active artists, 6 their skills; the
    # rule check of every candidate at once (7-13) and of one more seat for the capacity
    # (14-20): the shift, the assignments around it, roles' skills, artists, their skills,
    # availabilities, rule settings; 21 this week's assignments (for the hours).
    with django_assert_num_queries(21):
        response = client.get(f"/api/v1/planning/shifts/{shift.id}/candidates?limit=200")

    assert len(response.json()["results"]) == artists


def test_a_bad_limit_is_a_400_naming_it(scenario: Scenario) -> None:
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    response = scenario.client("manager").get(
        f"/api/v1/planning/shifts/{shift.id}/candidates?limit=many"
    )
    assert "limit" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize("bookings", [2, 12])
def test_my_assignments_and_invitations_cost_fixed_queries(
    scenario: Scenario, bookings: int, django_assert_num_queries: Any
) -> None:
    artist = ArtistFactory(organization=scenario.organization, user=scenario.tech)
    first = ShiftFactory(mission__project__organization=scenario.organization)
    for day in range(bookings):
        shift = ShiftFactory(
            mission=first.mission,
            start_at=first.start_at + timedelta(days=day + 1),
            end_at=first.end_at + timedelta(days=day + 1),
        )
        InvitationFactory(
            assignment=AssignmentFactory(shift=shift, artist=artist, status="invited")
        )
    client = scenario.client("tech")

    # 1 the token's user with its membership (one query), 2 the user's artist,
    # 3 assignments with shift, role, venue and mission joined.
    with django_assert_num_queries(3):
        upcoming = client.get("/api/v1/me/assignments")
    # 1 user with membership, 2 artist, 3 invitations with assignment, shift and names
    # joined.
    with django_assert_num_queries(3):
        invitations = client.get("/api/v1/me/invitations")

    assert len(upcoming.json()["results"]) == bookings
    assert len(invitations.json()["results"]) == bookings
