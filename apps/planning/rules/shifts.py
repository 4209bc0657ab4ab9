"""Rules about a shift itself (capacity, break) and about who holds it (skills).

Capacity counts the active assignments of a shift among the facts, so the caller must
load *every* active assignment of each shift whose capacity it asks about.
``capacity_soft`` is not reported on top of ``capacity_hard``: a shift above its maximum
is obviously above its target, and one badge says it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo

from apps.planning.rules.catalog import enabled
from apps.planning.rules.facts import (
    ArtistFact,
    AssignmentFact,
    Conflict,
    Key,
    PlanningFacts,
    RuleConfig,
    ShiftFact,
)


def capacity_conflicts(
    facts: PlanningFacts, shift_keys: Iterable[Key], rules: Mapping[str, RuleConfig]
) -> list[Conflict]:
    hard, soft = enabled(rules, "capacity_hard"), enabled(rules, "capacity_soft")
    if hard is None and soft is None:
        return []
    wanted = {key for key in shift_keys if key in facts.shifts}
    holders: dict[Key, list[Key]] = {key: [] for key in wanted}
    for assignment in facts.assignments:
        if assignment.shift_key in holders:
            holders[assignment.shift_key].append(assignment.key)
    found: list[Conflict] = []
    for key, unordered in holders.items():
        assignment_keys = sorted(unordered, key=str)  # details independent of row order
        shift, count = facts.shifts[key], len(assignment_keys)
        if hard is not None and count > shift.max_headcount:
            found.append(_capacity(hard, shift, assignment_keys, shift.max_headcount))
        elif soft is not None and count > shift.headcount:
            found.append(_capacity(soft, shift, assignment_keys, shift.headcount))
    return found


def _capacity(
    config: RuleConfig, shift: ShiftFact, assignment_keys: list[Key], limit: int
) -> Conflict:
    """Involves every seat of the shift: one more or one less is another conflict."""
    details = {
        "shift_id": shift.key,
        "start_at": shift.start_at,
        "end_at": shift.end_at,
        "assigned": len(assignment_keys),
        "limit": limit,
        "assignment_ids": assignment_keys,
    }
    return Conflict.of(
        config,
        "",
        details,
        at=shift.start_at,
        assignments=tuple(assignment_keys),
        shifts=(shift.key,),
    )


def break_conflicts(
    shifts: Iterable[ShiftFact], rules: Mapping[str, RuleConfig], zone: tzinfo
) -> list[Conflict]:
    config = enabled(rules, "missing_break")
    if config is None:
        return []
    after_hours, min_break = config.param("after_hours"), config.param("min_break_minutes")
    found: list[Conflict] = []
    for shift in shifts:
        length = (shift.end_at - shift.start_at).total_seconds() / 3600
        if length <= after_hours or shift.break_minutes >= min_break:
            continue
        details = {
            "shift_id": shift.key,
            "start_at": shift.start_at,
            "end_at": shift.end_at,
            "shift_hours": round(length, 2),
            "break_minutes": shift.break_minutes,
            "min_break_minutes": min_break,
            "after_hours": after_hours,
        }
        found.append(Conflict.of(config, "", details, at=shift.start_at, shifts=(shift.key,)))
    return found


def skill_conflicts(
    assignments: Sequence[AssignmentFact],
    artist: ArtistFact,
    facts: PlanningFacts,
    rules: Mapping[str, RuleConfig],
) -> list[Conflict]:
    config = enabled(rules, "missing_skill")
    if config is None:
        return []
    found: list[Conflict] = []
    for assignment in assignments:
        shift = facts.shifts.get(assignment.shift_key)
        if shift is None or not shift.required_skill_ids:
            continue
        missing = shift.required_skill_ids - artist.skill_ids
        if missing:
            found.append(_missing_skill(config, assignment, missing, facts.skill_names))
    return found


def _missing_skill(
    config: RuleConfig,
    assignment: AssignmentFact,
    missing: frozenset[Key],
    skill_names: Mapping[Key, str],
) -> Conflict:
    ordered = sorted(missing, key=lambda key: (skill_names.get(key, ""), str(key)))
    details = {
        "artist_id": assignment.artist_id,
        "assignment_id": assignment.key,
        "shift_id": assignment.shift_key,
        "start_at": assignment.start_at,
        "end_at": assignment.end_at,
        "missing_skill_ids": ordered,
        "missing_skills": [skill_names.get(key, str(key)) for key in ordered],
    }
    return Conflict.of_assignment(config, assignment, details)
