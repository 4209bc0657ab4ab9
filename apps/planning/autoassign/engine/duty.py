"""Duty periods (rule 4 of ``crew-autoassign/2``) on one artist's shifts.

Take an artist's shifts in order of start: two consecutive shifts belong to one duty period
when the later one starts less than ``rest`` after the end of the earlier one. A period's
span runs from its first start to its last end; its work is the sum of its shift lengths.
Every solver, the schedule's incremental checks, the validator and the unfilled reasons
read the rule from here, so there is one definition of "fits".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .problem import Rules, Window

Breach = Literal["duty_span", "duty_work"]


@dataclass(frozen=True)
class DutyRules:
    """Rule 4 of version 2 in seconds; ``work`` is None when no work limit is given."""

    rest: int
    span: int
    work: int | None

    def breach(self, windows: Sequence[Window]) -> Breach | None:
        """What one duty period (its shifts, in any order) breaks, if anything."""
        if not windows:
            return None
        first = min(window.start for window in windows)
        last = max(window.end for window in windows)
        if last - first > self.span:
            return "duty_span"
        if self.work is not None and sum(window.seconds for window in windows) > self.work:
            return "duty_work"
        return None

    def single_breach(self, window: Window) -> Breach | None:
        """What one shift alone breaks (a shift longer than the limits can never be taken)."""
        return self.breach((window,))


def duty_rules(rules: Rules) -> DutyRules | None:
    """The duty rule of a problem, or None (version 1, or no ``min_rest_minutes``)."""
    span = rules.max_duty_span_seconds
    if span is None:
        return None
    return DutyRules(rest=rules.min_rest_seconds, span=span, work=rules.max_duty_work_seconds)


def periods(windows: Sequence[Window], rest: int) -> list[list[int]]:
    """Duty periods as lists of positions into ``windows``, each in order of start."""
    order = sorted(range(len(windows)), key=lambda position: windows[position].start)
    groups: list[list[int]] = []
    previous_end: int | None = None
    for position in order:
        if previous_end is None or windows[position].start >= previous_end + rest:
            groups.append([])
        groups[-1].append(position)
        previous_end = windows[position].end
    return groups


def period_with(ordered: Sequence[Window], added: Window, rest: int) -> list[Window]:
    """The duty period that ``added`` would belong to among ``ordered`` (sorted by start,
    not containing ``added``): walk out from its place while the gaps are breaks."""
    position = _insertion_point(ordered, added.start)
    members = [added]
    earlier = added
    for index in range(position - 1, -1, -1):
        if earlier.start >= ordered[index].end + rest:
            break
        members.append(ordered[index])
        earlier = ordered[index]
    later = added
    for index in range(position, len(ordered)):
        if ordered[index].start >= later.end + rest:
            break
        members.append(ordered[index])
        later = ordered[index]
    return members


def _insertion_point(ordered: Sequence[Window], start: int) -> int:
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if ordered[middle].start < start:
            low = middle + 1
        else:
            high = middle
    return low


def describe_hours(seconds: int) -> str:
    """780 minutes as ``13 h``, 750 as ``12 h 30``."""
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h" if minutes == 0 else f"{hours} h {minutes:02d}"
