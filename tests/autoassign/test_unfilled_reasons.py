"""The reasons given for a shift left short name what blocks each qualified artist."""

from __future__ import annotations

from tests.autoassign.builders import artist, problem, shift, solved

TARGET = ("2026-03-05 18:00", "2026-03-05 23:00")


def test_it_explains_which_rule_blocks_each_qualified_artist() -> None:
    data = problem(
        [
            artist(
                "absent",
                ["light", "rigging"],
                unavailable=[("2026-03-05 00:00", "2026-03-06 00:00")],
            ),
            artist("double", ["light", "rigging"]),
            artist("tired", ["light", "rigging"]),
            artist("capped", ["light", "rigging"]),
            artist("capped2", ["light", "rigging"]),
            artist("unqualified", ["light"]),
        ],
        [
            shift("target", *TARGET, ["light", "rigging"], headcount=2),
            shift("overlapping", "2026-03-05 20:00", "2026-03-06 01:00", ["rigging"]),
            shift("before", "2026-03-05 08:00", "2026-03-05 12:00", ["rigging"]),
            shift("monday", "2026-03-02 08:00", "2026-03-02 18:00", ["rigging"], headcount=2),
            shift("tuesday", "2026-03-03 08:00", "2026-03-03 18:00", ["rigging"], headcount=2),
        ],
        locked=[
            ("overlapping", "double"),
            ("before", "tired"),
            ("monday", "capped"),
            ("tuesday", "capped"),
            ("monday", "capped2"),
            ("tuesday", "capped2"),
        ],
        week_cap=1200,
    )
    solution = solved(data)
    assert [(u.shift_id, u.missing) for u in solution.unfilled] == [("target", 2)]
    assert solution.unfilled[0].reasons == [
        "no free artist with skills light+rigging: 2 blocked by the week cap, "
        "1 absent, 1 double-booked on an overlapping shift, 1 blocked by min_rest"
    ]


def test_it_says_when_no_artist_has_the_skills() -> None:
    data = problem(
        [artist("a", ["light"])],
        [shift("s1", *TARGET, ["wardrobe"])],
    )
    assert solved(data).unfilled[0].reasons == ["no artist has the skills wardrobe"]


def test_it_says_when_every_qualified_artist_is_already_on_the_shift() -> None:
    data = problem(
        [artist("a", ["sound"]), artist("b", ["sound"]), artist("c", ["light"])],
        [shift("s1", *TARGET, ["sound"], headcount=3)],
    )
    solution = solved(data)
    assert len(solution.assignments) == 2
    assert solution.unfilled[0].missing == 1
    assert solution.unfilled[0].reasons == [
        "all 2 qualified artists are already assigned to this shift"
    ]
