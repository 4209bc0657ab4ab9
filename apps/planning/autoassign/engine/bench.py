"""Benchmark: the engine against the plain greedy and the plain CP-SAT reference.

For each size, one generated problem is solved three ways and printed side by side. The
reference gets a long time limit; its proven bound (when CP-SAT has one) caps what any
solver could fill, so the table also says how far from optimal the engine can be. The
problems are version 2 (duty periods, split days) unless version 1 is asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .generator import generate
from .problem import parse_problem
from .reference import reference_solve
from .solution import Solution, statistics
from .solver import greedy_solve, solve

ENGINE_SECONDS = {"small": 5.0, "medium": 10.0, "large": 30.0}
REFERENCE_SECONDS = {"small": 30.0, "medium": 60.0, "large": 120.0}


@dataclass(frozen=True)
class SizeResult:
    """Statistics lines of the three solvers for one size, plus the reference's bound."""

    size: str
    engine: dict[str, Any]
    engine_status: str
    greedy: dict[str, Any]
    reference: dict[str, Any] | None
    reference_status: str
    reference_bound: int | None
    reference_added: int = 0


def run_size(size: str, seed: int, reference_seconds: float | None, version: int = 2) -> SizeResult:
    """Solve one generated problem with the engine, the greedy and (optionally) the reference."""
    problem = parse_problem(generate(size, seed, version))
    engine, engine_seconds = _timed(
        lambda: solve(problem, time_limit=ENGINE_SECONDS[size], seed=seed)
    )
    greedy, greedy_seconds = _timed(lambda: greedy_solve(problem))
    reference_line: dict[str, Any] | None = None
    reference_status = "-"
    bound: int | None = None
    added = 0
    if reference_seconds:
        reference, seconds = _timed(lambda: reference_solve(problem, reference_seconds))
        reference_line = statistics(problem, reference, seconds)
        reference_status = reference.status if reference.stats.get("found") else "none"
        reference_status += f" (model built in {reference.stats['build_seconds']:.1f} s)"
        added = int(reference.stats.get("filled_added", 0))
        added_bound = reference.stats.get("bound_filled")
        if added_bound is not None:
            bound = len(problem.locked) + int(added_bound)
    return SizeResult(
        size=size,
        engine=statistics(problem, engine, engine_seconds),
        engine_status=engine.status,
        greedy=statistics(problem, greedy, greedy_seconds),
        reference=reference_line,
        reference_status=reference_status,
        reference_bound=bound,
        reference_added=added,
    )


def _timed(run: Callable[[], Solution]) -> tuple[Solution, float]:
    started = time.monotonic()
    solution = run()
    return solution, time.monotonic() - started


HEADER = (
    f"{'size':<7}{'solver':<10}{'slots':>6}{'filled':>7}{'coverage':>9}{'outside':>8}"
    f"{'seconds':>9}{'valid':>7}  status"
)


def format_rows(result: SizeResult) -> list[str]:
    """Table rows for one size: engine, greedy, reference, and the gaps."""
    rows = [
        _row(result.size, "engine", result.engine, result.engine_status),
        _row(result.size, "greedy", result.greedy, "greedy"),
    ]
    if result.reference is not None:
        rows.append(_row(result.size, "reference", result.reference, result.reference_status))
        if result.reference_status.startswith("none") or not result.reference_added:
            rows.append(
                f"{'':<7}reference found no assignment beyond the locked pairs in its time limit"
            )
        else:
            gap = _gap(result.reference["filled"], result.engine["filled"])
            rows.append(
                f"{'':<7}engine below reference by {gap:+.2f}% of filled slots "
                "(negative: engine above)"
            )
    if result.reference_bound is not None and result.reference_bound >= result.engine["slots"]:
        rows.append(f"{'':<7}reference proved no useful bound (all slots)")
    elif result.reference_bound is not None:
        gap = _gap(result.reference_bound, result.engine["filled"])
        rows.append(
            f"{'':<7}reference's proven bound on filled: {result.reference_bound} "
            f"(engine at most {gap:.2f}% below optimal)"
        )
    greedy_gap = _gap(result.engine["filled"], result.greedy["filled"])
    rows.append(f"{'':<7}greedy below engine by {greedy_gap:+.2f}% of filled slots")
    if result.size == "small":
        proven = "yes" if result.engine_status == "optimal" else "no"
        rows.append(f"{'':<7}small proven optimal by the engine: {proven}")
    return rows


def _row(size: str, solver: str, line: dict[str, Any], status: str) -> str:
    return (
        f"{size:<7}{solver:<10}{line['slots']:>6}{line['filled']:>7}{line['coverage']:>9.4f}"
        f"{line['outside_available']:>8}{line['seconds']:>9.2f}{line['valid']!s:>7}  {status}"
    )


def _gap(best: int, other: int) -> float:
    """How many percent of ``best`` filled slots ``other`` is below it (negative: above)."""
    return 100.0 * (best - other) / best if best else 0.0


def _print_now(line: str) -> None:
    print(line, flush=True)


def run_benchmark(
    sizes: list[str],
    seed: int,
    reference_seconds: float | None,
    emit: Callable[[str], None] | None = None,
    version: int = 2,
) -> list[SizeResult]:
    """Run every size and emit the table as it goes (a size can take minutes)."""
    emit = emit or _print_now
    emit(f"problems: crew-autoassign/{version}, seed {seed}")
    emit(HEADER)
    results: list[SizeResult] = []
    for size in sizes:
        limit = REFERENCE_SECONDS[size] if reference_seconds is None else reference_seconds
        result = run_size(size, seed, limit, version)
        for row in format_rows(result):
            emit(row)
        results.append(result)
    return results
