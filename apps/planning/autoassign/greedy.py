"""Greedy construction: the plain baseline of the benchmark and the hint given to CP-SAT.

Shifts are served scarcest first (fewest candidates per missing slot, then earliest), so
that the hard-to-staff ones are not starved by easy ones. For each shift the artists are
ranked by: inside their declared availability first, then the least versatile (fewest
candidate shifts overall, so versatile people stay free for what only they can do), then
the fewest minutes so far (spreads the work), then the cheapest day rate. One pass, no
backtracking: it runs in well under a second on the largest benchmark problem.
"""

from __future__ import annotations

from .prepare import Pair, Prepared
from .schedule import Schedule


def greedy_pairs(prepared: Prepared) -> set[Pair]:
    """Added pairs (locked excluded) of the greedy schedule; always respects every rule."""
    schedule = Schedule(prepared)
    versatility = [len(shifts) for shifts in prepared.candidates_by_artist]
    minutes = [0] * len(prepared.problem.artists)
    for shift in _shifts_by_scarcity(prepared):
        duration = prepared.problem.shifts[shift].window.seconds // 60
        ranked = sorted(
            prepared.candidates_by_shift[shift],
            key=lambda artist: (
                (shift, artist) in prepared.outside,
                versatility[artist],
                minutes[artist],
                prepared.cost[artist],
                artist,
            ),
        )
        for artist in ranked:
            if schedule.filled[shift] >= prepared.need[shift]:
                break
            if schedule.can_take(shift, artist):
                schedule.add(shift, artist)
                minutes[artist] += duration
    return schedule.pairs


def _shifts_by_scarcity(prepared: Prepared) -> list[int]:
    shifts = prepared.problem.shifts
    open_shifts = [shift for shift, need in enumerate(prepared.need) if need > 0]
    return sorted(
        open_shifts,
        key=lambda shift: (
            len(prepared.candidates_by_shift[shift]) / prepared.need[shift],
            shifts[shift].start,
            shift,
        ),
    )
