"""The ejection-chain repair that runs before (and during) the neighbourhood search.

It moves an artist's shift to someone else so that the artist can take a short shift; every
schedule it leaves must pass the independent checker, and it is deterministic.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from apps.planning.autoassign.engine import generate, parse_problem, solution_to_dict
from apps.planning.autoassign.engine.budget import Budget
from apps.planning.autoassign.engine.greedy import greedy_pairs
from apps.planning.autoassign.engine.lns import improve
from apps.planning.autoassign.engine.prepare import Pair, prepare
from apps.planning.autoassign.engine.repair import Repair
from apps.planning.autoassign.engine.schedule import Schedule
from apps.planning.autoassign.engine.solver import DUTY_LNS, make_solution
from tests.autoassign.builders import artist, problem, shift
from tests.autoassign.checker import check


def _repaired(data: dict[str, Any], start: set[Pair], depth: int) -> tuple[set[Pair], list[str]]:
    prepared = prepare(parse_problem(data))
    schedule = Schedule(prepared, start)
    shifts = [index for index, need in enumerate(prepared.need) if need > 0]
    Repair(prepared, shifts, schedule).run(depth, lambda: False)
    solution = make_solution(prepared, set(schedule.pairs), "feasible", {}, 0.0)
    return set(schedule.pairs), check(data, solution_to_dict(solution))


def test_a_chain_hands_a_shift_over_to_fill_another() -> None:
    # "multi" does the rigging call (shift 0); only "multi" can do the light (shift 1),
    # which overlaps it; "rigger" is free for the rigging.
    data = problem(
        [artist("multi", ["light", "rigging"]), artist("rigger", ["rigging"])],
        [
            shift("rig", "2026-03-02T08:00", "2026-03-02T12:00", ["rigging"]),
            shift("light", "2026-03-02T09:00", "2026-03-02T13:00", ["light"]),
        ],
        version=2,
        max_span=780,
    )
    direct, errors = _repaired(data, {(0, 0)}, depth=0)
    assert direct == {(0, 0)}
    assert errors == []
    chained, errors = _repaired(data, {(0, 0)}, depth=1)
    assert chained == {(0, 1), (1, 0)}
    assert errors == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_repair_of_the_greedy_schedule_is_valid_better_and_replayable(seed: int) -> None:
    data = generate("small", seed, 2)
    prepared = prepare(parse_problem(data))
    greedy = greedy_pairs(prepared)
    first, errors = _repaired(data, set(greedy), depth=2)
    assert errors == []
    assert len(first) >= len(greedy)
    again, _ = _repaired(data, set(greedy), depth=2)
    assert again == first


def _searched(data: dict[str, Any], seed: int) -> tuple[set[Pair], int, list[str]]:
    """The neighbourhood search with version 2's settings on a deterministic budget only
    (no wall deadline), from the greedy schedule."""
    prepared = prepare(parse_problem(data))
    greedy = greedy_pairs(prepared)
    shifts = [index for index, need in enumerate(prepared.need) if need > 0]
    budget = Budget(deterministic=1.5, deadline=float("inf"), clock=time.monotonic)
    outcome = improve(prepared, shifts, set(greedy), budget, seed, DUTY_LNS)
    solution = make_solution(prepared, outcome.pairs, "feasible", {}, 0.0)
    return outcome.pairs, len(greedy), check(data, solution_to_dict(solution))


def test_the_search_with_chains_between_its_steps_is_valid_better_and_replayable() -> None:
    assert DUTY_LNS.chains_between
    data = generate("small", 1, 2)
    first, greedy, errors = _searched(data, seed=3)
    assert errors == []
    assert len(first) > greedy
    again, _, _ = _searched(data, seed=3)
    assert again == first
