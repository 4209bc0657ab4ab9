"""The engine's answer and its two outward shapes: the solution JSON and the statistics line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .problem import FORMAT_V1, Problem
from .validate import violations

Status = Literal["optimal", "feasible", "greedy"]


@dataclass(frozen=True)
class Unfilled:
    """A shift left short: how many artists are missing and why, in planner's words."""

    shift_id: str
    missing: int
    reasons: list[str]


@dataclass
class Solution:
    """Assignments as ``(shift_id, artist_id)``, locked pairs included.

    ``status`` is ``optimal`` when CP-SAT proved the score (coverage, then availability,
    then cost) optimal for every independent part of the problem, ``feasible`` when it
    improved on the greedy without proof, and ``greedy`` when the greedy had to be used.
    """

    assignments: list[tuple[str, str]]
    unfilled: list[Unfilled]
    status: Status
    stats: dict[str, Any] = field(default_factory=dict)
    format: str = FORMAT_V1
    """The version of the problem it answers, echoed in the solution document."""


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The solution document, in the version of the problem it answers."""
    return {
        "format": solution.format,
        "assignments": [
            {"shift": shift_id, "artist": artist_id} for shift_id, artist_id in solution.assignments
        ],
        "unfilled": [
            {"shift": item.shift_id, "missing": item.missing, "reasons": list(item.reasons)}
            for item in solution.unfilled
        ],
    }


def count_outside_available(problem: Problem, assignments: list[tuple[str, str]]) -> int:
    """Assignments (locked included) not wholly inside the artist's declared windows."""
    shifts = {shift.id: shift for shift in problem.shifts}
    artists = {artist.id: artist for artist in problem.artists}
    return sum(
        1
        for shift_id, artist_id in assignments
        if artists[artist_id].is_outside_availability(shifts[shift_id].window)
    )


def statistics(problem: Problem, solution: Solution, seconds: float) -> dict[str, Any]:
    """The statistics line of FORMAT.md; ``valid`` comes from the engine's own validator."""
    slots = sum(shift.headcount for shift in problem.shifts)
    headcount = {shift.id: shift.headcount for shift in problem.shifts}
    per_shift: dict[str, int] = {}
    for shift_id, _ in solution.assignments:
        per_shift[shift_id] = per_shift.get(shift_id, 0) + 1
    filled = sum(min(count, headcount[shift_id]) for shift_id, count in per_shift.items())
    return {
        "name": problem.name,
        "shifts": len(problem.shifts),
        "slots": slots,
        "filled": filled,
        "coverage": round(filled / slots, 4) if slots else 1.0,
        "outside_available": count_outside_available(problem, solution.assignments),
        "seconds": round(seconds, 2),
        "valid": not violations(problem, solution.assignments),
    }
