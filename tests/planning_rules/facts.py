"""Builders of pure facts for the rule tests: local Paris times in, UTC instants out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import count
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from apps.planning.rules import catalog
from apps.planning.rules.facts import (
    ArtistFact,
    AssignmentFact,
    Conflict,
    Focus,
    PlanningFacts,
    RuleConfig,
    ShiftFact,
    Window,
)
from apps.planning.rules.messages import Speaker

PARIS = ZoneInfo("Europe/Paris")
_numbers = count(1)


def at(local: str) -> datetime:
    """``"2025-03-14 23:30"`` in Paris, as a UTC instant."""
    return datetime.fromisoformat(local).replace(tzinfo=PARIS).astimezone(UTC)


def shift(
    start: str,
    end: str,
    *,
    headcount: int = 2,
    max_headcount: int = 3,
    break_minutes: int = 0,
    skills: Iterable[UUID] = (),
) -> ShiftFact:
    return ShiftFact(
        key=uuid4(),
        start_at=at(start),
        end_at=at(end),
        headcount=headcount,
        max_headcount=max_headcount,
        break_minutes=break_minutes,
        role_id=uuid4(),
        required_skill_ids=frozenset(skills),
    )


def assign(of: ShiftFact, artist: UUID) -> AssignmentFact:
    return AssignmentFact(uuid4(), of.key, artist, of.start_at, of.end_at, of.break_minutes)


def window(start: str, end: str) -> Window:
    return Window(at(start), at(end), next(_numbers))


class Plan:
    """A tiny planning: shifts, assignments and artists, checked with the catalog."""

    def __init__(self) -> None:
        self.shifts: dict[UUID, ShiftFact] = {}
        self.assignments: list[AssignmentFact] = []
        self.artists: dict[UUID, ArtistFact] = {}
        self.skill_names: dict[UUID, str] = {}

    def artist(self, **kwargs: object) -> UUID:
        artist_id = uuid4()
        self.artists[artist_id] = ArtistFact(id=artist_id, **kwargs)  # type: ignore[arg-type]
        return artist_id

    def book(self, artist: UUID, start: str, end: str, **kwargs: object) -> AssignmentFact:
        booked = shift(start, end, **kwargs)  # type: ignore[arg-type]
        self.shifts[booked.key] = booked
        assignment = assign(booked, artist)
        self.assignments.append(assignment)
        return assignment

    def facts(self) -> PlanningFacts:
        return PlanningFacts(self.shifts, tuple(self.assignments), self.artists, self.skill_names)

    def check(
        self,
        rules: dict[str, RuleConfig] | None = None,
        focus: Focus | None = None,
        speaker: Speaker | None = None,
    ) -> list[Conflict]:
        from apps.planning.rules import detect

        return detect(self.facts(), rules or catalog.resolve([]), PARIS, focus, speaker)


def rules_with(code: str, **changes: object) -> dict[str, RuleConfig]:
    """The default catalog with one rule changed (severity, enabled, params)."""
    configs = catalog.resolve([])
    current = configs[code]
    params = {**current.params, **changes.pop("params", {})}  # type: ignore[dict-item]
    configs[code] = RuleConfig(
        code,
        changes.get("severity", current.severity),  # type: ignore[arg-type]
        bool(changes.get("enabled", current.enabled)),
        params,
    )
    return configs


def by_rule(conflicts: list[Conflict], rule: str) -> list[Conflict]:
    return [conflict for conflict in conflicts if conflict.rule == rule]
