"""Celery finds an app's tasks in its ``tasks`` module; each feature keeps its own."""

from apps.planning.autoassign.tasks import run_autoassign_job, sweep_autoassign_jobs
from apps.planning.publication.tasks import (
    send_invitation_digest,
    send_invitation_email,
    send_invitation_reminders,
    send_manager_digests,
    send_schedule_changed_email,
    send_shift_reminders,
)
from apps.planning.rules.tasks import recompute_conflicts

__all__ = [
    "recompute_conflicts",
    "run_autoassign_job",
    "send_invitation_digest",
    "send_invitation_email",
    "send_invitation_reminders",
    "send_manager_digests",
    "send_schedule_changed_email",
    "send_shift_reminders",
    "sweep_autoassign_jobs",
]
