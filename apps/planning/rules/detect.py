"""One pass of every rule over a set of facts; the entry point of the pure rules.

Set-based: assignments are grouped per artist and sorted once (O(n log n)); each artist
is swept once for double bookings and rest, bucketed once by local day and week, and
each of its assignments bisects its windows. Shift rules count per shift. Nothing here
queries anything, so the cost of a check is the cost of loading its facts plus
milliseconds.

Only conflicts that touch the ``focus`` are returned (a proposal's assignments and
shifts; everything for a whole-range check), sorted by time and catalog order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import tzinfo
from typing import Any

from apps.planning.rules.catalog import RULE_ORDER
from apps.planning.rules.facts import (
    ArtistFact,
    AssignmentFact,
    Conflict,
    Focus,
    Key,
    PlanningFacts,
    RuleConfig,
)
from apps.planning.rules.hours import hour_cap_conflicts
from apps.planning.rules.messages import Speaker, render
from apps.planning.rules.shifts import break_conflicts, capacity_conflicts, skill_conflicts
from apps.planning.rules.sweep import sweep_conflicts
from apps.planning.rules.windows import window_conflicts


def detect(
    facts: PlanningFacts,
    rules: Mapping[str, RuleConfig],
    zone: tzinfo,
    focus: Focus | None = None,
    speaker: Speaker | None = None,
    *,
    words: bool = True,
) -> list[Conflict]:
    """Every conflict touching ``focus`` (default: all facts), in chronological order.

    Each has its message (English by default, ``speaker`` says it otherwise; none with
    ``words=False``, for a caller that says them itself).
    """
    focus = focus if focus is not None else facts.everything()
    found: list[Conflict] = []
    for artist_id, assignments in by_artist(facts.assignments).items():
        focused = [a for a in assignments if a.key in focus.assignments]
        if not focused:
            continue
        artist = facts.artists.get(artist_id) or ArtistFact(artist_id)
        found += sweep_conflicts(assignments, rules, zone)
        found += hour_cap_conflicts(assignments, rules, zone)
        found += window_conflicts(focused, artist, rules, zone)
        found += skill_conflicts(focused, artist, facts, rules)
    found += capacity_conflicts(facts, focus.capacity_shifts, rules)
    found += break_conflicts(
        (facts.shifts[key] for key in focus.shifts if key in facts.shifts), rules, zone
    )
    speaker = speaker or Speaker(zone)
    kept = [
        replace(conflict, message=render(conflict, speaker)) if words else conflict
        for conflict in found
        if conflict.touches(focus)
    ]
    kept.sort(key=read_order)
    return kept


def read_order(conflict: Conflict) -> tuple[Any, ...]:
    """The order conflicts are reported in, whether the rules found them just now or
    they were stored: by time, rule, person, then what they involve (a total order, so
    two reads of the same conflicts list them alike)."""
    artist_id = str(conflict.details.get("artist_id") or "")
    return (
        conflict.at,
        RULE_ORDER[conflict.rule],
        artist_id,
        tuple(map(str, conflict.assignment_keys)),  # a proposal's keys may be ``NewRef``
        tuple(map(str, conflict.shift_keys)),
    )


def by_artist(assignments: tuple[AssignmentFact, ...]) -> dict[Key, list[AssignmentFact]]:
    """Each artist's assignments sorted by ``(start_at, end_at)``, then key (so that the
    details, and the fingerprints made of them, do not depend on the rows' order)."""
    grouped: dict[Key, list[AssignmentFact]] = {}
    for assignment in assignments:
        grouped.setdefault(assignment.artist_id, []).append(assignment)
    for items in grouped.values():
        items.sort(key=lambda item: (item.start_at, item.end_at, str(item.key)))
    return grouped
