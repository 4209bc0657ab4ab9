"""Auto-assign jobs on a real Celery worker (prefork) and Redis, not in eager mode.

Each test starts its worker(s) as subprocesses on a queue of its own, with the test's
database (``DATABASE_URL`` names the database pytest created) and the test Redis (its
``REDIS_URL``, the broker too). The test process publishes to that queue for real.
Workers run in their own process group and are killed with it in ``finally``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.db import connection

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.autoassign.tasks import sweep_autoassign_jobs
from apps.planning.models import Assignment, AutoAssignJob
from config.celery import app as celery_app
from tests.autoassign_job.conftest import make_planning
from tests.conftest import Scenario

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

START = "/api/v1/planning/auto-assign/start"
CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
CLOSED_BROKER = "redis://127.0.0.1:6390/0"
VISIBILITY_TIMEOUT = 5


def database_url() -> str:
    """The test database as the worker must reach it (pytest-django already switched NAME)."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(queue: str, **extra: str) -> dict[str, str]:
    """The test's database, Redis (``REDIS_URL`` in ``extra`` overrides) and queue (the
    sweep publishes to it too)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUTOASSIGN_TASK_QUEUE": queue,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra,
    }


@contextmanager
def celery_worker(
    queue: str,
    log: Path,
    *,
    pause: float = 0.0,
    visibility_timeout: int = VISIBILITY_TIMEOUT,
    lease: int | None = None,
    **extra_env: str,
) -> Iterator[subprocess.Popen[bytes]]:
    env = process_env(
        queue,
        **extra_env,
        CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout),
        CELERY_UNACKED_RESTORE_INTERVAL="1",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
        AUTOASSIGN_PAUSE_AFTER_CLAIM_SECONDS=str(pause),
        AUTOASSIGN_LEASE_SECONDS=str(lease or settings.AUTOASSIGN_LEASE_SECONDS),
    )
    command = [
        str(CELERY), "-A", "config", "worker", "-Q", queue, "--pool=prefork",
        "--concurrency=1", "-l", "WARNING", "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("ab") as output:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        yield worker
    finally:
        kill(worker, signal.SIGTERM)


@contextmanager
def celery_beat(queue: str, log: Path, **extra_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Celery beat with the settings' schedule (the sweep every AUTOASSIGN_SWEEP_SECONDS)."""
    command = [
        str(CELERY), "-A", "config", "beat", "-l", "WARNING",
        "-s", str(log.with_name("beat-schedule")), "--pidfile=",
    ]  # fmt: skip
    with log.open("ab") as output:
        beat = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=process_env(queue, **extra_env), stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        yield beat
    finally:
        kill(beat, signal.SIGTERM)


def kill(worker: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the worker's whole process group (main process and pool child)."""
    if worker.poll() is not None:
        return
    try:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    except ProcessLookupError:
        pass


def wait_for(predicate: Callable[[], bool], *, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out; worker log:\n{log.read_text()[-3000:]}")


def job_status(job_id: Any) -> str:
    return AutoAssignJob.objects.values_list("status", flat=True).get(pk=job_id)


@pytest.fixture
def queue(settings: Any) -> Iterator[str]:
    """A queue of this test's own; the test process publishes for real (not eagerly)."""
    name = f"autoassign-test-{uuid.uuid4().hex[:8]}"
    # Read Celery's (lazily loaded) setting before overriding Django's, or the
    # restore below would bring back the override.
    eager = celery_app.conf.task_always_eager
    settings.AUTOASSIGN_TASK_QUEUE = name
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    try:
        yield name
    finally:
        celery_app.conf.task_always_eager = eager
        forget_queue(name)


def unacked(name: str) -> list[bytes]:
    """Messages of the queue a worker holds and has not acknowledged yet."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return [tag for tag, payload in client.hscan_iter("unacked") if json.loads(payload)[-1] == name]


def forget_queue(name: str) -> None:
    """Drop the queue and the messages of it a killed worker left unacknowledged."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(name)
    for tag, payload in client.hscan_iter("unacked"):
        if json.loads(payload)[-1] == name:  # [message, exchange, routing key]
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "worker.log"


def reset_broker_pools() -> None:
    """Drop cached connections so that the next publish uses ``conf.broker_url``."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """This process publishes to the broker at ``url`` meanwhile."""
    previous = celery_app.conf.broker_url
    reset_broker_pools()
    celery_app.conf.broker_url = url
    try:
        yield
    finally:
        reset_broker_pools()
        celery_app.conf.broker_url = previous


def broker_down() -> AbstractContextManager[None]:
    return broker_at(CLOSED_BROKER)


def test_a_worker_runs_a_started_job_and_writes_audited_proposals(
    scenario: Scenario, queue: str, log: Path
) -> None:
    planning = make_planning(scenario.organization)
    with celery_worker(queue, log):
        response = scenario.client("manager").post(
            START,
            {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}},
            format="json",
        )
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        wait_for(lambda: job_status(job_id) == "succeeded", timeout=40, log=log)

    job = AutoAssignJob.objects.get(pk=job_id)
    assert job.enqueued_at is not None
    assert (job.attempts, job.slots_filled, job.coverage_after) == (1, 6, 1.0)
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert rows.count() == 6
    assert set(rows.values_list("status", "source")) == {("proposed", "auto")}
    created = AuditEntry.objects.filter(
        action=AuditAction.ASSIGNMENT_CREATE,
        entity_id__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
    )
    assert created.count() == 6
    assert (
        AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job_id).count()
        == 1
    )


def test_a_start_answers_at_once_when_the_broker_is_down_and_runs_once_it_is_back(
    scenario: Scenario, queue: str, log: Path, settings: Any
) -> None:
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}
    with broker_down():
        began = time.monotonic()
        response = scenario.client("manager").post(START, body, format="json")
        elapsed = time.monotonic() - began

    assert response.status_code == 202, response.content
    assert elapsed < 2.0
    job_id = response.json()["id"]
    job = AutoAssignJob.objects.get(pk=job_id)
    assert (job.status, job.enqueued_at) == ("queued", None)

    settings.AUTOASSIGN_REQUEUE_AFTER_SECONDS = 0
    with celery_worker(queue, log):
        assert sweep_autoassign_jobs()["republished"] == 1
        wait_for(lambda: job_status(job_id) == "succeeded", timeout=40, log=log)

    assert Assignment.objects.filter(auto_assign_job_id=job_id).count() == 6


def test_a_job_whose_worker_is_killed_is_completed_once_by_its_redelivered_message(
    scenario: Scenario, queue: str, log: Path
) -> None:
    """The message comes back after the visibility timeout, once the lease has lapsed."""
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}
    with celery_worker(queue, log, pause=60, lease=2) as doomed:
        job_id = scenario.client("manager").post(START, body, format="json").json()["id"]
        wait_for(lambda: job_status(job_id) == "running", timeout=30, log=log)
        kill(doomed, signal.SIGKILL)  # mid-job: claimed, nothing written, message not acked

    assert job_status(job_id) == "running"
    with celery_worker(queue, log, lease=2):
        # The unacked message comes back after the visibility timeout, with the same task id.
        wait_for(lambda: job_status(job_id) == "succeeded", timeout=30, log=log)

    job = AutoAssignJob.objects.get(pk=job_id)
    assert job.attempts == 2
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert rows.count() == 6
    assert len(set(rows.values_list("shift_id", "artist_id"))) == 6
    assert (
        AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job_id).count()
        == 1
    )


def test_a_job_whose_whole_worker_is_killed_completes_once_within_its_time_limit_plus_30_s(
    scenario: Scenario, queue: str, log: Path
) -> None:
    """Production timings: the lease lapses, beat's sweep re-queues, a new worker runs it.

    The visibility timeout is production's hour, so the killed worker's message does not
    come back during the test: the recovery is the lease and the sweep alone.
    """
    planning = make_planning(scenario.organization)
    time_limit = 2
    body = {
        "scope": {"project_id": str(planning.project.pk)},
        "options": {"time_limit": time_limit},
    }
    with celery_beat(queue, log):
        with celery_worker(queue, log, pause=120, visibility_timeout=3600) as doomed:
            job_id = scenario.client("manager").post(START, body, format="json").json()["id"]
            wait_for(lambda: job_status(job_id) == "running", timeout=30, log=log)
            time.sleep(2 * settings.AUTOASSIGN_LEASE_SECONDS)  # the live worker renews it
            assert job_status(job_id) == "running"
            assert AutoAssignJob.objects.get(pk=job_id).attempts == 1
            kill(doomed, signal.SIGKILL)  # main process and pool child at once
            killed_at = time.monotonic()

        with celery_worker(queue, log, visibility_timeout=3600):
            wait_for(lambda: job_status(job_id) == "succeeded", timeout=time_limit + 30, log=log)
            recovered_in = time.monotonic() - killed_at
            time.sleep(2 * settings.AUTOASSIGN_SWEEP_SECONDS)  # later sweeps change nothing

    assert recovered_in < time_limit + 30
    job = AutoAssignJob.objects.get(pk=job_id)
    assert (job.status, job.attempts, job.slots_filled) == ("succeeded", 2, 6)
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert rows.count() == 6
    assert len(set(rows.values_list("shift_id", "artist_id"))) == 6
    created = AuditEntry.objects.filter(
        action=AuditAction.ASSIGNMENT_CREATE,
        entity_id__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
    )
    assert created.count() == 6
    actions = list(
        AuditEntry.objects.filter(entity_id=job_id)
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions == ["autoassign.start", "autoassign.requeue", "autoassign.apply"]
    print(f"worker SIGKILLed; job succeeded {recovered_in:.1f} s later")


def test_a_worker_presumed_dead_that_wakes_up_cannot_write_its_late_result(
    scenario: Scenario, queue: str, log: Path
) -> None:
    """Fencing: a frozen worker (SIGSTOP) loses its lease; another completes the job; the
    first, resumed (SIGCONT), finishes its run and finds its claim gone: nothing twice."""
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}
    with celery_beat(queue, log), celery_worker(queue, log, pause=20) as frozen:
        job_id = scenario.client("manager").post(START, body, format="json").json()["id"]
        wait_for(lambda: job_status(job_id) == "running", timeout=30, log=log)
        os.killpg(frozen.pid, signal.SIGSTOP)
        try:
            with celery_worker(queue, log):
                wait_for(lambda: job_status(job_id) == "succeeded", timeout=40, log=log)
        finally:
            os.killpg(frozen.pid, signal.SIGCONT)
        finished = AutoAssignJob.objects.get(pk=job_id)
        # The woken worker ends its pause, solves and tries to write, then acks its message.
        wait_for(lambda: not unacked(queue), timeout=60, log=log)

    job = AutoAssignJob.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert (job.result, job.finished_at) == (finished.result, finished.finished_at)
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert rows.count() == 6
    applied = AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job_id)
    assert applied.count() == 1
