"""Conflict checks for planning writes: the interface the shift and assignment services use.

The rules themselves are pure domain code in ``apps.planning.rules`` (plain dataclasses,
sort-and-sweep, no ORM). This module loads, in a fixed number of set-based queries, the
facts a check needs (the shifts, the artists' other active assignments around them,
their skills, approved and pending absences, declared windows, the organization's rule
settings) and returns conflicts in the documented shape::

    {"type": "hard" | "soft", "rule": "min_rest", "message": "...",
     "details": {"artist_id": ..., "shift_id": ..., "assignment_id": ..., ...}}

Ids in ``details`` are strings; an object that exists only in the proposal has ``null``
for its id and its client label under ``*_ref`` (``"assignment_ref": "assignments.0"``).

Contract:
- ``ProposedAssignment`` describes an assignment as it would be after the write (new:
  ``id=None``); only active statuses (proposed, invited, accepted) are checked. A proposal
  with the id of a stored assignment *replaces* it (an update), so an assignment never
  conflicts with its own former self. ``shift_id`` may also be the ``ref`` of a
  ``ProposedShift`` of the same check (a preview of a shift not yet created).
- A ``ProposedShift`` with an id replaces the stored shift: its active assignments are
  re-checked at its new times, role and capacity. A cancelled one checks nothing.
- Every function returns only the conflicts that involve what was proposed. Capacity
  (``capacity_hard`` / ``capacity_soft``) involves an assignment only when it *takes a
  seat* on the shift (new, re-activated or moved there): confirming an assignment that
  already holds its seat is not refused because an admin once overrode the shift's cap.
- Loading costs at most seven queries whatever the number of assignments: the shifts
  referenced by id; the active assignments around the proposal (the artists' own within
  eight days of it, so that a week and a rest are always complete, and every seat of
  the shifts whose capacity is checked); the artists; their skills; the roles' required
  skills; the artists' availabilities; the organization's rule settings. Saying the
  conflicts found costs up to three more (``rules.report``: the names of
  the artists and shifts involved, and the waivers); a check that finds nothing, none.
- Messages are in the active language (``TenantAPIView`` activates the member's); a hard
  conflict an admin waived carries ``waived`` and refuses nothing (``docs/CONFLICTS.md``).
- ``enforce`` raises ``HardConflictError`` (409) when an unwaived hard conflict remains,
  unless the member is an admin who gave ``override_reason`` and no conflict is
  ``double_booking``. The *caller* audits an override: it writes the reason in the audit
  entry of the write (``record(..., reason=override_reason)``) and stores it as waivers
  (``rules.waivers.waivers_settle``), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils.translation import gettext

from apps.core.errors import HardConflictError, PermissionDenied, ValidationFailed
from apps.orgs.models import MemberRole, Membership, Organization
from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, ShiftStatus
from apps.planning.rules import stored
from apps.planning.rules.detect import detect
from apps.planning.rules.facts import (
    AssignmentFact,
    Conflict,
    Focus,
    Key,
    NewRef,
    PlanningFacts,
    RuleConfig,
    ShiftFact,
)
from apps.planning.rules.report import is_blocking, present_conflicts
from apps.planning.rules.selectors import (
    RANGE_SHIFT_COLUMNS,
    FastRead,
    ShiftRow,
    artist_facts,
    fast_rows,
    ids_in,
    proposal_assignment_rows,
    range_assignment_rows,
    range_shifts,
    role_skills,
    rule_configs,
    stored_shift_rows,
)

ConflictPayload = dict[str, Any]

ACTIVE = frozenset(str(status) for status in ACTIVE_ASSIGNMENT_STATUSES)
CANCELLED = str(ShiftStatus.CANCELLED)
CAPACITY_RULES = frozenset({"capacity_hard", "capacity_soft"})
# Around a proposal: a local week (Monday to Monday) and any rest are always complete.
CONTEXT = timedelta(days=8)


@dataclass(frozen=True)
class ProposedAssignment:
    """An assignment as it would be after the write (new: ``id=None``).

    ``shift_id`` is a stored shift's id, or the ``ref`` of a ``ProposedShift`` checked
    with it; ``ref`` labels a new assignment in the conflicts' details.
    """

    shift_id: UUID | str
    artist_id: UUID
    status: str = "proposed"
    id: UUID | None = None
    ref: str | None = None


@dataclass(frozen=True)
class ProposedShift:
    """A shift as it would be after the write (new: ``id=None``; ``ref`` names a new one)."""

    mission_id: UUID
    role_id: UUID
    start_at: datetime
    end_at: datetime
    headcount: int
    max_headcount: int
    break_minutes: int = 0
    status: str = "draft"
    id: UUID | None = None
    ref: str | None = None


def conflicts_for_assignments(
    *, organization: Organization, assignments: list[ProposedAssignment]
) -> list[ConflictPayload]:
    """Conflicts the proposed assignments would have (all rules of the catalog)."""
    return check_proposal(organization=organization, assignments=assignments)


def conflicts_for_shift(
    *, organization: Organization, shift: ProposedShift
) -> list[ConflictPayload]:
    """Conflicts of a new or changed shift: its own rules (missing_break, capacity) and
    those of every active assignment it holds, re-checked at the shift's new times."""
    return check_proposal(organization=organization, shifts=[shift])


def conflicts_in_range(
    *,
    organization: Organization,
    start: datetime,
    end: datetime,
    project_id: UUID | None = None,
    artist_id: UUID | None = None,
) -> list[ConflictPayload]:
    """Current conflicts of the active assignments and shifts overlapping the range.

    With ``project_id``: those touching the project's shifts (a short rest against
    another project's shift counts). With ``artist_id``: the artist's assignments and the
    shifts they hold.
    """
    shift_filter = Q(mission__project_id=project_id) if project_id else Q()
    state = stored.state_of(organization)
    if state == stored.FRESH:
        found = _stored_of_range(organization, start, end, shift_filter, artist_id)
    else:
        found = _check_range(state, organization, start, end, shift_filter, artist_id).conflicts
    return present_conflicts(organization, found)


_NAMED_SEATS = FastRead(
    ("id", "shift_id", "artist_id"),
    lambda organization_id, ids: Assignment.objects.filter(
        ids_in("id", ids),
        organization_id=organization_id,
        status__in=ACTIVE_ASSIGNMENT_STATUSES,
    ),
)


def _stored_of_range(
    organization: Organization,
    start: datetime,
    end: datetime,
    shift_filter: Q,
    artist_id: UUID | None,
) -> list[Conflict]:
    """The stored conflicts ``check_range`` reports, reading only what they name.

    A range read reports the stored conflicts touching its live shifts and the active
    assignments on them (``range_focus``). Rather than reading every shift and seat of the
    range to build that focus (a month holds thousands), it reads the stored conflicts
    spanning the range first, then only the assignments and shifts they name: three
    queries whose size follows the conflicts, not the range.
    """
    candidates = stored.stored_spanning(organization, start, end)
    named_assignments = {key for conflict in candidates for key in conflict.assignment_keys}
    seats = (
        _NAMED_SEATS(organization_id=organization.pk, ids=list(named_assignments))
        if named_assignments
        else []
    )
    named_shifts = {key for conflict in candidates for key in conflict.shift_keys}
    named_shifts.update(row[1] for row in seats)
    shifts = range_shifts(
        organization=organization,
        start=start,
        end=end,
        shift_filter=shift_filter,
        artist_id=artist_id,
    ).filter(pk__in=named_shifts)
    live = {row[0] for row in fast_rows(shifts, ("id",))}
    return stored.touching(candidates, range_focus(live, seats, artist_id))


def enforce(
    conflicts: list[ConflictPayload],
    *,
    membership: Membership | None,
    override_reason: str | None,
) -> list[ConflictPayload]:
    """Refuse hard conflicts (``HardConflictError``) unless an admin overrides them with a reason.

    Returns the conflicts to report with the written object (soft ones, waived ones and
    overridden hard ones). A hard conflict an admin already waived (same fingerprint) no
    longer refuses anything. ``double_booking`` can never be overridden; a member below
    admin giving a reason is refused with 403 ``override_not_allowed``, whatever the
    conflicts, so a manager learns at once that overriding is not theirs to do. The caller
    audits the override with the reason and stores it as waivers
    (``rules.waivers.waivers_settle``).
    """
    reason = (override_reason or "").strip()
    if reason and (membership is None or not membership.has_role(MemberRole.ADMIN)):
        raise PermissionDenied(
            gettext("Only an admin or an owner can override a hard rule."),
            code="override_not_allowed",
        )
    hard = [conflict for conflict in conflicts if is_blocking(conflict)]
    if not hard:
        return conflicts
    if not reason:
        raise HardConflictError(conflicts, gettext("The change breaks a hard planning rule."))
    if any(conflict["rule"] == "double_booking" for conflict in hard):
        raise HardConflictError(conflicts, gettext("A double booking can never be overridden."))
    return conflicts


def detect_stored(*, organization: Organization, assignment_ids: Iterable[Any]) -> list[Conflict]:
    """Current conflicts of stored active assignments (one more query than a check).

    What a waiver is given for once a write is saved: the conflicts as a later read will
    see them, stored ids and all.
    """
    rows = Assignment.objects.filter(
        organization=organization,
        id__in=list(assignment_ids),
        status__in=ACTIVE_ASSIGNMENT_STATUSES,
    ).values_list("id", "shift_id", "artist_id", "status")
    proposed = [
        ProposedAssignment(shift_id=shift_id, artist_id=artist_id, status=status, id=pk)
        for pk, shift_id, artist_id, status in rows
    ]
    if not proposed:
        return []
    return detect_proposal(organization=organization, assignments=proposed, count_seats=True)


# --- Proposals (writes and previews) -----------------------------------------------------


@dataclass
class _Proposal:
    """A proposal keyed for the rules: stored ids as text (as the rows read them), new
    objects as ``NewRef``s."""

    shifts: dict[Key, ShiftRow]
    assignments: list[tuple[Key, Key, ProposedAssignment]] = field(default_factory=list)

    @classmethod
    def parse(
        cls, shifts: Sequence[ProposedShift], assignments: Sequence[ProposedAssignment]
    ) -> _Proposal:
        rows: dict[Key, ShiftRow] = {}
        refs: dict[str, Key] = {}
        for index, shift in enumerate(shifts):
            key: Key = str(shift.id) if shift.id else NewRef(shift.ref or f"shifts.{index}")
            if shift.ref:
                refs[shift.ref] = key
            rows[key] = ShiftRow(
                key,
                str(shift.role_id),
                shift.start_at,
                shift.end_at,
                shift.headcount,
                shift.max_headcount,
                shift.break_minutes,
                shift.status,
            )
        proposal = cls(rows)
        for index, assignment in enumerate(assignments):
            key = (
                str(assignment.id)
                if assignment.id
                else NewRef(assignment.ref or f"assignments.{index}")
            )
            shift_key = _shift_key(assignment.shift_id, refs)
            proposal.assignments.append((key, shift_key, assignment))
        return proposal

    @property
    def active(self) -> list[tuple[Key, Key, ProposedAssignment]]:
        return [item for item in self.assignments if item[2].status in ACTIVE]

    @property
    def changed_shift_ids(self) -> list[str]:
        return [key for key in self.shifts if isinstance(key, str)]

    @property
    def stored_assignment_ids(self) -> set[str]:
        return {str(a.id) for _, _, a in self.assignments if a.id is not None}

    def referenced_shift_ids(self) -> set[str]:
        return {
            shift_key
            for _, shift_key, _ in self.assignments
            if isinstance(shift_key, str) and shift_key not in self.shifts
        }


def _shift_key(value: UUID | str, refs: dict[str, Key]) -> Key:
    if isinstance(value, UUID):
        return str(value)
    if value in refs:
        return refs[value]
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise ValidationFailed.for_field(
            "shift_ref", f"'{value}' is neither a shift id nor the ref of a proposed shift."
        ) from None


def check_proposal(
    *,
    organization: Organization,
    shifts: Sequence[ProposedShift] = (),
    assignments: Sequence[ProposedAssignment] = (),
) -> list[ConflictPayload]:
    """Conflicts of a set of proposed shifts and assignments, without writing anything."""
    found = detect_proposal(organization=organization, shifts=shifts, assignments=assignments)
    return present_conflicts(organization, found)


def detect_proposal(
    *,
    organization: Organization,
    shifts: Sequence[ProposedShift] = (),
    assignments: Sequence[ProposedAssignment] = (),
    count_seats: bool = False,
) -> list[Conflict]:
    """``check_proposal`` before presentation: the pure conflicts (without words).

    ``count_seats`` reports the capacity of every proposed assignment's shift, even where
    the assignment already holds its seat (what a stored assignment's waiver is for).
    """
    proposal = _Proposal.parse(shifts, assignments)
    return _proposal_conflicts(
        organization=organization, proposal=proposal, count_seats=count_seats
    )


def conflicts_per_candidate(
    *, organization: Organization, shift_id: UUID, artist_ids: Sequence[UUID]
) -> dict[str, list[ConflictPayload]]:
    """What assigning each artist to the shift would cause, as a preview would say it.

    This is the one definition of who "fits" a shift, for the board's candidate list: the
    same check as ``check_proposal``, run for every candidate at once. The artist rules are
    independent from one artist to the next, so proposing all candidates together gives each
    its own conflicts; the shift's capacity is checked for one more seat, once, and holds for
    each candidate. Two checks whatever the number of candidates.
    """
    if not artist_ids:
        return {}
    proposed = [
        ProposedAssignment(shift_id=shift_id, artist_id=artist_id, ref=f"candidate:{artist_id}")
        for artist_id in artist_ids
    ]
    proposal = _Proposal.parse((), proposed)
    artist_of = {key: str(a.artist_id) for key, _, a in proposal.assignments}
    owners: list[set[str]] = []
    found: list[Conflict] = []
    for conflict in _proposal_conflicts(organization=organization, proposal=proposal):
        if conflict.rule not in CAPACITY_RULES:
            found.append(conflict)
            owners.append({artist_of[k] for k in conflict.assignment_keys if k in artist_of})
    one_more_seat = _Proposal.parse((), proposed[:1])
    capacity = [
        conflict
        for conflict in _proposal_conflicts(organization=organization, proposal=one_more_seat)
        if conflict.rule in CAPACITY_RULES
    ]
    presented = present_conflicts(organization, [*found, *capacity])
    per_artist: dict[str, list[ConflictPayload]] = {str(a): [] for a in artist_ids}
    for artists, payload in zip(owners, presented, strict=False):
        for artist in artists:
            per_artist[artist].append(payload)
    shared = presented[len(found) :]
    return {artist: [*payloads, *shared] for artist, payloads in per_artist.items()}


def _proposal_conflicts(
    *, organization: Organization, proposal: _Proposal, count_seats: bool = False
) -> list[Conflict]:
    shift_rows = stored_shift_rows(organization=organization, ids=proposal.referenced_shift_ids())
    shift_rows.update(proposal.shifts)
    live = [row for row in shift_rows.values() if row.status != CANCELLED]
    if not live:
        return []
    start = min(row.start_at for row in live) - CONTEXT
    end = max(row.end_at for row in live) + CONTEXT
    rows = proposal_assignment_rows(
        organization=organization,
        artist_ids=[str(a.artist_id) for _, _, a in proposal.active],
        changed_shift_ids=proposal.changed_shift_ids,
        shift_ids=[key for key in shift_rows if isinstance(key, str)],
        assignment_ids=proposal.stored_assignment_ids,
        start=start,
        end=end,
    )
    facts, focus = _proposal_facts(proposal, shift_rows, rows, count_seats)
    return detect_rows(organization, facts, focus, shift_rows, start, end)


def _proposal_facts(
    proposal: _Proposal,
    shift_rows: dict[Key, ShiftRow],
    rows: Iterable[tuple[Any, ...]],
    count_seats: bool = False,
) -> tuple[list[AssignmentFact], Focus]:
    """Stored assignments with the proposal applied over them, and what to report on."""
    stored_ids = proposal.stored_assignment_ids
    stored: dict[Key, tuple[str, Key]] = {}
    placed: list[tuple[Key, Key, Key]] = []
    for row in rows:
        assignment_id, shift_id, artist_id, status = row[:4]
        shift = shift_rows.setdefault(shift_id, ShiftRow._make((shift_id, *row[4:])))
        if assignment_id in stored_ids:
            stored[assignment_id] = (status, shift_id)
        elif status in ACTIVE and row[-1] != CANCELLED and shift.status != CANCELLED:
            placed.append((assignment_id, shift_id, artist_id))
    placed += [(key, shift_key, str(a.artist_id)) for key, shift_key, a in proposal.active]
    facts = _assignment_facts(placed, shift_rows)
    return facts, _proposal_focus(proposal, shift_rows, facts, {} if count_seats else stored)


def _proposal_focus(
    proposal: _Proposal,
    shift_rows: dict[Key, ShiftRow],
    facts: list[AssignmentFact],
    stored: dict[Key, tuple[str, Key]],
) -> Focus:
    """Report on the proposed assignments, on every assignment of a changed shift, on the
    shifts they are on, and on the capacity of the shifts where a seat is taken."""
    proposed_shifts = {key for key in proposal.shifts if shift_rows[key].status != CANCELLED}
    active_keys = {key for key, _, _ in proposal.active}
    proposed_facts = [fact for fact in facts if fact.key in active_keys]
    on_changed = [fact for fact in facts if fact.shift_key in proposed_shifts]
    seats = {
        shift_key
        for key, shift_key, _ in proposal.active
        if _takes_a_seat(stored.get(key), shift_key)
    }
    return Focus(
        assignments=frozenset(fact.key for fact in (*proposed_facts, *on_changed)),
        shifts=frozenset(proposed_shifts | {fact.shift_key for fact in proposed_facts}),
        capacity_shifts=frozenset(proposed_shifts | seats),
    )


def _takes_a_seat(previous: tuple[str, Key] | None, shift_key: Key) -> bool:
    """New, re-activated or moved here; ``previous`` is the stored (status, shift)."""
    return previous is None or previous[0] not in ACTIVE or previous[1] != shift_key


def _assignment_facts(
    placed: Iterable[tuple[Key, Key, Key]], shift_rows: dict[Key, ShiftRow]
) -> list[AssignmentFact]:
    facts = []
    for key, shift_key, artist_id in placed:
        shift = shift_rows.get(shift_key)
        if shift is None or shift.status == CANCELLED:
            continue
        facts.append(
            AssignmentFact(
                key, shift_key, artist_id, shift.start_at, shift.end_at, shift.break_minutes
            )
        )
    return facts


def detect_rows(
    organization: Organization,
    assignments: list[AssignmentFact],
    focus: Focus,
    shift_rows: dict[Key, ShiftRow],
    start: datetime,
    end: datetime,
    *,
    configs: Mapping[str, RuleConfig] | None = None,
) -> list[Conflict]:
    """Load what only the focus needs (roles, artists, rules) and run every rule once.

    The one way rows become conflicts: checks, range reads and the stored conflicts'
    upkeep (``rules.stored``, which passes the ``configs`` it already read) all run it.
    Skills are only loaded when assignments are in focus (only they can miss one).
    """
    focus_shifts = [
        shift_rows[key] for key in focus.shifts | focus.capacity_shifts if key in shift_rows
    ]
    required, skill_names = (
        role_skills({row.role_id for row in focus_shifts if row.role_id})
        if focus.assignments
        else ({}, {})
    )
    shifts = {row.key: _shift_fact(row, required) for row in focus_shifts}
    artist_ids = {fact.artist_id for fact in assignments if fact.key in focus.assignments}
    artists = artist_facts(organization=organization, artist_ids=artist_ids, start=start, end=end)
    facts = PlanningFacts(shifts, tuple(assignments), artists, skill_names)
    if configs is None:
        configs = rule_configs(organization=organization)
    # No English words here: ``present_conflicts`` says them in the reader's language.
    return detect(facts, configs, organization.tzinfo, focus, words=False)


def _shift_fact(row: ShiftRow, required: dict[Key, frozenset[Key]]) -> ShiftFact:
    return ShiftFact(
        key=row.key,
        start_at=row.start_at,
        end_at=row.end_at,
        headcount=row.headcount,
        max_headcount=row.max_headcount,
        break_minutes=row.break_minutes,
        role_id=row.role_id,
        required_skill_ids=required.get(row.role_id, frozenset()),
    )


# --- Ranges (lists, timeline, publication) -------------------------------------------------


@dataclass(frozen=True)
class RangeCheck:
    """The shifts of a range, the active assignments around them, and their conflicts.

    ``shifts`` are rows of ``selectors.rules.RANGE_SHIFT_COLUMNS`` (the range's shifts
    after filters), ``assignments`` rows of ``RANGE_ASSIGNMENT_COLUMNS`` (active, eight
    days around the range, of the artists on those shifts): the timeline renders them
    without loading them again. ``recomputing``: the stored conflicts are being rebuilt
    (a rule changed), so these were computed here; the board says so.
    """

    shifts: list[tuple[Any, ...]]
    assignments: list[tuple[Any, ...]]
    conflicts: list[Conflict]
    recomputing: bool = False


def check_range(
    *,
    organization: Organization,
    start: datetime,
    end: datetime,
    shift_filter: Q | None = None,
    artist_id: UUID | None = None,
    include_cancelled: bool = False,
) -> RangeCheck:
    """Every conflict of the shifts overlapping ``[start, end)`` that match the filter.

    The conflicts are the stored ones (``rules.stored``, kept up to date by every write):
    four queries whatever the size of the range (the shifts, the active assignments
    around them, the stored conflicts' state and the stored conflicts). While they are
    absent or being recomputed, the rules run here over the rows instead (seven queries).
    """
    state = stored.state_of(organization)
    return _check_range(state, organization, start, end, shift_filter, artist_id, include_cancelled)


def _check_range(
    state: str | None,
    organization: Organization,
    start: datetime,
    end: datetime,
    shift_filter: Q | None,
    artist_id: UUID | None,
    include_cancelled: bool = False,
) -> RangeCheck:
    shifts = range_shifts(
        organization=organization,
        start=start,
        end=end,
        shift_filter=shift_filter,
        artist_id=artist_id,
        include_cancelled=include_cancelled,
    )
    fresh = state == stored.FRESH
    shift_rows = fast_rows(shifts, RANGE_SHIFT_COLUMNS)
    filtered = bool(shift_filter) or artist_id is not None or include_cancelled
    rows = range_assignment_rows(
        organization=organization,
        shifts=shifts if filtered else None,
        start=start,
        end=end,
        # Stored conflicts need no context: only the seats of the range's shifts.
        context=timedelta(0) if fresh else CONTEXT,
    )
    by_key, facts, focus = _range_focus(shift_rows, rows, artist_id, facts=not fresh)
    if fresh:
        conflicts = stored.stored_in_range(organization, start, end, focus)
    else:
        conflicts = detect_rows(organization, facts, focus, by_key, start - CONTEXT, end + CONTEXT)
    return RangeCheck(shift_rows, rows, conflicts, recomputing=state == stored.RECOMPUTING)


def range_focus(
    live: Collection[Key], rows: Iterable[Sequence[Any]], artist_id: UUID | None
) -> Focus:
    """What a range read reports on: the live shifts, and the active assignments on them
    (rows starting ``id, shift_id, artist_id``; the artist's only, with ``artist_id``)."""
    only = str(artist_id) if artist_id is not None else None
    return Focus(
        assignments=frozenset(row[0] for row in rows if row[1] in live and only in (None, row[2])),
        shifts=frozenset(live),
        capacity_shifts=frozenset(live),
    )


def _range_focus(
    shift_rows: list[tuple[Any, ...]],
    rows: list[tuple[Any, ...]],
    artist_id: UUID | None,
    *,
    facts: bool = True,
) -> tuple[dict[Key, ShiftRow], list[AssignmentFact], Focus]:
    """The range's live shifts, the assignments around them as facts (only when the
    rules run here), and the focus: the assignments on those shifts (the artist's only,
    with ``artist_id``) and the shifts."""
    live = {row[0] for row in shift_rows if row[7] != CANCELLED}
    focus = range_focus(live, rows, artist_id)
    if not facts:
        return {}, [], focus
    by_key = {
        row[0]: ShiftRow(row[0], row[4], row[5], row[6], row[8], row[9], row[10], row[7])
        for row in shift_rows
        if row[7] != CANCELLED
    }
    assignments = [AssignmentFact(row[0], row[1], row[2], row[6], row[7], row[8]) for row in rows]
    return by_key, assignments, focus
