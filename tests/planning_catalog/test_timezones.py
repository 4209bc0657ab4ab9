"""Local wall-clock helpers: spans, daylight-saving gaps and repeats, day shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.planning.timezones import local_instant, local_span, shift_by_local_days, week_start

PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (date(2026, 3, 28), time(18), utc(2026, 3, 28, 17)),  # winter time, UTC+1
        (date(2026, 3, 29), time(18), utc(2026, 3, 29, 16)),  # summer time, UTC+2
        (date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30)),  # gap: forward to 03:30
        (date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # repeat: first one
        (date(2026, 10, 25), time(3, 30), utc(2026, 10, 25, 2, 30)),  # after the repeat
    ],
)
def test_local_instants_follow_the_documented_fold_semantics(
    day: date, at: time, expected: datetime
) -> None:
    assert local_instant(day, at, PARIS) == expected


def test_a_span_ending_earlier_than_it_starts_ends_the_next_day() -> None:
    start, end = local_span(date(2026, 3, 28), time(22), time(4), PARIS)
    assert (start, end) == (utc(2026, 3, 28, 21), utc(2026, 3, 29, 2))
    assert end - start == timedelta(hours=5)  # one hour lost to summer time


def test_moving_by_local_days_keeps_the_wall_clock_time() -> None:
    show = utc(2026, 3, 27, 17)  # 18:00 CET
    assert shift_by_local_days(show, 3, PARIS) == utc(2026, 3, 30, 16)  # 18:00 CEST
    assert shift_by_local_days(show, 0, PARIS) == show
    assert shift_by_local_days(utc(2026, 10, 26, 17), -2, PARIS) == utc(2026, 10, 24, 16)


def test_week_start_is_the_monday() -> None:
    assert week_start(date(2026, 3, 29)) == date(2026, 3, 23)
    assert week_start(date(2026, 3, 23)) == date(2026, 3, 23)
