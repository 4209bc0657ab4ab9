"""Hours of work: per duty period (``daily_hours``) and per local week (``weekly_hours``).

Choices, documented here for every caller:

- ``daily_hours`` counts the work of a *duty period* (``rules.duty``): the morning get-in
  and the afternoon rehearsal are one working day, and so are the show and the load-out
  that runs past midnight. It is not split at midnight.
- A shift counts whole in the local week (Monday 00:00 local) in which it *starts*.
- Worked hours are the real elapsed time minus the shift's break: a night shift across a
  daylight-saving change lasts one hour more or less than its wall-clock times say.
- A cap is broken when the total is strictly above it. The conflict names the assignment
  whose hours first push the total over the cap (its shift carries the badge) and lists
  every assignment of the duty period or week.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, tzinfo
from typing import Any

from apps.planning.rules.catalog import enabled
from apps.planning.rules.duty import duty_periods, min_rest_of
from apps.planning.rules.facts import AssignmentFact, Conflict, RuleConfig
from apps.planning.rules.sweep import shift_entries
from apps.planning.rules.wording import local_day, week_monday, worked_hours

Bucket = list[tuple[AssignmentFact, float]]
_EPSILON = 1e-9


def hour_cap_conflicts(
    assignments: Sequence[AssignmentFact], rules: Mapping[str, RuleConfig], zone: tzinfo
) -> list[Conflict]:
    """``assignments``: one artist's, sorted by start."""
    daily, weekly = enabled(rules, "daily_hours"), enabled(rules, "weekly_hours")
    found: list[Conflict] = []
    if daily is not None:
        limit = daily.param("max_hours") + _EPSILON
        for period in duty_periods(assignments, min_rest_of(rules)):
            if period.work_hours > limit:
                bucket = [(item, _worked(item)) for item in period.assignments]
                extra = {
                    "duty_start": period.start_at,
                    "duty_end": period.end_at,
                    "shifts": shift_entries(period),
                }
                found.append(_conflict(daily, bucket, extra))
    if weekly is not None:
        weeks: dict[date, Bucket] = {}
        for assignment in assignments:
            monday = week_monday(local_day(assignment.start_at, zone))
            weeks.setdefault(monday, []).append((assignment, _worked(assignment)))
        limit = weekly.param("max_hours") + _EPSILON
        found += [
            _conflict(weekly, bucket, {"week_start": monday})
            for monday, bucket in weeks.items()
            if sum(worked for _, worked in bucket) > limit
        ]
    return found


def _worked(assignment: AssignmentFact) -> float:
    return worked_hours(assignment.start_at, assignment.end_at, assignment.break_minutes)


def _conflict(config: RuleConfig, bucket: Bucket, extra: Mapping[str, Any]) -> Conflict:
    limit = config.param("max_hours")
    total = sum(worked for _, worked in bucket)
    crossing = _crossing(bucket, limit)
    details = {
        "artist_id": crossing.artist_id,
        "assignment_id": crossing.key,
        "shift_id": crossing.shift_key,
        **extra,
        "hours": round(total, 2),
        "max_hours": limit,
        "work_minutes": round(total * 60),
        "max_work_minutes": round(limit * 60),
        "assignment_ids": [assignment.key for assignment, _ in bucket],
        "shift_ids": [assignment.shift_key for assignment, _ in bucket],
    }
    return Conflict.of(
        config,
        "",
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
