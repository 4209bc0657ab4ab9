"""Incremental schedule of added (non-locked) pairs with O(log n) feasibility checks.

Shared by the greedy construction, the final fill pass and the unfilled-reasons module. The
added shifts of one artist never conflict with each other, so their rest-extended intervals
are disjoint and sorted by start they are also sorted by end: only the two neighbours of a
new shift can conflict with it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from .prepare import Pair, Prepared


class Schedule:
    """Added pairs plus, per artist, sorted starts/ends and weekly seconds used."""

    def __init__(self, prepared: Prepared, pairs: Iterable[Pair] = ()) -> None:
        self.prepared = prepared
        self.pairs: set[Pair] = set()
        self.filled = [0] * len(prepared.problem.shifts)
        self._starts: list[list[int]] = [[] for _ in prepared.problem.artists]
        self._shifts: list[list[int]] = [[] for _ in prepared.problem.artists]
        self.week_used: dict[tuple[int, int], int] = defaultdict(int)
        for shift, artist in pairs:
            self.add(shift, artist)

    def neighbour_conflict(self, shift: int, artist: int) -> int | None:
        """An added shift of ``artist`` that conflicts with ``shift``, if any."""
        shifts = self.prepared.problem.shifts
        window = shifts[shift].window
        rest = self.prepared.rest
        position = bisect.bisect_left(self._starts[artist], window.start)
        own = self._shifts[artist]
        if position > 0 and window.start < shifts[own[position - 1]].end + rest:
            return own[position - 1]
        if position < len(own) and shifts[own[position]].start < window.end + rest:
            return own[position]
        return None

    def fits_week(self, shift: int, artist: int) -> bool:
        data = self.prepared.problem.shifts[shift]
        budget = self.prepared.week_budget_of(artist, data.week)
        if budget is None:
            return True
        return self.week_used[(artist, data.week)] + data.window.seconds <= budget

    def can_take(self, shift: int, artist: int) -> bool:
        """Whether adding the candidate pair keeps every rule (caller ensures eligibility)."""
        return (
            self.filled[shift] < self.prepared.need[shift]
            and (shift, artist) not in self.pairs
            and self.neighbour_conflict(shift, artist) is None
            and self.fits_week(shift, artist)
        )

    def add(self, shift: int, artist: int) -> None:
        data = self.prepared.problem.shifts[shift]
        position = bisect.bisect_left(self._starts[artist], data.start)
        self._starts[artist].insert(position, data.start)
        self._shifts[artist].insert(position, shift)
        self.week_used[(artist, data.week)] += data.window.seconds
        self.filled[shift] += 1
        self.pairs.add((shift, artist))

    def minutes_of(self, artist: int) -> int:
        shifts = self.prepared.problem.shifts
        return sum(shifts[shift].window.seconds for shift in self._shifts[artist]) // 60

    def fill(self) -> int:
        """Greedily add any candidate pair that still fits; returns how many were added.

        A time-limited solver may stop with a free artist next to a short shift; this pass
        makes the result maximal, so the unfilled reasons never say "nobody tried".
        """
        added = 0
        prepared = self.prepared
        for shift, artists in enumerate(prepared.candidates_by_shift):
            if self.filled[shift] >= prepared.need[shift]:
                continue
            ranked = sorted(artists, key=lambda artist: ((shift, artist) in prepared.outside,))
            for artist in ranked:
                if self.can_take(shift, artist):
                    self.add(shift, artist)
                    added += 1
        return added
