"""The database as an auto-assign problem (``crew-autoassign/2``), and the answer back.

The engine is pure code that knows nothing about the ORM; this module is the only bridge.
``build_problem`` reads, in a fixed number of set-based queries, what the engine needs to
staff the shifts of a scope:

- every shift of the scope that is not cancelled and has not started yet (a shift under way
  is left as it is: its assignments count as taken, outside the problem), with its role's
  required skills and its target ``headcount``; skills go by name (unique in an
  organization), so that the engine's reasons ("no artist has the skills rigging") read
  well;
- every active artist of the organization as a candidate, with skills, approved absences
  (``unavailable``), approved declared windows (``available``: ``None`` when the artist
  never declared one, the same reading as the ``outside_availability`` rule) and day rate;
- the active assignments that stay as they are, as *locked* pairs: in the scope, those
  that are locked, invited or accepted, and the proposed ones too unless the job may
  re-plan them (``replace_proposed``: only unlocked proposals made by auto-assign are
  replaceable); outside the scope, every active assignment of a candidate around the
  scope, as a locked pseudo-shift of head count 1 (``outside:<assignment id>``), so that
  rest and weekly caps count it;
- the organization's rules, so that auto-assign never creates a conflict the board would
  show: ``min_rest`` (duty periods spanning at most 24 h − rest), ``daily_hours`` as the
  work limit of a duty period (soft on the board, never exceeded by auto-assign) and
  ``weekly_hours``, each when enabled.

Locked pairs count toward a shift's head count (FORMAT.md), so a shift is given its full
target and the engine fills what remains. An active assignment of an artist who is no
longer active is kept too, but as a seat taken (the head count is lowered) rather than a
locked pair: that artist is not a candidate and cannot be in the problem.

The way back: ``plan_from_solution`` maps the engine's pairs to rows (what to create,
which replaceable proposals to cancel, which stay untouched); ``unfilled_report`` and
``without_named_pairs`` read the conflicts of a refused write in the same terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.rules.duty import max_span
from apps.planning.rules.facts import ArtistFact, RuleConfig
from apps.planning.rules.selectors import artist_facts, role_skills, rule_configs
from apps.planning.schedule.selectors import shifts_in_scope

FORMAT_NAME = "crew-autoassign/2"
OUTSIDE_PREFIX = "outside:"
# Rest is at most 72 h and a local week is 7 days: 8 days each side covers both.
AROUND = timedelta(days=8)
MINUTE = timedelta(minutes=1)

Pair = tuple[UUID, UUID]
"""(shift id, artist id)."""


@dataclass(frozen=True)
class Scope:
    """Which shifts a job staffs: exactly one of a project, a mission, a range or ids."""

    project_id: UUID | None = None
    mission_id: UUID | None = None
    start: datetime | None = None
    end: datetime | None = None
    shift_ids: tuple[UUID, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scope:
        """Read the stored form (``AutoAssignJob.scope``)."""
        return cls(
            project_id=_uuid_or_none(data.get("project_id")),
            mission_id=_uuid_or_none(data.get("mission_id")),
            start=_datetime_or_none(data.get("from")),
            end=_datetime_or_none(data.get("to")),
            shift_ids=tuple(UUID(str(value)) for value in data.get("shift_ids") or ()),
        )

    def to_json(self) -> dict[str, Any]:
        """The stored form: only the kind that was given, ids and instants as strings."""
        if self.project_id is not None:
            return {"project_id": str(self.project_id)}
        if self.mission_id is not None:
            return {"mission_id": str(self.mission_id)}
        if self.shift_ids:
            return {"shift_ids": [str(value) for value in self.shift_ids]}
        if self.start is None or self.end is None:
            raise ValueError("A scope needs a project, a mission, shift ids or a range.")
        return {"from": iso(self.start), "to": iso(self.end)}


def _uuid_or_none(value: Any) -> UUID | None:
    return None if value in (None, "") else UUID(str(value))


def _datetime_or_none(value: Any) -> datetime | None:
    return None if value in (None, "") else datetime.fromisoformat(str(value))


def iso(instant: datetime) -> str:
    """An instant as ISO 8601 in UTC with ``Z``, as the problem format and the API show it."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def shifts_to_staff(*, organization: Organization, scope: Scope) -> QuerySet[Shift]:
    """The shifts a scope staffs: those of the organization that are not cancelled.

    A range keeps the shifts that overlap it, like every ``from``/``to`` filter of the API.
    """
    return shifts_in_scope(
        organization=organization,
        project_id=scope.project_id,
        mission_id=scope.mission_id,
        shift_ids=scope.shift_ids,
        start=scope.start,
        end=scope.end,
    ).exclude(status=ShiftStatus.CANCELLED)


@dataclass(frozen=True)
class ScopeExtent:
    """How many shifts a scope holds and the time they span (``None`` when empty)."""

    shifts: int
    start: datetime | None
    end: datetime | None

    def overlaps(self, other: ScopeExtent) -> bool:
        if None in (self.start, self.end, other.start, other.end):
            return False
        return self.start < other.end and other.start < self.end  # type: ignore[operator]

    def to_json(self) -> dict[str, Any]:
        return {
            "shifts": self.shifts,
            "start": iso(self.start) if self.start else None,
            "end": iso(self.end) if self.end else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScopeExtent:
        return cls(
            shifts=int(data.get("shifts") or 0),
            start=_datetime_or_none(data.get("start")),
            end=_datetime_or_none(data.get("end")),
        )


def scope_extent(*, organization: Organization, scope: Scope) -> ScopeExtent:
    """One aggregate query: the count and span of the scope's shifts."""
    row = shifts_to_staff(organization=organization, scope=scope).aggregate(
        count=Count("id"), start=Min("start_at"), end=Max("end_at")
    )
    return ScopeExtent(shifts=row["count"], start=row["start"], end=row["end"])


@dataclass(frozen=True)
class BuiltProblem:
    """A problem dict and what the job needs to map the engine's answer back to rows.

    ``headcount`` is the target of every shift of the scope; ``kept`` counts the active
    assignments of each that stay whatever the engine says; ``replaceable`` maps the pairs
    the job may re-plan to their assignment ids; ``active_before`` counts every active
    assignment before the run (for the coverage before).
    """

    data: dict[str, Any]
    headcount: dict[UUID, int] = field(default_factory=dict)
    kept: dict[UUID, int] = field(default_factory=dict)
    active_before: dict[UUID, int] = field(default_factory=dict)
    locked: frozenset[tuple[str, str]] = frozenset()
    replaceable: dict[Pair, UUID] = field(default_factory=dict)

    @property
    def slots_total(self) -> int:
        return sum(self.headcount.values())

    @property
    def slots_filled_before(self) -> int:
        return filled_slots(self.headcount, self.active_before)


def filled_slots(headcount: Mapping[UUID, int], seated: Mapping[UUID, int]) -> int:
    """Slots filled: per shift, the seats taken up to its target (extra seats fill nothing)."""
    return sum(min(target, seated.get(shift, 0)) for shift, target in headcount.items())


def coverage(filled: int, total: int) -> float | None:
    """Filled slots over total head count; ``None`` when the scope has no slot at all."""
    return round(filled / total, 4) if total else None


@dataclass(frozen=True)
class _ShiftRow:
    id: UUID
    start_at: datetime
    end_at: datetime
    headcount: int
    role_id: UUID
    label: str


def build_problem(
    *,
    organization: Organization,
    scope: Scope,
    replace_proposed: bool,
    name: str = "",
    now: datetime | None = None,
) -> BuiltProblem:
    """Read the scope from the database as a problem (see the module docstring).

    Seven queries whatever the size: shifts, active assignments around them, active
    artists, their facts (three), role skills and rule settings. ``now`` (default: the
    present) separates the shifts to staff from those already under way.
    """
    shifts = _shift_rows(organization=organization, scope=scope, now=now or timezone.now())
    if not shifts:
        return BuiltProblem(data=_problem(organization, name, {}, [], [], []))
    start = min(row.start_at for row in shifts) - AROUND
    end = max(row.end_at for row in shifts) + AROUND
    candidates = dict(
        Artist.objects.filter(organization=organization, is_active=True).values_list(
            "id", "day_rate"
        )
    )
    facts = _by_text(
        artist_facts(organization=organization, artist_ids=list(candidates), start=start, end=end)
    )
    reader = _AssignmentReader({row.id for row in shifts}, set(candidates), replace_proposed)
    reader.read(_active_assignments(organization=organization, start=start, end=end))
    required, names = _skill_names({row.role_id for row in shifts})
    problem_shifts = [
        _shift_entry(row, required.get(str(row.role_id), ()), reader.seats_not_locked[row.id])
        for row in shifts
    ] + reader.outside_shifts
    artists = [
        _artist_entry(artist_id, facts.get(str(artist_id)), names, day_rate)
        for artist_id, day_rate in candidates.items()
    ]
    locked = [{"shift": shift, "artist": artist} for shift, artist in sorted(reader.locked)]
    return BuiltProblem(
        data=_problem(
            organization,
            name,
            rule_configs(organization=organization),
            artists,
            problem_shifts,
            locked,
        ),
        headcount={row.id: row.headcount for row in shifts},
        kept=dict(reader.kept),
        active_before=dict(reader.active_before),
        locked=frozenset(reader.locked),
        replaceable=reader.replaceable,
    )


def _by_text(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    """Keys as text: the rule selectors may key rows by UUID or by their text form."""
    return {str(key): value for key, value in mapping.items()}


def _skill_names(role_ids: set[UUID]) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Names of the skills each role requires, and skill id → name (text keys)."""
    required, names = role_skills(role_ids)
    by_id = _by_text(names)
    return {
        str(role): frozenset(by_id[str(skill)] for skill in skills)
        for role, skills in required.items()
    }, by_id


def _shift_rows(*, organization: Organization, scope: Scope, now: datetime) -> list[_ShiftRow]:
    rows = (
        shifts_to_staff(organization=organization, scope=scope)
        .filter(start_at__gt=now)
        .order_by("start_at", "id")
        .values_list(
            "id", "start_at", "end_at", "headcount", "role_id", "mission__name", "role__name"
        )
    )
    return [
        _ShiftRow(shift_id, start_at, end_at, headcount, role_id, f"{mission} · {role}")
        for shift_id, start_at, end_at, headcount, role_id, mission, role in rows
    ]


def _active_assignments(
    *, organization: Organization, start: datetime, end: datetime
) -> QuerySet[Assignment, tuple[Any, ...]]:
    return (
        Assignment.objects.filter(
            organization=organization,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            start_at__lt=end,
            end_at__gt=start,
        )
        .order_by("start_at", "id")
        .values_list(
            "id", "shift_id", "artist_id", "status", "locked", "source", "start_at", "end_at"
        )
    )


class _AssignmentReader:
    """Sorts the active assignments around a scope into what the problem needs."""

    def __init__(self, scope_ids: set[UUID], candidates: set[UUID], replace_proposed: bool) -> None:
        self.scope_ids = scope_ids
        self.candidates = candidates
        self.replace_proposed = replace_proposed
        self.active_before: Counter[UUID] = Counter()
        self.kept: Counter[UUID] = Counter()
        self.seats_not_locked: Counter[UUID] = Counter()
        self.locked: set[tuple[str, str]] = set()
        self.replaceable: dict[Pair, UUID] = {}
        self.outside_shifts: list[dict[str, Any]] = []

    def read(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            if row[1] in self.scope_ids:
                self._inside(*row)
            elif row[2] in self.candidates:
                self._outside(assignment_id=row[0], artist_id=row[2], start=row[6], end=row[7])

    def _inside(
        self,
        assignment_id: UUID,
        shift_id: UUID,
        artist_id: UUID,
        status: str,
        locked: bool,
        source: str,
        *_times: datetime,
    ) -> None:
        self.active_before[shift_id] += 1
        if self.replace_proposed and _replaceable(status, locked, source):
            self.replaceable[(shift_id, artist_id)] = assignment_id
            return
        self.kept[shift_id] += 1
        if artist_id in self.candidates:
            self.locked.add((str(shift_id), str(artist_id)))
        else:
            self.seats_not_locked[shift_id] += 1

    def _outside(
        self, *, assignment_id: UUID, artist_id: UUID, start: datetime, end: datetime
    ) -> None:
        pseudo = f"{OUTSIDE_PREFIX}{assignment_id}"
        self.outside_shifts.append(
            {"id": pseudo, "start": iso(start), "end": iso(end), "skills": [], "headcount": 1}
        )
        self.locked.add((pseudo, str(artist_id)))


def _replaceable(status: str, locked: bool, source: str) -> bool:
    """Only an unlocked proposal that auto-assign itself made may be re-planned."""
    return status == AssignmentStatus.PROPOSED and not locked and source == AssignmentSource.AUTO


def _shift_entry(row: _ShiftRow, skills: Iterable[str], seats_taken: int) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "start": iso(row.start_at),
        "end": iso(row.end_at),
        "skills": sorted(skills),
        "headcount": max(0, row.headcount - seats_taken),
        "label": row.label,
    }


def _artist_entry(
    artist_id: UUID, fact: ArtistFact | None, names: Mapping[str, str], day_rate: Any
) -> dict[str, Any]:
    """Skills by name, only those some shift of the scope requires (the others never matter)."""
    fact = fact or ArtistFact(id=artist_id)
    windows = [{"start": iso(w.start_at), "end": iso(w.end_at)} for w in fact.available_windows]
    return {
        "id": str(artist_id),
        "skills": sorted(names[str(skill)] for skill in fact.skill_ids if str(skill) in names),
        "unavailable": [{"start": iso(w.start_at), "end": iso(w.end_at)} for w in fact.absences],
        "available": windows if fact.declares_windows else None,
        "day_rate": None if day_rate is None else float(day_rate),
    }


def _problem(
    organization: Organization,
    name: str,
    rules: Mapping[str, RuleConfig],
    artists: list[dict[str, Any]],
    shifts: list[dict[str, Any]],
    locked: list[dict[str, str]],
) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "name": name,
        "timezone": organization.timezone,
        "rules": engine_rules(rules),
        "artists": artists,
        "shifts": shifts,
        "locked": locked,
    }


def engine_rules(rules: Mapping[str, RuleConfig]) -> dict[str, int]:
    """The rules the engine enforces, in minutes; a disabled rule is left out.

    Duty periods exist only with a minimum rest (FORMAT.md), so ``daily_hours`` is passed
    as their work limit only then.
    """
    engine: dict[str, int] = {}
    rest = rules.get("min_rest")
    if rest is not None and rest.enabled:
        minutes = round(rest.param("min_rest_hours") * 60)
        engine["min_rest_minutes"] = minutes
        engine["max_duty_span_minutes"] = round(max_span(timedelta(minutes=minutes)) / MINUTE)
        daily = rules.get("daily_hours")
        if daily is not None and daily.enabled:
            engine["max_duty_work_minutes"] = round(daily.param("max_hours") * 60)
    week = rules.get("weekly_hours")
    if week is not None and week.enabled:
        engine["max_week_minutes"] = round(week.param("max_hours") * 60)
    return engine


@dataclass(frozen=True)
class Plan:
    """What a solution changes: pairs to create, replaceable proposals to cancel."""

    create: tuple[Pair, ...]
    cancel: tuple[UUID, ...]
    unchanged: tuple[Pair, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "proposal": [{"shift_id": str(s), "artist_id": str(a)} for s, a in self.create],
            "replaces": [str(assignment_id) for assignment_id in self.cancel],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        return cls(
            create=tuple(
                (UUID(item["shift_id"]), UUID(item["artist_id"]))
                for item in data.get("proposal") or ()
            ),
            cancel=tuple(UUID(value) for value in data.get("replaces") or ()),
            unchanged=(),
        )


def plan_from_solution(built: BuiltProblem, assignments: Iterable[tuple[str, str]]) -> Plan:
    """The engine's pairs (locked ones included) as changes to the scope's rows.

    Pseudo-shifts and locked pairs are dropped (they exist already); a replaceable
    proposal the engine chose again stays untouched; the others are cancelled.
    """
    chosen: list[Pair] = []
    for shift, artist in assignments:
        if shift.startswith(OUTSIDE_PREFIX) or (shift, artist) in built.locked:
            continue
        chosen.append((UUID(shift), UUID(artist)))
    chosen_set = set(chosen)
    return Plan(
        create=tuple(sorted(pair for pair in chosen if pair not in built.replaceable)),
        cancel=tuple(
            sorted(
                assignment_id
                for pair, assignment_id in built.replaceable.items()
                if pair not in chosen_set
            )
        ),
        unchanged=tuple(sorted(pair for pair in chosen if pair in built.replaceable)),
    )


def seats_after(built: BuiltProblem, plan: Plan, created: Iterable[Pair]) -> Counter[UUID]:
    """Active assignments per shift once ``created`` are written and the plan's cancels done."""
    seats: Counter[UUID] = Counter(built.kept)
    seats.update(shift for shift, _ in plan.unchanged)
    seats.update(shift for shift, _ in created)
    return seats


def pair_filter(pairs: Iterable[Pair]) -> Q:
    """A ``Q`` matching rows of these (shift, artist) pairs (empty pairs match nothing)."""
    condition = Q(pk__in=[])
    for shift_id, artist_id in pairs:
        condition |= Q(shift_id=shift_id, artist_id=artist_id)
    return condition


def unfilled_report(
    engine_unfilled: Iterable[Any], refused: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The engine's unfilled shifts (pseudo-shifts left out), plus one missing seat per pair
    the write-time check refused, with the rules that refused it."""
    unfilled: dict[str, dict[str, Any]] = {
        str(item.shift_id): {
            "shift_id": str(item.shift_id),
            "missing": int(item.missing),
            "reasons": [str(reason) for reason in item.reasons],
        }
        for item in engine_unfilled
        if not str(item.shift_id).startswith(OUTSIDE_PREFIX)
    }
    rules_by_pair: dict[tuple[str, str], set[str]] = {}
    for conflict in refused:
        key = conflict_pair(conflict)
        if key is not None:
            rules_by_pair.setdefault(key, set()).add(str(conflict.get("rule", "")))
    for (shift_id, _), rules in sorted(rules_by_pair.items()):
        entry = unfilled.setdefault(shift_id, {"shift_id": shift_id, "missing": 0, "reasons": []})
        entry["missing"] += 1
        entry["reasons"].append(
            "a proposal was refused by the write-time check: " + ", ".join(sorted(rules))
        )
    return list(unfilled.values())


def conflict_pair(conflict: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (shift id, artist id) a conflict is about, from its details, as strings."""
    details = conflict.get("details") or {}
    shift_id, artist_id = details.get("shift_id"), details.get("artist_id")
    if not shift_id or not artist_id:
        return None
    return str(shift_id), str(artist_id)


def without_named_pairs(pairs: list[Pair], conflicts: list[dict[str, Any]]) -> list[Pair]:
    """Drop the pairs the conflicts name; if none is named, the named artists' pairs go.

    Returns an empty list when nothing can be told apart, so that a retry loop ends."""
    named = {key for key in map(conflict_pair, conflicts) if key is not None}
    kept = [(s, a) for s, a in pairs if (str(s), str(a)) not in named]
    if len(kept) < len(pairs):
        return kept
    artists = {str((c.get("details") or {}).get("artist_id")) for c in conflicts}
    kept = [(s, a) for s, a in pairs if str(a) not in artists]
    return kept if len(kept) < len(pairs) else []
