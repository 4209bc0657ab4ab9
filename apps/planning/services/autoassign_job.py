"""Auto-assign jobs: start, run (claim, build, solve, write), cancel, apply and sweep.

Life of a job: ``queued`` (row written in the request's transaction, published to the
broker after commit) → ``running`` (claimed by one worker) → ``succeeded | failed``; a
manager may cancel it while queued or running. A dry run keeps its proposal in the result
until ``auto_assign_job_apply`` writes it, all or nothing.

Why it is safe to run on several workers, with redeliveries and lost workers:

- **Claim.** A guarded UPDATE moves the job from ``queued`` to ``running`` and stores a
  fresh claim token with the Celery task id. It also accepts a ``running`` job whose claim
  carries the *same task id*: that is the same message delivered again (the worker died
  before acking it, or a retry of the task), so its previous run can never finish.
- **Fencing.** Progress updates and the final write are guarded by the claim token, and
  the result transaction locks the job row (``select_for_update``) and re-checks status and
  token before writing anything: of two runners, only the last claimer can write, once. A
  cancelled job or one taken over by another claim gives up without writing.
- **Sweep.** A job left ``queued`` (the broker was down at publish time, a message was
  lost) is published again; a job ``running`` past its hard time limit lost its worker: it
  goes back to ``queued`` (its claim token dropped) or, after ``MAX_ATTEMPTS``, fails.

Writes go through ``assignments_bulk_create``, the same rules as every planning write:
pairs it refuses (the planning changed during the solve) are reported in the result as
``conflicts`` and skipped, the rest is written in the same transaction as the job's
result and its audit entries.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.audit.services import json_safe, record, record_many, snapshot
from apps.core.errors import (
    ApplicationError,
    Conflict,
    HardConflict,
    NotFound,
    ValidationFailed,
)
from apps.crew.models import Artist
from apps.orgs.models import Organization, User
from apps.planning import metrics
from apps.planning.autoassign_build import (
    BuiltProblem,
    Pair,
    Plan,
    Scope,
    ScopeExtent,
    build_problem,
    coverage,
    filled_slots,
    pair_filter,
    plan_from_solution,
    scope_extent,
    seats_after,
    unfilled_report,
    without_named_pairs,
)
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    AutoAssignJob,
    JobStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.services.schedule import assignments_bulk_create

if TYPE_CHECKING:
    from apps.planning.autoassign import Solution

logger = logging.getLogger(__name__)

ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
IDEMPOTENCY_CONSTRAINT = "planning_job_idempotency_unique"
DEFAULT_TIME_LIMIT = 10
SOFT_LIMIT_MARGIN = 60
HARD_LIMIT_MARGIN = 90
STUCK_MARGIN = 60
MAX_ATTEMPTS = 3
PROGRESS_INTERVAL = 0.5
MAX_REFUSAL_ROUNDS = 5
MAX_REPORTED_CONFLICTS = 200
ERROR_MAX_LENGTH = 2000
# Advisory lock class of "auto-assign start" (the object id is the organization).
START_LOCK_CLASS = 0x4A0B


class JobAlreadyRunning(Conflict):
    """Another job of the organization is queued or running on an overlapping scope."""

    code = "job_running"
    default_message = "An auto-assign job is already queued or running on an overlapping scope."

    def __init__(self, job: AutoAssignJob) -> None:
        super().__init__(extra={"job": {"id": str(job.pk), "status": job.status}})
        self.job = job


class PlanningChanged(Conflict):
    """A dry run's proposal no longer fits the planning: nothing of it is written."""

    code = "planning_changed"
    default_message = "The planning changed since the dry run; its proposal cannot be applied."

    def __init__(self, conflicts: list[dict[str, Any]], message: str | None = None) -> None:
        super().__init__(message, extra={"conflicts": conflicts})
        self.conflicts = conflicts


@dataclass(frozen=True)
class JobOptions:
    """Engine budget in seconds, dry run, whether earlier auto proposals may be re-planned."""

    time_limit: int = DEFAULT_TIME_LIMIT
    dry_run: bool = False
    replace_proposed: bool = False
    seed: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobOptions:
        return cls(
            time_limit=int(data.get("time_limit") or DEFAULT_TIME_LIMIT),
            dry_run=bool(data.get("dry_run")),
            replace_proposed=bool(data.get("replace_proposed")),
            seed=data.get("seed"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "time_limit": self.time_limit,
            "dry_run": self.dry_run,
            "replace_proposed": self.replace_proposed,
            "seed": self.seed,
        }

    @property
    def soft_time_limit(self) -> int:
        """Seconds after which Celery interrupts the task (engine budget + build and write)."""
        return self.time_limit + SOFT_LIMIT_MARGIN

    @property
    def hard_time_limit(self) -> int:
        return self.time_limit + HARD_LIMIT_MARGIN


@dataclass(frozen=True)
class Claim:
    """A runner's right to write a job's result (see "Fencing" in the module docstring)."""

    job_id: UUID
    task_id: str
    token: str


@dataclass(frozen=True)
class ApplyOutcome:
    job: AutoAssignJob
    created: int
    conflicts: list[dict[str, Any]]


@dataclass(frozen=True)
class SweepReport:
    republished: int
    requeued: int
    failed: int


# --- Start ---------------------------------------------------------------------------


@transaction.atomic
def auto_assign_job_start(
    *,
    organization: Organization,
    actor: User | None,
    scope: Scope,
    options: JobOptions,
    idempotency_key: str = "",
    enqueue: bool = True,
) -> tuple[AutoAssignJob, bool]:
    """Write a queued job and publish it after commit; returns ``(job, created)``.

    The same idempotency key returns the job it created (``created=False``), whatever
    its state. Starts of one organization are serialized (an advisory lock), so two
    concurrent requests cannot both pass the overlap check; a job queued or running on
    an overlapping time span is refused with ``JobAlreadyRunning``.
    """
    _serialize_starts(organization)
    existing = _job_with_key(organization, idempotency_key)
    if existing is not None:
        return existing, False
    extent = scope_extent(organization=organization, scope=scope)
    if extent.shifts == 0:
        raise ValidationFailed.for_field("scope", "No shift to staff in this scope.")
    _refuse_overlap(organization, extent)
    job = _create_job(organization, actor, scope, extent, options, idempotency_key)
    if job is None:  # lost an idempotency race to a concurrent request
        return _job_with_key(organization, idempotency_key), False  # type: ignore[return-value]
    record(
        organization=organization,
        actor=actor,
        action="autoassign.start",
        entity=job,
        after=snapshot(job, fields=("status", "scope", "options")),
    )
    if enqueue:
        job_id = job.pk
        transaction.on_commit(lambda: publish(job_id, options))
    return job, True


def _serialize_starts(organization: Organization) -> None:
    """Transaction-scoped advisory lock per organization (PostgreSQL; a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return
    object_id = int.from_bytes(organization.pk.bytes[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [START_LOCK_CLASS, object_id])


def _job_with_key(organization: Organization, key: str) -> AutoAssignJob | None:
    if not key:
        return None
    return AutoAssignJob.objects.filter(organization=organization, idempotency_key=key).first()


def _refuse_overlap(organization: Organization, extent: ScopeExtent) -> None:
    active = AutoAssignJob.objects.filter(
        organization=organization, status__in=ACTIVE_JOB_STATUSES
    ).order_by("created_at")
    for job in active:
        if ScopeExtent.from_json(job.scope.get("extent") or {}).overlaps(extent):
            raise JobAlreadyRunning(job)


def _create_job(
    organization: Organization,
    actor: User | None,
    scope: Scope,
    extent: ScopeExtent,
    options: JobOptions,
    key: str,
) -> AutoAssignJob | None:
    """Insert the job; ``None`` when a concurrent request inserted the same key first."""
    job = AutoAssignJob(
        organization=organization,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        scope={**scope.to_json(), "extent": extent.to_json()},
        options=options.to_json(),
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            job.save(force_insert=True)
    except IntegrityError as exc:
        if key and _constraint_name(exc) == IDEMPOTENCY_CONSTRAINT:
            return None
        raise
    return job


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def publish(job_id: UUID, options: JobOptions) -> bool:
    """Hand the job to the broker; a broker failure is logged and leaves it queued.

    Never raises for the broker: the request that started the job has committed and must
    answer at once. The sweep publishes again what stayed queued.
    """
    from apps.planning.autoassign_tasks import publish_auto_assign_job

    published = publish_auto_assign_job(
        job_id=job_id,
        soft_time_limit=options.soft_time_limit,
        time_limit=options.hard_time_limit,
    )
    if published:
        AutoAssignJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    else:
        metrics.enqueue_failed()
    return published


# --- Run -----------------------------------------------------------------------------


def auto_assign_job_claim(*, job_id: UUID | str, task_id: str) -> Claim | None:
    """Claim a job for this runner with one guarded UPDATE; ``None`` when not claimable.

    Claimable: ``queued``, or ``running`` under a claim of the same task id (a
    redelivery of the message whose worker was lost, or a retry).
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        AutoAssignJob.objects.filter(pk=job_id)
        .filter(
            Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, result__claim__task_id=task_id)
        )
        .update(
            status=JobStatus.RUNNING,
            started_at=now,
            updated_at=now,
            progress=0.0,
            attempts=F("attempts") + 1,
            error="",
            result={"claim": {"task_id": task_id, "token": token}},
        )
    )
    if claimed != 1:
        return None
    return Claim(job_id=UUID(str(job_id)), task_id=task_id, token=token)


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
        updated = _claimed(self.claim).update(progress=fraction)
        self.lost = self.lost or updated == 0


def _claimed(claim: Claim) -> Any:
    return AutoAssignJob.objects.filter(
        pk=claim.job_id, status=JobStatus.RUNNING, result__claim__token=claim.token
    )


def auto_assign_job_run(
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
    from apps.planning.autoassign import parse_problem, solve

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
    if locked.status != JobStatus.RUNNING or _token(locked) != claim.token:
        logger.info("auto-assign job %s: claim lost (%s), result dropped", job.pk, locked.status)
        return locked
    options = JobOptions.from_json(locked.options)
    plan = plan_from_solution(built, solution.assignments)
    if options.dry_run:
        outcome = WriteOutcome(created=list(plan.create))
    else:
        outcome = _write_plan(job=locked, plan=plan)
    _store_result(locked, built, plan, solution, outcome, solved_in)
    if not options.dry_run:
        _audit_apply(locked, created=len(outcome.created), cancelled=len(plan.cancel))
    _count_outcome_after_commit(locked)
    return locked


def _token(job: AutoAssignJob) -> str | None:
    claim = (job.result or {}).get("claim") or {}
    return claim.get("token")


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


def _audit_apply(job: AutoAssignJob, *, created: int, cancelled: int) -> None:
    record(
        organization=job.organization,
        actor=job.created_by,
        action="autoassign.apply",
        entity=job,
        after={
            "created": created,
            "cancelled": cancelled,
            "coverage_before": job.coverage_before,
            "coverage_after": job.coverage_after,
        },
    )


def _count_outcome_after_commit(job: AutoAssignJob) -> None:
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


# --- Writing a plan --------------------------------------------------------------------


@dataclass
class WriteOutcome:
    """Pairs created, conflicts of the pairs refused, soft conflicts of those created."""

    created: list[Pair]
    refused: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _write_plan(*, job: AutoAssignJob, plan: Plan) -> WriteOutcome:
    """Cancel the replaced proposals, then create what still passes the rules.

    ``assignments_bulk_create`` is all or nothing: a refused batch is retried without the
    pairs its hard conflicts name (each try in its own savepoint), a few rounds at most.
    """
    _cancel_replaced(plan.cancel, job=job, strict=False)
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
        except HardConflict as exc:
            hard = [c for c in exc.conflicts if c.get("type") == "hard"]
            refused.extend(hard)
            pairs = without_named_pairs(pairs, hard)
            continue
        except (Conflict, NotFound, ValidationFailed) as exc:
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


def _cancel_replaced(assignment_ids: Iterable[UUID], *, job: AutoAssignJob, strict: bool) -> int:
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
    if not rows:
        return
    before = {row.pk: snapshot(row) for row in rows}
    now = timezone.now()
    Assignment.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=AssignmentStatus.CANCELLED, status_changed_at=now, updated_at=now
    )
    actor = job.created_by
    entries = []
    for row in rows:
        row.status, row.status_changed_at, row.updated_at = AssignmentStatus.CANCELLED, now, now
        entries.append(
            AuditEntry(
                organization=job.organization,
                actor=actor,
                actor_label=actor.email if actor is not None else "system",
                action="assignment.status",
                entity_type=row._meta.label_lower,
                entity_id=str(row.pk),
                before=before[row.pk],
                after=snapshot(row),
                reason=f"Re-planned by auto-assign job {job.pk}.",
            )
        )
    record_many(entries)


# --- Cancel, apply, fail ----------------------------------------------------------------


@transaction.atomic
def auto_assign_job_cancel(*, job: AutoAssignJob, actor: User | None) -> AutoAssignJob:
    """``queued | running → cancelled``; a running task sees it and drops its result."""
    job = (
        AutoAssignJob.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=job.pk)
    )
    if job.status not in ACTIVE_JOB_STATUSES:
        raise Conflict(
            f"A {job.status} job cannot be cancelled.",
            code="job_finished",
            extra={"job_status": job.status},
        )
    before = snapshot(job, fields=("status",))
    job.status = JobStatus.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    record(
        organization=job.organization,
        actor=actor,
        action="autoassign.cancel",
        entity=job,
        before=before,
        after=snapshot(job, fields=("status",)),
    )
    _count_outcome_after_commit(job)
    return job


@transaction.atomic
def auto_assign_job_apply(*, job: AutoAssignJob, actor: User | None) -> ApplyOutcome:
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
    _cancel_replaced(plan.cancel, job=job, strict=True)
    try:
        written = assignments_bulk_create(
            organization=job.organization, actor=actor, pairs=list(plan.create), job=job
        )
    except HardConflict as exc:
        raise PlanningChanged(exc.conflicts) from exc
    except (Conflict, NotFound, ValidationFailed) as exc:
        raise PlanningChanged([], f"{PlanningChanged.default_message} {exc.message}") from exc
    job.applied_at = timezone.now()
    job.result = {**job.result, "created": len(written.objs), "applied_by": _email(actor)}
    job.save(update_fields=["applied_at", "result", "updated_at"])
    _audit_apply(job, created=len(written.objs), cancelled=len(plan.cancel))
    return ApplyOutcome(job=job, created=len(written.objs), conflicts=list(written.conflicts))


def _require_applicable(job: AutoAssignJob) -> None:
    if not JobOptions.from_json(job.options).dry_run:
        raise Conflict("Only a dry run has a proposal to apply.", code="job_not_dry_run")
    if job.status != JobStatus.SUCCEEDED:
        raise Conflict(
            f"A {job.status} job has no proposal to apply.",
            code="job_not_succeeded",
            extra={"job_status": job.status},
        )
    if job.applied_at is not None:
        raise Conflict("This proposal was applied already.", code="job_already_applied")


def _email(actor: User | None) -> str:
    return actor.email if actor is not None and actor.is_authenticated else "system"


def auto_assign_job_fail(*, job_id: UUID | str, task_id: str, error: str) -> bool:
    """Mark a job failed, with why, if this runner still holds it; returns whether it did."""
    failed = AutoAssignJob.objects.filter(
        pk=job_id, status__in=ACTIVE_JOB_STATUSES, result__claim__task_id=task_id
    ).update(
        status=JobStatus.FAILED,
        error=error[:ERROR_MAX_LENGTH],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if failed:
        metrics.job_ended(status=JobStatus.FAILED)
    return failed == 1


# --- Sweep ---------------------------------------------------------------------------------


def auto_assign_jobs_sweep(*, now: datetime | None = None, limit: int = 100) -> SweepReport:
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
    moved = AutoAssignJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at
    ).update(status=JobStatus.QUEUED, result={}, progress=0.0, updated_at=timezone.now())
    if moved:
        logger.warning("auto-assign job %s lost its worker; queued again", job.pk)
        publish(job.pk, JobOptions.from_json(job.options))
    return moved


def _fail_lost(job: AutoAssignJob) -> int:
    failed = AutoAssignJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at
    ).update(
        status=JobStatus.FAILED,
        error=f"The worker running this job was lost {job.attempts} times; giving up.",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if failed:
        metrics.job_ended(status=JobStatus.FAILED)
    return failed


def application_error_text(exc: BaseException) -> str:
    """What a failed job says: the typed message, or the exception's class and text."""
    if isinstance(exc, ApplicationError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"
