"""Split a problem into parts that cannot influence each other.

Two shifts interact only through an artist who is a candidate for both and for whom they
conflict (a chain of overlapping rest-extended intervals) or share a local week whose cap
could bind. Shifts joined by no such chain are independent: each part is solved on its own
with its share of the time, and small parts are proven optimal outright. Crews of different
regions or trades, or productions months apart, split this way. With duty periods
(version 2) an artist's locked shifts join the chains too: two candidates on either side of
a locked shift can make one duty period through it.
"""

from __future__ import annotations

from collections import defaultdict

from .prepare import Prepared


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        self.parent[self.find(first)] = self.find(second)


def independent_parts(prepared: Prepared) -> list[list[int]]:
    """Lists of open shift indices (with candidates), largest part first, deterministic."""
    shifts = prepared.problem.shifts
    links = _UnionFind(len(shifts))
    for artist, own in enumerate(prepared.candidates_by_artist):
        if prepared.duty is not None and prepared.locked_by_artist[artist]:
            chain = sorted(
                {*own, *prepared.locked_by_artist[artist]},
                key=lambda shift: (prepared.start[shift], shift),
            )
            _link_rest_chains(prepared, tuple(chain), links)
        else:
            _link_rest_chains(prepared, own, links)
        _link_binding_weeks(prepared, artist, own, links)
    parts: dict[int, list[int]] = defaultdict(list)
    for shift, candidates in enumerate(prepared.candidates_by_shift):
        if candidates:
            parts[links.find(shift)].append(shift)
    return sorted(parts.values(), key=lambda part: (-len(part), part[0]))


def _link_rest_chains(prepared: Prepared, own: tuple[int, ...], links: _UnionFind) -> None:
    """Join consecutive candidates (sorted by start) whose extended intervals touch."""
    shifts = prepared.problem.shifts
    reach = -1
    previous = -1
    for shift in own:
        if previous >= 0 and shifts[shift].start < reach:
            links.union(previous, shift)
        reach = max(reach, shifts[shift].end + prepared.rest)
        previous = shift


def _link_binding_weeks(
    prepared: Prepared, artist: int, own: tuple[int, ...], links: _UnionFind
) -> None:
    if prepared.week_cap is None:
        return
    shifts = prepared.problem.shifts
    by_week: dict[int, list[int]] = defaultdict(list)
    for shift in own:
        by_week[shifts[shift].week].append(shift)
    for week, members in by_week.items():
        budget = prepared.week_budget_of(artist, week)
        assert budget is not None
        if sum(shifts[shift].window.seconds for shift in members) > budget:
            for shift in members[1:]:
                links.union(members[0], shift)
