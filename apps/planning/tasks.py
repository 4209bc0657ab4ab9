"""Celery finds an app's tasks in its ``tasks`` module; each feature keeps its own."""

from apps.planning.autoassign.tasks import run_autoassign_job, sweep_autoassign_jobs
from apps.planning.publication.tasks import send_invitation_email, send_schedule_changed_email

__all__ = [
    "run_autoassign_job",
    "send_invitation_email",
    "send_schedule_changed_email",
    "sweep_autoassign_jobs",
]
