"""The engine's own check of the hard rules of FORMAT.md, used for the ``valid`` statistic.

Locked pairs are kept whatever they break, so a breach made only of locked pairs is not a
violation; any breach that involves at least one added pair is (adding to a broken
situation makes it worse). With duty periods (version 2) the same holds per period: a
period that breaks rule 4 is a violation when it holds at least one added pair. The tests
use a separate, independently written checker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .duty import DutyRules, describe_hours, duty_rules, periods
from .intervals import conflicts
from .problem import Artist, Problem, Shift


def violations(problem: Problem, assignments: Iterable[tuple[str, str]]) -> list[str]:
    """Every hard-rule breach of ``assignments``, as readable lines (empty when valid)."""
    shifts = {shift.id: shift for shift in problem.shifts}
    artists = {artist.id: artist for artist in problem.artists}
    pairs = list(assignments)
    locked = set(problem.locked)
    found = [
        f"unknown shift or artist in {pair}" for pair in pairs if not _known(pair, shifts, artists)
    ]
    if found:
        return found
    found += _duplicates_and_headcount(pairs, shifts, locked)
    found += _eligibility(pairs, shifts, artists, locked)
    found += _artist_schedules(problem, pairs, shifts, locked)
    found += [f"locked pair {pair} is missing" for pair in sorted(locked - set(pairs))]
    return found


def _known(pair: tuple[str, str], shifts: dict[str, Shift], artists: dict[str, Artist]) -> bool:
    return pair[0] in shifts and pair[1] in artists


def _duplicates_and_headcount(
    pairs: list[tuple[str, str]], shifts: dict[str, Shift], locked: set[tuple[str, str]]
) -> list[str]:
    found = [f"pair {pair} appears {n} times" for pair, n in Counter(pairs).items() if n > 1]
    per_shift = Counter(shift_id for shift_id, _ in set(pairs))
    locked_per_shift = Counter(shift_id for shift_id, _ in locked)
    for shift_id, count in per_shift.items():
        if count > shifts[shift_id].headcount and count > locked_per_shift[shift_id]:
            found.append(f"shift {shift_id} has {count} artists for {shifts[shift_id].headcount}")
    return found


def _eligibility(
    pairs: list[tuple[str, str]],
    shifts: dict[str, Shift],
    artists: dict[str, Artist],
    locked: set[tuple[str, str]],
) -> list[str]:
    found: list[str] = []
    for shift_id, artist_id in pairs:
        if (shift_id, artist_id) in locked:
            continue
        shift, artist = shifts[shift_id], artists[artist_id]
        if not shift.skills <= artist.skills:
            found.append(f"{artist_id} lacks skills for {shift_id}")
        if artist.is_absent_during(shift.window):
            found.append(f"{artist_id} is unavailable during {shift_id}")
    return found


def _artist_schedules(
    problem: Problem,
    pairs: list[tuple[str, str]],
    shifts: dict[str, Shift],
    locked: set[tuple[str, str]],
) -> list[str]:
    by_artist: dict[str, list[Shift]] = defaultdict(list)
    for shift_id, artist_id in set(pairs):
        by_artist[artist_id].append(shifts[shift_id])
    found: list[str] = []
    duty = duty_rules(problem.rules)
    for artist_id, own in by_artist.items():
        is_locked = {shift.id: (shift.id, artist_id) in locked for shift in own}
        if duty is None:
            rest = problem.rules.min_rest_seconds
            found += _rest_and_overlap(artist_id, own, is_locked, rest)
        else:
            found += _rest_and_overlap(artist_id, own, is_locked, 0)
            found += _duty_periods(artist_id, own, is_locked, duty)
        found += _week_cap(artist_id, own, is_locked, problem.rules.max_week_seconds)
    return found


def _rest_and_overlap(
    artist_id: str, own: list[Shift], is_locked: dict[str, bool], rest: int
) -> list[str]:
    ordered = sorted(own, key=lambda shift: shift.start)
    found: list[str] = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.start >= first.end + rest:
                break
            if (is_locked[first.id] and is_locked[second.id]) or not conflicts(
                first.window, second.window, rest
            ):
                continue
            kind = "overlap" if first.window.overlaps(second.window) else "min_rest"
            found.append(f"{artist_id}: {first.id} and {second.id} break {kind}")
    return found


def _duty_periods(
    artist_id: str, own: list[Shift], is_locked: dict[str, bool], duty: DutyRules
) -> list[str]:
    found: list[str] = []
    for period in periods([shift.window for shift in own], duty.rest):
        members = [own[position] for position in period]
        if all(is_locked[shift.id] for shift in members):
            continue
        breach = duty.breach([shift.window for shift in members])
        if breach is None:
            continue
        names = ", ".join(shift.id for shift in members)
        if breach == "duty_span":
            limit = f"spans over {describe_hours(duty.span)}"
        else:
            limit = f"works over {describe_hours(duty.work or 0)}"
        found.append(f"{artist_id}: duty period {names} {limit}")
    return found


def _week_cap(
    artist_id: str, own: list[Shift], is_locked: dict[str, bool], cap: int | None
) -> list[str]:
    if cap is None:
        return []
    seconds: dict[int, int] = defaultdict(int)
    added: set[int] = set()
    for shift in own:
        seconds[shift.week] += shift.window.seconds
        if not is_locked[shift.id]:
            added.add(shift.week)
    return [
        f"{artist_id}: week of ordinal {week} has {total // 60} min over the cap"
        for week, total in seconds.items()
        if total > cap and week in added
    ]
