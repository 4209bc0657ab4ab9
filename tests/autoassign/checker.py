"""Independent checker of FORMAT.md's hard rules, written from the spec, not from the engine.

It reads the raw problem and solution documents (no engine import), works with aware
datetimes, and checks every pair of shifts of an artist naively. A breach made only of
locked pairs is tolerated (locked pairs are kept whatever they break); any breach that
involves an added pair is reported.

Version 2 (``crew-autoassign/2``): rule 4 is checked on duty periods, grouped here from
scratch (one artist's shifts by start, a gap under ``min_rest`` continues the period), with
the span default of 1440 - ``min_rest``; the solution must echo the problem's format.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"naive instant {text}"
    return value


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _local_monday(moment: datetime, zone: ZoneInfo) -> date:
    local_day = moment.astimezone(zone).date()
    return local_day - timedelta(days=local_day.weekday())


def check(problem: dict[str, Any], solution: dict[str, Any]) -> list[str]:
    """Every breach of hard rules 1-6 by ``solution``; empty when the solution is valid."""
    shifts = {s["id"]: s for s in problem["shifts"]}
    artists = {a["id"]: a for a in problem["artists"]}
    rules = problem.get("rules", {})
    zone = ZoneInfo(problem["timezone"])
    locked = {(item["shift"], item["artist"]) for item in problem.get("locked", [])}
    pairs = [(item["shift"], item["artist"]) for item in solution["assignments"]]
    version = problem.get("format", "crew-autoassign/1")
    errors: list[str] = []
    if solution.get("format") != version:
        errors.append(f"format: solution says {solution.get('format')!r} for {version!r}")
    for pair in pairs:
        if pair[0] not in shifts or pair[1] not in artists:
            errors.append(f"unknown id in {pair}")
    if errors:
        return errors
    for pair, count in Counter(pairs).items():
        if count > 1:
            errors.append(f"rule 2: {pair} appears {count} times")
    unique = set(pairs)
    errors += _eligibility(unique, shifts, artists, locked)
    errors += _headcount(unique, shifts, locked)
    by_artist: dict[str, list[str]] = defaultdict(list)
    for shift_id, artist_id in unique:
        by_artist[artist_id].append(shift_id)
    for artist_id, own in by_artist.items():
        if version == "crew-autoassign/2":
            errors += _pairwise(artist_id, own, shifts, locked, None)
            errors += _duty_periods(artist_id, own, shifts, locked, rules)
        else:
            errors += _pairwise(artist_id, own, shifts, locked, rules.get("min_rest_minutes"))
        errors += _weeks(artist_id, own, shifts, locked, rules.get("max_week_minutes"), zone)
    for pair in sorted(locked - unique):
        errors.append(f"rule 6: locked {pair} missing")
    return errors


def _window(shift: dict[str, Any]) -> tuple[datetime, datetime]:
    return _instant(shift["start"]), _instant(shift["end"])


def _eligibility(
    pairs: set[tuple[str, str]],
    shifts: dict[str, Any],
    artists: dict[str, Any],
    locked: set[tuple[str, str]],
) -> list[str]:
    errors = []
    for shift_id, artist_id in pairs - locked:
        shift, artist = shifts[shift_id], artists[artist_id]
        if not set(shift["skills"]) <= set(artist["skills"]):
            errors.append(f"rule 1: {artist_id} lacks a skill of {shift_id}")
        for absence in artist.get("unavailable", []):
            if _overlap(_window(shift), (_instant(absence["start"]), _instant(absence["end"]))):
                errors.append(f"rule 1: {artist_id} is unavailable during {shift_id}")
    return errors


def _headcount(
    pairs: set[tuple[str, str]], shifts: dict[str, Any], locked: set[tuple[str, str]]
) -> list[str]:
    counts = Counter(shift_id for shift_id, _ in pairs)
    locked_counts = Counter(shift_id for shift_id, _ in locked)
    return [
        f"rule 2: {shift_id} has {count} > headcount {shifts[shift_id]['headcount']}"
        for shift_id, count in counts.items()
        if count > shifts[shift_id]["headcount"] and count > locked_counts[shift_id]
    ]


def _pairwise(
    artist_id: str,
    own: list[str],
    shifts: dict[str, Any],
    locked: set[tuple[str, str]],
    min_rest: int | None,
) -> list[str]:
    errors = []
    rest = timedelta(minutes=min_rest or 0)
    for index, first_id in enumerate(own):
        for second_id in own[index + 1 :]:
            if (first_id, artist_id) in locked and (second_id, artist_id) in locked:
                continue
            first, second = _window(shifts[first_id]), _window(shifts[second_id])
            if _overlap(first, second):
                errors.append(f"rule 3: {artist_id} on overlapping {first_id} and {second_id}")
                continue
            earlier, later = sorted([first, second])
            if later[0] - earlier[1] < rest:
                errors.append(
                    f"rule 4: {artist_id} rests too little between {first_id}, {second_id}"
                )
    return errors


def _duty_periods(
    artist_id: str,
    own: list[str],
    shifts: dict[str, Any],
    locked: set[tuple[str, str]],
    rules: dict[str, Any],
) -> list[str]:
    """Rule 4 of version 2: group the artist's shifts into duty periods, check each."""
    min_rest = rules.get("min_rest_minutes")
    if min_rest is None:
        return []
    max_span = rules.get("max_duty_span_minutes")
    if max_span is None:
        max_span = 1440 - min_rest
    max_work = rules.get("max_duty_work_minutes")
    ordered = sorted(own, key=lambda shift_id: _window(shifts[shift_id])[0])
    groups: list[list[str]] = []
    for shift_id in ordered:
        start = _window(shifts[shift_id])[0]
        if groups:
            previous_end = _window(shifts[groups[-1][-1]])[1]
            if (start - previous_end).total_seconds() < min_rest * 60:
                groups[-1].append(shift_id)
                continue
        groups.append([shift_id])
    errors = []
    for group in groups:
        if all((shift_id, artist_id) in locked for shift_id in group):
            continue
        windows = [_window(shifts[shift_id]) for shift_id in group]
        span = (max(end for _, end in windows) - windows[0][0]).total_seconds() / 60
        work = sum((end - start).total_seconds() for start, end in windows) / 60
        if span > max_span:
            errors.append(f"rule 4: {artist_id} duty period {group} spans {span:.0f} min")
        if max_work is not None and work > max_work:
            errors.append(f"rule 4: {artist_id} duty period {group} works {work:.0f} min")
    return errors


def _weeks(
    artist_id: str,
    own: list[str],
    shifts: dict[str, Any],
    locked: set[tuple[str, str]],
    cap: int | None,
    zone: ZoneInfo,
) -> list[str]:
    if cap is None:
        return []
    minutes: dict[date, float] = defaultdict(float)
    has_added: set[date] = set()
    for shift_id in own:
        start, end = _window(shifts[shift_id])
        week = _local_monday(start, zone)
        minutes[week] += (end - start).total_seconds() / 60
        if (shift_id, artist_id) not in locked:
            has_added.add(week)
    return [
        f"rule 5: {artist_id} works {total:.0f} min in week of {week} (cap {cap})"
        for week, total in minutes.items()
        if total > cap and week in has_added
    ]
