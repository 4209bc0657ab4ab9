"""Large-neighbourhood search around short shifts, for parts too big for one model.

On a few weeks of a large crew the full model has hundreds of thousands of Booleans: its
presolve and first LP take longer than the whole time limit, so CP-SAT on its own barely
moves from the hint. But shifts only interact through one artist over about a day (overlap
and rest) or a local week (cap). So each step frees the pairs of a time window around a
shift that is still short, restricted when the window is big to the artists linked to that
shift (who could take it, who could take over their shifts, and so on), keeps everything
else fixed, and lets CP-SAT re-optimise that neighbourhood exactly. Each neighbourhood is
small enough to be solved to optimality in a fraction of a second, starts from the current
schedule as a complete hint, and is accepted only if it is not worse, so the search always
holds a valid schedule. When no shift is short, windows sweep the horizon to improve the
availability and cost terms. Before the first step, ejection chains (``repair``) take the
slots that one or two hand-overs free; when the search stalls, it goes on with
neighbourhoods twice as big (``escalations`` times). With ``chains_between`` (version 2)
the chains also run during the search: a neighbourhood reshuffles a window, which opens
hand-overs that reach beyond any one neighbourhood.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .budget import Budget
from .model import SubModel
from .prepare import Pair, Prepared
from .repair import Repair
from .schedule import Schedule

REPAIR_WORK_PER_CHECK = 5e-6
"""Deterministic work charged per feasibility check of the repair: about 300 000 checks
per wall second on the benchmark machine, and the budget counts 1.2 units a second."""


@dataclass(frozen=True)
class LnsSettings:
    """Tuning of the search, measured on the generated benchmark problems.

    About 3000 free pairs is where CP-SAT still proves a neighbourhood optimal in a
    tenth of a second (6000 took ten times longer, 12000 rarely finished); the half
    widths mix a day or so around the focus with a whole week, which lets the weekly cap
    be rebalanced. The search stops when it stalls: that many steps without improvement.
    """

    neighbourhood_pairs: int = 3000
    focus_tournament: int = 3
    step_work: float = 0.5
    overhead_per_step: float = 0.03
    half_widths_hours: tuple[int, ...] = (12, 24, 36, 84)
    min_idle_steps: int = 40
    idle_steps_per_short_shift: int = 3
    presolve: bool = False
    """Off: on these small models presolve cost more than it saved (duty periods too:
    18 ms against 57 ms a neighbourhood of the medium benchmark, same proofs)."""
    probing: bool = True
    """CP-SAT's probing at the root of each neighbourhood. Off for duty periods: the
    same optimal neighbourhoods were proven in about 55 % of the deterministic time
    (62 recorded steps of the medium benchmark: 0.17 against 0.30 units)."""
    escalations: int = 1
    """When the search stalls, it goes on this many times with neighbourhoods twice as big
    before it stops (a local optimum of small neighbourhoods is often not one of bigger ones)."""
    repair_depth: int = 2
    repair_share: float = 0.4
    """Ejection chains (``repair``) run first, up to this share of the part's budget."""
    chains_between: bool = False
    """Ejection chains again during the search: one hand-over deep after each improving
    neighbourhood, and as deep as the first repair when the search stalls (before it
    escalates). A neighbourhood reshuffles a window, which often opens a chain that no
    neighbourhood holds whole (medium benchmark, stalled at 1604 slots: one more in
    80 ms of one-hand-over chains)."""
    chains_share: float = 0.1
    """Each of those runs stops at this share of the budget left."""


@dataclass
class LnsOutcome:
    pairs: set[Pair]
    steps: int
    improvements: int


def improve(
    prepared: Prepared,
    shifts: list[int],
    start: set[Pair],
    budget: Budget,
    seed: int,
    settings: LnsSettings = LnsSettings(),
    on_step: Callable[[], None] | None = None,
) -> LnsOutcome:
    """Improve the valid schedule ``start`` of the part ``shifts`` until the budget is spent
    or the search stalls (many neighbourhoods in a row without improvement)."""
    rng = random.Random(seed)  # noqa: S311 (seeded search, not secrets)
    ordered = sorted(shifts, key=lambda shift: (prepared.start[shift], shift))
    starts = [prepared.start[shift] for shift in ordered]
    schedule = Schedule(prepared, start)
    chains = _Chains(prepared, shifts, schedule, budget)
    depths = range(settings.repair_depth + 1)
    chains.run(depths, settings.repair_share)
    steps = improvements = idle = sweep = escalations = 0
    target = settings.neighbourhood_pairs
    failures: Counter[int] = Counter()
    while not budget.exhausted():
        short = [shift for shift in ordered if schedule.filled[shift] < prepared.need[shift]]
        if idle >= max(settings.min_idle_steps, settings.idle_steps_per_short_shift * len(short)):
            idle = 0
            if settings.chains_between and short and chains.run(depths, settings.chains_share):
                continue
            if escalations >= settings.escalations:
                break
            escalations += 1
            target *= 2
        if short:
            focus = _pick_focus(short, failures, rng, settings.focus_tournament)
        else:
            focus = ordered[sweep % len(ordered)]
            sweep += max(1, len(ordered) // 8)
        half_width = rng.choice(settings.half_widths_hours) * 3600
        low = bisect.bisect_left(starts, prepared.start[focus] - half_width)
        high = bisect.bisect_right(starts, prepared.start[focus] + half_width)
        free = _neighbourhood(prepared, ordered[low:high], focus, rng, target)
        improved = _solve(prepared, free, schedule, budget, rng, settings, not short)
        steps += 1
        if improved and settings.chains_between and short:
            chains.run(range(1, 2), settings.chains_share)
        improvements += improved
        idle = 0 if improved else idle + 1
        failures[focus] += not improved
        if on_step is not None:
            on_step()
    return LnsOutcome(pairs=set(schedule.pairs), steps=steps, improvements=improvements)


class _Chains:
    """The ejection-chain repair over the live schedule, charged to the budget by its
    feasibility checks (its Python work; no CP-SAT)."""

    def __init__(
        self, prepared: Prepared, shifts: list[int], schedule: Schedule, budget: Budget
    ) -> None:
        self.repair = Repair(prepared, shifts, schedule)
        self.budget = budget
        self.charged = 0.0

    def run(self, depths: range, share: float) -> int:
        """Chains of the given depths, shallow first, within ``share`` of the budget left;
        the same share of the wall time left also stops it: on a busy machine the search
        after it still gets its time (like the deadline, the one case where a replay can
        differ). Returns the slots gained."""
        budget = self.budget
        cap = budget.spent + share * budget.left()
        wall = budget.clock() + share * (budget.deadline - budget.clock())

        def stop() -> bool:
            work = self.repair.checks * REPAIR_WORK_PER_CHECK
            budget.spent += work - self.charged
            self.charged = work
            return budget.spent >= cap or budget.exhausted() or budget.clock() >= wall

        gained = sum(self.repair.run(depth, stop) for depth in depths)
        stop()
        return gained


def _pick_focus(
    short: list[int], failures: Counter[int], rng: random.Random, tournament: int
) -> int:
    """A short shift to work around, preferring those that failed least so far: some
    shifts cannot be filled at all (nobody qualified is free that day) and retrying them
    uniformly wasted most steps on large problems."""
    drawn = [rng.choice(short) for _ in range(tournament)]
    return min(drawn, key=lambda shift: failures[shift])


def _neighbourhood(
    prepared: Prepared, window: list[int], focus: int, rng: random.Random, target: int
) -> list[Pair]:
    """Free pairs: the window's shifts, and if too many pairs, only linked artists."""
    candidates = prepared.candidates_by_shift
    if sum(len(candidates[shift]) for shift in window) <= target:
        return [(shift, artist) for shift in window for artist in candidates[shift]]
    artists = _linked_artists(prepared, window, focus, rng, target)
    return [
        (shift, artist) for shift in window for artist in candidates[shift] if artist in artists
    ]


def _linked_artists(
    prepared: Prepared, window: list[int], focus: int, rng: random.Random, target: int
) -> set[int]:
    """Breadth-first from the focus shift: its candidates, then the candidates of the
    window's shifts those artists could take, until about ``target`` pairs are free."""
    in_window = set(window)
    pairs_of: Counter[int] = Counter()
    for shift in window:
        pairs_of.update(prepared.candidates_by_shift[shift])
    chosen: set[int] = set()
    frontier = [focus]
    seen_shifts = {focus}
    total = 0
    while frontier and total < target:
        next_frontier: list[int] = []
        for shift in frontier:
            artists = [a for a in prepared.candidates_by_shift[shift] if a not in chosen]
            rng.shuffle(artists)
            for artist in artists:
                if total >= target:
                    break
                chosen.add(artist)
                total += pairs_of[artist]
                next_frontier.extend(
                    other
                    for other in prepared.candidates_by_artist[artist]
                    if other in in_window and other not in seen_shifts
                )
                seen_shifts.update(next_frontier)
        rng.shuffle(next_frontier)
        frontier = next_frontier
    return chosen


def _solve(
    prepared: Prepared,
    free: list[Pair],
    schedule: Schedule,
    budget: Budget,
    rng: random.Random,
    settings: LnsSettings,
    use_cost: bool,
) -> bool:
    """Re-optimise ``free`` around the rest of ``schedule`` (updated in place); True if
    the score improved.

    While shifts are short, the cost term is left out: it would make every neighbourhood
    slower to prove for a term that only breaks ties."""
    before = [pair for pair in free if pair in schedule.pairs]
    for pair in before:
        schedule.remove(*pair)
    sub = SubModel(prepared, free, schedule, use_cost=use_cost)
    sub.hint(set(before))
    parameters = cp_model.SatParameters()
    parameters.num_workers = 1
    parameters.cp_model_presolve = settings.presolve
    if not settings.probing:
        parameters.cp_model_probing_level = 0
    parameters.random_seed = rng.randrange(1 << 30)
    parameters.max_deterministic_time = max(0.01, min(settings.step_work, budget.left()))
    parameters.max_time_in_seconds = max(0.01, budget.deadline - budget.clock())
    result = sub.solve(parameters)
    budget.spent += result.deterministic_time + settings.overhead_per_step
    old_value = sum(sub.pair_value(pair) for pair in before)
    new_value = sum(sub.pair_value(pair) for pair in result.pairs) if result.found else -1
    chosen = sorted(result.pairs) if new_value >= old_value else before
    for pair in chosen:
        schedule.add(*pair)
    return new_value > old_value
