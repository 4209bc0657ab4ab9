"""Each hard rule of FORMAT.md holds in what the engine returns (checked independently too)."""

from __future__ import annotations

from tests.autoassign.builders import artist, pairs, problem, shift, solved


def test_it_never_assigns_an_artist_without_every_required_skill() -> None:
    data = problem(
        [artist("light_only", ["light"]), artist("rigger", ["rigging"])],
        [shift("s1", "2026-03-02 09:00", "2026-03-02 17:00", ["light", "rigging"])],
    )
    solution = solved(data)
    assert solution.assignments == []
    assert solution.unfilled[0].shift_id == "s1"


def test_it_never_assigns_an_artist_during_an_absence() -> None:
    data = problem(
        [artist("away", ["light"], unavailable=[("2026-03-02 12:00", "2026-03-03 00:00")])],
        [
            shift("during", "2026-03-02 09:00", "2026-03-02 13:00", ["light"]),
            shift("after", "2026-03-03 09:00", "2026-03-03 13:00", ["light"]),
        ],
    )
    assert pairs(solved(data)) == {("after", "away")}


def test_an_absence_ending_when_the_shift_starts_does_not_block_it() -> None:
    data = problem(
        [artist("back", ["light"], unavailable=[("2026-03-01 00:00", "2026-03-02 09:00")])],
        [shift("s1", "2026-03-02 09:00", "2026-03-02 13:00", ["light"])],
    )
    assert pairs(solved(data)) == {("s1", "back")}


def test_it_never_exceeds_the_headcount_with_locked_pairs_counted() -> None:
    crew = [artist(f"a{i}", ["stage"]) for i in range(5)]
    data = problem(
        crew,
        [shift("s1", "2026-03-02 09:00", "2026-03-02 13:00", ["stage"], headcount=3)],
        locked=[("s1", "a4")],
    )
    solution = solved(data)
    assert len(solution.assignments) == 3
    assert ("s1", "a4") in solution.assignments


def test_it_never_double_books_an_artist_on_overlapping_shifts() -> None:
    data = problem(
        [artist("solo", ["sound"])],
        [
            shift("first", "2026-03-02 09:00", "2026-03-02 13:00", ["sound"]),
            shift("second", "2026-03-02 12:00", "2026-03-02 16:00", ["sound"]),
        ],
        min_rest=None,
    )
    assert len(solved(data).assignments) == 1


def test_back_to_back_shifts_do_not_overlap_without_a_rest_rule() -> None:
    data = problem(
        [artist("solo", ["sound"])],
        [
            shift("first", "2026-03-02 09:00", "2026-03-02 13:00", ["sound"]),
            shift("second", "2026-03-02 13:00", "2026-03-02 17:00", ["sound"]),
        ],
        min_rest=None,
    )
    assert len(solved(data).assignments) == 2


def test_it_keeps_the_minimum_rest_between_two_shifts() -> None:
    data = problem(
        [artist("solo", ["sound"])],
        [
            shift("evening", "2026-03-02 18:00", "2026-03-02 23:00", ["sound"]),
            shift("too_early", "2026-03-03 09:59", "2026-03-03 12:00", ["sound"]),
            shift("rested", "2026-03-04 10:00", "2026-03-04 12:00", ["sound"]),
        ],
        min_rest=660,
    )
    chosen = pairs(solved(data))
    assert len(chosen) == 2  # never evening and too_early together
    assert ("rested", "solo") in chosen


def test_a_rest_of_exactly_the_minimum_is_enough() -> None:
    data = problem(
        [artist("solo", ["sound"])],
        [
            shift("evening", "2026-03-02 18:00", "2026-03-02 23:00", ["sound"]),
            shift("next", "2026-03-03 10:00", "2026-03-03 12:00", ["sound"]),
        ],
        min_rest=660,
    )
    assert len(solved(data).assignments) == 2


def test_it_respects_the_week_cap() -> None:
    week = [
        shift(f"d{day}", f"2026-03-0{day} 09:00", f"2026-03-0{day} 17:00", ["video"])
        for day in range(2, 9)
    ]
    data = problem([artist("solo", ["video"])], week, week_cap=2880)
    solution = solved(data)
    assert len(solution.assignments) == 6  # 6 x 8 h = 48 h, the seventh would exceed it


def test_a_shift_crossing_midnight_blocks_the_next_morning_under_min_rest() -> None:
    data = problem(
        [artist("solo", ["rigging"])],
        [
            shift("load_out", "2026-03-02 23:00", "2026-03-03 03:00", ["rigging"]),
            shift("load_in", "2026-03-03 08:00", "2026-03-03 12:00", ["rigging"], headcount=1),
        ],
        min_rest=660,
    )
    assert len(solved(data).assignments) == 1


def test_a_shift_crossing_midnight_overlaps_a_shift_just_after_midnight() -> None:
    data = problem(
        [artist("solo", ["rigging"])],
        [
            shift("load_out", "2026-03-02 23:00", "2026-03-03 03:00", ["rigging"]),
            shift("night", "2026-03-03 01:00", "2026-03-03 02:00", ["rigging"]),
        ],
        min_rest=None,
    )
    assert len(solved(data).assignments) == 1


def test_a_rule_missing_from_the_rules_does_not_apply() -> None:
    days = [
        shift(f"d{day}", f"2026-03-0{day} 08:00", f"2026-03-0{day} 20:00", ["video"])
        for day in range(2, 9)
    ]
    late = shift("late", "2026-03-02 20:00", "2026-03-02 23:00", ["video"])
    data = problem([artist("solo", ["video"])], [*days, late], min_rest=None, week_cap=None)
    assert len(solved(data).assignments) == 8  # 87 h in a week, back to back


def test_an_empty_problem_is_trivially_solved() -> None:
    solution = solved(problem([], []))
    assert solution.assignments == []
    assert solution.unfilled == []
    assert solution.status == "optimal"
