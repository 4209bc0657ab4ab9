"""Running a claimed job: build the problem, solve, store the result."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import json_safe, record
from apps.planning.autoassign import metrics
from apps.planning.autoassign.build import (
    BuiltProblem,
    Plan,
    Scope,
    build_problem,
    coverage,
    filled_slots,
    plan_from_solution,
    seats_after,
    unfilled_report,
)
from apps.planning.autoassign.services.common import (
    MAX_REPORTED_CONFLICTS,
    PROGRESS_INTERVAL,
    Claim,
    JobOptions,
    job_token,
)
from apps.planning.autoassign.services.write import WriteOutcome, write_plan
from apps.planning.models import (
    AutoAssignJob,
    JobStatus,
)

if TYPE_CHECKING:
    from apps.planning.autoassign.engine import Solution

logger = logging.getLogger(__name__)


# --- Run -----------------------------------------------------------------------------


def lease_seconds() -> int:
    return int(getattr(settings, "AUTOASSIGN_LEASE_SECONDS", 10))


def lease_deadline(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def autoassign_job_claim(*, job_id: UUID | str, task_id: str) -> Claim | None:
    """Claim a job for this runner with one guarded UPDATE; ``None`` when not claimable.

    Claimable: ``queued``, or ``running`` under a lease that lapsed (its runner died: a
    redelivered message, a retry or the sweep's new message may take it over).
    A job under a live lease is never claimed, whatever the task id: two runners never
    run it at once, and the sweep re-queues it if that runner dies.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        AutoAssignJob.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now))
        .update(
            status=JobStatus.RUNNING,
            started_at=now,
            updated_at=now,
            lease_expires_at=lease_deadline(now),
            progress=0.0,
            attempts=F("attempts") + 1,
            error="",
            result={"claim": {"task_id": task_id, "token": token}},
        )
    )
    if claimed != 1:
        return None
    return Claim(job_id=UUID(str(job_id)), task_id=task_id, token=token)


def renew_lease(claim: Claim) -> bool:
    """Extend the lease if this runner still holds the job; a row being written is skipped.

    ``SKIP LOCKED``: while the runner's own result transaction locks the row the renewal
    does not wait (the sweep waits instead, and then finds the job finished).
    """
    held = _claimed(claim).select_for_update(skip_locked=True).values("pk")
    with transaction.atomic():
        renewed = AutoAssignJob.objects.filter(pk__in=held).update(
            lease_expires_at=lease_deadline()
        )
    return renewed == 1


def release_lease(claim: Claim) -> None:
    """Give the job up at once (a retry of the task claims it again, with a new token).

    Best effort: if the database is what failed, the lease simply lapses on its own.
    """
    try:
        _claimed(claim).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    except DatabaseError:
        logger.warning("auto-assign job %s: lease not released", claim.job_id)


class LeaseKeeper:
    """Renews a claimed job's lease every third of it, from a thread, while the job runs.

    The engine's progress callback renews it too, but building the problem and writing
    the result do not report progress. When the whole worker dies the thread dies with
    it and the lease lapses; the sweep then re-queues the job.
    """

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{claim.job_id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=lease_seconds())

    def _run(self) -> None:
        interval = max(lease_seconds() / 3, 0.1)
        try:
            while not self._stop.wait(interval):
                try:
                    renew_lease(self.claim)
                except DatabaseError:
                    logger.warning("auto-assign job %s: lease not renewed", self.claim.job_id)
        finally:
            connections.close_all()  # this thread's own connection


class ProgressReporter:
    """The engine's progress callback: a cheap guarded UPDATE at most every 0.5 s.

    ``echo`` (the command's progress bar) sees every value. When the update matches no
    row the claim was lost (cancelled, taken over): ``lost`` says so and writing is
    skipped later; the engine is not interrupted from its callback.
    """

    def __init__(self, claim: Claim, echo: Callable[[float], None] | None = None) -> None:
        self.claim = claim
        self.echo = echo
        self.lost = False
        self._last = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        if self.echo is not None:
            self.echo(fraction)
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        updated = _claimed(self.claim).update(progress=fraction, lease_expires_at=lease_deadline())
        self.lost = self.lost or updated == 0


def _claimed(claim: Claim) -> Any:
    return AutoAssignJob.objects.filter(
        pk=claim.job_id, status=JobStatus.RUNNING, result__claim__token=claim.token
    )


def autoassign_job_run(
    *, claim: Claim, echo: Callable[[float], None] | None = None
) -> AutoAssignJob:
    """Build the problem of a claimed job, solve it and write the result (one transaction)."""
    job = AutoAssignJob.objects.select_related("organization", "created_by").get(pk=claim.job_id)
    options = JobOptions.from_json(job.options)
    built = build_problem(
        organization=job.organization,
        scope=Scope.from_json(job.scope),
        replace_proposed=options.replace_proposed,
        name=f"job {job.pk}",
    )
    reporter = ProgressReporter(claim, echo)
    started = time.monotonic()
    solution = _solve(built, options, reporter)
    solved_in = round(time.monotonic() - started, 3)
    if reporter.lost:
        logger.info("auto-assign job %s: cancelled or taken over while solving", job.pk)
        return AutoAssignJob.objects.get(pk=job.pk)
    return _finish(job=job, claim=claim, built=built, solution=solution, solved_in=solved_in)


def _solve(built: BuiltProblem, options: JobOptions, progress: ProgressReporter) -> Solution:
    # Imported here: the engine loads OR-Tools, which web processes never need.
    from apps.planning.autoassign.engine import parse_problem, solve

    problem = parse_problem(built.data)
    return solve(problem, time_limit=options.time_limit, seed=options.seed or 0, progress=progress)


@transaction.atomic
def _finish(
    *, job: AutoAssignJob, claim: Claim, built: BuiltProblem, solution: Solution, solved_in: float
) -> AutoAssignJob:
    """Write the result under the job's row lock, only if the claim still holds."""
    locked = (
        AutoAssignJob.objects.select_for_update(of=("self",))
        .select_related("organization", "created_by")
        .get(pk=job.pk)
    )
    if locked.status != JobStatus.RUNNING or job_token(locked) != claim.token:
        logger.info("auto-assign job %s: claim lost (%s), result dropped", job.pk, locked.status)
        return locked
    options = JobOptions.from_json(locked.options)
    plan = plan_from_solution(built, solution.assignments)
    if options.dry_run:
        outcome = WriteOutcome(created=list(plan.create))
    else:
        outcome = write_plan(job=locked, plan=plan)
    _store_result(locked, built, plan, solution, outcome, solved_in)
    if not options.dry_run:
        audit_apply(locked, created=len(outcome.created), cancelled=len(plan.cancel))
    count_outcome_after_commit(locked)
    return locked


def _store_result(
    job: AutoAssignJob,
    built: BuiltProblem,
    plan: Plan,
    solution: Solution,
    outcome: WriteOutcome,
    solved_in: float,
) -> None:
    dry_run = JobOptions.from_json(job.options).dry_run
    filled = filled_slots(built.headcount, seats_after(built, plan, outcome.created))
    job.status = JobStatus.SUCCEEDED
    job.progress = 1.0
    job.finished_at = timezone.now()
    job.slots_total = built.slots_total
    job.slots_filled = filled
    job.coverage_before = coverage(built.slots_filled_before, built.slots_total)
    job.coverage_after = coverage(filled, built.slots_total)
    changes = plan.to_json() if dry_run else {"replaced": [str(i) for i in plan.cancel]}
    job.result = json_safe(
        {
            "task_id": ((job.result or {}).get("claim") or {}).get("task_id"),
            "engine": {"status": solution.status, "seconds": solved_in},
            "created": 0 if dry_run else len(outcome.created),
            "unfilled": unfilled_report(solution.unfilled, outcome.refused),
            "conflicts": outcome.refused[:MAX_REPORTED_CONFLICTS],
            "warnings": outcome.warnings[:MAX_REPORTED_CONFLICTS],
            **changes,
        }
    )
    job.save()


def audit_apply(job: AutoAssignJob, *, created: int, cancelled: int) -> None:
    record(
        organization=job.organization,
        actor=job.created_by,
        action=AuditAction.AUTOASSIGN_APPLY,
        entity=job,
        after={
            "created": created,
            "cancelled": cancelled,
            "coverage_before": job.coverage_before,
            "coverage_after": job.coverage_after,
        },
    )


def count_outcome_after_commit(job: AutoAssignJob) -> None:
    seconds = (
        (job.finished_at - job.started_at).total_seconds()
        if job.finished_at and job.started_at
        else None
    )
    status, ratio = job.status, job.coverage_after
    transaction.on_commit(
        lambda: metrics.job_ended(
            status=status,
            seconds=seconds,
            coverage=ratio if status == JobStatus.SUCCEEDED else None,
        )
    )
