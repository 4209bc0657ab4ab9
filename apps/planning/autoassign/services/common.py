"""Shared pieces of the auto-assign job: options, errors, results, limits."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from apps.core.errors import (
    ApplicationError,
    ConflictError,
)
from apps.orgs.models import User
from apps.planning.models import (
    AutoAssignJob,
    JobStatus,
)

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


class JobAlreadyRunning(ConflictError):
    """Another job of the organization is queued or running on an overlapping scope."""

    code = "job_running"
    default_message = "An auto-assign job is already queued or running on an overlapping scope."

    def __init__(self, job: AutoAssignJob) -> None:
        super().__init__(extra={"job": {"id": str(job.pk), "status": job.status}})
        self.job = job


class PlanningChanged(ConflictError):
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


def job_token(job: AutoAssignJob) -> str | None:
    claim = (job.result or {}).get("claim") or {}
    return claim.get("token")


def actor_email(actor: User | None) -> str:
    return actor.email if actor is not None and actor.is_authenticated else "system"


def application_error_text(exc: BaseException) -> str:
    """What a failed job says: the typed message, or the exception's class and text."""
    if isinstance(exc, ApplicationError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"
