"""A broker that is paused for real (SIGSTOP on a redis-server of the test's own).

The kernel still accepts connections; nothing answers. ``auto-assign/start`` must still
answer 202 within a second (the job stays queued), and once the broker resumes (SIGCONT)
beat's sweep publishes the job again and a real worker completes it, once.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, AutoAssignJob
from tests.autoassign_job.conftest import make_planning
from tests.autoassign_job.test_worker import (
    START,
    broker_at,
    celery_beat,
    celery_worker,
    job_status,
    wait_for,
)
from tests.conftest import Scenario
from tests.hardening.conftest import OwnRedis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_start_answers_202_within_a_second_while_the_broker_is_paused_and_the_job_runs_after(
    scenario: Scenario, own_redis: OwnRedis, queue: str, log: Path
) -> None:
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}
    later = make_planning(
        scenario.organization, start=planning.shifts[-1].end_at + timedelta(days=30)
    )
    warm_up = {"scope": {"project_id": str(later.project.pk)}, "options": {"time_limit": 1}}
    processes = {"REDIS_URL": own_redis.url, "AUTOASSIGN_REQUEUE_AFTER_SECONDS": "1"}
    with (
        broker_at(own_redis.url),
        celery_beat(queue, log, **processes),
        celery_worker(queue, log, **processes),
    ):
        # A warm process, as a server's (the first request imports the URLconf, seconds),
        # and how long a start takes with the broker answering.
        began = time.monotonic()
        assert scenario.client("manager").post(START, warm_up, format="json").status_code == 202
        baseline = time.monotonic() - began
        own_redis.pause()
        try:
            began = time.monotonic()
            response = scenario.client("manager").post(START, body, format="json")
            elapsed = time.monotonic() - began
            job_id = response.json()["id"]
            paused_status = job_status(job_id)
        finally:
            own_redis.resume()
        wait_for(lambda: job_status(job_id) == "succeeded", timeout=60, log=log)

    assert response.status_code == 202, response.content
    assert elapsed < 1.0, f"answered after {elapsed:.2f} s"
    assert paused_status == "queued"
    job = AutoAssignJob.objects.get(pk=job_id)
    assert job.attempts == 1
    assert Assignment.objects.filter(auto_assign_job=job).count() == 6
    applied = AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job_id)
    assert applied.count() == 1
    print(f"start: 202 after {baseline:.2f} s (broker up), {elapsed:.2f} s (broker paused)")
