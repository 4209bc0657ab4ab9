"""The periodic sweep: jobs left queued or lost by a worker."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

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

    Runs every minute (Celery beat). "Left queued" is older than
    ``AUTOASSIGN_REQUEUE_AFTER_SECONDS`` since the last publish (or creation); "lost" is
    running past its hard time limit plus a margin, when Celery must have killed it.
    """
    now = now or timezone.now()
    republished = sum(
        publish(job.pk, JobOptions.from_json(job.options)) for job in _left_queued(now, limit)
    )
    requeued = failed = 0
    for job in _lost(now, limit):
        if job.attempts < MAX_ATTEMPTS:
            requeued += _requeue(job)
        else:
            failed += _fail_lost(job)
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
    shortest = timedelta(seconds=1 + HARD_LIMIT_MARGIN + STUCK_MARGIN)
    running = AutoAssignJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - shortest
    ).order_by("started_at")[:limit]
    return [
        job
        for job in running
        if job.started_at is not None
        and job.started_at
        + timedelta(seconds=JobOptions.from_json(job.options).hard_time_limit + STUCK_MARGIN)
        < now
    ]


def _requeue(job: AutoAssignJob) -> int:
    """Back to queued with no claim (a late result of the lost runner is then dropped)."""
    with transaction.atomic():
        moved = AutoAssignJob.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at
        ).update(status=JobStatus.QUEUED, result={}, progress=0.0, updated_at=timezone.now())
        if moved:
            record_job_transition(
                job.pk, action=AuditAction.AUTOASSIGN_REQUEUE, reason="worker lost"
            )
    if moved:
        logger.warning("auto-assign job %s lost its worker; queued again", job.pk)
        publish(job.pk, JobOptions.from_json(job.options))
    return moved


def _fail_lost(job: AutoAssignJob) -> int:
    error = f"The worker running this job was lost {job.attempts} times; giving up."
    with transaction.atomic():
        failed = AutoAssignJob.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at
        ).update(
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
