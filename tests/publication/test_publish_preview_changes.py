"""The publish preview's ``changes``: the diff a manager reads, grouped by person or day.

Each change carries the local day and wall-clock times (Europe/Paris here), venue and
role before and after, and everyone it concerns; the preview's query count does not
grow with it.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from apps.planning.models import Shift
from tests.conftest import Scenario
from tests.factories import VenueFactory
from tests.publication.conftest import PUBLISH, World, assign, local, make_shift

pytestmark = pytest.mark.django_db
PREVIEW = "/api/v1/planning/publish/preview"


def _publish(scenario: Scenario, body: dict[str, Any], capture: Any) -> None:
    with capture(execute=True):
        response = scenario.client("manager").post(PUBLISH, body, format="json")
    assert response.status_code == 201, response.content


def test_a_moved_shift_reads_old_and_new_local_times_with_venue_role_and_crew(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")
    assign(shift, world.own.bruno, "accepted")
    body = {"project_id": str(world.own.project.pk)}
    _publish(scenario, body, django_capture_on_commit_callbacks)
    other_venue = VenueFactory(organization=scenario.organization, name="Zénith")
    Shift.objects.filter(pk=shift.pk).update(
        start_at=local(24, 19), end_at=local(24, 23, 30), venue=other_venue
    )

    changes = scenario.client("manager").post(PREVIEW, body, format="json").json()["changes"]

    assert len(changes) == 1
    change = changes[0]
    assert (change["kind"], change["subject"], change["day"]) == ("changed", "shift", "2026-03-24")
    assert change["shift_id"] == str(shift.pk)
    assert change["before"]["start_local"] == "2026-03-24T18:00"
    assert change["before"]["end_local"] == "2026-03-24T23:00"
    assert change["after"]["start_local"] == "2026-03-24T19:00"
    assert change["after"]["end_local"] == "2026-03-24T23:30"
    assert change["before"]["venue_name"] == world.own.venue.name
    assert change["after"]["venue_name"] == "Zénith"
    assert change["after"]["role_name"] == world.own.role.name
    assert change["changed_fields"] == ["end_at", "start_at", "venue"]
    assert sorted(p["name"] for p in change["people"]) == [
        world.own.ana.full_name,
        world.own.bruno.full_name,
    ]


def test_bookings_on_new_shifts_fold_into_the_shift_and_others_stand_alone(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    kept = make_shift(world.own, local(25, 18))
    assign(kept, world.own.ana, "accepted")
    body = {"project_id": str(world.own.project.pk)}
    _publish(scenario, body, django_capture_on_commit_callbacks)
    added = make_shift(world.own, local(26, 9))
    assign(added, world.own.bruno, "accepted")
    assign(kept, world.own.chloe, "accepted")

    changes = scenario.client("manager").post(PREVIEW, body, format="json").json()["changes"]

    # Sorted by local day: the booking on the 25th, then the new shift of the 26th.
    assert [(c["kind"], c["subject"], c["day"]) for c in changes] == [
        ("added", "booking", "2026-03-25"),
        ("added", "shift", "2026-03-26"),
    ]
    booking, shift = changes
    assert booking["people"] == [{"id": str(world.own.chloe.pk), "name": world.own.chloe.full_name}]
    assert booking["after"]["booking_status"] == "accepted"
    assert booking["before"] is None
    assert shift["people"] == [{"id": str(world.own.bruno.pk), "name": world.own.bruno.full_name}]
    assert shift["after"]["start_local"] == "2026-03-26T09:00"


def test_local_times_follow_the_zone_across_the_spring_clock_change(
    scenario: Scenario, world: World
) -> None:
    # 29 March 2026: Paris moves from UTC+1 to UTC+2 at 02:00.
    make_shift(world.own, local(29, 1), hours=3)

    body = {"project_id": str(world.own.project.pk)}
    changes = scenario.client("manager").post(PREVIEW, body, format="json").json()["changes"]

    assert changes[0]["after"]["start_local"] == "2026-03-29T01:00"
    assert changes[0]["after"]["end_local"] == "2026-03-29T05:00"
    assert changes[0]["after"]["start_at"] == local(29, 1).astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_nothing_is_cut_and_the_query_count_does_not_grow_with_the_changes(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    body = {"project_id": str(world.own.project.pk)}
    client = scenario.client("manager")
    for day in range(70):
        shift = make_shift(world.own, local(23 + day // 6, 8 + 2 * (day % 6)), hours=1.5)
        if day % 6 == 0:
            assign(shift, world.own.artists[day % 3], "accepted")

    # 1 the user of the access token with the membership and its organization (one query),
    # 2 the project, 3 the scope's shifts, 4 their bookings, 5 the proposals to invite, 6 the
    # last version, 7 the bounds of the scope, 8-14 the conflict check (shifts, bookings,
    # roles' skills, artists, their skills, availabilities, rule settings), 15 the state of
    # the stored conflicts (none stored here: rows written by factories, so the check
    # runs). The readable changes add none.
    with django_assert_num_queries(15):
        response = client.post(PREVIEW, body, format="json")

    assert len(response.json()["changes"]) == 70  # no cut at 60 as the board once did
