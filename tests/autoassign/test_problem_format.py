"""Malformed input raises ProblemFormatError naming the bad field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from apps.planning.autoassign.engine import ProblemFormatError, parse_problem
from tests.autoassign.builders import artist, problem, shift


def _valid() -> dict[str, Any]:
    return problem(
        [artist("a1", ["light"]), artist("a2", ["sound"])],
        [shift("s1", "2026-03-02 18:00", "2026-03-02 23:00", ["light"], headcount=2)],
        locked=[("s1", "a1")],
    )


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


CASES = [
    (_set(["format"], "crew-autoassign/3"), "format"),
    (_set(["timezone"], "Mars/Olympus"), "timezone"),
    (_set(["timezone"], None), "timezone"),
    (_set(["shifts", 0, "start"], "2026-03-02T18:00:00"), "shifts[0].start"),
    (_set(["shifts", 0, "end"], "tomorrow"), "shifts[0].end"),
    (_set(["shifts", 0, "end"], "2026-03-02T10:00:00Z"), "shifts[0].end"),
    (_set(["shifts", 0, "headcount"], -1), "shifts[0].headcount"),
    (_set(["shifts", 0, "headcount"], "2"), "shifts[0].headcount"),
    (_set(["shifts", 0, "skills"], "light"), "shifts[0].skills"),
    (_set(["artists", 1, "id"], "a1"), "artists[1].id"),
    (
        _set(["artists", 0, "unavailable"], [{"start": "2026-03-02T00:00:00Z"}]),
        "artists[0].unavailable[0].end",
    ),
    (_set(["artists", 0, "day_rate"], "cheap"), "artists[0].day_rate"),
    (_set(["rules", "min_rest_minutes"], -5), "rules.min_rest_minutes"),
    (_set(["locked", 0, "shift"], "nope"), "locked[0].shift"),
    (_set(["locked", 0, "artist"], "ghost"), "locked[0].artist"),
    (_set(["artists"], {"a1": {}}), "artists"),
]


@pytest.mark.parametrize(("change", "field"), CASES, ids=[field for _, field in CASES])
def test_malformed_input_raises_an_error_naming_the_field(
    change: Callable[[dict[str, Any]], None], field: str
) -> None:
    data = copy.deepcopy(_valid())
    change(data)
    with pytest.raises(ProblemFormatError) as raised:
        parse_problem(data)
    assert str(raised.value).startswith(f"{field}:")
    assert isinstance(raised.value, ValueError)


def test_a_problem_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(ProblemFormatError, match=r"^problem:"):
        parse_problem([1, 2])


def test_unknown_keys_are_ignored_and_duplicate_locked_pairs_collapse() -> None:
    data = _valid()
    data["colour"] = "blue"
    data["shifts"][0]["venue"] = "Olympia"
    data["locked"].append({"shift": "s1", "artist": "a1"})
    parsed = parse_problem(data)
    assert parsed.locked == (("s1", "a1"),)
    assert parsed.rules.min_rest_minutes == 660
