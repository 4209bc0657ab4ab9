"""The shipped example, generated problems, statistics and the command-line entry points."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest

from apps.planning.autoassign.engine import (
    generate,
    greedy_solve,
    parse_problem,
    solution_to_dict,
    solve,
    statistics,
)
from apps.planning.autoassign.engine.cli import main
from tests.autoassign.checker import check

DATA = Path(__file__).parent / "data"


def test_the_example_problem_is_solved_validly_with_its_locked_pair() -> None:
    data = json.loads((DATA / "example.json").read_text())
    problem = parse_problem(data)
    solution = solve(problem, time_limit=5)
    document = solution_to_dict(solution)
    assert check(data, document) == []
    assert ("s00024", "a0009") in solution.assignments
    line = statistics(problem, solution, 1.0)
    assert line["valid"] is True
    assert line["filled"] == len(solution.assignments)
    assert solution.status == "optimal"
    assert document["format"] == "crew-autoassign/1"
    assert all(item["reasons"] for item in document["unfilled"])


def test_a_generated_small_problem_is_solved_validly_and_beats_or_ties_the_greedy() -> None:
    data = generate("small", 3)
    problem = parse_problem(data)
    solution = solve(problem, time_limit=10, seed=1)
    greedy = greedy_solve(problem)
    assert check(data, solution_to_dict(solution)) == []
    assert check(data, solution_to_dict(greedy)) == []
    engine_line = statistics(problem, solution, 0.0)
    greedy_line = statistics(problem, greedy, 0.0)
    assert engine_line["filled"] >= greedy_line["filled"]
    assert 0.85 <= engine_line["coverage"] < 1.0
    missing = sum(item.missing for item in solution.unfilled)
    assert missing == engine_line["slots"] - engine_line["filled"]


@pytest.mark.parametrize("seed", [0, 3])
def test_a_generated_version_2_problem_is_solved_validly_with_split_days(seed: int) -> None:
    data = generate("small", seed, 2)
    assert data["format"] == "crew-autoassign/2"
    labels = " ".join(item["label"] for item in data["shifts"])
    assert "get-in" in labels
    assert "rehearsal" in labels
    problem = parse_problem(data)
    solution = solve(problem, time_limit=10, seed=seed)
    greedy = greedy_solve(problem)
    assert check(data, solution_to_dict(solution)) == []
    assert check(data, solution_to_dict(greedy)) == []
    engine_line = statistics(problem, solution, 0.0)
    assert engine_line["valid"] is True
    assert engine_line["filled"] >= statistics(problem, greedy, 0.0)["filled"]
    assert 0.85 <= engine_line["coverage"] < 1.0
    split_days = _split_duty_periods(data, solution_to_dict(solution))
    assert split_days > 0  # an artist works two shifts of one duty period somewhere


def _split_duty_periods(data: dict[str, object], document: dict[str, object]) -> int:
    """Pairs of one artist's shifts less than 11 h apart (a split duty period)."""
    shifts = {item["id"]: item for item in data["shifts"]}  # type: ignore[attr-defined]
    by_artist: dict[str, list[tuple[str, str]]] = {}
    for item in document["assignments"]:  # type: ignore[attr-defined]
        shift = shifts[item["shift"]]
        by_artist.setdefault(item["artist"], []).append((shift["start"], shift["end"]))
    count = 0
    for own in by_artist.values():
        own.sort()
        for (_, end), (start, _) in itertools.pairwise(own):
            gap = datetime.fromisoformat(start) - datetime.fromisoformat(end)
            count += gap.total_seconds() < 660 * 60
    return count


def test_version_1_problems_are_generated_as_before() -> None:
    data = generate("small", 0)
    assert data["format"] == "crew-autoassign/1"
    assert data["rules"] == {"min_rest_minutes": 660, "max_week_minutes": 2880}
    assert "rehearsal" not in " ".join(item["label"] for item in data["shifts"])


@pytest.mark.parametrize(
    ("size", "shifts", "artists"), [("small", 300, 45), ("medium", 1100, 120), ("large", 3400, 310)]
)
def test_the_generator_makes_the_announced_sizes(size: str, shifts: int, artists: int) -> None:
    data = generate(size, 0)
    assert len(data["shifts"]) == shifts
    assert len(data["artists"]) == artists
    problem = parse_problem(data)
    labels = " ".join(shift.label for shift in problem.shifts)
    assert "load-out" in labels
    assert "show" in labels
    assert any(
        shift.end - shift.start > 0 and shift.week != problem.shifts[0].week
        for shift in problem.shifts
    )
    assert problem.locked
    assert any(artist.available is not None for artist in problem.artists)


def test_the_generator_is_deterministic_for_a_seed() -> None:
    assert generate("small", 8) == generate("small", 8)
    assert generate("small", 8) != generate("small", 9)


def test_generated_problems_span_the_change_to_summer_time() -> None:
    data = generate("small", 0)
    offsets = {shift["start"][11:13] for shift in data["shifts"] if "show" in shift["label"]}
    assert len(offsets) > 1  # same local show hours, two different UTC hours


def test_the_cli_writes_the_solution_and_prints_the_statistics_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solution.json"
    status = main(["solve", str(DATA / "example.json"), "--out", str(out), "--time-limit", "3"])
    assert status == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    line = json.loads(last)
    assert set(line) == {
        "name",
        "shifts",
        "slots",
        "filled",
        "coverage",
        "outside_available",
        "seconds",
        "valid",
    }
    assert line["valid"] is True
    written = json.loads(out.read_text())
    assert check(json.loads((DATA / "example.json").read_text()), written) == []


def test_the_cli_reports_a_bad_file_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"timezone": "Europe/Paris", "artists": [], "shifts": [{"id": 1}]}')
    assert main(["solve", str(bad)]) == 2
    assert "shifts[0]" in capsys.readouterr().err
    assert main(["solve", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
