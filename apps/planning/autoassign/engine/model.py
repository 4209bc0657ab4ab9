"""The CP-SAT model of the engine, over any subset of free pairs around fixed ones.

The same builder serves the whole problem (nothing fixed) and a neighbourhood of the
large-neighbourhood search (everything outside a time window fixed). Rules become:

- version 1: one at-most-one per maximal clique of each artist's rest-extended interval
  graph (overlap and minimum rest together, see ``intervals``); version 2: overlap
  cliques, two-shift duty conflicts and the exact duty-period chains of ``duty_model``;
- one linear constraint per artist and local week, only where the candidates of that
  week could exceed what the cap leaves after locked and fixed minutes;
- one headcount constraint per shift, only where candidates outnumber the open slots.

The lexicographic score is a single weighted sum in which one more filled slot is worth
more than any number of availability penalties, and one penalty more than any total cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .duty_model import ArtistDuty, DutyNode, add_artist_duty, hint_values
from .intervals import maximal_cliques
from .prepare import Pair, Prepared
from .problem import Window
from .schedule import Schedule


@dataclass(frozen=True)
class Weights:
    """Objective weights making coverage > availability > cost lexicographic."""

    filled: int
    outside: int
    use_cost: bool


@dataclass(frozen=True)
class SubResult:
    """Outcome of one CP-SAT run: the chosen free pairs and what the solver proved."""

    pairs: frozenset[Pair]
    found: bool
    optimal: bool
    objective: float
    bound: float
    deterministic_time: float


class SubModel:
    """A CP-SAT model deciding ``free`` pairs while ``fixed`` pairs stay as they are."""

    def __init__(
        self, prepared: Prepared, free: Iterable[Pair], fixed: Schedule, use_cost: bool
    ) -> None:
        self.prepared = prepared
        self.fixed = fixed
        self.free = self._prune(free)
        self.model = cp_model.CpModel()
        self.variables: dict[Pair, cp_model.IntVar] = {
            pair: self.model.new_bool_var(f"x{pair[0]}_{pair[1]}") for pair in self.free
        }
        self.duty: dict[int, ArtistDuty] = {}
        self._add_headcount()
        if prepared.duty is None:
            self._add_cliques()
        else:
            self._add_duty()
        self._add_week_caps()
        self.weights = self._weights(use_cost)
        self._add_objective()

    def _prune(self, free: Iterable[Pair]) -> list[Pair]:
        """Drop pairs that the fixed pairs already rule out (conflict, week, full shift)."""
        fixed = self.fixed
        kept = [
            (shift, artist)
            for shift, artist in free
            if (shift, artist) not in fixed.pairs
            and fixed.filled[shift] < self.prepared.need[shift]
            and fixed.fits_rest(shift, artist)
            and fixed.fits_week(shift, artist)
        ]
        return sorted(kept)

    def _add_headcount(self) -> None:
        by_shift: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (shift, _), variable in self.variables.items():
            by_shift[shift].append(variable)
        for shift, variables in by_shift.items():
            open_slots = self.prepared.need[shift] - self.fixed.filled[shift]
            if len(variables) > open_slots:
                if open_slots == 1:
                    self.model.add_at_most_one(variables)
                else:
                    self.model.add(cp_model.LinearExpr.sum(variables) <= open_slots)

    def _by_artist(self) -> dict[int, list[int]]:
        shifts_of: dict[int, list[int]] = defaultdict(list)
        for shift, artist in self.free:
            shifts_of[artist].append(shift)
        return shifts_of

    def _add_cliques(self) -> None:
        shifts = self.prepared.problem.shifts
        for artist, own in self._by_artist().items():
            own.sort(key=lambda shift: self.prepared.start[shift])
            windows = [shifts[shift].window for shift in own]
            for clique in maximal_cliques(windows, self.prepared.rest):
                self.model.add_at_most_one(self.variables[(own[i], artist)] for i in clique)

    def _add_duty(self) -> None:
        """Version 2: per artist, free shifts with the fixed shifts they can chain to."""
        prepared = self.prepared
        assert prepared.duty is not None
        for artist, own in self._by_artist().items():
            nodes = [
                DutyNode(shift, self._window(shift), self.variables[(shift, artist)])
                for shift in own
            ]
            nodes += [
                DutyNode(shift, self._window(shift), None) for shift in self.fixed.shifts_of(artist)
            ]
            self.duty[artist] = add_artist_duty(self.model, prepared.duty, nodes)

    def _window(self, shift: int) -> Window:
        return Window(self.prepared.start[shift], self.prepared.end[shift])

    def _add_week_caps(self) -> None:
        if self.prepared.week_cap is None:
            return
        shifts = self.prepared.problem.shifts
        for artist, own in self._by_artist().items():
            by_week: dict[int, list[int]] = defaultdict(list)
            for shift in own:
                by_week[shifts[shift].week].append(shift)
            for week, week_shifts in by_week.items():
                budget = self.prepared.week_budget_of(artist, week)
                assert budget is not None
                budget -= self.fixed.week_used[(artist, week)]
                durations = [shifts[shift].window.seconds for shift in week_shifts]
                if sum(durations) <= budget:
                    continue
                unit = 60 if all(duration % 60 == 0 for duration in durations) else 1
                variables = [self.variables[(shift, artist)] for shift in week_shifts]
                weights = [duration // unit for duration in durations]
                self.model.add(
                    cp_model.LinearExpr.weighted_sum(variables, weights) <= budget // unit
                )

    def _weights(self, use_cost: bool) -> Weights:
        slots = sum(self.prepared.need[s] - self.fixed.filled[s] for s in {s for s, _ in self.free})
        top_cost = max((self.prepared.cost[a] for _, a in self.free), default=0) if use_cost else 0
        outside = slots * top_cost + 1
        return Weights(filled=outside * (slots + 1), outside=outside, use_cost=use_cost)

    def pair_value(self, pair: Pair) -> int:
        """Objective contribution of choosing ``pair`` (the same formula for every solver)."""
        value = self.weights.filled
        if pair in self.prepared.outside:
            value -= self.weights.outside
        if self.weights.use_cost:
            value -= self.prepared.cost[pair[1]]
        return value

    def _add_objective(self) -> None:
        pairs = list(self.variables)
        self.model.maximize(
            cp_model.LinearExpr.weighted_sum(
                [self.variables[pair] for pair in pairs], [self.pair_value(pair) for pair in pairs]
            )
        )

    def polish_cost(self, score_pairs: frozenset[Pair]) -> None:
        """Turn the model into stage two: keep the coverage and availability reached by
        ``score_pairs`` (proven optimal) and minimise the total day rate instead. Doing it
        as a second stage keeps the first proof fast: a cost term in the same objective
        makes CP-SAT prove every cost tie-break too, which it cannot do in seconds."""
        chosen = list(self.variables.values())
        outside = [
            variable for pair, variable in self.variables.items() if pair in self.prepared.outside
        ]
        self.model.add(cp_model.LinearExpr.sum(chosen) >= len(score_pairs))
        self.model.add(cp_model.LinearExpr.sum(outside) <= len(score_pairs & self.prepared.outside))
        pairs = list(self.variables)
        self.model.minimize(
            cp_model.LinearExpr.weighted_sum(
                [self.variables[pair] for pair in pairs],
                [self.prepared.cost[pair[1]] for pair in pairs],
            )
        )
        self.hint(set(score_pairs))

    def hint(self, pairs: set[Pair]) -> None:
        """A complete hint (every variable), so CP-SAT starts from a known valid schedule."""
        hint = self.model.proto.solution_hint
        hint.vars.extend(variable.index for variable in self.variables.values())
        hint.values.extend(int(pair in pairs) for pair in self.variables)
        duty = self.prepared.duty
        if duty is None:
            return
        chosen: dict[int, set[int]] = defaultdict(set)
        for shift, artist in pairs:
            chosen[artist].add(shift)
        for artist, encoded in self.duty.items():
            for index, value in hint_values(duty, encoded, chosen[artist]):
                hint.vars.append(index)
                hint.values.append(value)

    def solve(
        self,
        parameters: cp_model.SatParameters,
        on_solution: Callable[[float], None] | None = None,
    ) -> SubResult:
        solver = cp_model.CpSolver()
        solver.parameters.copy_from(parameters)
        callback = _Progress(on_solution) if on_solution is not None else None
        status = solver.solve(self.model, callback)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        chosen = frozenset(
            pair for pair, variable in self.variables.items() if found and solver.value(variable)
        )
        return SubResult(
            pairs=chosen,
            found=found,
            optimal=status == cp_model.OPTIMAL,
            objective=solver.objective_value if found else 0.0,
            bound=solver.best_objective_bound if found else 0.0,
            deterministic_time=solver.deterministic_time,
        )


class _Progress(cp_model.CpSolverSolutionCallback):
    """Forwards each improving objective to the caller (used for the job's progress bar)."""

    def __init__(self, report: Callable[[float], None]) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.objective_value)
