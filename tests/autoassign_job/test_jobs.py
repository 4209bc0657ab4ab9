"""The job's life in the service and the task: claim, fencing, failures, retries, sweep."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError
from prometheus_client import REGISTRY

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from apps.planning.autoassign import services as jobs
from apps.planning.autoassign import tasks as autoassign_tasks
from apps.planning.autoassign.build import Scope
from apps.planning.autoassign.services import run as job_run
from apps.planning.autoassign.services import start as job_start
from apps.planning.autoassign.tasks import run_autoassign_job, sweep_autoassign_jobs
from apps.planning.models import Assignment, AutoAssignJob
from config.celery import app as celery_app
from tests.autoassign_job.conftest import Planning, make_planning
from tests.conftest import Scenario
from tests.factories import AssignmentFactory, AvailabilityFactory

pytestmark = pytest.mark.django_db


def start(planning: Planning, actor: Any = None, **options: Any) -> AutoAssignJob:
    job, created = jobs.autoassign_job_start(
        organization=planning.organization,
        actor=actor,
        scope=Scope(project_id=planning.project.pk),
        options=jobs.JobOptions(**{"time_limit": 2, **options}),
        enqueue=False,
    )
    assert created
    return job


def outcome_count(status: str) -> float:
    return REGISTRY.get_sample_value("crewplan_autoassign_jobs_total", {"status": status}) or 0.0


# --- Claim and fencing --------------------------------------------------------------------


def test_a_job_is_claimed_once(planning: Planning) -> None:
    job = start(planning)

    first = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    second = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-2")

    assert first is not None
    assert second is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert job.started_at is not None


def lapse_lease(job: AutoAssignJob) -> None:
    """What happens when the runner dies: nobody renews the lease any more."""
    past = timezone.now() - timedelta(seconds=1)
    AutoAssignJob.objects.filter(pk=job.pk).update(lease_expires_at=past)


def test_a_running_job_is_taken_over_only_once_its_lease_lapsed(planning: Planning) -> None:
    job = start(planning)
    lost = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    job.refresh_from_db()
    assert job.lease_expires_at is not None
    assert job.lease_expires_at > timezone.now()

    redelivered = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    other = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-2")
    lapse_lease(job)
    again = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")

    assert lost is not None
    assert (redelivered, other) == (None, None), "a live lease is never claimed"
    assert again is not None
    assert again.token != lost.token
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.lease_expires_at > timezone.now()


def test_of_two_runners_only_the_last_claimer_writes_once(planning: Planning) -> None:
    job = start(planning)
    lost = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    lapse_lease(job)
    current = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert lost is not None
    assert current is not None

    late = jobs.autoassign_job_run(claim=lost)
    assert late.status == "running"  # dropped: the claim was taken over
    assert not Assignment.objects.exists()

    done = jobs.autoassign_job_run(claim=current)
    again = jobs.autoassign_job_run(claim=current)

    assert done.status == again.status == "succeeded"
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert rows.count() == 6
    assert len(set(rows.values_list("shift_id", "artist_id"))) == 6
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.AUTOASSIGN_APPLY, entity_id=str(job.pk)
        ).count()
        == 1
    )


def test_a_job_cancelled_while_running_writes_nothing(
    planning: Planning, scenario: Scenario
) -> None:
    job = start(planning)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    before = outcome_count("cancelled")

    jobs.autoassign_job_cancel(job=job, actor=scenario.manager)
    finished = jobs.autoassign_job_run(claim=claim)

    assert finished.status == "cancelled"
    assert not Assignment.objects.exists()
    assert outcome_count("cancelled") == before  # counted after commit, not in this test


def test_progress_is_written_at_most_every_half_second_and_notices_a_lost_claim(
    planning: Planning, django_assert_num_queries: Any
) -> None:
    job = start(planning)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    seen: list[float] = []
    reporter = jobs.ProgressReporter(claim, seen.append)

    with django_assert_num_queries(1):  # one guarded UPDATE; the second call is throttled
        reporter(0.25)
        reporter(0.5)

    job.refresh_from_db()
    assert job.progress == 0.25
    assert seen == [0.25, 0.5]
    AutoAssignJob.objects.filter(pk=job.pk).update(status="cancelled")
    reporter._last = 0.0
    reporter(0.75)
    assert reporter.lost


# --- Failures and retries -----------------------------------------------------------------


def test_a_job_that_breaks_fails_with_why_and_is_not_retried(planning: Planning) -> None:
    job = start(planning)
    before = outcome_count("failed")

    with mock.patch.object(job_run, "build_problem", side_effect=ValueError("bad data in shift")):
        result = run_autoassign_job.apply(args=(str(job.pk),), throw=False)

    assert result.failed()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "ValueError: bad data in shift"
    assert job.attempts == 1
    assert job.finished_at is not None
    assert outcome_count("failed") == before + 1
    entry = AuditEntry.objects.get(action=AuditAction.AUTOASSIGN_FAIL, entity_id=str(job.pk))
    assert entry.reason == "ValueError: bad data in shift"
    assert entry.actor is None


@pytest.fixture
def eager_retries_do_not_raise() -> Iterator[None]:
    """Eager retries run nested ``apply`` calls, which re-raise unless told otherwise."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


@pytest.mark.usefixtures("eager_retries_do_not_raise")
def test_a_transient_error_is_retried_by_the_same_task_then_fails(planning: Planning) -> None:
    job = start(planning)
    broken = mock.patch.object(job_run, "build_problem", side_effect=OperationalError("db gone"))

    with broken as build:
        result = run_autoassign_job.apply(args=(str(job.pk),), throw=False)

    assert result.failed()
    assert build.call_count == 4  # the first run and three retries, each re-claiming the job
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 4)
    assert "db gone" in job.error


@pytest.mark.usefixtures("eager_retries_do_not_raise")
def test_a_transient_error_then_success_completes_the_job_once(planning: Planning) -> None:
    job = start(planning)
    real = job_run.build_problem
    calls: list[int] = []

    def flaky(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection reset")
        return real(**kwargs)

    with mock.patch.object(job_run, "build_problem", side_effect=flaky):
        result = run_autoassign_job.apply(args=(str(job.pk),), throw=False)

    assert result.successful()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert Assignment.objects.filter(auto_assign_job=job).count() == 6


# --- Writing through the rules ------------------------------------------------------------


def test_pairs_the_planning_no_longer_allows_are_skipped_and_reported(planning: Planning) -> None:
    job = start(planning)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    real_solve = job_run._solve
    chosen: list[Artist] = []

    def solve_while_the_planning_changes(*args: Any, **kwargs: Any) -> Any:
        solution = real_solve(*args, **kwargs)
        chosen.append(Artist.objects.get(pk=solution.assignments[0][1]))
        AvailabilityFactory(
            artist=chosen[0],
            start_at=planning.shifts[0].start_at - timedelta(days=1),
            end_at=planning.shifts[-1].end_at + timedelta(days=1),
        )
        return solution

    with mock.patch.object(job_run, "_solve", side_effect=solve_while_the_planning_changes):
        finished = jobs.autoassign_job_run(claim=claim)

    assert finished.status == "succeeded"
    absent = chosen[0]
    refused = finished.result["conflicts"]
    assert refused
    assert {conflict["rule"] for conflict in refused} == {"absence"}
    assert {conflict["details"]["artist_id"] for conflict in refused} == {str(absent.pk)}
    rows = Assignment.objects.filter(auto_assign_job=job)
    assert not rows.filter(artist=absent).exists()
    assert rows.count() == 6 - len(refused)
    assert finished.slots_filled == rows.count()
    assert finished.result["created"] == rows.count()
    assert sum(item["missing"] for item in finished.result["unfilled"]) == len(refused)


def test_replacing_cancels_earlier_auto_proposals_the_engine_drops(scenario: Scenario) -> None:
    planning = make_planning(scenario.organization, shifts=1, artists=3, headcount=1)
    shift = planning.shifts[0]
    stale = AssignmentFactory(shift=shift, artist=planning.artists[0], source="auto")
    manual = make_planning(
        scenario.organization, shifts=1, artists=0, start=shift.start_at + timedelta(days=20)
    )
    kept = AssignmentFactory(shift=manual.shifts[0], artist=planning.artists[1], source="manual")
    AvailabilityFactory(artist=planning.artists[0], start_at=shift.start_at, end_at=shift.end_at)

    job = start(planning, replace_proposed=True)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    finished = jobs.autoassign_job_run(claim=claim)

    stale.refresh_from_db()
    kept.refresh_from_db()
    assert stale.status == "cancelled"
    assert kept.status == "proposed"
    assert finished.result["replaced"] == [str(stale.pk)]
    [new] = Assignment.objects.filter(auto_assign_job=job)
    assert new.artist_id != planning.artists[0].pk
    assert AuditEntry.objects.filter(
        action=AuditAction.ASSIGNMENT_STATUS, entity_id=str(stale.pk)
    ).exists()


def test_without_replacing_earlier_proposals_are_kept(scenario: Scenario) -> None:
    planning = make_planning(scenario.organization, shifts=1, artists=3, headcount=1)
    stale = AssignmentFactory(shift=planning.shifts[0], artist=planning.artists[0], source="auto")

    job = start(planning)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    finished = jobs.autoassign_job_run(claim=claim)

    stale.refresh_from_db()
    assert stale.status == "proposed"
    assert finished.result["created"] == 0
    assert (finished.coverage_before, finished.coverage_after) == (1.0, 1.0)


# --- Publishing and the sweep -------------------------------------------------------------


def test_a_broker_failure_leaves_the_job_queued(planning: Planning) -> None:
    job = start(planning)
    failures = REGISTRY.get_sample_value("crewplan_autoassign_enqueue_failures_total") or 0.0
    refused = BrokerOperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    with mock.patch.object(run_autoassign_job, "apply_async", side_effect=refused):
        published = jobs.publish(job.pk, jobs.JobOptions())

    assert published is False
    job.refresh_from_db()
    assert (job.status, job.enqueued_at) == ("queued", None)
    assert REGISTRY.get_sample_value("crewplan_autoassign_enqueue_failures_total") == failures + 1


def test_publishing_is_bounded_and_routed(planning: Planning, settings: Any) -> None:
    settings.AUTOASSIGN_TASK_QUEUE = "autoassign-test"
    job = start(planning, time_limit=7)

    with mock.patch.object(run_autoassign_job, "apply_async") as apply_async:
        assert jobs.publish(job.pk, jobs.JobOptions(time_limit=7))

    options = apply_async.call_args.kwargs
    assert options["args"] == (str(job.pk),)
    assert (options["retry"], options["queue"]) == (False, "autoassign-test")
    assert (options["soft_time_limit"], options["time_limit"]) == (67, 97)
    job.refresh_from_db()
    assert job.enqueued_at is not None


@pytest.fixture
def published() -> Iterator[mock.MagicMock]:
    with mock.patch.object(autoassign_tasks, "publish_autoassign_job", return_value=True) as fake:
        yield fake


def test_the_sweep_publishes_jobs_left_queued(
    planning: Planning, published: mock.MagicMock, settings: Any
) -> None:
    settings.AUTOASSIGN_REQUEUE_AFTER_SECONDS = 60
    fresh = start(planning)
    left = start(
        make_planning(
            planning.organization, shifts=1, start=planning.shifts[-1].end_at + timedelta(days=30)
        )
    )
    AutoAssignJob.objects.filter(pk=left.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )

    report = sweep_autoassign_jobs()

    assert report == {"republished": 1, "requeued": 0, "failed": 0}
    assert [call.kwargs["job_id"] for call in published.call_args_list] == [left.pk]
    left.refresh_from_db()
    fresh.refresh_from_db()
    assert left.enqueued_at is not None
    assert fresh.enqueued_at is None


def test_the_sweep_requeues_a_job_whose_worker_was_lost_then_gives_up(
    planning: Planning, published: mock.MagicMock
) -> None:
    job = start(planning, time_limit=10)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None
    assert jobs.autoassign_jobs_sweep() == jobs.SweepReport(republished=0, requeued=0, failed=0)
    lapse_lease(job)

    assert jobs.autoassign_jobs_sweep() == jobs.SweepReport(republished=0, requeued=1, failed=0)
    job.refresh_from_db()
    assert (job.status, job.result, job.lease_expires_at) == ("queued", {}, None)
    assert (
        jobs.autoassign_job_run(claim=claim).status == "queued"
    )  # the lost runner's result is dropped

    AutoAssignJob.objects.filter(pk=job.pk).update(
        status="running", attempts=jobs.MAX_ATTEMPTS, lease_expires_at=timezone.now()
    )
    assert jobs.autoassign_jobs_sweep() == jobs.SweepReport(republished=0, requeued=0, failed=1)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "lost" in job.error
    actions = list(
        AuditEntry.objects.filter(
            entity_id=str(job.pk), action__in=["autoassign.requeue", "autoassign.fail"]
        )
        .order_by("timestamp")
        .values_list("action", flat=True)
    )
    assert actions == ["autoassign.requeue", "autoassign.fail"]


def test_a_job_claimed_before_leases_existed_is_lost_after_its_hard_time_limit(
    planning: Planning, published: mock.MagicMock
) -> None:
    job = start(planning, time_limit=10)
    assert jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1") is not None
    recent = timezone.now() - timedelta(seconds=10 + jobs.HARD_LIMIT_MARGIN)
    long_ago = recent - timedelta(seconds=jobs.STUCK_MARGIN + 5)
    AutoAssignJob.objects.filter(pk=job.pk).update(lease_expires_at=None, started_at=recent)
    assert jobs.autoassign_jobs_sweep().requeued == 0

    AutoAssignJob.objects.filter(pk=job.pk).update(started_at=long_ago)

    assert jobs.autoassign_jobs_sweep().requeued == 1
    assert published.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_live_runner_keeps_its_lease_and_a_dead_one_loses_the_job(
    planning: Planning, published: mock.MagicMock, settings: Any
) -> None:
    """The keeper's thread renews the lease on its own connection (hence committed rows)."""
    settings.AUTOASSIGN_LEASE_SECONDS = 1
    job = start(planning)
    claim = jobs.autoassign_job_claim(job_id=job.pk, task_id="task-1")
    assert claim is not None

    with jobs.LeaseKeeper(claim):
        time.sleep(2.5)  # more than twice the lease: only the renewals keep it alive
        alive = jobs.autoassign_jobs_sweep()
    time.sleep(1.5)  # the keeper stopped, as when its worker dies
    dead = jobs.autoassign_jobs_sweep()

    assert alive.requeued == 0
    assert dead.requeued == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)
    assert [call.kwargs["job_id"] for call in published.call_args_list] == [job.pk]


# --- Idempotency races --------------------------------------------------------------------


def test_a_key_inserted_by_a_concurrent_request_returns_that_job(planning: Planning) -> None:
    """The unique constraint is the last guard: its violation (by name) answers the winner."""
    winner, _ = jobs.autoassign_job_start(
        organization=planning.organization,
        actor=None,
        scope=Scope(project_id=planning.project.pk),
        options=jobs.JobOptions(),
        idempotency_key="same",
        enqueue=False,
    )
    AutoAssignJob.objects.filter(pk=winner.pk).update(status="succeeded")

    with mock.patch.object(job_start, "_job_with_key", side_effect=[None, winner]):
        job, created = jobs.autoassign_job_start(
            organization=planning.organization,
            actor=None,
            scope=Scope(project_id=planning.project.pk),
            options=jobs.JobOptions(),
            idempotency_key="same",
            enqueue=False,
        )

    assert (job.pk, created) == (winner.pk, False)
    assert AutoAssignJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_with_one_key_make_one_job(scenario: Scenario) -> None:
    planning = make_planning(scenario.organization)
    barrier = threading.Barrier(2)
    answers: list[tuple[Any, bool]] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait(timeout=5)
            job, created = jobs.autoassign_job_start(
                organization=planning.organization,
                actor=None,
                scope=Scope(project_id=planning.project.pk),
                options=jobs.JobOptions(),
                idempotency_key="double-click",
                enqueue=False,
            )
            answers.append((job.pk, created))
        except Exception as exc:  # noqa: BLE001 - reported to the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == []
    assert len({job_id for job_id, _ in answers}) == 1
    assert sorted(created for _, created in answers) == [False, True]
    assert AutoAssignJob.objects.count() == 1


# --- Metrics ------------------------------------------------------------------------------


def test_metrics_are_exposed_on_the_metrics_endpoint(scenario: Scenario) -> None:
    body = scenario.client("anonymous").get("/metrics").content.decode()

    for name in (
        "crewplan_autoassign_jobs_total",
        "crewplan_autoassign_job_duration_seconds",
        "crewplan_autoassign_coverage_ratio",
    ):
        assert name in body
