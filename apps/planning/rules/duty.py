"""Duty periods: the working days of French daily rest, for one artist.

Take one artist's assignments in order of start. Two consecutive ones belong to the same
duty period when the later one starts less than ``min_rest`` after the latest end so far
(the gap is a break, not a rest; an overlap also joins them). A duty period runs from the
start of its first shift to the end of its last: its *span*. Its *work* is the sum of its
shifts' worked hours (real elapsed time minus breaks).

Daily rest is the gap *between* duty periods, which is at least ``min_rest`` by
construction; what ``min_rest`` refuses is a duty period that spans more than
24 h − ``min_rest`` (13 h with the default 11 h), since the rest of the 24 hours can then
no longer hold the rest. So get-in 08:00–12:00 + rehearsal 13:00–18:00 is one duty period
of 10 h (fine), while three shifts can break the rule though every two of them respect it
(00:00–02:00, 08:00–12:00, 13:00–15:00: one duty period of 15 h).

The grouping uses the organization's ``min_rest_hours`` even when the ``min_rest`` rule is
switched off, so ``daily_hours`` keeps counting working days. Instants are compared in
UTC, so a duty period across a daylight-saving change has its real length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.planning.rules.catalog import CATALOG
from apps.planning.rules.facts import AssignmentFact, RuleConfig
from apps.planning.rules.wording import worked_hours

DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class DutyPeriod:
    """Consecutive assignments of one artist separated by less than the minimum rest."""

    assignments: tuple[AssignmentFact, ...]
    start_at: datetime
    end_at: datetime

    @property
    def span(self) -> timedelta:
        return self.end_at - self.start_at

    @property
    def work_hours(self) -> float:
        return sum(
            worked_hours(item.start_at, item.end_at, item.break_minutes)
            for item in self.assignments
        )

    def crossing(self, limit: timedelta) -> AssignmentFact:
        """The first assignment whose end takes the span beyond ``limit`` (the badge)."""
        for assignment in self.assignments:
            if assignment.end_at - self.start_at > limit:
                return assignment
        return self.assignments[-1]


def min_rest_of(rules: Mapping[str, RuleConfig]) -> timedelta:
    """The organization's minimum daily rest, whether or not the rule reports conflicts."""
    config = rules.get("min_rest") or CATALOG["min_rest"].default_config()
    return timedelta(hours=config.param("min_rest_hours"))


def max_span(min_rest: timedelta) -> timedelta:
    """The longest duty period that leaves ``min_rest`` in 24 hours."""
    return DAY - min_rest


def duty_periods(assignments: Sequence[AssignmentFact], min_rest: timedelta) -> list[DutyPeriod]:
    """One sweep over an artist's assignments sorted by ``(start_at, end_at)``."""
    periods: list[DutyPeriod] = []
    current: list[AssignmentFact] = []
    end: datetime | None = None
    for assignment in assignments:
        if end is not None and assignment.start_at - end >= min_rest:
            periods.append(DutyPeriod(tuple(current), current[0].start_at, end))
            current, end = [], None
        current.append(assignment)
        end = assignment.end_at if end is None else max(end, assignment.end_at)
    if current and end is not None:
        periods.append(DutyPeriod(tuple(current), current[0].start_at, end))
    return periods
