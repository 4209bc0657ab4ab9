"""Double booking and daily rest: one sweep over an artist's assignments sorted by start.

Double booking: the sweep keeps the assignment that ends last so far (the *holder*); the
next assignment overlaps it when it starts before the holder ends (a short shift nested
inside a long one must not hide the long one's late end).

Daily rest (``min_rest``): the same sorted list is cut into duty periods
(``rules.duty``); a duty period that spans more than 24 h − ``min_rest`` is one conflict
naming all its shifts. Both are O(n) after the sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo

from apps.planning.rules.catalog import enabled
from apps.planning.rules.duty import DutyPeriod, duty_periods, max_span, min_rest_of
from apps.planning.rules.facts import AssignmentFact, Conflict, RuleConfig


def sweep_conflicts(
    assignments: Sequence[AssignmentFact], rules: Mapping[str, RuleConfig], zone: tzinfo
) -> list[Conflict]:
    """``assignments``: one artist's, sorted by ``(start_at, end_at)``."""
    found: list[Conflict] = []
    double_booking = enabled(rules, "double_booking")
    if double_booking is not None:
        holder: AssignmentFact | None = None
        for current in assignments:
            if holder is not None and current.start_at < holder.end_at:
                found.append(_double_booking(double_booking, current, holder))
            if holder is None or current.end_at > holder.end_at:
                holder = current
    rest = enabled(rules, "min_rest")
    if rest is not None:
        min_rest = min_rest_of(rules)
        limit = max_span(min_rest)
        for period in duty_periods(assignments, min_rest):
            if period.span > limit:
                found.append(_min_rest(rest, period))
    return found


def _double_booking(config: RuleConfig, current: AssignmentFact, other: AssignmentFact) -> Conflict:
    details = {
        "artist_id": current.artist_id,
        "assignment_id": current.key,
        "shift_id": current.shift_key,
        "start_at": current.start_at,
        "end_at": current.end_at,
        "other_assignment_id": other.key,
        "other_shift_id": other.shift_key,
        "other_start_at": other.start_at,
        "other_end_at": other.end_at,
    }
    return Conflict.of(
        config,
        "",
        details,
        at=current.start_at,
        assignments=(current.key, other.key),
        shifts=(current.shift_key, other.shift_key),
    )


def shift_entries(period: DutyPeriod) -> list[dict[str, object]]:
    """The shifts of a duty period as data: ids and instants, in order."""
    return [
        {
            "assignment_id": item.key,
            "shift_id": item.shift_key,
            "start_at": item.start_at,
            "end_at": item.end_at,
        }
        for item in period.assignments
    ]


def _min_rest(config: RuleConfig, period: DutyPeriod) -> Conflict:
    """One conflict per duty period, badged on the shift that takes it over the limit."""
    min_rest_hours = config.param("min_rest_hours")
    limit = max_span(min_rest_of({"min_rest": config}))
    crossing = period.crossing(limit)
    details = {
        "artist_id": crossing.artist_id,
        "assignment_id": crossing.key,
        "shift_id": crossing.shift_key,
        "duty_start": period.start_at,
        "duty_end": period.end_at,
        "span_minutes": round(period.span.total_seconds() / 60),
        "max_span_minutes": round(limit.total_seconds() / 60),
        "min_rest_minutes": round(min_rest_hours * 60),
        "min_rest_hours": min_rest_hours,
        "assignment_ids": [item.key for item in period.assignments],
        "shift_ids": [item.shift_key for item in period.assignments],
        "shifts": shift_entries(period),
    }
    return Conflict.of(
        config,
        "",
        details,
        at=crossing.start_at,
        assignments=tuple(item.key for item in period.assignments),
        shifts=tuple(item.shift_key for item in period.assignments),
    )
