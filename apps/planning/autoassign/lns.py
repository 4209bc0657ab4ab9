"""Large-neighbourhood search over time windows, for problems too big for one model.

On a few weeks of a large crew the full model has hundreds of thousands of Booleans: its
presolve and first LP take longer than the whole time limit, so CP-SAT on its own barely
moves from the hint. Shifts only interact through one artist over about a day (overlap and
rest) or a local week (cap), so re-optimising every pair of a time window while the rest
of the schedule stays fixed is a small model that CP-SAT solves to optimality in a fraction
of a second, and sweeping overlapping windows over the horizon repairs what the greedy
got wrong. Each window is solved with the current schedule as a complete hint, so a window
never gets worse and the search always holds a valid schedule.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import SubModel
from .prepare import Pair, Prepared


@dataclass
class Budget:
    """Deterministic-time budget (CP-SAT work units) with a wall-clock safety deadline."""

    deterministic: float
    deadline: float
    clock: Callable[[], float]
    spent: float = 0.0

    def left(self) -> float:
        return self.deterministic - self.spent

    def exhausted(self) -> bool:
        return self.spent >= self.deterministic or self.clock() >= self.deadline


@dataclass(frozen=True)
class LnsSettings:
    """Window size in free pairs, share of a window advanced per step, work per window."""

    window_pairs: int = 6000
    step_share: float = 0.5
    window_deterministic_time: float = 0.6


def improve_by_windows(
    prepared: Prepared,
    shifts: list[int],
    start: set[Pair],
    budget: Budget,
    seed: int,
    settings: LnsSettings = LnsSettings(),
    on_improve: Callable[[set[Pair]], None] | None = None,
) -> tuple[set[Pair], int]:
    """Sweep time windows over ``shifts`` until the budget is spent; return the best pairs
    and the number of windows solved. ``start`` must be a valid schedule of these shifts."""
    rng = random.Random(seed)
    current = set(start)
    windows = _windows(prepared, shifts, settings)
    solved = 0
    while not budget.exhausted() and windows:
        offset = rng.randrange(len(windows))
        for window in windows[offset:] + windows[:offset]:
            if budget.exhausted():
                break
            current, improved = _solve_window(prepared, window, current, budget, rng, settings)
            solved += 1
            if improved and on_improve is not None:
                on_improve(current)
    return current, solved


def _windows(prepared: Prepared, shifts: list[int], settings: LnsSettings) -> list[list[int]]:
    """Overlapping runs of consecutive shifts (by start) of about ``window_pairs`` pairs."""
    ordered = sorted(shifts, key=lambda shift: (prepared.problem.shifts[shift].start, shift))
    weights = [len(prepared.candidates_by_shift[shift]) for shift in ordered]
    cumulative = [0]
    for weight in weights:
        cumulative.append(cumulative[-1] + weight)
    total = cumulative[-1]
    if total <= settings.window_pairs:
        return [ordered]
    step = max(1, int(settings.window_pairs * settings.step_share))
    windows: list[list[int]] = []
    for low in range(0, total, step):
        first = bisect.bisect_right(cumulative, low) - 1
        last = bisect.bisect_left(cumulative, low + settings.window_pairs)
        windows.append(ordered[first:last])
        if last >= len(ordered):
            break
    return windows


def _solve_window(
    prepared: Prepared,
    window: list[int],
    current: set[Pair],
    budget: Budget,
    rng: random.Random,
    settings: LnsSettings,
) -> tuple[set[Pair], bool]:
    inside = set(window)
    fixed = {pair for pair in current if pair[0] not in inside}
    free = [(shift, artist) for shift in window for artist in prepared.candidates_by_shift[shift]]
    import os; sub = SubModel(prepared, free, fixed, use_cost=os.environ.get("COST","1")=="1")
    before = {pair for pair in current if pair[0] in inside}
    sub.hint(before)
    parameters = cp_model.SatParameters()
    parameters.num_workers = 1
    parameters.random_seed = rng.randrange(1 << 30)
    parameters.max_deterministic_time = max(0.01, min(settings.window_deterministic_time, budget.left()))
    parameters.max_time_in_seconds = max(0.01, budget.deadline - budget.clock())
    result = sub.solve(parameters)
    budget.spent += result.deterministic_time
    if not result.found:
        return current, False
    old_value = sum(sub.pair_value(pair) for pair in before)
    new_value = sum(sub.pair_value(pair) for pair in result.pairs)
    if new_value < old_value:
        return current, False
    return fixed | set(result.pairs), new_value > old_value
