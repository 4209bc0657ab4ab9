"""The plain CP-SAT model: the benchmark's reference, deliberately without the engine's tricks.

One Boolean per eligible pair, one "not both" clause per pair of conflicting shifts of an
artist, the weekly cap and the headcount, the same lexicographic objective, no hint, no
cliques, no decomposition, all workers of the machine. It is what one would write first;
given a long time limit it tells how close the engine gets, and its proven bound (when it
has one) tells how far from optimal both are.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .prepare import Pair, Prepared, prepare
from .problem import Problem
from .solution import Solution, Status
from .solver import make_solution


def reference_solve(problem: Problem, time_limit: float, workers: int = 2) -> Solution:
    """Solve the plain model for ``time_limit`` seconds after building it (building the
    pairwise clauses of a large problem takes a minute of its own, reported apart);
    ``stats['bound_filled']`` is the proven bound on added slots."""
    started = time.monotonic()
    prepared = prepare(problem)
    model = cp_model.CpModel()
    variables = {
        (shift, artist): model.new_bool_var("")
        for artist, shifts in enumerate(prepared.candidates_by_artist)
        for shift in shifts
    }
    _add_pairwise_conflicts(prepared, model, variables)
    _add_week_caps(prepared, model, variables)
    for shift, artists in enumerate(prepared.candidates_by_shift):
        if len(artists) > prepared.need[shift]:
            model.add(sum(variables[(shift, artist)] for artist in artists) <= prepared.need[shift])
    filled_weight = sum(prepared.need) + 1
    model.maximize(
        sum(
            (filled_weight - (pair in prepared.outside)) * variable
            for pair, variable in variables.items()
        )
    )
    built = time.monotonic() - started
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    pairs = {pair for pair, variable in variables.items() if found and solver.value(variable)}
    stats = {
        "found": found,
        "build_seconds": round(built, 2),
        "bound_filled": math.ceil(solver.best_objective_bound / filled_weight - 1e-9)
        if found
        else None,
    }
    label: Status = "optimal" if status == cp_model.OPTIMAL else "feasible" if found else "greedy"
    return make_solution(prepared, pairs, label, stats, time.monotonic() - started)


def _add_pairwise_conflicts(
    prepared: Prepared, model: cp_model.CpModel, variables: dict[Pair, cp_model.IntVar]
) -> None:
    shifts = prepared.problem.shifts
    for artist, own in enumerate(prepared.candidates_by_artist):
        for index, first in enumerate(own):
            limit = shifts[first].end + prepared.rest
            for second in own[index + 1 :]:
                if shifts[second].start >= limit:
                    break
                model.add_bool_or([~variables[(first, artist)], ~variables[(second, artist)]])


def _add_week_caps(
    prepared: Prepared, model: cp_model.CpModel, variables: dict[Pair, cp_model.IntVar]
) -> None:
    if prepared.week_cap is None:
        return
    shifts = prepared.problem.shifts
    for artist, own in enumerate(prepared.candidates_by_artist):
        by_week: dict[int, list[int]] = defaultdict(list)
        for shift in own:
            by_week[shifts[shift].week].append(shift)
        for week, members in by_week.items():
            budget = prepared.week_budget_of(artist, week)
            assert budget is not None
            model.add(
                sum(shifts[s].window.seconds * variables[(s, artist)] for s in members) <= budget
            )
