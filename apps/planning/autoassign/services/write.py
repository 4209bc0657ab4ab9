"""Writing a plan through the same rules as every write."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from apps.core.errors import (
    ApplicationError,
    ConflictError,
    HardConflictError,
    NotFound,
    ValidationFailed,
)
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.autoassign.build import (
    Pair,
    Plan,
    pair_filter,
    without_named_pairs,
)
from apps.planning.autoassign.services.common import MAX_REFUSAL_ROUNDS, PlanningChanged
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    AutoAssignJob,
    Shift,
    ShiftStatus,
)
from apps.planning.schedule.services import assignments_bulk_create, cancel_assignments

logger = logging.getLogger(__name__)


# --- Writing a plan --------------------------------------------------------------------


@dataclass
class WriteOutcome:
    """Pairs created, conflicts of the pairs refused, soft conflicts of those created."""

    created: list[Pair]
    refused: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def write_plan(*, job: AutoAssignJob, plan: Plan) -> WriteOutcome:
    """Cancel the replaced proposals, then create what still passes the rules.

    ``assignments_bulk_create`` is all or nothing: a refused batch is retried without the
    pairs its hard conflicts name (each try in its own savepoint), a few rounds at most.
    """
    cancel_replaced(plan.cancel, job=job, strict=False)
    pairs, refused = _bookable(job.organization, plan.create)
    for _ in range(MAX_REFUSAL_ROUNDS):
        if not pairs:
            break
        try:
            written = assignments_bulk_create(
                organization=job.organization,
                actor=job.created_by,
                pairs=pairs,
                source=AssignmentSource.AUTO,
                job=job,
            )
        except HardConflictError as exc:
            hard = [c for c in exc.conflicts if c.get("type") == "hard"]
            refused.extend(hard)
            pairs = without_named_pairs(pairs, hard)
            continue
        except (ConflictError, NotFound, ValidationFailed) as exc:
            remaining, more = _bookable(job.organization, pairs)
            refused.extend(more or [_batch_refused(exc)])
            pairs = remaining if more else []
            continue
        created = [(row.shift_id, row.artist_id) for row in written.objs]
        return WriteOutcome(created, refused, list(written.conflicts))
    return WriteOutcome([], refused)


def _batch_refused(exc: ApplicationError) -> dict[str, Any]:
    return {"type": "hard", "rule": exc.code, "message": exc.message, "details": {}}


def _bookable(
    organization: Organization, pairs: Sequence[Pair]
) -> tuple[list[Pair], list[dict[str, Any]]]:
    """Pairs whose shift is still open, artist still active and seat not taken (3 queries).

    The solve took seconds; what changed meanwhile is reported, not written.
    """
    shift_ids = {shift for shift, _ in pairs}
    open_shifts = set(
        Shift.objects.filter(organization=organization, pk__in=shift_ids)
        .exclude(status=ShiftStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    active_artists = set(
        Artist.objects.filter(
            organization=organization, is_active=True, pk__in={a for _, a in pairs}
        ).values_list("pk", flat=True)
    )
    taken = set(
        Assignment.objects.filter(organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .filter(pair_filter(pairs))
        .values_list("shift_id", "artist_id")
    )
    kept, refused = [], []
    for shift, artist in pairs:
        reason = _unbookable_reason(
            shift in open_shifts, artist in active_artists, (shift, artist) in taken
        )
        if reason is None:
            kept.append((shift, artist))
        else:
            refused.append(_changed(shift, artist, *reason))
    return kept, refused


def _unbookable_reason(
    shift_open: bool, artist_active: bool, taken: bool
) -> tuple[str, str] | None:
    if not shift_open:
        return "shift_cancelled", "The shift was cancelled or deleted meanwhile."
    if not artist_active:
        return "artist_inactive", "The artist was deactivated meanwhile."
    if taken:
        return "already_assigned", "The artist was assigned to this shift meanwhile."
    return None


def _changed(shift: UUID, artist: UUID, rule: str, message: str) -> dict[str, Any]:
    return {
        "type": "hard",
        "rule": rule,
        "message": message,
        "details": {"shift_id": str(shift), "artist_id": str(artist)},
    }


def cancel_replaced(assignment_ids: Iterable[UUID], *, job: AutoAssignJob, strict: bool) -> int:
    """Cancel earlier auto proposals the plan replaces, each audited.

    Only rows still proposed, unlocked and made by auto-assign are touched; ``strict``
    (apply) refuses with ``PlanningChanged`` when any of them changed meanwhile.
    """
    ids = list(assignment_ids)
    if not ids:
        return 0
    rows = list(
        Assignment.objects.select_for_update()
        .filter(
            organization=job.organization,
            pk__in=ids,
            status=AssignmentStatus.PROPOSED,
            locked=False,
            source=AssignmentSource.AUTO,
        )
        .order_by("id")
    )
    if strict and len(rows) != len(ids):
        raise PlanningChanged([], "A proposal this dry run replaces was changed meanwhile.")
    _cancel_rows(rows, job=job)
    return len(rows)


def _cancel_rows(rows: list[Assignment], *, job: AutoAssignJob) -> None:
    cancel_assignments(
        rows,
        organization=job.organization,
        actor=job.created_by,
        reason=f"Re-planned by auto-assign job {job.pk}.",
    )
