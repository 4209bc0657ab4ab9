"""What the engine optimises: coverage, then availability, then cost; and it is replayable."""

from __future__ import annotations

import pytest

from apps.planning.autoassign.engine import (
    generate,
    parse_problem,
    reference_solve,
    solution_to_dict,
    solve,
    solver,
)
from tests.autoassign.builders import artist, pairs, problem, shift, solved
from tests.autoassign.checker import check


def _rest_chain() -> dict[str, object]:
    """Optimum 4 of 5 slots, known by hand.

    Two evening shows need a light artist each day, plus a morning load-in on day 2. With
    11 h of rest, whoever does the day-1 show cannot do the day-2 load-in, and whoever does
    the load-in cannot do the day-2 show. Two light artists: one does both shows, the
    other the load-in and nothing else on day 2. The fifth slot (a second person on the
    day-2 show) cannot be filled.
    """
    return problem(
        [artist("a", ["light"]), artist("b", ["light"])],
        [
            shift("show1", "2026-03-02 18:00", "2026-03-02 23:00", ["light"]),
            shift("loadin2", "2026-03-03 08:00", "2026-03-03 13:00", ["light"]),
            shift("show2", "2026-03-03 18:00", "2026-03-03 23:00", ["light"], headcount=2),
            shift("show3", "2026-03-04 18:00", "2026-03-04 23:00", ["light"]),
        ],
    )


def test_it_reaches_the_optimum_known_by_hand_and_proves_it() -> None:
    solution = solved(_rest_chain())
    assert len(solution.assignments) == 4
    assert solution.status == "optimal"
    assert sum(u.missing for u in solution.unfilled) == 1
    assert {u.shift_id for u in solution.unfilled} <= {"show2", "loadin2"}


def test_it_takes_the_scarce_specialist_for_the_shift_only_they_can_do() -> None:
    data = problem(
        [artist("both", ["light", "rigging"]), artist("light_only", ["light"])],
        [
            shift("light", "2026-03-02 09:00", "2026-03-02 17:00", ["light"]),
            shift("combo", "2026-03-02 10:00", "2026-03-02 16:00", ["light", "rigging"]),
        ],
    )
    solution = solved(data)
    assert pairs(solution) == {("combo", "both"), ("light", "light_only")}
    assert solution.status == "optimal"


def test_the_plain_reference_model_agrees_on_the_hand_made_optimum() -> None:
    solution = reference_solve(parse_problem(_rest_chain()), time_limit=5)
    assert len(solution.assignments) == 4
    assert solution.status == "optimal"


def test_an_artist_inside_declared_availability_is_preferred_to_one_outside() -> None:
    window = ("2026-03-02 06:00", "2026-03-03 04:00")
    data = problem(
        [
            artist("declared_nothing", ["sound"], available=[], day_rate=100),
            artist(
                "declared_other_day",
                ["sound"],
                available=[("2026-03-04 06:00", "2026-03-05 04:00")],
                day_rate=100,
            ),
            artist("declared_this_day", ["sound"], available=[window], day_rate=900),
        ],
        [shift("s1", "2026-03-02 18:00", "2026-03-02 23:00", ["sound"])],
    )
    assert pairs(solved(data)) == {("s1", "declared_this_day")}


def test_coverage_comes_before_availability() -> None:
    data = problem(
        [artist("outside", ["sound"], available=[])],
        [shift("s1", "2026-03-02 18:00", "2026-03-02 23:00", ["sound"])],
    )
    assert pairs(solved(data)) == {("s1", "outside")}


def test_the_cheaper_artist_is_chosen_when_coverage_and_availability_tie() -> None:
    data = problem(
        [artist("dear", ["video"], day_rate=400), artist("cheap", ["video"], day_rate=200)],
        [shift("s1", "2026-03-02 18:00", "2026-03-02 23:00", ["video"])],
    )
    assert pairs(solved(data)) == {("s1", "cheap")}


@pytest.mark.parametrize("force_lns", [False, True])
def test_the_same_seed_gives_the_same_answer_twice(
    force_lns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if force_lns:
        monkeypatch.setattr(solver, "FULL_MODEL_PAIRS", 0)
    # A small work budget against a long wall-clock limit: the run ends on its
    # deterministic budget, never on the deadline, even on a busy CI machine.
    monkeypatch.setattr(solver, "WORK_PER_SECOND", 0.2)
    parsed = parse_problem(generate("small", 11))
    first = solve(parsed, time_limit=10, seed=5)
    second = solve(parsed, time_limit=10, seed=5)
    assert first.stats["deadline_hit"] is False
    assert second.stats["deadline_hit"] is False
    assert first.assignments == second.assignments
    assert [u.reasons for u in first.unfilled] == [u.reasons for u in second.unfilled]


def test_progress_is_reported_up_to_completion() -> None:
    seen: list[float] = []
    solve(parse_problem(generate("small", 2)), time_limit=5, progress=seen.append)
    assert seen
    assert seen[-1] == 1.0
    assert all(0.0 <= value <= 1.0 for value in seen)


def test_without_time_it_still_returns_the_valid_greedy_schedule() -> None:
    data = generate("small", 4)
    solution = solve(parse_problem(data), time_limit=0)
    assert solution.status == "greedy"
    assert solution.assignments
    assert check(data, solution_to_dict(solution)) == []


def test_crews_that_never_meet_are_solved_as_independent_parts() -> None:
    data = problem(
        [artist("light1", ["light"]), artist("cook", ["catering"])],
        [
            shift("show", "2026-03-02 18:00", "2026-03-02 23:00", ["light"]),
            shift("lunch", "2026-03-02 11:00", "2026-03-02 14:00", ["catering"]),
        ],
    )
    solution = solved(data)
    assert solution.stats["parts"] == 2
    assert solution.status == "optimal"
    assert pairs(solution) == {("show", "light1"), ("lunch", "cook")}
