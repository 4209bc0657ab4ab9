"""Cancelling, applying a dry run, failing a job."""

from __future__ import annotations

import logging
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import record, set_audited
from apps.core.errors import (
    ConflictError,
    HardConflictError,
    NotFound,
    ValidationFailed,
)
from apps.orgs.models import User
from apps.planning.autoassign import metrics
from apps.planning.autoassign.build import (
    Plan,
)
from apps.planning.autoassign.services.common import (
    ACTIVE_JOB_STATUSES,
    ERROR_MAX_LENGTH,
    ApplyOutcome,
    JobOptions,
    PlanningChanged,
    actor_email,
)
from apps.planning.autoassign.services.run import audit_apply, count_outcome_after_commit
from apps.planning.autoassign.services.write import cancel_replaced
from apps.planning.models import AutoAssignJob, JobStatus
from apps.planning.schedule.services import assignments_bulk_create

logger = logging.getLogger(__name__)


# --- Cancel, apply, fail ----------------------------------------------------------------


@transaction.atomic
def autoassign_job_cancel(*, job: AutoAssignJob, actor: User | None) -> AutoAssignJob:
    """``queued | running → cancelled``; a running task sees it and drops its result."""
    job = (
        AutoAssignJob.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=job.pk)
    )
    if job.status not in ACTIVE_JOB_STATUSES:
        raise ConflictError(
            f"A {job.status} job cannot be cancelled.",
            code="job_finished",
            extra={"job_status": job.status},
        )
    set_audited(
        job,
        {"status": JobStatus.CANCELLED, "finished_at": timezone.now()},
        fields=("status",),
        organization=job.organization,
        actor=actor,
        action=AuditAction.AUTOASSIGN_CANCEL,
    )
    count_outcome_after_commit(job)
    return job


@transaction.atomic
def autoassign_job_apply(*, job: AutoAssignJob, actor: User | None) -> ApplyOutcome:
    """Write a succeeded dry run's proposal, all or nothing.

    Every pair is checked again by ``assignments_bulk_create``; if the planning changed
    in a way that breaks any of them, ``PlanningChanged`` (409, with the conflicts) and
    nothing is written.
    """
    job = (
        AutoAssignJob.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=job.pk)
    )
    _require_applicable(job)
    plan = Plan.from_json(job.result)
    cancel_replaced(plan.cancel, job=job, strict=True)
    try:
        written = assignments_bulk_create(
            organization=job.organization, actor=actor, pairs=list(plan.create), job=job
        )
    except HardConflictError as exc:
        raise PlanningChanged(exc.conflicts) from exc
    except (ConflictError, NotFound, ValidationFailed) as exc:
        raise PlanningChanged([], f"{PlanningChanged.default_message} {exc.message}") from exc
    job.applied_at = timezone.now()
    job.result = {**job.result, "created": len(written.objs), "applied_by": actor_email(actor)}
    job.save(update_fields=["applied_at", "result", "updated_at"])
    audit_apply(job, created=len(written.objs), cancelled=len(plan.cancel))
    return ApplyOutcome(job=job, created=len(written.objs), conflicts=list(written.conflicts))


def _require_applicable(job: AutoAssignJob) -> None:
    if not JobOptions.from_json(job.options).dry_run:
        raise ConflictError("Only a dry run has a proposal to apply.", code="job_not_dry_run")
    if job.status != JobStatus.SUCCEEDED:
        raise ConflictError(
            f"A {job.status} job has no proposal to apply.",
            code="job_not_succeeded",
            extra={"job_status": job.status},
        )
    if job.applied_at is not None:
        raise ConflictError("This proposal was applied already.", code="job_already_applied")


def autoassign_job_fail(*, job_id: UUID | str, task_id: str, error: str) -> bool:
    """Mark a job failed, with why, if this runner still holds it; returns whether it did."""
    with transaction.atomic():
        failed = AutoAssignJob.objects.filter(
            pk=job_id, status__in=ACTIVE_JOB_STATUSES, result__claim__task_id=task_id
        ).update(
            status=JobStatus.FAILED,
            error=error[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if failed:
            record_job_transition(
                job_id, action=AuditAction.AUTOASSIGN_FAIL, reason=error[:ERROR_MAX_LENGTH]
            )
    if failed:
        metrics.job_ended(status=JobStatus.FAILED)
    return failed == 1


def record_job_transition(job_id: UUID | str, *, action: AuditAction, reason: str) -> None:
    """Audit a status change made by the system (no actor), in the caller's transaction."""
    job = AutoAssignJob.objects.select_related("organization").get(pk=job_id)
    record(
        organization=job.organization,
        actor=None,
        action=action,
        entity=job,
        after={"status": job.status, "attempts": job.attempts},
        reason=reason,
    )
