"""Locked pairs are kept whatever they break, and nothing is added that makes it worse."""

from __future__ import annotations

from apps.planning.autoassign.engine import parse_problem, solve, violations
from tests.autoassign.builders import artist, pairs, problem, shift, solved


def test_locked_pairs_are_always_in_the_solution() -> None:
    data = problem(
        [artist("a", ["light"]), artist("b", ["light"])],
        [shift("s1", "2026-03-02 09:00", "2026-03-02 13:00", ["light"])],
        locked=[("s1", "b")],
    )
    assert pairs(solved(data)) == {("s1", "b")}


def test_a_locked_pair_breaking_the_rules_is_kept_and_not_made_worse() -> None:
    data = problem(
        [
            artist("busy", ["light"], unavailable=[("2026-03-02 00:00", "2026-03-03 00:00")]),
            artist("free", ["light"]),
        ],
        [
            # Locked although the artist lacks the skill, is absent and double-booked.
            shift("absent_locked", "2026-03-02 09:00", "2026-03-02 13:00", ["light"]),
            shift("overlap_locked", "2026-03-02 12:00", "2026-03-02 16:00", ["sound"]),
            # Locked over headcount: two artists on a shift for one.
            shift("crowded", "2026-03-04 09:00", "2026-03-04 13:00", ["light"], headcount=1),
            # Too close to busy's locked shifts: must not be given to busy.
            shift("close", "2026-03-02 18:00", "2026-03-02 22:00", ["light"], headcount=2),
        ],
        locked=[
            ("absent_locked", "busy"),
            ("overlap_locked", "busy"),
            ("crowded", "busy"),
            ("crowded", "free"),
        ],
    )
    solution = solved(data)
    chosen = pairs(solution)
    assert {
        ("absent_locked", "busy"),
        ("overlap_locked", "busy"),
        ("crowded", "busy"),
        ("crowded", "free"),
    } <= chosen
    assert chosen - {
        ("absent_locked", "busy"),
        ("overlap_locked", "busy"),
        ("crowded", "busy"),
        ("crowded", "free"),
    } == {("close", "free")}
    assert violations(parse_problem(data), solution.assignments) == []


def test_no_shift_is_added_in_a_week_already_over_the_cap_by_locked_shifts() -> None:
    data = problem(
        [artist("tired", ["stage"])],
        [
            shift("long1", "2026-03-02 06:00", "2026-03-02 20:00", ["stage"]),
            shift("long2", "2026-03-03 08:00", "2026-03-03 22:00", ["stage"]),
            shift("extra", "2026-03-05 09:00", "2026-03-05 10:00", ["stage"]),
            shift("next_week", "2026-03-09 09:00", "2026-03-09 10:00", ["stage"]),
        ],
        locked=[("long1", "tired"), ("long2", "tired")],
        min_rest=None,
        week_cap=1500,
    )
    assert pairs(solved(data)) == {("long1", "tired"), ("long2", "tired"), ("next_week", "tired")}


def test_the_engine_validator_flags_an_added_pair_that_worsens_a_broken_week() -> None:
    data = problem(
        [artist("tired", ["stage"])],
        [
            shift("long1", "2026-03-02 06:00", "2026-03-02 20:00", ["stage"]),
            shift("extra", "2026-03-05 09:00", "2026-03-05 10:00", ["stage"]),
        ],
        locked=[("long1", "tired")],
        min_rest=None,
        week_cap=600,
    )
    parsed = parse_problem(data)
    assert violations(parsed, [("long1", "tired")]) == []
    assert violations(parsed, [("long1", "tired"), ("extra", "tired")]) != []
    assert pairs(solve(parsed, time_limit=2)) == {("long1", "tired")}
