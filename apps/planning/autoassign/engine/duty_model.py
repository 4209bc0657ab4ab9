"""Rule 4 of version 2 (duty periods) in CP-SAT, exactly, for one artist at a time.

Two close shifts are no longer always incompatible, so version 1's cliques over the
rest-extended interval graph do not hold. The encoding, over the artist's free shifts
(Booleans ``x``) and the fixed ones around them (locked, or kept by the neighbourhood
search: constants), all sorted by start:

- **Pairs**: two free shifts that overlap (rule 3), or are less than ``rest`` apart with a
  span (or work) together over the limit, conflict: whatever lies between the latter, they
  would be one period. The conflict graph is covered by greedy cliques, one at-most-one
  each; it is what the LP relaxation and the propagation see first, and all a two-shift
  period needs.
- **Chains**: ``P(m)``, the shifts that end less than ``rest`` before ``m`` starts (and do
  not overlap it), are those whose selection makes ``m`` continue a duty period. A Boolean
  ``start_m`` may be true only if ``m`` starts one: ``start_m -> x_m`` and
  ``start_m -> not x_q`` for every ``q`` in ``P(m)``. A selected shift ``j``'s period begins
  at the latest true start at or before it, so its span is within the limit iff some start
  lies in ``[end_j - span, start_j]``: one clause ``x_j -> OR start_m`` per shift. This is
  exact (a valid schedule sets each ``start_m`` to "m starts a period"; an invalid one has a
  shift whose period began before the window, so every start in the window is false) and
  linear in size, unlike one cut per chain. It is only written for shifts that some chain
  of candidates could reach from before their window.
- **Work** (when ``max_duty_work`` is given): an integer ``work_m`` is at least the
  work of ``m``'s period up to ``m``: ``work_m >= len_m``, and ``work_m >= work_q + len_m``
  when ``x_m`` and ``x_q`` for ``q`` in ``P(m)`` (the previous shift of a period is in
  ``P(m)``), with ``work_m <= limit``. Only shifts whose window could hold more work than the
  limit (the union of the shifts that fit in it is longer), and the shifts of that window,
  get these variables: on real day sheets, few.

Fixed shifts that no chain of free shifts can reach are left out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .duty import DutyRules
from .problem import Window

Literal = cp_model.IntVar | bool


@dataclass
class DutyNode:
    """One shift of the artist in the model: a free Boolean or a fixed (always worked) one."""

    shift: int
    window: Window
    chosen: cp_model.IntVar | None
    """None for a fixed shift."""


@dataclass
class ArtistDuty:
    """The auxiliary variables written for one artist, kept to complete the hint."""

    nodes: list[DutyNode]
    starts: dict[int, cp_model.IntVar] = field(default_factory=dict)
    work: dict[int, cp_model.IntVar] = field(default_factory=dict)
    work_unit: int = 1


def add_artist_duty(
    model: cp_model.CpModel, duty: DutyRules, nodes: Sequence[DutyNode]
) -> ArtistDuty:
    """Write rules 3 and 4 for one artist's free and fixed shifts (see module doc)."""
    ordered = sorted(_reachable(nodes, duty.rest), key=lambda node: (node.window.start, node.shift))
    result = ArtistDuty(nodes=ordered)
    if not any(node.chosen is not None for node in ordered):
        return result
    _add_conflict_cliques(model, duty, ordered)
    before = _predecessors(ordered, duty.rest)
    earliest = _earliest_chain_start(ordered, before)
    _add_span_chains(model, duty, ordered, before, earliest, result)
    if duty.work is not None:
        _add_work_chains(model, duty, ordered, before, earliest, result)
    return result


def _reachable(nodes: Sequence[DutyNode], rest: int) -> list[DutyNode]:
    """Nodes in a chain of rest-extended intervals that holds at least one free node."""
    ordered = sorted(nodes, key=lambda node: (node.window.start, node.shift))
    kept: list[DutyNode] = []
    group: list[DutyNode] = []
    reach = None
    for node in ordered:
        if reach is not None and node.window.start >= reach:
            if any(member.chosen is not None for member in group):
                kept.extend(group)
            group = []
            reach = None
        group.append(node)
        reach = node.window.end + rest if reach is None else max(reach, node.window.end + rest)
    if any(member.chosen is not None for member in group):
        kept.extend(group)
    return kept


def _add_conflict_cliques(
    model: cp_model.CpModel, duty: DutyRules, ordered: list[DutyNode]
) -> None:
    """Overlaps and two-shift duty conflicts between free shifts, as at-most-one
    constraints over greedy cliques of that conflict graph (stronger and fewer than one
    clause per pair: the show conflicts with both the get-in and the load-in, which
    conflict with each other)."""
    free = [node for node in ordered if node.chosen is not None]
    adjacent: list[set[int]] = [set() for _ in free]
    later: list[list[int]] = [[] for _ in free]
    for index, first in enumerate(free):
        start, end = first.window.start, first.window.end
        for other in range(index + 1, len(free)):
            second = free[other].window
            if second.start >= end + duty.rest:
                break
            if (
                second.start < end
                or second.end - start > duty.span
                or (duty.work is not None and first.window.seconds + second.seconds > duty.work)
            ):
                later[index].append(other)
                adjacent[index].add(other)
                adjacent[other].add(index)
    for index, neighbours in enumerate(later):
        uncovered = list(neighbours)
        while uncovered:
            clique = [index]
            allowed = set(neighbours)
            for other in [uncovered[0], *neighbours]:
                if other in allowed:
                    clique.append(other)
                    allowed &= adjacent[other]
            model.add_at_most_one([_chosen(free[member]) for member in clique])
            covered = set(clique)
            uncovered = [other for other in uncovered if other not in covered]


def _predecessors(ordered: list[DutyNode], rest: int) -> list[list[int]]:
    """For each position, the earlier positions that end less than ``rest`` before it
    starts without overlapping it: their selection makes it continue a duty period."""
    starts = [node.window.start for node in ordered]
    longest = max((node.window.seconds for node in ordered), default=0)
    before: list[list[int]] = []
    for position, node in enumerate(ordered):
        start = node.window.start
        first = bisect.bisect_left(starts, start - rest - longest, 0, position)
        before.append(
            [
                other
                for other in range(first, position)
                if ordered[other].window.start < start
                and start - rest < ordered[other].window.end <= start
            ]
        )
    return before


def _earliest_chain_start(ordered: list[DutyNode], before: list[list[int]]) -> list[int]:
    earliest: list[int] = []
    for position, node in enumerate(ordered):
        earliest.append(min([node.window.start, *(earliest[other] for other in before[position])]))
    return earliest


def _start_literal(
    model: cp_model.CpModel,
    ordered: list[DutyNode],
    before: list[list[int]],
    position: int,
    result: ArtistDuty,
) -> Literal:
    """``start_m`` (created once), or False when a fixed shift always precedes ``m``."""
    if position in result.starts:
        return result.starts[position]
    if any(ordered[other].chosen is None for other in before[position]):
        return False
    node = ordered[position]
    if not before[position]:
        return True if node.chosen is None else node.chosen
    literal = model.new_bool_var(f"start{node.shift}")
    implied = [~_chosen(ordered[other]) for other in before[position]]
    if node.chosen is not None:
        implied.append(node.chosen)
    model.add_bool_and(implied).only_enforce_if(literal)
    result.starts[position] = literal
    return literal


def _window_positions(ordered: list[DutyNode], position: int, low: int) -> list[int]:
    """Earlier-or-same positions starting at or after ``low`` that do not overlap it."""
    node = ordered[position]
    first = position
    while first > 0 and ordered[first - 1].window.start >= low:
        first -= 1
    return [
        other
        for other in range(first, position + 1)
        if other == position or ordered[other].window.end <= node.window.start
    ]


def _add_span_chains(
    model: cp_model.CpModel,
    duty: DutyRules,
    ordered: list[DutyNode],
    before: list[list[int]],
    earliest: list[int],
    result: ArtistDuty,
) -> None:
    for position, node in enumerate(ordered):
        low = node.window.end - duty.span
        if earliest[position] >= low:
            continue
        literals: list[cp_model.IntVar] = []
        always = False
        for other in _window_positions(ordered, position, low):
            literal = _start_literal(model, ordered, before, other, result)
            if literal is True:
                always = True
            elif literal is not False:
                literals.append(literal)
        if always:
            continue
        if node.chosen is not None:
            model.add_bool_or([~node.chosen, *literals])
        elif literals:
            model.add_bool_or(literals)
        # A fixed shift with no possible start in its window cannot happen: the fixed
        # shifts form a valid schedule and free ones that would break it are pruned.


def _add_work_chains(
    model: cp_model.CpModel,
    duty: DutyRules,
    ordered: list[DutyNode],
    before: list[list[int]],
    earliest: list[int],
    result: ArtistDuty,
) -> None:
    limit = duty.work
    assert limit is not None
    members: set[int] = set()
    for position, node in enumerate(ordered):
        low = max(earliest[position], node.window.end - duty.span)
        if node.window.end - low <= limit:
            continue
        window = _window_positions(ordered, position, low)
        if _covered([ordered[other].window for other in window]) > limit:
            members.update(window)
    if not members:
        return
    durations = [ordered[position].window.seconds for position in members]
    unit = 60 if all(value % 60 == 0 for value in [*durations, limit]) else 1
    result.work_unit = unit
    for position in sorted(members):
        node = ordered[position]
        result.work[position] = model.new_int_var(
            node.window.seconds // unit, limit // unit, f"work{node.shift}"
        )
    for position in sorted(members):
        node = ordered[position]
        for other in before[position]:
            if other not in members:
                continue
            constraint = model.add(
                result.work[position] >= result.work[other] + node.window.seconds // unit
            )
            enforcement = [
                literal for literal in (node.chosen, ordered[other].chosen) if literal is not None
            ]
            if enforcement:
                constraint.only_enforce_if(enforcement)


def _covered(windows: list[Window]) -> int:
    """Seconds covered by the union of ``windows``: no selection of them, which cannot
    overlap, works longer."""
    total = 0
    reach: int | None = None
    for window in sorted(windows, key=lambda item: item.start):
        if reach is None or window.start >= reach:
            total += window.seconds
            reach = window.end
        elif window.end > reach:
            total += window.end - reach
            reach = window.end
    return total


def _chosen(node: DutyNode) -> cp_model.IntVar:
    assert node.chosen is not None
    return node.chosen


def hint_values(duty: DutyRules, artist: ArtistDuty, chosen: set[int]) -> list[tuple[int, int]]:
    """(variable index, value) of the auxiliary variables for a valid selection: the true
    period starts and the running work of each period."""
    worked = [
        position
        for position, node in enumerate(artist.nodes)
        if node.chosen is None or node.shift in chosen
    ]
    is_start: dict[int, bool] = {}
    running: dict[int, int] = {}
    previous_end: int | None = None
    total = 0
    for position in worked:
        window = artist.nodes[position].window
        starts = previous_end is None or window.start >= previous_end + duty.rest
        total = window.seconds if starts else total + window.seconds
        is_start[position] = starts
        running[position] = total
        previous_end = window.end
    values = [
        (literal.index, int(is_start.get(position, False)))
        for position, literal in artist.starts.items()
    ]
    for position, variable in artist.work.items():
        seconds = running.get(position, artist.nodes[position].window.seconds)
        values.append((variable.index, seconds // artist.work_unit))
    return values
