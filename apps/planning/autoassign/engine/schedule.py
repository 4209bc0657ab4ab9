"""Incremental schedule of added (non-locked) pairs with O(log n) feasibility checks.

Shared by the greedy construction, the models (as the fixed part around a neighbourhood),
the large-neighbourhood search and the final fill pass. The added shifts of one artist
never conflict with each other, so their rest-extended intervals are disjoint and, sorted
by start, also sorted by end: only the two neighbours of a new shift can conflict with it.

With duty periods (version 2) the per-artist lists also hold the artist's locked shifts,
since a new shift can join them into one duty period; the check then walks out from the
new shift's place over the breaks (a duty period holds a handful of shifts at most).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from .prepare import Pair, Prepared


class Schedule:
    """Added pairs plus, per artist, sorted starts and weekly seconds used."""

    def __init__(self, prepared: Prepared, pairs: Iterable[Pair] = ()) -> None:
        self.prepared = prepared
        self.pairs: set[Pair] = set()
        self.filled = [0] * len(prepared.problem.shifts)
        self._starts: list[list[int]] = [[] for _ in prepared.problem.artists]
        self._shifts: list[list[int]] = [[] for _ in prepared.problem.artists]
        self.week_used: dict[tuple[int, int], int] = defaultdict(int)
        if prepared.duty is not None:
            for artist, locked in enumerate(prepared.locked_by_artist):
                self._shifts[artist] = list(locked)
                self._starts[artist] = [prepared.start[shift] for shift in locked]
        for shift, artist in pairs:
            self.add(shift, artist)

    def shifts_of(self, artist: int) -> list[int]:
        """The artist's shifts in order of start: added ones, and locked ones with duty
        periods."""
        return self._shifts[artist]

    def fits_rest(self, shift: int, artist: int) -> bool:
        """Rules 3 and 4 with the artist's other shifts (rest or duty periods)."""
        if self.prepared.duty is None:
            return self.neighbour_conflict(shift, artist) is None
        return self.duty_fits(shift, artist)

    def joins_period(self, shift: int, artist: int) -> bool:
        """With duty periods: whether the shift would continue one of the artist's duty
        periods (a split day) rather than open a new one, which costs a rest."""
        prepared = self.prepared
        if prepared.duty is None:
            return False
        own = self._shifts[artist]
        position = bisect.bisect_left(self._starts[artist], prepared.start[shift])
        rest = prepared.duty.rest
        if position > 0 and prepared.start[shift] < prepared.end[own[position - 1]] + rest:
            return True
        return position < len(own) and prepared.start[own[position]] < prepared.end[shift] + rest

    def duty_fits(self, shift: int, artist: int) -> bool:
        """No overlap with a neighbour, and the duty period the shift joins stays valid.

        The hot path of the greedy and of the repair: plain arithmetic on the period's
        first start, last end and work, the same rule as ``DutyRules.breach``."""
        prepared = self.prepared
        duty = prepared.duty
        assert duty is not None
        ends = prepared.end
        own = self._shifts[artist]
        starts = self._starts[artist]
        start, end = prepared.start[shift], ends[shift]
        position = bisect.bisect_left(starts, start)
        if position > 0 and ends[own[position - 1]] > start:
            return False
        if position < len(own) and starts[position] < end:
            return False
        rest = duty.rest
        first, last, work = start, end, end - start
        earlier = start
        for index in range(position - 1, -1, -1):
            other_end = ends[own[index]]
            if earlier >= other_end + rest:
                break
            earlier = starts[index]
            work += other_end - earlier
            first = min(first, earlier)
            last = max(last, other_end)
        later = end
        for index in range(position, len(own)):
            other_start = starts[index]
            if other_start >= later + rest:
                break
            later = ends[own[index]]
            work += later - other_start
            first = min(first, other_start)
            last = max(last, later)
        if last - first > duty.span:
            return False
        return duty.work is None or work <= duty.work

    def neighbour_conflict(self, shift: int, artist: int) -> int | None:
        """An added shift of ``artist`` that conflicts with ``shift``, if any."""
        prepared = self.prepared
        start, end, rest = prepared.start[shift], prepared.end[shift], prepared.rest
        position = bisect.bisect_left(self._starts[artist], start)
        own = self._shifts[artist]
        if position > 0 and start < prepared.end[own[position - 1]] + rest:
            return own[position - 1]
        if position < len(own) and prepared.start[own[position]] < end + rest:
            return own[position]
        return None

    def fits_week(self, shift: int, artist: int) -> bool:
        week = self.prepared.week[shift]
        budget = self.prepared.week_budget_of(artist, week)
        if budget is None:
            return True
        seconds = self.prepared.end[shift] - self.prepared.start[shift]
        return self.week_used[(artist, week)] + seconds <= budget

    def can_take(self, shift: int, artist: int) -> bool:
        """Whether adding the candidate pair keeps every rule (caller ensures eligibility)."""
        return (
            self.filled[shift] < self.prepared.need[shift]
            and (shift, artist) not in self.pairs
            and self.fits_rest(shift, artist)
            and self.fits_week(shift, artist)
        )

    def add(self, shift: int, artist: int) -> None:
        start = self.prepared.start[shift]
        position = bisect.bisect_left(self._starts[artist], start)
        self._starts[artist].insert(position, start)
        self._shifts[artist].insert(position, shift)
        self.week_used[(artist, self.prepared.week[shift])] += self.prepared.end[shift] - start
        self.filled[shift] += 1
        self.pairs.add((shift, artist))

    def remove(self, shift: int, artist: int) -> None:
        position = self._shifts[artist].index(shift)
        del self._starts[artist][position]
        del self._shifts[artist][position]
        start = self.prepared.start[shift]
        self.week_used[(artist, self.prepared.week[shift])] -= self.prepared.end[shift] - start
        self.filled[shift] -= 1
        self.pairs.discard((shift, artist))

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
