"""``apps.planning.rules.conflicts``: rows in, the documented conflicts out, in fixed queries."""

from __future__ import annotations

from typing import Any

import pytest

from apps.planning.models import RuleSetting, Shift
from apps.planning.rules import conflicts as checks
from tests.factories import MissionFactory, ProjectFactory
from tests.planning_rules.facts import at
from tests.planning_rules.world import World


def rules_of(found: list[dict[str, Any]]) -> list[str]:
    return [conflict["rule"] for conflict in found]


def proposed(shift: Shift, artist: Any, **kwargs: Any) -> checks.ProposedAssignment:
    return checks.ProposedAssignment(shift_id=shift.pk, artist_id=artist.pk, **kwargs)


def moved(shift: Shift, start: str, end: str, **changes: Any) -> checks.ProposedShift:
    values = {
        "mission_id": shift.mission_id,
        "role_id": shift.role_id,
        "start_at": at(start),
        "end_at": at(end),
        "headcount": shift.headcount,
        "max_headcount": shift.max_headcount,
        "break_minutes": shift.break_minutes,
        "status": shift.status,
        "id": shift.pk,
        **changes,
    }
    return checks.ProposedShift(**values)


def test_a_new_assignment_overlapping_a_stored_one_is_a_double_booking(world: World) -> None:
    artist = world.artist()
    stored = world.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")
    other = world.shift("2025-03-14 20:00", "2025-03-15 01:00")

    found = checks.conflicts_for_assignments(
        organization=world.organization, assignments=[proposed(other, artist)]
    )

    assert rules_of(found) == ["double_booking"]
    details = found[0]["details"]
    assert details["other_assignment_id"] == str(stored.pk)
    assert details["assignment_id"] is None
    assert details["shift_id"] == str(other.pk)
    assert found[0]["message"] == (
        f"{artist.full_name} is booked twice: Fri 14 Mar 20:00 – Sat 15 Mar 01:00 "
        "(Rigger, Transbordeur) overlaps Fri 14 Mar 18:00–23:00 (Rigger, Transbordeur)."
    )


def test_a_new_assignment_is_named_by_its_ref_in_the_details(world: World) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    morning = world.shift("2025-03-15 07:00", "2025-03-15 12:00")

    [conflict] = checks.conflicts_for_assignments(
        organization=world.organization, assignments=[proposed(morning, artist, ref="mine")]
    )

    assert conflict["rule"] == "min_rest"
    assert conflict["details"]["assignment_id"] is None
    assert conflict["details"]["assignment_ref"] == "mine"
    assert conflict["details"]["shift_id"] == str(morning.pk)


def test_an_update_replaces_the_stored_assignment_instead_of_clashing_with_it(
    world: World,
) -> None:
    artist = world.artist()
    stored = world.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")

    found = checks.conflicts_for_assignments(
        organization=world.organization,
        assignments=[proposed(stored.shift, artist, id=stored.pk, status="invited")],
    )

    assert found == []


def test_an_inactive_proposal_checks_nothing(world: World) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")
    overlapping = world.shift("2025-03-14 19:00", "2025-03-14 22:00")

    found = checks.conflicts_for_assignments(
        organization=world.organization,
        assignments=[proposed(overlapping, artist, status="declined")],
    )

    assert found == []


def test_proposals_count_toward_capacity_but_a_held_seat_is_not_refused(world: World) -> None:
    shift = world.shift("2025-03-14 18:00", "2025-03-14 23:00", headcount=1, max_headcount=1)
    seated = world.assign(shift, world.artist())
    newcomer = world.artist()

    taking = checks.conflicts_for_assignments(
        organization=world.organization, assignments=[proposed(shift, newcomer)]
    )
    keeping = checks.conflicts_for_assignments(
        organization=world.organization,
        assignments=[proposed(shift, seated.artist, id=seated.pk, status="accepted")],
    )

    assert rules_of(taking) == ["capacity_hard"]
    assert taking[0]["details"]["assigned"] == 2
    assert keeping == []


def test_two_proposals_on_one_seat_break_its_capacity(world: World) -> None:
    shift = world.shift("2025-03-14 18:00", "2025-03-14 23:00", headcount=1, max_headcount=1)

    found = checks.conflicts_for_assignments(
        organization=world.organization,
        assignments=[proposed(shift, world.artist()), proposed(shift, world.artist())],
    )

    assert rules_of(found) == ["capacity_hard"]


def test_it_reports_missing_skills_absences_and_pending_requests_from_the_database(
    world: World,
) -> None:
    novice = world.artist(skilled=False)
    world.absence(novice, "2025-03-14 00:00", "2025-03-15 00:00")
    world.absence(novice, "2025-03-14 19:00", "2025-03-14 20:00", status="pending")
    world.absence(novice, "2025-03-14 08:00", "2025-03-14 09:00", status="rejected")
    shift = world.shift("2025-03-14 18:00", "2025-03-14 23:00")

    found = checks.conflicts_for_assignments(
        organization=world.organization, assignments=[proposed(shift, novice)]
    )

    assert sorted(rules_of(found)) == ["absence", "missing_skill", "pending_absence"]
    [skill] = [c for c in found if c["rule"] == "missing_skill"]
    assert skill["message"] == (
        f"{novice.full_name} lacks a skill required for Fri 14 Mar 18:00–23:00 "
        "(Rigger, Transbordeur): Rigging."
    )


def test_declared_windows_of_an_artist_are_read_with_their_status(world: World) -> None:
    artist = world.artist()
    world.absence(artist, "2025-03-01 00:00", "2025-03-02 00:00", kind="available")
    hopeful = world.artist()
    world.absence(
        hopeful, "2025-03-01 00:00", "2025-03-02 00:00", kind="available", status="pending"
    )
    shift = world.shift("2025-03-14 18:00", "2025-03-14 23:00", max_headcount=3)

    found = checks.conflicts_for_assignments(
        organization=world.organization,
        assignments=[proposed(shift, artist), proposed(shift, hopeful)],
    )

    outside = [c for c in found if c["rule"] == "outside_availability"]
    assert [c["details"]["artist_id"] for c in outside] == [str(artist.pk)]


def test_moving_a_shift_rechecks_its_assignments_at_the_new_times(world: World) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    later = world.book(artist, "2025-03-15 12:00", "2025-03-15 18:00")

    found = checks.conflicts_for_shift(
        organization=world.organization,
        shift=moved(later.shift, "2025-03-15 07:00", "2025-03-15 12:00"),
    )

    assert rules_of(found) == ["min_rest"]
    assert found[0]["details"]["assignment_id"] == str(later.pk)


def test_lowering_a_shifts_maximum_is_a_capacity_conflict(world: World) -> None:
    shift = world.shift("2025-03-14 18:00", "2025-03-14 23:00", headcount=2, max_headcount=2)
    world.assign(shift, world.artist())
    world.assign(shift, world.artist())

    found = checks.conflicts_for_shift(
        organization=world.organization,
        shift=moved(shift, "2025-03-14 18:00", "2025-03-14 23:00", headcount=1, max_headcount=1),
    )

    assert rules_of(found) == ["capacity_hard"]


def test_a_new_long_shift_without_a_break_is_reported(world: World) -> None:
    found = checks.conflicts_for_shift(
        organization=world.organization,
        shift=checks.ProposedShift(
            mission_id=world.mission.pk,
            role_id=world.role.pk,
            start_at=at("2025-03-14 08:00"),
            end_at=at("2025-03-14 17:00"),
            headcount=1,
            max_headcount=1,
        ),
    )

    assert rules_of(found) == ["missing_break"]
    assert found[0]["details"]["shift_id"] is None


def test_a_cancelled_shift_checks_nothing(world: World) -> None:
    shift = world.shift("2025-03-14 08:00", "2025-03-14 17:00", headcount=1, max_headcount=1)
    world.assign(shift, world.artist())
    world.assign(shift, world.artist())

    found = checks.conflicts_for_shift(
        organization=world.organization,
        shift=moved(shift, "2025-03-14 08:00", "2025-03-14 17:00", status="cancelled"),
    )

    assert found == []


def test_the_range_check_reports_current_conflicts_with_the_organization_settings(
    world: World,
) -> None:
    artist = world.artist()
    first = world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    world.book(artist, "2025-03-15 07:00", "2025-03-15 12:00")
    world.book(world.artist(), "2025-05-14 07:00", "2025-05-14 12:00")

    found = checks.conflicts_in_range(
        organization=world.organization, start=at("2025-03-01 00:00"), end=at("2025-04-01 00:00")
    )
    RuleSetting.objects.create(
        organization=world.organization,
        code="min_rest",
        severity="soft",
        params={"min_rest_hours": 7},
    )
    relaxed = checks.conflicts_in_range(
        organization=world.organization, start=at("2025-03-01 00:00"), end=at("2025-04-01 00:00")
    )

    assert rules_of(found) == ["min_rest"]
    assert found[0]["type"] == "hard"
    assert found[0]["details"]["assignment_ids"][0] == str(first.pk)
    assert relaxed == []


def test_the_range_check_includes_a_neighbour_just_outside_the_range(world: World) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-31 17:00", "2025-03-31 23:30")
    inside = world.book(artist, "2025-04-01 07:00", "2025-04-01 12:00")

    found = checks.conflicts_in_range(
        organization=world.organization, start=at("2025-04-01 00:00"), end=at("2025-04-02 00:00")
    )

    assert rules_of(found) == ["min_rest"]
    assert found[0]["details"]["assignment_id"] == str(inside.pk)


def test_the_range_check_filters_by_project_and_by_artist(world: World) -> None:
    tired, other = world.artist(), world.artist()
    world.book(tired, "2025-03-14 17:00", "2025-03-14 23:30")
    world.book(tired, "2025-03-15 07:00", "2025-03-15 12:00")
    world.book(other, "2025-03-14 08:00", "2025-03-14 17:00", break_minutes=0)
    project = ProjectFactory(organization=world.organization)
    mission = MissionFactory(
        organization=world.organization,
        project=project,
        venue=world.venue,
        start_at=at("2025-03-01 00:00"),
        end_at=at("2025-04-30 00:00"),
    )
    long_day = world.shift("2025-03-20 08:00", "2025-03-20 18:00", mission=mission, break_minutes=0)
    world.assign(long_day, other)
    month = {"start": at("2025-03-01 00:00"), "end": at("2025-04-01 00:00")}

    of_project = checks.conflicts_in_range(
        organization=world.organization, project_id=world.project.pk, **month
    )
    of_tired = checks.conflicts_in_range(
        organization=world.organization, artist_id=tired.pk, **month
    )
    everything = checks.conflicts_in_range(organization=world.organization, **month)

    assert rules_of(of_project) == ["missing_break", "min_rest"]
    assert rules_of(of_tired) == ["min_rest"]
    assert rules_of(everything) == ["missing_break", "min_rest", "missing_break"]


def test_cancelled_shifts_and_inactive_assignments_are_not_conflicts(world: World) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30", status="cancelled")
    world.assign(world.shift("2025-03-15 07:00", "2025-03-15 12:00"), artist, status="declined")

    found = checks.conflicts_in_range(
        organization=world.organization, start=at("2025-03-01 00:00"), end=at("2025-04-01 00:00")
    )

    assert found == []


@pytest.mark.parametrize("count", [1, 12])
def test_a_check_costs_ten_queries_whatever_the_number_of_proposals(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    artists = [world.artist() for _ in range(count)]
    for artist in artists:
        world.book(artist, "2025-03-13 17:00", "2025-03-13 23:30")
        world.absence(artist, "2025-03-10 00:00", "2025-03-11 00:00")
    shift = world.shift(
        "2025-03-14 07:00", "2025-03-14 12:00", headcount=count, max_headcount=count
    )
    proposals = [proposed(shift, artist) for artist in artists]

    # 1 the proposed shift, 2 the stored assignments around the proposal, 3 the roles'
    # required skills, 4 the artists, 5 their skills, 6 their availabilities,
    # 7 the organization's rule settings; then, as conflicts were found, 8 the artists'
    # names, 9 the shifts' roles and venues, 10 the waivers of the assignments involved.
    with django_assert_num_queries(10):
        found = checks.conflicts_for_assignments(
            organization=world.organization, assignments=proposals
        )

    assert rules_of(found) == ["min_rest"] * count
