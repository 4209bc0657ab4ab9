"""Index a problem for solving: eligible candidate pairs, locked pairs and rule budgets.

Everything the solvers share is computed once here. Pruning is what keeps the models small:
a pair is a candidate only if the artist has every skill, is not absent, is not locked on
the shift already, does not conflict with one of its own locked shifts, and the shift still
fits the artist's weekly budget left by locked minutes. Locked pairs are kept as they are,
whatever they break; removing the candidates they conflict with is what guarantees that
the engine never makes a broken situation worse.

With duty periods (version 2), "conflicts with its own locked shifts" means: overlaps one,
or would join the locked shifts around it into a duty period that breaks rule 4 (which
includes joining a locked period that already breaks it). A shift longer than the limits
on its own is no candidate at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .duty import DutyRules, duty_rules, period_with
from .intervals import conflicts
from .problem import Problem, Window

Pair = tuple[int, int]
"""(shift index, artist index)."""


@dataclass(frozen=True)
class Prepared:
    """A problem in index form. Shift and artist indices follow ``problem`` order."""

    problem: Problem
    rest: int
    week_cap: int | None
    need: tuple[int, ...]
    candidates_by_artist: tuple[tuple[int, ...], ...]
    candidates_by_shift: tuple[tuple[int, ...], ...]
    locked: tuple[Pair, ...]
    week_budget: dict[tuple[int, int], int]
    outside: frozenset[Pair]
    cost: tuple[int, ...]
    start: tuple[int, ...] = ()
    end: tuple[int, ...] = ()
    week: tuple[int, ...] = ()
    shift_index: dict[str, int] = field(default_factory=dict)
    artist_index: dict[str, int] = field(default_factory=dict)
    duty: DutyRules | None = None
    locked_by_artist: tuple[tuple[int, ...], ...] = ()
    """Locked shift indices of each artist, sorted by start (used with duty periods)."""

    @property
    def candidate_count(self) -> int:
        return sum(len(shifts) for shifts in self.candidates_by_artist)

    def week_budget_of(self, artist: int, week: int) -> int | None:
        """Seconds the artist may still work in a local week, or None without a cap."""
        if self.week_cap is None:
            return None
        return self.week_budget.get((artist, week), self.week_cap)


def prepare(problem: Problem) -> Prepared:
    """Compute candidates and budgets; see the module docstring for the pruning rules."""
    shift_index = {shift.id: index for index, shift in enumerate(problem.shifts)}
    artist_index = {artist.id: index for index, artist in enumerate(problem.artists)}
    locked = tuple((shift_index[s], artist_index[a]) for s, a in problem.locked)
    locked_count = [0] * len(problem.shifts)
    for shift, _ in locked:
        locked_count[shift] += 1
    need = tuple(
        max(0, shift.headcount - count)
        for shift, count in zip(problem.shifts, locked_count, strict=True)
    )
    week_cap = problem.rules.max_week_seconds
    week_budget = _week_budgets(problem, locked, week_cap)
    duty = duty_rules(problem.rules)
    by_artist = _candidates(problem, locked, need, week_cap, week_budget, duty)
    by_shift: list[list[int]] = [[] for _ in problem.shifts]
    for artist, shifts in enumerate(by_artist):
        for shift in shifts:
            by_shift[shift].append(artist)
    return Prepared(
        problem=problem,
        rest=problem.rules.min_rest_seconds,
        week_cap=week_cap,
        need=need,
        candidates_by_artist=tuple(tuple(shifts) for shifts in by_artist),
        candidates_by_shift=tuple(tuple(artists) for artists in by_shift),
        locked=locked,
        week_budget=week_budget,
        outside=_outside_pairs(problem, by_artist),
        cost=tuple(round(artist.day_rate or 0) for artist in problem.artists),
        start=tuple(shift.start for shift in problem.shifts),
        end=tuple(shift.end for shift in problem.shifts),
        week=tuple(shift.week for shift in problem.shifts),
        shift_index=shift_index,
        artist_index=artist_index,
        duty=duty,
        locked_by_artist=_locked_by_artist(problem, locked),
    )


def _locked_by_artist(problem: Problem, locked: tuple[Pair, ...]) -> tuple[tuple[int, ...], ...]:
    own: list[list[int]] = [[] for _ in problem.artists]
    for shift, artist in locked:
        own[artist].append(shift)
    return tuple(
        tuple(sorted(shifts, key=lambda shift: (problem.shifts[shift].start, shift)))
        for shifts in own
    )


def _week_budgets(
    problem: Problem, locked: tuple[Pair, ...], week_cap: int | None
) -> dict[tuple[int, int], int]:
    """Cap minus locked seconds, for each (artist, week) that has locked shifts."""
    if week_cap is None:
        return {}
    budget: dict[tuple[int, int], int] = {}
    for shift_position, artist in locked:
        shift = problem.shifts[shift_position]
        key = (artist, shift.week)
        budget[key] = budget.get(key, week_cap) - shift.window.seconds
    return budget


def _candidates(
    problem: Problem,
    locked: tuple[Pair, ...],
    need: tuple[int, ...],
    week_cap: int | None,
    week_budget: dict[tuple[int, int], int],
    duty: DutyRules | None,
) -> list[list[int]]:
    """Per artist, candidate shift indices sorted by start (ties by index)."""
    locked_shifts: dict[int, list[int]] = defaultdict(list)
    for locked_shift, locked_artist in locked:
        locked_shifts[locked_artist].append(locked_shift)
    locked_set = set(locked)
    rest = problem.rules.min_rest_seconds
    shifts = problem.shifts
    by_skill = _artists_by_skill(problem)
    everyone = (1 << len(problem.artists)) - 1
    by_artist: list[list[int]] = [[] for _ in problem.artists]
    for position, shift in enumerate(shifts):
        if need[position] == 0:
            continue
        qualified = everyone
        for skill in shift.skills:
            qualified &= by_skill.get(skill, 0)
        for artist in _bits(qualified):
            if (position, artist) in locked_set:
                continue
            absences = problem.artists[artist].unavailable
            if absences and problem.artists[artist].is_absent_during(shift.window):
                continue
            if week_cap is not None:
                budget = week_budget.get((artist, shift.week), week_cap)
                if shift.window.seconds > budget:
                    continue
            own_locked = locked_shifts.get(artist)
            if duty is not None:
                if _breaks_duty(duty, shift.window, [shifts[s].window for s in own_locked or ()]):
                    continue
            elif own_locked and any(
                conflicts(shifts[other].window, shift.window, rest) for other in own_locked
            ):
                continue
            by_artist[artist].append(position)
    for candidates in by_artist:
        candidates.sort(key=lambda position: (shifts[position].start, position))
    return by_artist


def _breaks_duty(duty: DutyRules, window: Window, locked: list[Window]) -> bool:
    """Whether taking ``window`` overlaps a locked shift or makes a bad duty period with
    the locked shifts alone (more shifts can only make that period longer)."""
    if duty.single_breach(window) is not None:
        return True
    if not locked:
        return False
    if any(other.overlaps(window) for other in locked):
        return True
    ordered = sorted(locked, key=lambda other: other.start)
    return duty.breach(period_with(ordered, window, duty.rest)) is not None


def _artists_by_skill(problem: Problem) -> dict[str, int]:
    """Bitset of artist indices per skill: intersecting them is fast even for big crews."""
    masks: dict[str, int] = defaultdict(int)
    for index, artist in enumerate(problem.artists):
        for skill in artist.skills:
            masks[skill] |= 1 << index
    return dict(masks)


def _bits(mask: int) -> list[int]:
    positions: list[int] = []
    while mask:
        low = mask & -mask
        positions.append(low.bit_length() - 1)
        mask ^= low
    return positions


def _outside_pairs(problem: Problem, by_artist: list[list[int]]) -> frozenset[Pair]:
    pairs: set[Pair] = set()
    for artist_position, shift_positions in enumerate(by_artist):
        artist = problem.artists[artist_position]
        if artist.available is None:
            continue
        for shift in shift_positions:
            if artist.is_outside_availability(problem.shifts[shift].window):
                pairs.add((shift, artist_position))
    return frozenset(pairs)
