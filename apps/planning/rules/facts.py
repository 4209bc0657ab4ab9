"""The plain facts the rules work on, and what they answer.

Nothing here knows about the ORM: ``apps.planning.rules.conflicts`` loads rows and builds
these, tests build them by hand. Every dataclass is frozen (facts are never edited during
a check) and slotted (a month holds thousands of them).

Keys: stored objects are keyed by their UUID; an object that exists only in a proposal
(a new assignment, a new shift in a preview) is keyed by a ``NewRef`` so that it can be
told apart from stored ids and rendered as ``null`` plus a ``*_ref`` label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

Severity = Literal["hard", "soft"]
Key = Hashable


@dataclass(frozen=True, slots=True)
class NewRef:
    """Key of an object that exists only in a proposal (``label`` is the client's name)."""

    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open time window ``[start_at, end_at)`` (an absence or a declared window)."""

    start_at: datetime
    end_at: datetime
    id: Key | None = None


@dataclass(frozen=True, slots=True)
class ShiftFact:
    """A shift as the rules see it; ``required_skill_ids`` come from its role."""

    key: Key
    start_at: datetime
    end_at: datetime
    headcount: int
    max_headcount: int
    break_minutes: int = 0
    role_id: Key | None = None
    required_skill_ids: frozenset[Key] = frozenset()


@dataclass(frozen=True, slots=True)
class AssignmentFact:
    """An *active* assignment (proposed, invited or accepted) at its shift's times.

    ``start_at``/``end_at`` repeat the shift's, so sweeps sort assignments without a lookup.
    """

    key: Key
    shift_key: Key
    artist_id: Key
    start_at: datetime
    end_at: datetime
    break_minutes: int = 0


@dataclass(frozen=True, slots=True)
class ArtistFact:
    """What the rules need to know about one artist.

    ``declares_windows`` is true when the artist has ever declared an approved
    ``available`` window: only such artists can be "outside their availability".
    ``available_windows`` only needs the windows around the checked period.
    """

    id: Key
    skill_ids: frozenset[Key] = frozenset()
    absences: tuple[Window, ...] = ()
    pending_absences: tuple[Window, ...] = ()
    available_windows: tuple[Window, ...] = ()
    declares_windows: bool = False


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """One rule as an organization runs it: catalog defaults merged with its settings."""

    code: str
    severity: Severity
    enabled: bool
    params: Mapping[str, float]

    def param(self, name: str) -> float:
        return float(self.params[name])


@dataclass(frozen=True, slots=True)
class Focus:
    """What a check is about: only conflicts touching these are reported.

    ``capacity_shifts`` is separate from ``shifts`` because a proposal only answers for a
    shift's capacity when it takes a seat on it (see ``apps.planning.rules.conflicts``).
    """

    assignments: frozenset[Key] = frozenset()
    shifts: frozenset[Key] = frozenset()
    capacity_shifts: frozenset[Key] = frozenset()


@dataclass(frozen=True, slots=True)
class PlanningFacts:
    """Everything one check looks at. Assignments must all be active."""

    shifts: Mapping[Key, ShiftFact]
    assignments: tuple[AssignmentFact, ...]
    artists: Mapping[Key, ArtistFact]
    skill_names: Mapping[Key, str] = field(default_factory=dict)

    def everything(self) -> Focus:
        """A focus on every loaded assignment and shift (a whole-range check)."""
        shift_keys = frozenset(self.shifts)
        return Focus(
            assignments=frozenset(a.key for a in self.assignments),
            shifts=shift_keys,
            capacity_shifts=shift_keys,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    """A broken rule, in the words of a planner, with the ids it is about.

    ``assignment_keys`` / ``shift_keys`` say what the conflict involves (used to keep
    only the conflicts touching a proposal); ``at`` orders conflicts chronologically;
    ``params`` are the rule's parameters as the organization runs it. None of them is
    part of the public shape: ``as_dict`` gives that. ``fingerprint()`` says what the
    conflict is about; a waiver holds only while it is unchanged.
    """

    type: Severity
    rule: str
    message: str
    details: Mapping[str, Any]
    at: datetime
    assignment_keys: tuple[Key, ...] = ()
    shift_keys: tuple[Key, ...] = ()
    params: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        config: RuleConfig,
        message: str,
        details: Mapping[str, Any],
        *,
        at: datetime,
        assignments: tuple[Key, ...] = (),
        shifts: tuple[Key, ...] = (),
    ) -> Conflict:
        """A conflict of ``config``'s rule, with the severity the organization gave it."""
        return cls(
            config.severity, config.code, message, details, at, assignments, shifts, config.params
        )

    @classmethod
    def of_assignment(
        cls, config: RuleConfig, assignment: AssignmentFact, details: Mapping[str, Any]
    ) -> Conflict:
        """A conflict of one assignment (and its shift), dated at its start; the message is
        left to the catalog."""
        return cls.of(
            config,
            "",
            details,
            at=assignment.start_at,
            assignments=(assignment.key,),
            shifts=(assignment.shift_key,),
        )

    def fingerprint(self) -> str:
        """A digest of the rule, its parameters and the details (computed on demand: only
        the few conflicts with a waiver to compare need it)."""
        return digest(self)

    def touches(self, focus: Focus) -> bool:
        if self.rule in ("capacity_hard", "capacity_soft"):
            return any(key in focus.capacity_shifts for key in self.shift_keys)
        if self.assignment_keys:
            return any(key in focus.assignments for key in self.assignment_keys)
        return any(key in focus.shifts for key in self.shift_keys)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape: ``{"type", "rule", "message", "details"}``."""
        return {
            "type": self.type,
            "rule": self.rule,
            "message": self.message,
            "details": json_details(self.details),
        }


def json_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe details: UUIDs as strings, dates in ISO 8601, new objects as ``null``.

    A ``NewRef`` under ``shift_id`` renders ``"shift_id": null, "shift_ref": "<label>"``,
    so a preview client can match a conflict with what it sent.
    """
    rendered: dict[str, Any] = {}
    for name, value in details.items():
        if isinstance(value, NewRef):
            rendered[name] = None
            rendered[name.removesuffix("_id") + "_ref"] = value.label
        else:
            rendered[name] = _json_value(value)
    return rendered


def _json_value(value: Any) -> Any:
    if isinstance(value, UUID | NewRef):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return json_details(value)
    return value


def digest(conflict: Conflict) -> str:
    """A digest of what ``conflict`` is about: its rule, the rule's parameters and its
    details (the involved assignments and shifts, their times, the figures).

    Instants count as instants (whatever their zone), ids as text, so a stored conflict
    read by a range check and by a write's check gives the same digest.
    """
    payload = (conflict.rule, _canonical(dict(conflict.params)), _canonical(conflict.details))
    return hashlib.sha256(repr(payload).encode()).hexdigest()[:32]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, NewRef):
        return ("new", value.label)
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _canonical(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_canonical(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
