"""Auto-assign jobs: start, run (claim, build, solve, write), cancel, apply and sweep.

Life of a job: ``queued`` (row written in the request's transaction, published to the
broker after commit) → ``running`` (claimed by one worker) → ``succeeded | failed``; a
manager may cancel it while queued or running. A dry run keeps its proposal in the result
until ``autoassign_job_apply`` writes it, all or nothing.

Why it is safe to run on several workers, with redeliveries and lost workers:

- **Claim and lease.** A guarded UPDATE moves the job from ``queued`` to ``running``,
  stores a fresh claim token with the Celery task id and a lease expiry
  (``AUTOASSIGN_LEASE_SECONDS``). The runner renews the lease while alive (a thread, and
  each progress report). A ``running`` job is claimable again only once its lease has
  lapsed (its runner died): two runners never run it at once.
- **Fencing.** Progress updates and the final write are guarded by the claim token, and
  the result transaction locks the job row (``select_for_update``) and re-checks status and
  token before writing anything: of two runners, only the last claimer can write, once. A
  cancelled job or one taken over by another claim gives up without writing.
- **Sweep.** A job left ``queued`` (the broker was down at publish time, a message was
  lost) is published again; a job ``running`` under a lapsed lease lost its worker: it
  goes back to ``queued`` (its claim token dropped, so a late result of the presumed-dead
  runner is refused) or, after ``MAX_ATTEMPTS``, fails.

Writes go through ``assignments_bulk_create``, the same rules as every planning write:
pairs it refuses (the planning changed during the solve) are reported in the result as
``conflicts`` and skipped, the rest is written in the same transaction as the job's
result and its audit entries.
"""

from apps.planning.autoassign.services.common import (
    DEFAULT_TIME_LIMIT,
    HARD_LIMIT_MARGIN,
    MAX_ATTEMPTS,
    SOFT_LIMIT_MARGIN,
    STUCK_MARGIN,
    ApplyOutcome,
    Claim,
    JobAlreadyRunning,
    JobOptions,
    PlanningChanged,
    SweepReport,
    application_error_text,
)
from apps.planning.autoassign.services.lifecycle import (
    autoassign_job_apply,
    autoassign_job_cancel,
    autoassign_job_fail,
)
from apps.planning.autoassign.services.run import (
    LeaseKeeper,
    ProgressReporter,
    autoassign_job_claim,
    autoassign_job_run,
    release_lease,
)
from apps.planning.autoassign.services.start import autoassign_job_start, publish
from apps.planning.autoassign.services.sweep import autoassign_jobs_sweep

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "HARD_LIMIT_MARGIN",
    "MAX_ATTEMPTS",
    "SOFT_LIMIT_MARGIN",
    "STUCK_MARGIN",
    "ApplyOutcome",
    "Claim",
    "JobAlreadyRunning",
    "JobOptions",
    "LeaseKeeper",
    "PlanningChanged",
    "ProgressReporter",
    "SweepReport",
    "application_error_text",
    "autoassign_job_apply",
    "autoassign_job_cancel",
    "autoassign_job_claim",
    "autoassign_job_fail",
    "autoassign_job_run",
    "autoassign_job_start",
    "autoassign_jobs_sweep",
    "publish",
    "release_lease",
]
