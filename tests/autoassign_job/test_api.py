"""``/api/v1/planning/auto-assign/…``: start, status, list, cancel, apply (eager Celery).

Requests run in the test's transaction: ``on_commit`` callbacks (the publish) are captured
and run only where a test says so, which then runs the job eagerly in the test process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from apps.planning.autoassign.tasks import run_autoassign_job
from apps.planning.models import Assignment, AutoAssignJob
from tests.autoassign_job.conftest import Planning, make_planning
from tests.conftest import Scenario, assert_error, side_effects
from tests.factories import AutoAssignJobFactory, AvailabilityFactory

pytestmark = pytest.mark.django_db

START = "/api/v1/planning/auto-assign/start"
JOBS = "/api/v1/planning/auto-assign/jobs"


def status_url(job_id: Any) -> str:
    return f"/api/v1/planning/auto-assign/status/{job_id}"


def cancel_url(job_id: Any) -> str:
    return f"/api/v1/planning/auto-assign/{job_id}/cancel"


def apply_url(job_id: Any) -> str:
    return f"/api/v1/planning/auto-assign/{job_id}/apply"


def project_body(planning: Planning, **options: Any) -> dict[str, Any]:
    return {"scope": {"project_id": str(planning.project.pk)}, "options": options}


Capture = Callable[..., Any]


def start_and_run(client: APIClient, body: dict[str, Any], capture: Capture) -> dict[str, Any]:
    """Start a job and run it eagerly (its publish runs on commit, here and now)."""
    with capture(execute=True):
        response = client.post(START, body, format="json")
    assert response.status_code == 202, response.content
    return client.get(status_url(response.json()["id"])).json()  # type: ignore[no-any-return]


# --- Start ---------------------------------------------------------------------------


def test_a_manager_starts_a_job_and_gets_202_at_once(
    scenario: Scenario, planning: Planning, django_capture_on_commit_callbacks: Capture
) -> None:
    client = scenario.client("manager")
    client.get(JOBS)  # warm-up: the first request of a process imports every URL module
    began = time.monotonic()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(START, project_body(planning, time_limit=5), format="json")
    elapsed = time.monotonic() - began

    assert response.status_code == 202, response.content
    assert elapsed < 1.0
    body = response.json()
    assert body["status"] == "queued"
    assert body["options"] == {
        "time_limit": 5,
        "dry_run": False,
        "replace_proposed": False,
        "seed": None,
    }
    assert body["scope"]["project_id"] == str(planning.project.pk)
    assert body["scope"]["extent"]["shifts"] == 3
    assert body["proposal"] is None
    assert body["timings"]["started_at"] is None
    assert response["Location"] == status_url(body["id"])
    assert len(side_effects(callbacks)) == 1  # the publish waits for the commit
    job = AutoAssignJob.objects.get(pk=body["id"])
    assert (job.organization, job.created_by) == (scenario.organization, scenario.manager)
    entry = AuditEntry.objects.get(action=AuditAction.AUTOASSIGN_START, entity_id=str(job.pk))
    assert entry.actor == scenario.manager


def test_the_same_idempotency_key_returns_the_same_job(
    scenario: Scenario, planning: Planning
) -> None:
    client = scenario.client("manager")
    first = client.post(START, project_body(planning), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(START, project_body(planning), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == 202
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert AutoAssignJob.objects.filter(organization=scenario.organization).count() == 1


def test_an_overlapping_start_is_refused_with_the_running_job(
    scenario: Scenario, planning: Planning
) -> None:
    client = scenario.client("manager")
    first = client.post(START, project_body(planning), format="json").json()
    window = {
        "from": planning.shifts[1].start_at.isoformat(),
        "to": (planning.shifts[1].start_at + timedelta(days=10)).isoformat(),
    }

    response = client.post(START, {"scope": window}, format="json")

    body = assert_error(response, 409, "job_running")
    assert body["job"]["id"] == first["id"]
    assert body["job"]["status"] == "queued"


def test_a_start_on_another_time_span_is_not_refused(
    scenario: Scenario, planning: Planning
) -> None:
    later = make_planning(
        scenario.organization, shifts=1, start=planning.shifts[-1].end_at + timedelta(days=30)
    )
    client = scenario.client("manager")
    client.post(START, project_body(planning), format="json")

    response = client.post(START, project_body(later), format="json")

    assert response.status_code == 202, response.content


def test_a_finished_job_does_not_block_a_new_start(scenario: Scenario, planning: Planning) -> None:
    client = scenario.client("manager")
    first = client.post(START, project_body(planning), format="json").json()
    client.post(cancel_url(first["id"]))

    response = client.post(START, project_body(planning), format="json")

    assert response.status_code == 202, response.content


def test_a_job_runs_and_writes_audited_proposals(
    scenario: Scenario, planning: Planning, django_capture_on_commit_callbacks: Capture
) -> None:
    job = start_and_run(
        scenario.client("manager"),
        project_body(planning, time_limit=2),
        django_capture_on_commit_callbacks,
    )

    assert job["status"] == "succeeded", job
    assert job["progress"] == 1.0
    assert (job["slots_total"], job["slots_filled"]) == (6, 6)
    assert (job["coverage_before"], job["coverage_after"]) == (0.0, 1.0)
    assert job["created"] == 6
    assert job["unfilled"] == []
    assert job["timings"]["seconds"] is not None
    rows = Assignment.objects.filter(auto_assign_job_id=job["id"])
    assert rows.count() == 6
    assert set(rows.values_list("status", "source", "locked")) == {("proposed", "auto", False)}
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.ASSIGNMENT_CREATE,
            entity_id__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
        ).count()
        == 6
    )
    apply_entry = AuditEntry.objects.get(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job["id"])
    assert apply_entry.after["created"] == 6  # type: ignore[index]
    assert apply_entry.actor == scenario.manager


def test_unfilled_shifts_say_why(
    scenario: Scenario, django_capture_on_commit_callbacks: Capture
) -> None:
    planning = make_planning(scenario.organization, shifts=1, artists=1, headcount=3)

    job = start_and_run(
        scenario.client("manager"),
        project_body(planning, time_limit=2),
        django_capture_on_commit_callbacks,
    )

    assert job["status"] == "succeeded", job
    assert (job["slots_filled"], job["slots_total"]) == (1, 3)
    assert job["coverage_after"] == round(1 / 3, 4)
    [unfilled] = job["unfilled"]
    assert unfilled["shift_id"] == str(planning.shifts[0].pk)
    assert unfilled["missing"] == 2
    assert unfilled["reasons"]


# --- Validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "scope"),
        ({"scope": {}}, "scope"),
        ({"scope": {"project_id": "not-a-uuid"}}, "scope.project_id"),
        ({"scope": {"from": "2026-07-01T00:00:00Z"}}, "scope.to"),
        ({"scope": {"from": "2026-07-02T00:00:00Z", "to": "2026-07-01T00:00:00Z"}}, "scope.to"),
        ({"scope": {"from": "2026-01-01T00:00:00Z", "to": "2027-06-01T00:00:00Z"}}, "scope.to"),
        ({"scope": {"shift_ids": []}}, "scope.shift_ids"),
        (
            {"scope": {"project_id": "{project}"}, "options": {"time_limit": 0}},
            "options.time_limit",
        ),
        (
            {"scope": {"project_id": "{project}"}, "options": {"time_limit": 121}},
            "options.time_limit",
        ),
        (
            {"scope": {"project_id": "{project}"}, "options": {"dry_run": "maybe"}},
            "options.dry_run",
        ),
        ({"scope": {"project_id": "{project}"}, "options": {"seed": -1}}, "options.seed"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    scenario: Scenario, planning: Planning, body: dict[str, Any], field: str
) -> None:
    if body.get("scope", {}).get("project_id") == "{project}":
        body = {**body, "scope": {"project_id": str(planning.project.pk)}}

    response = scenario.client("manager").post(START, body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error


def test_two_kinds_of_scope_are_refused(scenario: Scenario, planning: Planning) -> None:
    body = {
        "scope": {"project_id": str(planning.project.pk), "mission_id": str(planning.mission.pk)}
    }

    response = scenario.client("manager").post(START, body, format="json")

    assert "scope" in assert_error(response, 400, "invalid")["fields"]


def test_a_scope_without_shifts_is_refused(scenario: Scenario, planning: Planning) -> None:
    window = {"from": "2001-01-01T00:00:00Z", "to": "2001-01-02T00:00:00Z"}

    response = scenario.client("manager").post(START, {"scope": window}, format="json")

    assert "scope" in assert_error(response, 400)["fields"]


def test_an_oversized_idempotency_key_is_refused(scenario: Scenario, planning: Planning) -> None:
    response = scenario.client("manager").post(
        START, project_body(planning), format="json", HTTP_IDEMPOTENCY_KEY="k" * 201
    )

    assert "Idempotency-Key" in assert_error(response, 400)["fields"]


# --- Roles and tenancy ----------------------------------------------------------------------


def test_anonymous_gets_401(scenario: Scenario, planning: Planning) -> None:
    job = AutoAssignJobFactory(organization=scenario.organization)
    client = scenario.client("anonymous")

    assert_error(client.post(START, project_body(planning), format="json"), 401)
    assert_error(client.get(status_url(job.pk)), 401)
    assert_error(client.get(JOBS), 401)


def test_a_tech_reads_jobs_but_cannot_start_cancel_or_apply(
    scenario: Scenario, planning: Planning
) -> None:
    job = AutoAssignJobFactory(organization=scenario.organization)
    tech = scenario.client("tech")

    assert_error(tech.post(START, project_body(planning), format="json"), 403, "permission_denied")
    assert_error(tech.post(cancel_url(job.pk)), 403, "permission_denied")
    assert_error(tech.post(apply_url(job.pk)), 403, "permission_denied")
    assert tech.get(status_url(job.pk)).status_code == 200
    assert tech.get(JOBS).json()["count"] == 1
    assert not AutoAssignJob.objects.exclude(pk=job.pk).exists()


def test_an_outsider_gets_404_on_our_job(scenario: Scenario) -> None:
    job = AutoAssignJobFactory(organization=scenario.organization)
    outsider = scenario.client("outsider")

    assert_error(outsider.get(status_url(job.pk)), 404, "not_found")
    assert_error(outsider.post(cancel_url(job.pk)), 404, "not_found")
    assert_error(outsider.post(apply_url(job.pk)), 404, "not_found")
    assert outsider.get(JOBS).json()["count"] == 0
    job.refresh_from_db()
    assert job.status == "queued"


@pytest.mark.parametrize("field", ["project_id", "mission_id", "shift_ids"])
def test_foreign_ids_in_the_scope_are_a_404_naming_the_field(
    scenario: Scenario, planning: Planning, field: str
) -> None:
    foreign = make_planning(scenario.outsider_organization, shifts=1)
    values = {
        "project_id": str(foreign.project.pk),
        "mission_id": str(foreign.mission.pk),
        "shift_ids": [str(planning.shifts[0].pk), str(foreign.shifts[0].pk)],
    }

    response = scenario.client("manager").post(
        START, {"scope": {field: values[field]}}, format="json"
    )

    assert f"scope.{field}" in assert_error(response, 404, "not_found")["fields"]
    assert not AutoAssignJob.objects.exists()


# --- Dry run and apply ----------------------------------------------------------------------


def test_a_dry_run_proposes_then_apply_writes_the_proposal(
    scenario: Scenario, planning: Planning, django_capture_on_commit_callbacks: Capture
) -> None:
    client = scenario.client("manager")
    job = start_and_run(
        client,
        project_body(planning, dry_run=True, time_limit=2),
        django_capture_on_commit_callbacks,
    )

    assert job["status"] == "succeeded", job
    assert len(job["proposal"]) == 6
    assert job["coverage_after"] == 1.0
    assert not Assignment.objects.exists()

    response = client.post(apply_url(job["id"]))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 6
    assert body["job"]["timings"]["finished_at"] is not None
    assert body["job"]["applied_at"] is not None
    pairs = set(
        Assignment.objects.filter(auto_assign_job_id=job["id"]).values_list("shift_id", "artist_id")
    )
    assert {(str(s), str(a)) for s, a in pairs} == {
        (item["shift_id"], item["artist_id"]) for item in job["proposal"]
    }
    assert (
        AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_APPLY, entity_id=job["id"]).count()
        == 1
    )
    assert_error(client.post(apply_url(job["id"])), 409, "job_already_applied")


def test_apply_is_refused_after_a_conflicting_change_and_writes_nothing(
    scenario: Scenario, planning: Planning, django_capture_on_commit_callbacks: Capture
) -> None:
    client = scenario.client("manager")
    job = start_and_run(
        client,
        project_body(planning, dry_run=True, time_limit=2),
        django_capture_on_commit_callbacks,
    )
    proposed = job["proposal"][0]
    shift = next(s for s in planning.shifts if str(s.pk) == proposed["shift_id"])
    AvailabilityFactory(
        artist=Artist.objects.get(pk=proposed["artist_id"]),
        start_at=shift.start_at - timedelta(hours=1),
        end_at=shift.end_at,
    )

    response = client.post(apply_url(job["id"]))

    body = assert_error(response, 409, "planning_changed")
    assert any(
        conflict["rule"] == "absence" and conflict["details"]["artist_id"] == proposed["artist_id"]
        for conflict in body["conflicts"]
    ), body
    assert not Assignment.objects.exists()
    assert AutoAssignJob.objects.get(pk=job["id"]).applied_at is None


def test_only_a_succeeded_dry_run_can_be_applied(scenario: Scenario, planning: Planning) -> None:
    client = scenario.client("manager")
    queued = client.post(START, project_body(planning, dry_run=True), format="json").json()
    written = AutoAssignJobFactory(organization=scenario.organization, status="succeeded")

    assert_error(client.post(apply_url(queued["id"])), 409, "job_not_succeeded")
    assert_error(client.post(apply_url(written.pk)), 409, "job_not_dry_run")


# --- Cancel -------------------------------------------------------------------------------


def test_a_manager_cancels_a_queued_job_and_it_never_runs(
    scenario: Scenario, planning: Planning
) -> None:
    client = scenario.client("manager")
    job = client.post(START, project_body(planning), format="json").json()

    response = client.post(cancel_url(job["id"]))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["timings"]["finished_at"] is not None
    assert run_autoassign_job.apply(args=(job["id"],)).get() == "skipped"
    assert not Assignment.objects.exists()
    assert (
        AuditEntry.objects.filter(action=AuditAction.AUTOASSIGN_CANCEL, entity_id=job["id"]).count()
        == 1
    )
    assert_error(client.post(cancel_url(job["id"])), 409, "job_finished")


# --- List ---------------------------------------------------------------------------------


def test_the_job_list_costs_the_same_queries_for_one_job_and_for_many(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("tech")
    AutoAssignJobFactory(organization=scenario.organization, created_by=scenario.manager)
    AutoAssignJobFactory(organization=scenario.outsider_organization)
    # the token's user with its membership and organization (one query), count, page of
    # jobs with their authors joined
    with django_assert_num_queries(3):
        first = client.get(JOBS)
    for _ in range(5):
        AutoAssignJobFactory(organization=scenario.organization, created_by=scenario.manager)
    with django_assert_num_queries(3):
        many = client.get(JOBS)

    assert first.json()["count"] == 1
    assert many.json()["count"] == 6
    assert many.json()["results"][0]["created_by"] == scenario.manager.email
    assert client.get(JOBS, {"status": "succeeded"}).json()["count"] == 0
