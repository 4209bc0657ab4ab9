"""Version 2's rule 4: FORMAT.md's duty-period examples, chains, limits and locked shifts.

Every solution is checked by the independent checker (``solved``), which groups duty
periods on its own; greedy solutions are checked too where the greedy could go wrong.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from apps.planning.autoassign.engine import (
    generate,
    greedy_solve,
    parse_problem,
    reference_solve,
    solution_to_dict,
    solve,
    solver,
    violations,
)
from tests.autoassign.builders import artist, pairs, problem, shift, solved
from tests.autoassign.checker import check


def _v2(shifts: list[dict[str, Any]], **rules: Any) -> dict[str, Any]:
    """One technician and the given shifts, with FORMAT.md's example limits by default."""
    options: dict[str, Any] = {"version": 2, "max_span": 780, "max_work": 720, **rules}
    return problem([artist("tech", ["stage"])], shifts, **options)


def _both_taken(data: dict[str, Any]) -> bool:
    solution = solved(data)
    greedy = greedy_solve(parse_problem(data))
    assert check(data, solution_to_dict(greedy)) == []
    return len(solution.assignments) == 2


# FORMAT.md, "Duty periods": (first shift, second shift, allowed?)
EXAMPLES = [
    pytest.param(
        ("2026-03-02 08:00", "2026-03-02 12:00"),
        ("2026-03-02 13:00", "2026-03-02 18:00"),
        True,
        id="get-in and afternoon rehearsal: one period of 10 h",
    ),
    pytest.param(
        ("2026-03-02 18:00", "2026-03-02 23:30"),
        ("2026-03-02 23:30", "2026-03-03 03:30"),
        True,
        id="show and load-out: one period of 9 h 30",
    ),
    pytest.param(
        ("2026-03-02 08:00", "2026-03-02 14:00"),
        ("2026-03-02 18:00", "2026-03-02 23:30"),
        False,
        id="get-in and show: one period of 15 h 30",
    ),
    pytest.param(
        ("2026-03-02 23:30", "2026-03-03 03:30"),
        ("2026-03-03 10:00", "2026-03-03 14:00"),
        False,
        id="load-out and get-in 6 h 30 later: one period of 14 h 30",
    ),
    pytest.param(
        ("2026-03-02 23:30", "2026-03-03 03:30"),
        ("2026-03-03 14:30", "2026-03-03 18:30"),
        True,
        id="load-out and get-in 11 h later: two periods",
    ),
]


@pytest.mark.parametrize(("first", "second", "allowed"), EXAMPLES)
def test_the_duty_period_examples_of_the_format(
    first: tuple[str, str], second: tuple[str, str], allowed: bool
) -> None:
    data = _v2([shift("first", *first, ["stage"]), shift("second", *second, ["stage"])])
    assert _both_taken(data) is allowed


def test_the_examples_hold_with_the_default_span_of_24_h_minus_the_rest() -> None:
    get_in = shift("get_in", "2026-03-02 08:00", "2026-03-02 14:00", ["stage"])
    show = shift("show", "2026-03-02 18:00", "2026-03-02 21:00", ["stage"])
    assert _both_taken(_v2([get_in, show], max_span=None, max_work=None))  # 13 h
    late = shift("show", "2026-03-02 18:00", "2026-03-02 21:01", ["stage"])
    assert not _both_taken(_v2([get_in, late], max_span=None, max_work=None))  # 13 h 01
    assert _both_taken(_v2([get_in, late], min_rest=600, max_span=None, max_work=None))


THREE_SHIFT_CHAIN = [
    shift("night", "2026-03-02 00:00", "2026-03-02 02:00", ["stage"]),
    shift("morning", "2026-03-02 08:00", "2026-03-02 12:00", ["stage"]),
    shift("afternoon", "2026-03-02 13:00", "2026-03-02 15:00", ["stage"]),
]


def test_three_shifts_can_break_a_duty_period_while_every_two_respect_it() -> None:
    for two in itertools.combinations(THREE_SHIFT_CHAIN, 2):
        assert _both_taken(_v2(list(two)))
    solution = solved(_v2(THREE_SHIFT_CHAIN))
    assert len(solution.assignments) == 2
    assert solution.status == "optimal"


def test_the_two_ends_of_the_chain_go_together_without_the_middle() -> None:
    """Every two of the three are allowed; declared availability picks night and
    afternoon, which are two duty periods only because the morning is left out."""
    declared = [("2026-03-02 00:00", "2026-03-02 02:00"), ("2026-03-02 13:00", "2026-03-02 15:00")]
    data = problem(
        [artist("tech", ["stage"], available=declared)],
        THREE_SHIFT_CHAIN,
        version=2,
        max_span=780,
    )
    assert pairs(solved(data)) == {("night", "tech"), ("afternoon", "tech")}


def test_a_chain_through_a_locked_shift_is_refused() -> None:
    data = _v2(THREE_SHIFT_CHAIN)
    data["locked"] = [{"shift": "morning", "artist": "tech"}]
    solution = solved(data)
    assert ("morning", "tech") in pairs(solution)
    assert len(solution.assignments) == 2  # the locked one and either neighbour


def test_the_work_limit_counts_the_shifts_of_the_period() -> None:
    load_in = shift("load_in", "2026-03-02 07:00", "2026-03-02 13:00", ["stage"])
    rehearsal = shift("rehearsal", "2026-03-02 13:30", "2026-03-02 20:00", ["stage"])
    assert not _both_taken(_v2([load_in, rehearsal]))  # 12 h 30 of work in 13 h
    assert _both_taken(_v2([load_in, rehearsal], max_work=None))


def test_a_shift_longer_than_the_limits_on_its_own_is_never_assigned() -> None:
    long_day = shift("long_day", "2026-03-02 06:00", "2026-03-02 20:00", ["stage"])
    assert solved(_v2([long_day])).assignments == []


def test_without_min_rest_there_are_no_duty_periods() -> None:
    days = [
        shift("early", "2026-03-02 00:00", "2026-03-02 12:00", ["stage"]),
        shift("late", "2026-03-02 12:00", "2026-03-03 00:00", ["stage"]),
    ]
    assert _both_taken(_v2(days, min_rest=None))


def test_a_locked_period_over_the_limits_is_kept_and_never_extended() -> None:
    data = _v2(
        [
            shift("get_in", "2026-03-02 08:00", "2026-03-02 14:00", ["stage"]),
            shift("show", "2026-03-02 18:00", "2026-03-02 23:30", ["stage"]),
            shift("load_out", "2026-03-02 23:30", "2026-03-03 01:00", ["stage"]),
            shift("next_day", "2026-03-03 12:30", "2026-03-03 16:00", ["stage"]),
        ]
    )
    data["locked"] = [
        {"shift": "get_in", "artist": "tech"},
        {"shift": "show", "artist": "tech"},
    ]
    solution = solved(data)
    assert pairs(solution) == {("get_in", "tech"), ("show", "tech"), ("next_day", "tech")}
    assert violations(parse_problem(data), solution.assignments) == []


def test_the_engine_and_the_validator_agree_that_a_long_period_is_a_violation() -> None:
    data = _v2(THREE_SHIFT_CHAIN)
    every = [(item["id"], "tech") for item in THREE_SHIFT_CHAIN]
    document = {
        "format": "crew-autoassign/2",
        "assignments": [{"shift": s, "artist": a} for s, a in every],
    }
    assert violations(parse_problem(data), every)
    assert check(data, document)


def test_the_solution_echoes_the_version_it_read() -> None:
    one = problem([artist("a", ["stage"])], THREE_SHIFT_CHAIN)
    two = _v2(THREE_SHIFT_CHAIN)
    assert solution_to_dict(solved(one))["format"] == "crew-autoassign/1"
    assert solution_to_dict(solved(two))["format"] == "crew-autoassign/2"


def test_the_same_problem_is_stricter_in_version_1() -> None:
    split_day = [
        shift("get_in", "2026-03-02 08:00", "2026-03-02 12:00", ["stage"]),
        shift("rehearsal", "2026-03-02 13:00", "2026-03-02 18:00", ["stage"]),
    ]
    assert len(solved(problem([artist("a", ["stage"])], split_day)).assignments) == 1
    assert len(solved(_v2(split_day)).assignments) == 2


def test_a_shift_left_short_says_the_duty_period_would_be_too_long() -> None:
    data = problem(
        [artist("busy", ["stage"]), artist("tired", ["stage"])],
        [
            shift("get_in", "2026-03-02 08:00", "2026-03-02 14:00", ["stage"], headcount=2),
            shift("show", "2026-03-02 18:00", "2026-03-02 23:30", ["stage"], headcount=2),
            shift("load_in", "2026-03-03 07:00", "2026-03-03 13:00", ["stage"]),
            shift("rehearsal", "2026-03-03 13:30", "2026-03-03 20:00", ["stage"]),
        ],
        locked=[("get_in", "busy"), ("get_in", "tired"), ("load_in", "tired")],
        version=2,
        max_span=780,
        max_work=720,
    )
    solution = solved(data)
    reasons = {item.shift_id: item.reasons for item in solution.unfilled}
    assert reasons["show"] == [
        "no free artist with skills stage: 2 would work a duty period over 13 h"
    ]
    assert ("rehearsal", "busy") in pairs(solution)


def _random_day(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """``count`` shifts of 2 to 6 h starting on any half hour from 06:00 to 01:30."""
    shifts = []
    for number in range(count):
        begin = 6 * 60 + 30 * rng.randrange(0, 40)
        length = 60 * rng.choice((2, 3, 4, 5, 6))
        shifts.append(
            {
                "id": f"s{number}",
                "start": _instant(begin),
                "end": _instant(begin + length),
                "skills": ["stage"],
                "headcount": rng.choice((1, 1, 2)),
            }
        )
    return shifts


def _instant(minutes: int) -> str:
    day, rest = divmod(minutes, 1440)
    return f"2026-03-{2 + day:02d}T{rest // 60:02d}:{rest % 60:02d}:00Z"


def _best_by_brute_force(data: dict[str, Any]) -> int:
    """The most pairs any valid schedule holds, by trying every subset of pairs."""
    every = [(item["id"], person["id"]) for item in data["shifts"] for person in data["artists"]]
    for size in range(len(every), -1, -1):
        for chosen in itertools.combinations(every, size):
            document = {
                "format": data["format"],
                "assignments": [{"shift": s, "artist": a} for s, a in chosen],
            }
            if not check(data, document):
                return size
    return 0


@pytest.mark.parametrize("seed", range(12))
def test_the_engine_is_optimal_on_random_small_days(seed: int) -> None:
    """Against brute force on random days of 6 shifts and 2 artists (chains included)."""
    rng = random.Random(seed)
    data = problem(
        [artist("a", ["stage"]), artist("b", ["stage"])],
        [],
        version=2,
        max_span=rng.choice((600, 780)),
        max_work=rng.choice((None, 480, 720)),
        min_rest=rng.choice((300, 660)),
    )
    data["shifts"] = _random_day(rng, 6)
    solution = solve(parse_problem(data), time_limit=5, seed=seed)
    assert check(data, solution_to_dict(solution)) == []
    assert solution.status == "optimal"
    assert len(solution.assignments) == _best_by_brute_force(data)


def test_the_reference_cuts_chains_until_its_answer_is_valid() -> None:
    """The plain model sees only pairs, so it first takes the whole chain; one cut later
    its answer is valid and proven optimal."""
    data = _v2(THREE_SHIFT_CHAIN)
    solution = reference_solve(parse_problem(data), 10)
    assert check(data, solution_to_dict(solution)) == []
    assert len(solution.assignments) == 2
    assert solution.stats["cuts"] >= 1
    assert solution.status == "optimal"


def test_the_same_seed_gives_the_same_answer_twice_with_duty_periods(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solver, "FULL_MODEL_PAIRS", 0)
    monkeypatch.setattr(solver, "WORK_PER_SECOND_DUTY", 0.1)
    parsed = parse_problem(generate("small", 11, 2))
    first = solve(parsed, time_limit=10, seed=5)
    second = solve(parsed, time_limit=10, seed=5)
    assert first.stats["deadline_hit"] is False
    assert first.stats["lns_steps"] > 0
    assert first.assignments == second.assignments
