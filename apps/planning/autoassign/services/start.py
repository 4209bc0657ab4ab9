"""Starting a job: idempotency, overlap refusal, publishing after commit."""

from __future__ import annotations

import logging
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.core.errors import (
    ValidationFailed,
)
from apps.core.integrity import violated_constraint
from apps.orgs.models import Organization, User
from apps.planning.autoassign import metrics
from apps.planning.autoassign.build import (
    Scope,
    ScopeExtent,
    scope_extent,
)
from apps.planning.autoassign.services.common import (
    ACTIVE_JOB_STATUSES,
    IDEMPOTENCY_CONSTRAINT,
    START_LOCK_CLASS,
    JobAlreadyRunning,
    JobOptions,
)
from apps.planning.models import (
    AutoAssignJob,
)

logger = logging.getLogger(__name__)


# --- Start ---------------------------------------------------------------------------


@transaction.atomic
def autoassign_job_start(
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
        action=AuditAction.AUTOASSIGN_START,
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
        if key and violated_constraint(exc) == IDEMPOTENCY_CONSTRAINT:
            return None
        raise
    return job


def publish(job_id: UUID, options: JobOptions) -> bool:
    """Hand the job to the broker; a broker failure is logged and leaves it queued.

    Never raises for the broker: the request that started the job has committed and must
    answer at once. The sweep publishes again what stayed queued.
    """
    from apps.planning.autoassign.tasks import publish_autoassign_job

    published = publish_autoassign_job(
        job_id=job_id,
        soft_time_limit=options.soft_time_limit,
        time_limit=options.hard_time_limit,
    )
    if published:
        AutoAssignJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    else:
        metrics.enqueue_failed()
    return published
