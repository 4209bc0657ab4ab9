"""The periodic sweep: jobs left queued or lost by a worker."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.planning.autoassign import metrics
from apps.planning.autoassign.services.common import (
    HARD_LIMIT_MARGIN,
    MAX_ATTEMPTS,
    STUCK_MARGIN,
    JobOptions,
    SweepReport,
)
from apps.planning.autoassign.services.lifecycle import record_job_transition
from apps.planning.autoassign.services.start import publish
from apps.planning.models import (
    AutoAssignJob,
    JobStatus,
)

logger = logging.getLogger(__name__)


# --- Sweep ---------------------------------------------------------------------------------


def autoassign_jobs_sweep(*, now: datetime | None = None, limit: int = 100) -> SweepReport:
    """Publish again jobs left queued; recover or fail jobs whose worker was lost.

    Runs every ``AUTOASSIGN_SWEEP_SECONDS`` (Celery beat). "Left queued" is older than
    ``AUTOASSIGN_REQUEUE_AFTER_SECONDS`` since the last publish (or creation); "lost" is
    running under a lease its runner stopped renewing (or, for a job claimed before
    leases existed, running past its hard time limit plus a margin).
    """
    now = now or timezone.now()
    republished = sum(
        publish(job.pk, JobOptions.from_json(job.options)) for job in _left_queued(now, limit)
    )
    requeued = failed = 0
    for job in _lost(now, limit):
        if job.attempts < MAX_ATTEMPTS:
            requeued += _requeue(job, now)
        else:
            failed += _fail_lost(job, now)
    return SweepReport(republished=republished, requeued=requeued, failed=failed)


def _left_queued(now: datetime, limit: int) -> list[AutoAssignJob]:
    after = timedelta(seconds=getattr(settings, "AUTOASSIGN_REQUEUE_AFTER_SECONDS", 60))
    return list(
        AutoAssignJob.objects.filter(status=JobStatus.QUEUED)
        .annotate(last_publish=Coalesce("enqueued_at", "created_at"))
        .filter(last_publish__lte=now - after)
        .order_by("created_at")[:limit]
    )


def _lost(now: datetime, limit: int) -> list[AutoAssignJob]:
    lapsed = list(
        AutoAssignJob.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now).order_by(
            "lease_expires_at"
        )[:limit]
    )
    return lapsed + _lost_without_lease(now, limit)


def _lost_without_lease(now: datetime, limit: int) -> list[AutoAssignJob]:
    """Jobs claimed before the lease existed: lost once past their hard time limit."""
    shortest = timedelta(seconds=1 + HARD_LIMIT_MARGIN + STUCK_MARGIN)
    running = AutoAssignJob.objects.filter(
        status=JobStatus.RUNNING, lease_expires_at__isnull=True, started_at__lt=now - shortest
    ).order_by("started_at")[:limit]
    return [
        job
        for job in running
        if job.started_at is not None
        and job.started_at
        + timedelta(seconds=JobOptions.from_json(job.options).hard_time_limit + STUCK_MARGIN)
        < now
    ]


def _still_lost(job: AutoAssignJob, now: datetime) -> Any:
    """The guard of the sweep's UPDATE: same claim, lease still lapsed.

    PostgreSQL re-evaluates it on the row's latest version: a runner that renewed its
    lease, or wrote its result meanwhile (the sweep waits for its row lock), keeps the job.
    """
    lost = AutoAssignJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, started_at=job.started_at
    )
    if job.lease_expires_at is None:
        return lost.filter(lease_expires_at__isnull=True)
    return lost.filter(lease_expires_at__lt=now)


def _requeue(job: AutoAssignJob, now: datetime) -> int:
    """Back to queued with no claim (a late result of the lost runner is then dropped)."""
    with transaction.atomic():
        moved = _still_lost(job, now).update(
            status=JobStatus.QUEUED,
            result={},
            progress=0.0,
            lease_expires_at=None,
            updated_at=timezone.now(),
        )
        if moved:
            record_job_transition(
                job.pk, action=AuditAction.AUTOASSIGN_REQUEUE, reason="worker lost"
            )
    if moved:
        logger.warning("auto-assign job %s lost its worker; queued again", job.pk)
        publish(job.pk, JobOptions.from_json(job.options))
    return moved


def _fail_lost(job: AutoAssignJob, now: datetime) -> int:
    error = f"The worker running this job was lost {job.attempts} times; giving up."
    with transaction.atomic():
        failed = _still_lost(job, now).update(
            status=JobStatus.FAILED,
            error=error,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if failed:
            record_job_transition(job.pk, action=AuditAction.AUTOASSIGN_FAIL, reason=error)
    if failed:
        metrics.job_ended(status=JobStatus.FAILED)
    return failed
