"""Small helpers to write hand-made problems in the JSON format, in local Paris time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apps.planning.autoassign.engine import Solution, parse_problem, solution_to_dict, solve
from tests.autoassign.checker import check

PARIS = ZoneInfo("Europe/Paris")


def at(local: str) -> str:
    """'2026-03-02 17:00' in Paris time to an ISO instant in UTC."""
    moment = datetime.fromisoformat(local).replace(tzinfo=PARIS)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def shift(
    shift_id: str, start: str, end: str, skills: list[str], headcount: int = 1
) -> dict[str, Any]:
    return {
        "id": shift_id,
        "start": at(start),
        "end": at(end),
        "skills": skills,
        "headcount": headcount,
    }


def artist(
    artist_id: str,
    skills: list[str],
    unavailable: Sequence[tuple[str, str]] = (),
    available: list[tuple[str, str]] | None = None,
    day_rate: int = 250,
) -> dict[str, Any]:
    return {
        "id": artist_id,
        "skills": skills,
        "unavailable": [{"start": at(s), "end": at(e)} for s, e in unavailable],
        "available": None
        if available is None
        else [{"start": at(s), "end": at(e)} for s, e in available],
        "day_rate": day_rate,
    }


def problem(
    artists: list[dict[str, Any]],
    shifts: list[dict[str, Any]],
    *,
    locked: Sequence[tuple[str, str]] = (),
    min_rest: int | None = 660,
    week_cap: int | None = 2880,
    version: int = 1,
    max_span: int | None = None,
    max_work: int | None = None,
) -> dict[str, Any]:
    """A hand-made problem; ``max_span`` and ``max_work`` are version 2's duty limits."""
    rules: dict[str, int] = {}
    if min_rest is not None:
        rules["min_rest_minutes"] = min_rest
    if week_cap is not None:
        rules["max_week_minutes"] = week_cap
    if max_span is not None:
        rules["max_duty_span_minutes"] = max_span
    if max_work is not None:
        rules["max_duty_work_minutes"] = max_work
    return {
        "format": f"crew-autoassign/{version}",
        "name": "hand-made",
        "timezone": "Europe/Paris",
        "rules": rules,
        "artists": artists,
        "shifts": shifts,
        "locked": [{"shift": s, "artist": a} for s, a in locked],
    }


def solved(data: dict[str, Any], time_limit: float = 5.0, seed: int = 0) -> Solution:
    """Solve and assert the independent checker finds nothing wrong."""
    solution = solve(parse_problem(data), time_limit=time_limit, seed=seed)
    errors = check(data, solution_to_dict(solution))
    assert errors == [], errors
    return solution


def pairs(solution: Solution) -> set[tuple[str, str]]:
    return set(solution.assignments)
