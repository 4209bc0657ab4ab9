"""Prometheus metrics of auto-assign jobs (default registry, so ``/metrics`` shows them).

They are recorded where the job ends: in the Celery worker for queued jobs, in the web
process for cancels and applies, in the command for ``manage.py autoassign``. A prefork
worker keeps its own registry per process: scraping workers needs
``prometheus_client``'s multiprocess mode or a push gateway, which is deployment work.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

JOB_OUTCOMES = Counter(
    "crewplan_autoassign_jobs_total",
    "Auto-assign jobs that ended, by final status.",
    ["status"],
)
JOB_DURATION = Histogram(
    "crewplan_autoassign_job_duration_seconds",
    "Wall-clock time of an auto-assign job from claim to result.",
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 180, 300),
)
JOB_COVERAGE = Histogram(
    "crewplan_autoassign_coverage_ratio",
    "Coverage (filled slots / head count) of the scope after a successful job.",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0),
)
ENQUEUE_FAILURES = Counter(
    "crewplan_autoassign_enqueue_failures_total",
    "Publishing an auto-assign job to the broker failed (the sweep re-enqueues it).",
)


def job_ended(*, status: str, seconds: float | None = None, coverage: float | None = None) -> None:
    """Count an outcome; observe duration and coverage when known."""
    JOB_OUTCOMES.labels(status=status).inc()
    if seconds is not None:
        JOB_DURATION.observe(seconds)
    if coverage is not None:
        JOB_COVERAGE.observe(coverage)


def enqueue_failed() -> None:
    ENQUEUE_FAILURES.inc()
