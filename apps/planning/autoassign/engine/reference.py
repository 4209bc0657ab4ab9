"""The plain CP-SAT model: the benchmark's reference, deliberately without the engine's tricks.

One Boolean per eligible pair, one "not both" clause per pair of conflicting shifts of an
artist, the weekly cap and the headcount, the same lexicographic objective, no hint, no
cliques, no decomposition, all workers of the machine. It is what one would write first;
given a long time limit it tells how close the engine gets, and its proven bound (when it
has one) tells how far from optimal both are.

With duty periods (version 2) the plain model holds a "not both" clause per pair of shifts
that overlap or would make a two-shift duty period over the limits, and longer chains are
handled by cuts, the textbook way: solve, look for duty periods over the limits in the
answer, forbid each such chain of selected shifts ("not all of them", valid because those
shifts together always form one period) and solve again, until the answer has none. Only
then is it a solution of the full model (and, when proven, an optimal one). If time runs
out first, the last answer is made valid by dropping the added shifts that end bad
periods, and its bound remains a bound of the full model.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .duty import DutyRules, periods
from .prepare import Pair, Prepared, prepare
from .problem import Problem, Window
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
    deadline = started + built + time_limit
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    rounds = cuts = 0
    while True:
        rounds += 1
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        status = solver.solve(model)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        pairs = {pair for pair, variable in variables.items() if found and solver.value(variable)}
        chains = _bad_chains(prepared, pairs) if found and prepared.duty is not None else []
        if not chains or time.monotonic() >= deadline:
            break
        for chain in chains:
            model.add_bool_or([~variables[pair] for pair in chain])
        cuts += len(chains)
        _hint(model, variables, _drop_bad_ends(prepared, pairs))
    proven = status == cp_model.OPTIMAL and not chains
    pairs = _drop_bad_ends(prepared, pairs) if chains else pairs
    stats = {
        "found": found,
        "build_seconds": round(built, 2),
        "bound_filled": math.ceil(solver.best_objective_bound / filled_weight - 1e-9)
        if found
        else None,
        "cut_rounds": rounds,
        "cuts": cuts,
    }
    label: Status = "optimal" if proven else "feasible" if found else "greedy"
    return make_solution(prepared, pairs, label, stats, time.monotonic() - started)


def _hint(
    model: cp_model.CpModel, variables: dict[Pair, cp_model.IntVar], pairs: set[Pair]
) -> None:
    model.clear_hints()
    for pair, variable in variables.items():
        model.add_hint(variable, pair in pairs)


def _artist_windows(prepared: Prepared, pairs: set[Pair]) -> dict[int, list[Pair]]:
    """Each artist's pairs, locked ones included, in order of start."""
    by_artist: dict[int, list[Pair]] = defaultdict(list)
    for pair in set(prepared.locked) | pairs:
        by_artist[pair[1]].append(pair)
    for own in by_artist.values():
        own.sort(key=lambda pair: prepared.start[pair[0]])
    return by_artist


def _bad_chains(prepared: Prepared, pairs: set[Pair]) -> list[list[Pair]]:
    """For each duty period over the limits that holds an added pair, the shortest run of
    its consecutive shifts that is already over them (its added pairs form the cut)."""
    duty = prepared.duty
    assert duty is not None
    chains: list[list[Pair]] = []
    for own in _artist_windows(prepared, pairs).values():
        windows = [_window(prepared, pair) for pair in own]
        for period in periods(windows, duty.rest):
            members = [own[position] for position in period]
            if not any(pair in pairs for pair in members):
                continue
            chain = _shortest_bad_run(duty, [windows[position] for position in period])
            if chain is not None:
                cut = [members[index] for index in chain if members[index] in pairs]
                if cut:
                    chains.append(cut)
    return chains


def _shortest_bad_run(duty: DutyRules, windows: list[Window]) -> list[int] | None:
    best: list[int] | None = None
    for first in range(len(windows)):
        for last in range(first, len(windows)):
            if duty.breach(windows[first : last + 1]) is not None:
                if best is None or last - first < len(best) - 1:
                    best = list(range(first, last + 1))
                break
    return best


def _window(prepared: Prepared, pair: Pair) -> Window:
    return Window(prepared.start[pair[0]], prepared.end[pair[0]])


def _drop_bad_ends(prepared: Prepared, pairs: set[Pair]) -> set[Pair]:
    """Drop added pairs until no duty period over the limits holds one (the last added
    shift of each bad period first)."""
    kept = set(pairs)
    while True:
        chains = _bad_chains(prepared, kept)
        if not chains:
            return kept
        for chain in chains:
            kept.discard(chain[-1])


def _add_pairwise_conflicts(
    prepared: Prepared, model: cp_model.CpModel, variables: dict[Pair, cp_model.IntVar]
) -> None:
    shifts = prepared.problem.shifts
    duty = prepared.duty
    for artist, own in enumerate(prepared.candidates_by_artist):
        for index, first in enumerate(own):
            limit = shifts[first].end + prepared.rest
            for second in own[index + 1 :]:
                if shifts[second].start >= limit:
                    break
                if (
                    duty is not None
                    and not shifts[first].window.overlaps(shifts[second].window)
                    and duty.breach((shifts[first].window, shifts[second].window)) is None
                ):
                    continue
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
