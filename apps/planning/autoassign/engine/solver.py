"""The engine: greedy start, then CP-SAT per independent part, then reasons for the gaps.

Design, and why:

- ``prepare`` prunes candidates (skills, absences, locked conflicts, weekly budget), so
  every model only holds pairs that could be chosen.
- The greedy schedule is built first. It is the fallback, the hint of every CP-SAT run,
  and the plain baseline of the benchmark.
- The problem is split into independent parts (``components``). A part of at most
  ``FULL_MODEL_PAIRS`` candidate pairs gets the whole clique model, which CP-SAT proves
  optimal in well under a second on the small benchmark problems; then, with a slice of
  the time left, a second stage lowers the day-rate cost at that proven coverage and
  availability. A bigger part (or a whole model that could not be proven in its share)
  goes to the large-neighbourhood search (``lns``), whose small models CP-SAT solves
  exactly, one after the other. CP-SAT's presolve is off: on these already tight models
  it cost more than it saved (measured: up to twice the time to the same proof).
- Objective: coverage, then assignments outside declared availability, as one weighted
  sum where a slot outweighs every penalty (see ``model``); cost only in the second stage
  or, in the search, once no shift is short.
- Version 2 (duty periods) uses the exact encoding of ``duty_model``, with presolve on for
  whole models (off in the search's small neighbourhoods, see ``LnsSettings.presolve``),
  smaller neighbourhoods and its own work calibration (``WORK_PER_SECOND_DUTY``: a step
  is mostly Python and its fixed charge; measured 1.2 to 1.4 units per wall second on the
  medium benchmark at load 2 to 3 on two cores, so at 1.6 the wall deadline ends most
  runs there and the budget only a run on a quiet machine; a stalled search ends sooner).
- Before the search, ejection chains (``repair``) fill the slots that one or two hand-overs
  free, in milliseconds each where a CP-SAT neighbourhood takes tens (version 2 benchmark:
  greedy 1567 to 1593 slots on medium in about 1.5 s, 4920 to about 5035 on large).
- Determinism: every CP-SAT run uses one worker, a seed derived from ``seed`` and a
  deterministic-time limit, and the budget of each part is counted in deterministic time
  (``WORK_PER_SECOND`` units per second of ``time_limit``, calibrated on the two-core
  benchmark machine so that the wall time stays under the limit). Same problem, seed and
  limit give the same answer. The trade-offs: one worker leaves the second core idle
  (two workers are only deterministic with ``interleave_search``, which was ten times
  slower to the same proof on the small problems, and running two neighbourhoods in
  threads gained nothing measurable); and when the machine is much slower or busier
  than the calibration one, the wall-clock deadline stops the search first, which is the
  only case where the answer can differ (``stats['deadline_hit']`` says so).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget
from .components import independent_parts
from .greedy import greedy_pairs
from .lns import LnsSettings, improve
from .model import SubModel, SubResult
from .prepare import Pair, Prepared, prepare
from .problem import Problem
from .reasons import unfilled_shifts
from .schedule import Schedule
from .solution import Solution, Status

FULL_MODEL_PAIRS = 8000
WORK_PER_SECOND = 0.72
WORK_PER_SECOND_DUTY = 1.6
DUTY_LNS = LnsSettings(
    neighbourhood_pairs=700,
    step_work=0.15,
    repair_share=0.6,
    probing=False,
    min_idle_steps=30,
    idle_steps_per_short_shift=1,
    escalations=2,
    chains_between=True,
)
"""Duty-period neighbourhoods are harder to prove than version 1's cliques, and their model
costs more Python to write. Without presolve a neighbourhood of the medium benchmark is
proven about three times faster (measured on 40 recorded steps: 18 ms against 57 ms), so
700 free pairs (about 200 left after pruning) keep a step short; 1500 or more sometimes
hit the step's work limit. The repair runs first, within 60 % of the time (measured on
medium, seeds 0 to 3: 1604 to 1606 slots in 10 s, against 1601 to 1606 with 40 %).

Small neighbourhoods stall at about 1604 slots on medium after some 120 steps, where
twice bigger ones still find slots (a 60 s run: 1608). So the search escalates after 30
idle steps (or one per short shift) rather than 40 or three per short shift, up to twice,
and first tries ejection chains again; it also runs one-hand-over chains after each
improving step (see ``LnsSettings.chains_between``)."""
SETUP_SHARE = 0.05
POLISH_SHARE = 0.15
WHOLE_MODEL_SHARE = 0.6


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> Solution:
    """Best schedule found within ``time_limit`` seconds; deterministic for ``seed``."""
    clock = time.monotonic
    started = clock()
    prepared = prepare(problem)
    greedy = greedy_pairs(prepared)
    parts = independent_parts(prepared)
    total_pairs = sum(_pair_count(prepared, part) for part in parts) or 1
    work = work_per_second(prepared) * time_limit * (1 - SETUP_SHARE)
    deadline = started + time_limit * (1 - SETUP_SHARE)
    budget = Budget(deterministic=0.0, deadline=deadline, clock=clock)
    pairs: set[Pair] = set()
    statuses: list[str] = []
    stats: dict[str, Any] = {"parts": len(parts), "lns_steps": 0, "greedy_filled": len(greedy)}
    report = _reporter(progress, budget, work)
    for index, part in enumerate(parts):
        budget.deterministic += work * _pair_count(prepared, part) / total_pairs
        part_greedy = _restrict(greedy, part)
        chosen, status = _solve_part(
            prepared, part, part_greedy, budget, seed + index, stats, report
        )
        pairs |= chosen
        statuses.append(status)
        report()
    schedule = Schedule(prepared, pairs)
    stats["filled_by_final_pass"] = schedule.fill()
    stats["deadline_hit"] = budget.deadline_hit
    stats["work"] = round(budget.spent, 3)
    if progress is not None:
        progress(1.0)
    return make_solution(prepared, schedule.pairs, _overall(statuses), stats, clock() - started)


def greedy_solve(problem: Problem) -> Solution:
    """The plain greedy baseline, without any CP-SAT."""
    started = time.monotonic()
    prepared = prepare(problem)
    pairs = greedy_pairs(prepared)
    return make_solution(prepared, pairs, "greedy", {}, time.monotonic() - started)


def _reporter(
    progress: Callable[[float], None] | None, budget: Budget, work: float
) -> Callable[[], None]:
    """Progress as the share of the deterministic budget spent (the job's progress bar)."""

    def report() -> None:
        if progress is not None:
            progress(min(0.99, budget.spent / max(work, 1e-9)))

    return report


def _pair_count(prepared: Prepared, part: list[int]) -> int:
    return sum(len(prepared.candidates_by_shift[shift]) for shift in part)


def _restrict(pairs: set[Pair], part: list[int]) -> set[Pair]:
    inside = set(part)
    return {pair for pair in pairs if pair[0] in inside}


def _solve_part(
    prepared: Prepared,
    part: list[int],
    start: set[Pair],
    budget: Budget,
    seed: int,
    stats: dict[str, Any],
    report: Callable[[], None],
) -> tuple[set[Pair], str]:
    """Whole model for a small part (proof of optimality), LNS for a big one."""
    if budget.exhausted():
        return start, "greedy"
    solved = False
    if _pair_count(prepared, part) <= FULL_MODEL_PAIRS:
        whole = _solve_whole(prepared, part, start, budget, seed)
        if whole.optimal:
            return _polish_cost(prepared, part, whole.pairs, budget, seed), "optimal"
        if whole.found:
            start, solved = set(whole.pairs), True
    settings = LnsSettings() if prepared.duty is None else DUTY_LNS
    outcome = improve(prepared, part, start, budget, seed, settings, on_step=report)
    stats["lns_steps"] += outcome.steps
    return outcome.pairs, "feasible" if solved or outcome.steps else "greedy"


def use_presolve(prepared: Prepared) -> bool:
    """Off for version 1 (its clique models are already tight: presolve cost more); on for
    duty periods, whose pairwise clauses presolve merges into cliques (measured: the small
    problem proven in under 2 s with it, not in 20 s without)."""
    return prepared.duty is not None


def work_per_second(prepared: Prepared) -> float:
    return WORK_PER_SECOND if prepared.duty is None else WORK_PER_SECOND_DUTY


def _parameters(
    prepared: Prepared, budget: Budget, seed: int, work: float
) -> cp_model.SatParameters:
    """One worker, seeded, limited in deterministic time: replayable (see module doc)."""
    parameters = cp_model.SatParameters()
    parameters.num_workers = 1
    parameters.cp_model_presolve = use_presolve(prepared)
    parameters.random_seed = seed
    parameters.max_deterministic_time = max(0.01, work)
    parameters.max_time_in_seconds = max(0.01, budget.deadline - budget.clock())
    return parameters


def _solve_whole(
    prepared: Prepared, part: list[int], start: set[Pair], budget: Budget, seed: int
) -> SubResult:
    free = [(shift, artist) for shift in part for artist in prepared.candidates_by_shift[shift]]
    sub = SubModel(prepared, free, Schedule(prepared), use_cost=False)
    sub.hint(start)
    work = min(budget.left(), WHOLE_MODEL_SHARE * budget.deterministic)
    result = sub.solve(_parameters(prepared, budget, seed, work))
    budget.spent += result.deterministic_time
    return result


def _polish_cost(
    prepared: Prepared, part: list[int], best: frozenset[Pair], budget: Budget, seed: int
) -> set[Pair]:
    """Stage two: cheapest day rates at the proven coverage and availability."""
    if budget.exhausted():
        return set(best)
    free = [(shift, artist) for shift in part for artist in prepared.candidates_by_shift[shift]]
    sub = SubModel(prepared, free, Schedule(prepared), use_cost=False)
    sub.polish_cost(best)
    work = min(budget.left(), POLISH_SHARE * budget.deterministic)
    result = sub.solve(_parameters(prepared, budget, seed, work))
    budget.spent += result.deterministic_time
    return set(result.pairs) if result.found else set(best)


def _overall(statuses: list[str]) -> Status:
    if all(status == "optimal" for status in statuses):
        return "optimal"
    if any(status != "greedy" for status in statuses):
        return "feasible"
    return "greedy"


def make_solution(
    prepared: Prepared, pairs: set[Pair], status: Status, stats: dict[str, Any], seconds: float
) -> Solution:
    problem = prepared.problem
    every = sorted(set(prepared.locked) | pairs)
    assignments = [(problem.shifts[s].id, problem.artists[a].id) for s, a in every]
    stats = {**stats, "status": status, "filled_added": len(pairs), "seconds": round(seconds, 3)}
    return Solution(
        assignments=assignments,
        unfilled=unfilled_shifts(prepared, pairs),
        status=status,
        stats=stats,
        format=problem.format,
    )
