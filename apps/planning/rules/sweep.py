"""Double booking and minimum rest: one sweep over an artist's assignments sorted by start.

The sweep keeps the assignment that ends last so far (the *holder*). The next assignment
either starts before the holder ends (a double booking) or after it, and then its rest is
measured from the holder's end, not only from the immediately preceding assignment: a
short shift nested inside a long one must not hide the long one's late end.
Every assignment is compared once, so an artist's check is O(n) after the sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta, tzinfo

from apps.planning.rules.catalog import enabled
from apps.planning.rules.facts import AssignmentFact, Conflict, RuleConfig
from apps.planning.rules.wording import hours, moment, span


def sweep_conflicts(
    assignments: Sequence[AssignmentFact], rules: Mapping[str, RuleConfig], zone: tzinfo
) -> list[Conflict]:
    """``assignments``: one artist's, sorted by ``(start_at, end_at)``."""
    double_booking = enabled(rules, "double_booking")
    rest = enabled(rules, "min_rest")
    min_rest = timedelta(hours=rest.param("min_rest_hours")) if rest else None
    found: list[Conflict] = []
    holder: AssignmentFact | None = None
    for current in assignments:
        if holder is not None:
            if current.start_at < holder.end_at and double_booking is not None:
                found.append(_double_booking(double_booking, current, holder, zone))
            elif min_rest is not None and current.start_at - holder.end_at < min_rest:
                found.append(_min_rest(rest, current, holder, zone))  # type: ignore[arg-type]
        if holder is None or current.end_at > holder.end_at:
            holder = current
    return found


def _pair_details(current: AssignmentFact, other: AssignmentFact) -> dict[str, object]:
    return {
        "artist_id": current.artist_id,
        "assignment_id": current.key,
        "shift_id": current.shift_key,
        "other_assignment_id": other.key,
        "other_shift_id": other.shift_key,
    }


def _double_booking(
    config: RuleConfig, current: AssignmentFact, other: AssignmentFact, zone: tzinfo
) -> Conflict:
    message = (
        f"Double booking: {span(current.start_at, current.end_at, zone)} overlaps another "
        f"shift, {span(other.start_at, other.end_at, zone)}."
    )
    return Conflict.of(
        config,
        message,
        _pair_details(current, other),
        at=current.start_at,
        assignments=(current.key, other.key),
        shifts=(current.shift_key, other.shift_key),
    )


def _min_rest(
    config: RuleConfig, current: AssignmentFact, other: AssignmentFact, zone: tzinfo
) -> Conflict:
    limit = config.param("min_rest_hours")
    rest_hours = (current.start_at - other.end_at).total_seconds() / 3600
    message = (
        f"Only {hours(rest_hours)} rest between {moment(other.end_at, zone)} and "
        f"{moment(current.start_at, zone)} (minimum {hours(limit)})."
    )
    details = {**_pair_details(current, other), "rest_hours": round(rest_hours, 2)}
    details["min_rest_hours"] = limit
    return Conflict.of(
        config,
        message,
        details,
        at=current.start_at,
        assignments=(current.key, other.key),
        shifts=(current.shift_key, other.shift_key),
    )
