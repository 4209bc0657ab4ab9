"""The problem builder: ORM rows → a valid ``crew-autoassign/2`` problem, and back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.planning.autoassign.build import (
    OUTSIDE_PREFIX,
    Scope,
    build_problem,
    plan_from_solution,
    scope_extent,
    shifts_to_staff,
)
from apps.planning.autoassign.engine.prepare import prepare
from apps.planning.autoassign.engine.problem import parse_problem
from tests.autoassign_job.conftest import Planning, make_planning
from tests.conftest import Scenario
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    MissionFactory,
    ProjectFactory,
    RuleSettingFactory,
    ShiftFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(planning: Planning) -> dict[str, object]:
    """Shift 0 holds an accepted, an auto proposal and a cancelled one; shift 1 an inactive
    artist's invitation; artist 0 also works outside the scope two days later."""
    first, second, _ = planning.shifts
    a0, a1, a2, a3 = planning.artists
    accepted = AssignmentFactory(shift=first, artist=a0, status="accepted")
    proposal = AssignmentFactory(shift=first, artist=a1, status="proposed", source="auto")
    AssignmentFactory(shift=first, artist=a2, status="cancelled")
    inactive = ArtistFactory(organization=planning.organization, skills=[planning.skill])
    AssignmentFactory(shift=second, artist=inactive, status="invited")
    inactive.is_active = False
    inactive.save()
    other_project = MissionFactory(
        project=ProjectFactory(organization=planning.organization),
        start_at=first.start_at,
        end_at=first.start_at + timedelta(days=5),
    )
    outside_shift = ShiftFactory(
        mission=other_project,
        start_at=first.start_at + timedelta(days=2, hours=-10),
        end_at=first.start_at + timedelta(days=2, hours=-4),
    )
    outside = AssignmentFactory(shift=outside_shift, artist=a0, status="accepted")
    AvailabilityFactory(
        artist=a3, start_at=first.start_at - timedelta(hours=1), end_at=first.end_at
    )
    AvailabilityFactory(
        artist=a3,
        kind="unavailable",
        status="pending",
        start_at=second.start_at,
        end_at=second.end_at,
    )
    AvailabilityFactory(
        artist=a1,
        kind="available",
        start_at=first.start_at - timedelta(days=1),
        end_at=first.start_at + timedelta(days=10),
    )
    RuleSettingFactory(
        organization=planning.organization,
        code="min_rest",
        severity="hard",
        params={"min_rest_hours": 12},
    )
    RuleSettingFactory(organization=planning.organization, code="weekly_hours", enabled=False)
    return {"accepted": accepted, "proposal": proposal, "outside": outside, "inactive": inactive}


def _project_scope(planning: Planning) -> Scope:
    return Scope(project_id=planning.project.pk)


def test_it_builds_a_valid_problem_with_locked_pairs_and_remaining_head_counts(
    planning: Planning, busy: dict[str, object]
) -> None:
    built = build_problem(
        organization=planning.organization, scope=_project_scope(planning), replace_proposed=False
    )
    problem = parse_problem(built.data)
    first, second, third = (str(shift.pk) for shift in planning.shifts)
    a0, a1, _, a3 = (str(artist.pk) for artist in planning.artists)
    outside = f"{OUTSIDE_PREFIX}{busy['outside'].pk}"  # type: ignore[attr-defined]

    assert set(problem.locked) == {(first, a0), (first, a1), (outside, a0)}
    assert problem.rules.min_rest_minutes == 720
    assert problem.rules.max_week_minutes is None
    assert problem.timezone == planning.organization.timezone
    assert {artist.id for artist in problem.artists} == {str(a.pk) for a in planning.artists}
    by_id = {shift.id: shift for shift in problem.shifts}
    assert by_id[first].skills == frozenset({"light"})
    assert all(artist.skills == frozenset({"light"}) for artist in problem.artists)
    assert by_id[second].headcount == 1  # the inactive artist's invitation holds a seat
    assert by_id[outside].headcount == 1
    prepared = prepare(problem)
    need = {shift.id: prepared.need[index] for index, shift in enumerate(problem.shifts)}
    assert (need[first], need[second], need[third]) == (0, 1, 2)
    artists = {artist.id: artist for artist in problem.artists}
    assert len(artists[a3].unavailable) == 1  # approved only: the pending one is left out
    assert artists[a1].available is not None
    assert artists[a0].available is None
    assert artists[a0].day_rate == 250.0
    assert built.headcount[planning.shifts[0].pk] == 2
    assert built.slots_total == 6
    assert built.slots_filled_before == 3  # 2 on the first shift, 1 invitation on the second


def test_replacing_proposals_frees_their_seats_and_remembers_them(
    planning: Planning, busy: dict[str, object]
) -> None:
    built = build_problem(
        organization=planning.organization, scope=_project_scope(planning), replace_proposed=True
    )
    problem = parse_problem(built.data)
    first = planning.shifts[0]
    proposal = busy["proposal"]
    assert (str(first.pk), str(planning.artists[1].pk)) not in problem.locked
    assert built.replaceable == {(first.pk, planning.artists[1].pk): proposal.pk}  # type: ignore[attr-defined]
    prepared = prepare(problem)
    assert prepared.need[prepared.shift_index[str(first.pk)]] == 1


def test_the_plan_keeps_new_pairs_only_and_cancels_replaced_proposals(
    planning: Planning, busy: dict[str, object]
) -> None:
    built = build_problem(
        organization=planning.organization, scope=_project_scope(planning), replace_proposed=True
    )
    first, second, _ = planning.shifts
    a0, a1, a2, _ = planning.artists
    outside = f"{OUTSIDE_PREFIX}{busy['outside'].pk}"  # type: ignore[attr-defined]
    solution = [
        (str(first.pk), str(a0.pk)),  # locked: exists already
        (outside, str(a0.pk)),  # pseudo-shift: exists already
        (str(first.pk), str(a2.pk)),  # new
        (str(second.pk), str(a1.pk)),  # new
    ]
    plan = plan_from_solution(built, solution)
    assert set(plan.create) == {(first.pk, a2.pk), (second.pk, a1.pk)}
    assert plan.cancel == (busy["proposal"].pk,)  # type: ignore[attr-defined]
    assert plan.unchanged == ()


def test_an_unchanged_replaceable_proposal_is_neither_created_nor_cancelled(
    planning: Planning, busy: dict[str, object]
) -> None:
    built = build_problem(
        organization=planning.organization, scope=_project_scope(planning), replace_proposed=True
    )
    first = planning.shifts[0]
    pair = (str(first.pk), str(planning.artists[1].pk))
    plan = plan_from_solution(built, [pair])
    assert plan.create == ()
    assert plan.cancel == ()
    assert plan.unchanged == ((first.pk, planning.artists[1].pk),)


def test_scopes_select_their_shifts_and_skip_cancelled_ones(scenario: Scenario) -> None:
    planning = make_planning(scenario.organization, shifts=3)
    other = make_planning(
        scenario.organization, shifts=1, start=planning.shifts[0].start_at + timedelta(days=30)
    )
    planning.shifts[2].status = "cancelled"
    planning.shifts[2].save()
    organization = scenario.organization
    first, second, _ = planning.shifts

    def ids(scope: Scope) -> set[object]:
        return set(
            shifts_to_staff(organization=organization, scope=scope).values_list("pk", flat=True)
        )

    assert ids(Scope(project_id=planning.project.pk)) == {first.pk, second.pk}
    assert ids(Scope(mission_id=other.mission.pk)) == {other.shifts[0].pk}
    assert ids(Scope(shift_ids=(first.pk, planning.shifts[2].pk))) == {first.pk}
    window = Scope(
        start=first.start_at + timedelta(hours=1), end=second.start_at + timedelta(minutes=1)
    )
    assert ids(window) == {first.pk, second.pk}  # overlap semantics
    extent = scope_extent(organization=organization, scope=Scope(project_id=planning.project.pk))
    assert (extent.shifts, extent.start, extent.end) == (2, first.start_at, second.end_at)


def test_an_empty_scope_builds_an_empty_problem(scenario: Scenario) -> None:
    project = ProjectFactory(organization=scenario.organization)
    built = build_problem(
        organization=scenario.organization,
        scope=Scope(project_id=project.pk),
        replace_proposed=False,
    )
    problem = parse_problem(built.data)
    assert problem.shifts == ()
    assert built.slots_total == 0


def test_the_scope_round_trips_through_its_stored_form(planning: Planning) -> None:
    first = planning.shifts[0]
    for scope in (
        Scope(project_id=planning.project.pk),
        Scope(mission_id=planning.mission.pk),
        Scope(shift_ids=(first.pk,)),
        Scope(start=first.start_at, end=first.end_at),
    ):
        assert Scope.from_json(scope.to_json()) == scope


def test_building_costs_a_fixed_number_of_queries(
    planning: Planning, busy: dict[str, object], django_assert_max_num_queries: object
) -> None:
    more = make_planning(
        planning.organization,
        shifts=6,
        artists=6,
        start=planning.shifts[0].start_at + timedelta(days=40),
    )
    for shift in more.shifts:
        AssignmentFactory(shift=shift, artist=more.artists[0], status="accepted")
    # shifts, active artists, facts (artists, skills, windows), assignments, role skills,
    # rule settings
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        build_problem(
            organization=planning.organization,
            scope=Scope(start=planning.shifts[0].start_at, end=more.shifts[-1].end_at),
            replace_proposed=False,
        )


def test_the_problem_is_version_2_with_the_organizations_duty_period_rules(
    planning: Planning,
) -> None:
    RuleSettingFactory(
        organization=planning.organization, code="daily_hours", params={"max_hours": 10}
    )
    built = build_problem(
        organization=planning.organization,
        scope=Scope(project_id=planning.project.pk),
        replace_proposed=False,
    )

    assert built.data["format"] == "crew-autoassign/2"
    assert built.data["rules"] == {
        "min_rest_minutes": 660,
        "max_duty_span_minutes": 780,
        "max_duty_work_minutes": 600,
        "max_week_minutes": 2880,
    }
    assert parse_problem(built.data).rules.max_duty_span_minutes == 780


def test_without_a_minimum_rest_there_are_no_duty_periods(planning: Planning) -> None:
    RuleSettingFactory(organization=planning.organization, code="min_rest", enabled=False)
    built = build_problem(
        organization=planning.organization,
        scope=Scope(project_id=planning.project.pk),
        replace_proposed=False,
    )
    assert "max_duty_span_minutes" not in built.data["rules"]
    assert "max_duty_work_minutes" not in built.data["rules"]


def test_a_shift_under_way_is_left_as_it_is_but_counts_for_duty_periods(
    planning: Planning,
) -> None:
    first, second, third = planning.shifts
    artist = planning.artists[0]
    AssignmentFactory(shift=first, artist=artist, status="accepted")
    now = first.start_at + timedelta(minutes=30)

    built = build_problem(
        organization=planning.organization,
        scope=Scope(project_id=planning.project.pk),
        replace_proposed=False,
        now=now,
    )

    staffed = {
        shift["id"] for shift in built.data["shifts"] if not shift["id"].startswith(OUTSIDE_PREFIX)
    }
    assert staffed == {str(second.pk), str(third.pk)}
    outside = [s for s in built.data["shifts"] if s["id"].startswith(OUTSIDE_PREFIX)]
    assert [s["start"] for s in outside] == [first.start_at.isoformat().replace("+00:00", "Z")]
    assert {"shift": outside[0]["id"], "artist": str(artist.pk)} in built.data["locked"]
    assert first.pk not in built.headcount
