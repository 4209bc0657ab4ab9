"""Celery tasks of auto-assign: run one job, sweep the jobs the broker or a worker lost.

Tasks are thin: they take ids, claim, call the service. Delivery is at least once
(``acks_late`` + ``reject_on_worker_lost``: a worker killed mid-job leaves the message to
be delivered again); the guarded claim and the fenced result write in
``apps.planning.autoassign.services`` make a second delivery harmless. Only transient
errors (database or Redis connection) are retried, with backoff; anything else fails the
job with its reason (``on_failure``) and is raised, so it is logged and never hidden.

Celery finds them through ``apps.planning.publication.tasks`` (``app.autodiscover_tasks()``).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeoutError
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from uuid import UUID

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from apps.planning.autoassign.services import (
    HARD_LIMIT_MARGIN,
    SOFT_LIMIT_MARGIN,
    LeaseKeeper,
    application_error_text,
    autoassign_job_claim,
    autoassign_job_fail,
    autoassign_job_run,
    autoassign_jobs_sweep,
    release_lease,
)

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (DatabaseOperationalError, RedisConnectionError, RedisTimeoutError)
PUBLISH_ERRORS = (BrokerOperationalError, RedisError, OSError, TimeoutError)
MAX_SOFT_TIME_LIMIT = 120 + SOFT_LIMIT_MARGIN
MAX_TIME_LIMIT = 120 + HARD_LIMIT_MARGIN


class AutoAssignJobTask(Task):  # type: ignore[misc]
    """Fails the job, with why, when the task ends in error (after the last retry)."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        job_id = args[0] if args else kwargs.get("job_id")
        reason = (
            "The job took longer than its time limit."
            if isinstance(exc, SoftTimeLimitExceeded)
            else application_error_text(exc)
        )
        autoassign_job_fail(job_id=job_id, task_id=task_id, error=reason)


@shared_task(
    bind=True,
    base=AutoAssignJobTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=MAX_SOFT_TIME_LIMIT,
    time_limit=MAX_TIME_LIMIT,
)
def run_autoassign_job(self: Task, job_id: str) -> str:  # type: ignore[type-arg]
    """Claim the job and run it; a job another runner holds, or no longer queued, is skipped.

    A worker keeps the job's lease alive while it runs (``LeaseKeeper``); an eager run
    (development, most tests) finishes before any sweep could look at it.
    """
    claim = autoassign_job_claim(job_id=job_id, task_id=str(self.request.id))
    if claim is None:
        return "skipped"
    lease: AbstractContextManager[Any] = (
        nullcontext() if self.request.is_eager else LeaseKeeper(claim)
    )
    try:
        with lease:
            _pause_for_tests()
            return str(autoassign_job_run(claim=claim).status)
    except BaseException:
        release_lease(claim)  # a retry (same task id) may claim it again at once
        raise


def _pause_for_tests() -> None:
    """``AUTOASSIGN_PAUSE_AFTER_CLAIM_SECONDS`` (tests only): a window to kill the worker."""
    pause = float(getattr(settings, "AUTOASSIGN_PAUSE_AFTER_CLAIM_SECONDS", 0) or 0)
    if pause > 0:
        time.sleep(pause)


@shared_task(acks_late=True, ignore_result=True)
def sweep_autoassign_jobs() -> dict[str, int]:
    """Every AUTOASSIGN_SWEEP_SECONDS (beat): publish jobs left queued, recover lost ones."""
    report = autoassign_jobs_sweep()
    return {"republished": report.republished, "requeued": report.requeued, "failed": report.failed}


# Publishing threads: a broker that accepts connections and never answers (paused,
# overloaded) holds one until the socket timeouts and the client's own retries give up,
# several seconds in all; the request waits BROKER_PUBLISH_TIMEOUT at most.
_PUBLISHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="autoassign-publish")


def publish_autoassign_job(*, job_id: UUID, soft_time_limit: int, time_limit: int) -> bool:
    """Publish a job's task within ``BROKER_PUBLISH_TIMEOUT``; ``False`` (logged) otherwise.

    ``retry=False`` and the broker's connection timeouts bound each attempt, and a
    wall-clock deadline bounds them all: past it the job is left queued for the sweep (a
    publish that still gets through later only delivers a message the claim skips). The
    queue comes from ``AUTOASSIGN_TASK_QUEUE`` when set (tests use their own). In eager
    mode (no broker configured) the job runs here and a failure stays on the job row
    instead of failing the request that published it.
    """
    options: dict[str, Any] = {
        "retry": False,
        "soft_time_limit": soft_time_limit,
        "time_limit": time_limit,
    }
    queue = getattr(settings, "AUTOASSIGN_TASK_QUEUE", None)
    if queue:
        options["queue"] = queue
    args = (str(job_id),)
    try:
        if run_autoassign_job.app.conf.task_always_eager:
            run_autoassign_job.apply_async(args=args, **{**options, "throw": False})
            return True
        sent = _PUBLISHER.submit(run_autoassign_job.apply_async, args=args, **options)
        try:
            sent.result(timeout=settings.BROKER_PUBLISH_TIMEOUT)
        except FuturesTimeoutError:
            sent.cancel()  # not started yet (both threads held by a hung broker): dropped
            logger.warning("auto-assign job %s: broker did not answer, left queued", job_id)
            return False
    except PUBLISH_ERRORS:
        logger.warning("auto-assign job %s: broker unreachable, left queued", job_id, exc_info=True)
        return False
    return True
