"""Daily and weekly hour caps, in the organization's local days and weeks.

Choices, documented here for every caller:

- A shift counts whole in the local day, and the local week (Monday 00:00 local), in
  which it *starts*: a 22:00–04:00 night shift is 6 h of the day it begins, as payroll
  counts a working day. It is never split at midnight.
- Worked hours are the real elapsed time minus the shift's break: a night shift across a
  daylight-saving change lasts one hour more or less than its wall-clock times say.
- A cap is broken when the total is strictly above it. The conflict names the assignment
  whose hours first push the total over the cap (its shift carries the badge) and lists
  every assignment of the day or week.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, tzinfo

from apps.planning.rules.catalog import enabled
from apps.planning.rules.facts import AssignmentFact, Conflict, RuleConfig
from apps.planning.rules.wording import (
    day_label,
    hours,
    local_day,
    week_monday,
    worked_hours,
)

Bucket = list[tuple[AssignmentFact, float]]
_EPSILON = 1e-9


def hour_cap_conflicts(
    assignments: Sequence[AssignmentFact], rules: Mapping[str, RuleConfig], zone: tzinfo
) -> list[Conflict]:
    """``assignments``: one artist's, sorted by start."""
    daily, weekly = enabled(rules, "daily_hours"), enabled(rules, "weekly_hours")
    if daily is None and weekly is None:
        return []
    days: dict[date, Bucket] = {}
    for assignment in assignments:
        worked = worked_hours(assignment.start_at, assignment.end_at, assignment.break_minutes)
        days.setdefault(local_day(assignment.start_at, zone), []).append((assignment, worked))
    found: list[Conflict] = []
    if daily is not None:
        found += _over(daily, days, "day")
    if weekly is not None:
        weeks: dict[date, Bucket] = {}
        for day, bucket in days.items():
            weeks.setdefault(week_monday(day), []).extend(bucket)
        found += _over(weekly, weeks, "week")
    return found


def _over(config: RuleConfig, buckets: dict[date, Bucket], unit: str) -> list[Conflict]:
    """A conflict for each bucket whose total is above the cap (most are not: cheap test
    first, words only for the few that are)."""
    limit = config.param("max_hours") + _EPSILON
    return [
        _conflict(config, bucket, day, unit)
        for day, bucket in buckets.items()
        if sum(worked for _, worked in bucket) > limit
    ]


def _conflict(config: RuleConfig, bucket: Bucket, day: date, unit: str) -> Conflict:
    limit = config.param("max_hours")
    total = sum(worked for _, worked in bucket)
    crossing = _crossing(bucket, limit)
    when = f"in the week of {day_label(day)}" if unit == "week" else f"on {day_label(day)}"
    message = f"{hours(total)} planned {when} (maximum {hours(limit)})."
    details = {
        "artist_id": crossing.artist_id,
        "assignment_id": crossing.key,
        "shift_id": crossing.shift_key,
        "week_start" if unit == "week" else "day": day,
        "hours": round(total, 2),
        "max_hours": limit,
        "assignment_ids": [assignment.key for assignment, _ in bucket],
        "shift_ids": [assignment.shift_key for assignment, _ in bucket],
    }
    return Conflict.of(
        config,
        message,
        details,
        at=crossing.start_at,
        assignments=tuple(assignment.key for assignment, _ in bucket),
        shifts=(crossing.shift_key,),
    )


def _crossing(bucket: Bucket, limit: float) -> AssignmentFact:
    """The assignment whose hours first take the running total above the cap."""
    running = 0.0
    for assignment, worked in bucket:
        running += worked
        if running > limit + _EPSILON:
            return assignment
    return bucket[-1][0]
