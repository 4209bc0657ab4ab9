"""Instants, half-open intervals and local weeks in the problem's time zone."""

from __future__ import annotations

from apps.planning.autoassign.engine import parse_problem
from tests.autoassign.builders import artist, problem, shift, solved

# Europe/Paris moves to summer time on Sunday 29 March 2026 at 02:00 (UTC+1 to UTC+2).
# Local week of Monday 23 March ends Sunday 29 March 24:00 local = 22:00 UTC.


def _dst_problem(second: dict[str, object]) -> dict[str, object]:
    return problem(
        [artist("solo", ["light"])],
        [shift("sunday_day", "2026-03-29 09:00", "2026-03-29 13:00", ["light"]), second],
        min_rest=None,
        week_cap=300,
    )


def test_a_shift_starting_sunday_2330_local_counts_in_the_old_week_across_dst() -> None:
    late_sunday = shift("late_sunday", "2026-03-29 23:30", "2026-03-30 01:30", ["light"])
    solution = solved(_dst_problem(late_sunday))
    assert len(solution.assignments) == 1  # 4 h + 2 h in one week exceeds the 5 h cap


def test_a_shift_starting_monday_0030_local_counts_in_the_new_week_across_dst() -> None:
    # 00:30 local on Monday is still Sunday 22:30 in UTC: a UTC week would get it wrong,
    # and so would a fixed +01:00 offset (winter time).
    early_monday = shift("early_monday", "2026-03-30 00:30", "2026-03-30 02:30", ["light"])
    solution = solved(_dst_problem(early_monday))
    assert len(solution.assignments) == 2


def test_weeks_are_the_local_mondays_of_the_shift_starts() -> None:
    data = _dst_problem(shift("early_monday", "2026-03-30 00:30", "2026-03-30 02:30", ["light"]))
    parsed = parse_problem(data)
    weeks = {s.id: s.week for s in parsed.shifts}
    assert weeks["early_monday"] - weeks["sunday_day"] == 7


def test_instants_with_an_explicit_offset_are_the_same_as_z() -> None:
    data = problem(
        [artist("solo", ["light"])],
        [
            {
                "id": "s1",
                "start": "2026-03-02T18:00:00+01:00",
                "end": "2026-03-02T22:00:00+01:00",
                "skills": ["light"],
                "headcount": 1,
            }
        ],
    )
    parsed = parse_problem(data)
    assert parsed.shifts[0].window.seconds == 4 * 3600
    assert (
        parsed.shifts[0].start
        == parse_problem(
            {**data, "shifts": [{**data["shifts"][0], "start": "2026-03-02T17:00:00Z"}]}
        )
        .shifts[0]
        .start
    )
