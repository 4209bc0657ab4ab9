"""Open shifts: a manager opens published shifts; qualified, free crew members claim a seat.

- ``shifts_set_open`` (manager): open or close shifts; only a published shift is opened
  (409 ``shift_not_published``: the crew never sees drafts). Each change is audited
  (``shift.open`` / ``shift.close``).
- ``open_shifts_for_artist`` (the crew page): published open shifts that start in the
  future and still have a free seat (fewer active assignments than ``headcount``), where
  the artist would have *no hard conflict*: qualified (no ``missing_skill``) and free (no
  double booking, absence, rest...). The artist's own pending claims are listed too.
- ``open_shift_claim`` (the crew member): under the shift's row lock (so concurrent
  claims of one seat run one after the other and the first valid one wins), refuses a
  shift that is not open or not the organization's (404), already started (409
  ``shift_started``), full (409 ``shift_full``) or already held by the artist (409
  ``already_assigned``), then checks the rules exactly as for any assignment
  (``apps.planning.rules.conflicts``) and refuses any hard conflict (409
  ``hard_conflict``): waivers and overrides do not apply to a claim. The assignment is
  ``accepted`` at once or ``proposed`` for approval, as the organization's
  ``CrewPolicy.open_shift_claim_mode`` says; its ``source`` is ``claim``.
- ``open_shift_claim_approve`` (manager): a pending claim becomes ``accepted`` after the
  rules are re-checked; a refused claim is cancelled through the assignment status API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import (
    build_entry,
    record,
    record_many,
    set_audited,
    snapshot,
)
from apps.core.errors import ConflictError, HardConflictError, NotFound
from apps.crew.models import Artist
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    ClaimMode,
    Shift,
    ShiftStatus,
)
from apps.planning.publication.policy import crew_policy
from apps.planning.rules.conflicts import (
    ConflictPayload,
    ProposedAssignment,
    conflicts_for_assignments,
    enforce,
)
from apps.planning.schedule.services.guards import already_assigned, assignment_insert

LISTED_AT_MOST = 20
ACTIVE = Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)


@dataclass(frozen=True)
class OpenShiftRow:
    """An open shift as the crew member sees it, with his or her claim if any."""

    shift: Shift
    seats_left: int
    my_claim: str | None
    conflicts: list[ConflictPayload]


@dataclass(frozen=True)
class ClaimResult:
    assignment: Assignment
    conflicts: list[ConflictPayload]


# --- Reads --------------------------------------------------------------------------------


def artist_of(*, organization: Organization, user: User) -> Artist:
    artist = Artist.objects.filter(organization=organization, user=user, is_active=True).first()
    if artist is None:
        raise NotFound("Your account is not linked to a crew profile.")
    return artist


def open_shifts(*, organization: Organization, now: datetime) -> QuerySet[Shift]:
    """Published open shifts of the future, each with ``taken`` (active assignments)."""
    return (
        Shift.objects.filter(
            organization=organization,
            open_to_crew=True,
            status=ShiftStatus.PUBLISHED,
            start_at__gt=now,
        )
        .select_related("mission__project", "venue", "role")
        .annotate(taken=Count("assignments", filter=ACTIVE))
        .order_by("start_at", "id")
    )


def _hard(conflicts: list[ConflictPayload]) -> list[ConflictPayload]:
    return [conflict for conflict in conflicts if conflict["type"] == "hard"]


def _conflicts(organization: Organization, shift_id: Any, artist: Artist, status: str) -> Any:
    return conflicts_for_assignments(
        organization=organization,
        assignments=[ProposedAssignment(shift_id=shift_id, artist_id=artist.pk, status=status)],
    )


def open_shifts_for_artist(
    *, organization: Organization, artist: Artist, now: datetime
) -> list[OpenShiftRow]:
    """What the artist may claim now, and his or her pending claims (see the docstring).

    The rules are checked once per listed shift (a few queries each), at most
    ``LISTED_AT_MOST`` shifts.
    """
    mine = dict(
        Assignment.objects.filter(
            organization=organization,
            artist=artist,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            shift__open_to_crew=True,
        ).values_list("shift_id", "status")
    )
    rows = []
    for shift in open_shifts(organization=organization, now=now)[: LISTED_AT_MOST * 2]:
        seats = max(0, shift.headcount - shift.taken)  # type: ignore[attr-defined]
        claim = mine.get(shift.pk)
        if claim is not None:
            rows.append(OpenShiftRow(shift, seats, str(claim), []))
            continue
        if seats == 0:
            continue
        found = _conflicts(organization, shift.pk, artist, AssignmentStatus.ACCEPTED)
        if not _hard(found):
            rows.append(OpenShiftRow(shift, seats, None, found))
        if len(rows) >= LISTED_AT_MOST:
            break
    return rows


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def shifts_set_open(
    *, organization: Organization, actor: User, shift_ids: Sequence[UUID], open_to_crew: bool
) -> list[Shift]:
    """Open (or close) shifts to the crew's claims; published ones only are opened."""
    shifts = list(
        Shift.objects.select_for_update(of=("self",))
        .filter(organization=organization, pk__in=set(shift_ids))
        .order_by("start_at", "id")
    )
    if len(shifts) != len(set(shift_ids)):
        raise NotFound.for_field("shift_ids")
    if open_to_crew:
        for shift in shifts:
            if shift.status != ShiftStatus.PUBLISHED:
                raise ConflictError(
                    "Only a published shift can be opened to the crew.",
                    code="shift_not_published",
                    extra={"shift_id": str(shift.pk), "shift_status": shift.status},
                )
    changing = [shift for shift in shifts if shift.open_to_crew != open_to_crew]
    Shift.objects.filter(pk__in=[s.pk for s in changing]).update(
        open_to_crew=open_to_crew, updated_at=timezone.now()
    )
    action = AuditAction.SHIFT_OPEN if open_to_crew else AuditAction.SHIFT_CLOSE
    record_many(
        [
            build_entry(
                organization=organization,
                actor=actor,
                action=action,
                entity=shift,
                before={"open_to_crew": not open_to_crew},
                after={"open_to_crew": open_to_crew},
            )
            for shift in changing
        ]
    )
    for shift in shifts:
        shift.open_to_crew = open_to_crew
    return shifts


def _locked_open_shift(organization: Organization, shift_id: Any) -> Shift:
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .filter(
            organization=organization,
            pk=shift_id,
            open_to_crew=True,
            status=ShiftStatus.PUBLISHED,
        )
        .first()
    )
    if shift is None:
        raise NotFound("No such open shift.")
    return shift


def _require_claimable(shift: Shift, artist: Artist, now: datetime) -> None:
    if shift.start_at <= now:
        raise ConflictError("This shift has already started.", code="shift_started")
    active = Assignment.objects.filter(shift=shift, status__in=ACTIVE_ASSIGNMENT_STATUSES)
    if active.filter(artist=artist).exists():
        raise already_assigned()
    if active.count() >= shift.headcount:
        raise ConflictError(
            "Somebody took the last seat of this shift.",
            code="shift_full",
            extra={"shift_id": str(shift.pk)},
        )


@transaction.atomic
def open_shift_claim(*, organization: Organization, user: User, shift_id: Any) -> ClaimResult:
    """The crew member takes a seat of an open shift (see the module's docstring)."""
    artist = artist_of(organization=organization, user=user)
    shift = _locked_open_shift(organization, shift_id)
    now = timezone.now()
    _require_claimable(shift, artist, now)
    instant = crew_policy(organization).open_shift_claim_mode == ClaimMode.INSTANT
    status = AssignmentStatus.ACCEPTED if instant else AssignmentStatus.PROPOSED
    found = _conflicts(organization, shift.pk, artist, status)
    if _hard(found):
        raise HardConflictError(found, "You cannot take this shift: it breaks a planning rule.")
    assignment = assignment_insert(
        organization=organization,
        shift=shift,
        artist=artist,
        status=status,
        source=AssignmentSource.CLAIM,
        created_by=user,
        now=now,
    )
    record(
        organization=organization,
        actor=user,
        action=AuditAction.SHIFT_CLAIM,
        entity=assignment,
        after=snapshot(assignment),
        reason="confirmed at once" if instant else "waiting for a manager's approval",
    )
    return ClaimResult(assignment, found)


@transaction.atomic
def open_shift_claim_approve(
    *, organization: Organization, actor: User, membership: Membership | None, assignment_id: Any
) -> ClaimResult:
    """A manager confirms a pending claim: ``proposed → accepted``, rules re-checked."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("shift", "artist")
        .filter(organization=organization, pk=assignment_id, source=AssignmentSource.CLAIM)
        .first()
    )
    if assignment is None:
        raise NotFound("No such claim.")
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ConflictError(
            f"Only a pending claim can be approved (this one is {assignment.status}).",
            code="invalid_transition",
            extra={"from": assignment.status, "to": AssignmentStatus.ACCEPTED},
        )
    found = conflicts_for_assignments(
        organization=organization,
        assignments=[
            ProposedAssignment(
                shift_id=assignment.shift_id,
                artist_id=assignment.artist_id,
                status=AssignmentStatus.ACCEPTED,
                id=assignment.pk,
            )
        ],
    )
    conflicts = enforce(found, membership=membership, override_reason=None)
    set_audited(
        assignment,
        {"status": AssignmentStatus.ACCEPTED, "status_changed_at": timezone.now()},
        fields=None,
        organization=organization,
        actor=actor,
        action=AuditAction.ASSIGNMENT_APPROVE,
    )
    return ClaimResult(assignment, conflicts)


def pending_claims(*, organization: Organization) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        organization=organization,
        source=AssignmentSource.CLAIM,
        status=AssignmentStatus.PROPOSED,
    ).select_related("artist", "shift")


__all__ = [
    "ClaimResult",
    "OpenShiftRow",
    "open_shift_claim",
    "open_shift_claim_approve",
    "open_shifts",
    "open_shifts_for_artist",
    "pending_claims",
    "shifts_set_open",
]
