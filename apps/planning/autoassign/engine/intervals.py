"""Conflicts between shifts of one artist, as an interval graph.

Two shifts conflict for one artist when they overlap or when the gap between them is
shorter than the minimum rest. Extending every shift's end by the minimum rest turns both
rules into plain overlap of half-open intervals, so the conflict graph of an artist is an
interval graph. Its maximal cliques come out of one sweep over the sorted intervals, and
"at most one shift per maximal clique" is exactly the set of pairwise rules, with far fewer
and far stronger constraints than one per conflicting pair.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from .problem import Window


def conflicts(first: Window, second: Window, rest: int) -> bool:
    """True when one artist cannot work both shifts (overlap, or gap below ``rest``)."""
    return first.start < second.end + rest and second.start < first.end + rest


def maximal_cliques(windows: Sequence[Window], rest: int) -> list[list[int]]:
    """Maximal cliques (as positions into ``windows``) of the rest-extended interval graph.

    Sweep by start; a clique is complete just before the first interval leaves after an
    arrival. Only cliques of two or more intervals are returned: a single shift needs no
    constraint. Intervals are half-open, so ``end + rest == start`` is no conflict.
    """
    order = sorted(range(len(windows)), key=lambda position: windows[position].start)
    active: list[tuple[int, int]] = []  # heap of (extended end, position)
    members: set[int] = set()
    cliques: list[list[int]] = []
    arrived_since_emit = False
    for position in order:
        start = windows[position].start
        while active and active[0][0] <= start:
            if arrived_since_emit:
                _emit(cliques, members)
                arrived_since_emit = False
            members.discard(heapq.heappop(active)[1])
        heapq.heappush(active, (windows[position].end + rest, position))
        members.add(position)
        arrived_since_emit = True
    if arrived_since_emit:
        _emit(cliques, members)
    return cliques


def _emit(cliques: list[list[int]], members: set[int]) -> None:
    if len(members) >= 2:
        cliques.append(sorted(members))
