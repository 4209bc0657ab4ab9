"""``ETag`` and ``If-Match``: two managers editing one row never silently overwrite each other.

Proven through the API on shifts, missions, projects, artists, availabilities and
assignments: each answer carries the row's version, a write sent with a stale version is a
412 that changes nothing, and of two writes sent at once with the same version exactly one
passes.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.planning.models import Mission, Shift
from tests.conftest import Scenario, api_client_for, assert_error
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    ProjectFactory,
)
from tests.planning_schedule.conftest import SHIFTS, Plans, make_shift


def _etag(response: Any) -> str:
    assert response.status_code == 200, response.content
    etag = str(response.headers.get("ETag", ""))
    assert etag.startswith('W/"'), etag
    return etag


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "build", "change"),
    [
        ("/api/v1/planning/shifts", lambda plan: make_shift(plan.own, day=1), {"headcount": 1}),
        ("/api/v1/missions", lambda plan: plan.own.mission, {"name": "Renamed"}),
        (
            "/api/v1/projects",
            lambda plan: ProjectFactory(organization=plan.own.organization),
            {"name": "Renamed"},
        ),
        (
            "/api/v1/artists",
            lambda plan: ArtistFactory(organization=plan.own.organization),
            {"first_name": "Renée"},
        ),
        (
            "/api/v1/availabilities",
            lambda plan: AvailabilityFactory(
                artist=plan.own.artist, kind="available", status="approved"
            ),
            {"note": "moved"},
        ),
    ],
)
def test_a_stale_version_is_refused_and_the_current_one_accepted(
    scenario: Scenario, plan: Plans, path: str, build: Any, change: dict[str, Any]
) -> None:
    row = build(plan)
    client = scenario.client("manager")
    first = _etag(client.get(f"{path}/{row.pk}"))

    done = client.patch(f"{path}/{row.pk}", change, format="json", HTTP_IF_MATCH=first)
    second = _etag(done)
    stale = client.patch(f"{path}/{row.pk}", change, format="json", HTTP_IF_MATCH=first)

    assert second != first
    body = assert_error(stale, 412, "precondition_failed")
    assert body["current_etag"] == second
    assert _etag(client.get(f"{path}/{row.pk}")) == second


@pytest.mark.django_db
def test_a_write_without_if_match_behaves_as_before(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=1)
    response = scenario.client("manager").patch(
        f"{SHIFTS}/{shift.pk}", {"headcount": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.headers["ETag"]


@pytest.mark.django_db
def test_a_stale_delete_deletes_nothing(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=1)
    client = scenario.client("manager")
    first = _etag(client.get(f"{SHIFTS}/{shift.pk}"))
    client.patch(f"{SHIFTS}/{shift.pk}", {"headcount": 1}, format="json")

    response = client.delete(f"{SHIFTS}/{shift.pk}", HTTP_IF_MATCH=first)

    assert_error(response, 412, "precondition_failed")
    assert Shift.objects.filter(pk=shift.pk).exists()


@pytest.mark.django_db
def test_an_assignment_answers_its_version(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own, day=2), artist=plan.own.artist)
    response = scenario.client("manager").get(f"/api/v1/planning/assignments/{assignment.pk}")
    assert _etag(response)


@pytest.mark.django_db
def test_if_match_on_another_organizations_row_is_still_a_404(
    scenario: Scenario, plan: Plans
) -> None:
    foreign = make_shift(plan.foreign, day=1)
    response = scenario.client("manager").patch(
        f"{SHIFTS}/{foreign.pk}", {"headcount": 1}, format="json", HTTP_IF_MATCH="*"
    )
    assert_error(response, 404, "not_found")


@pytest.mark.django_db(transaction=True)
def test_two_writes_with_the_same_version_one_wins_one_is_refused(
    scenario: Scenario, plan: Plans
) -> None:
    mission = plan.own.mission
    reader = api_client_for(scenario.manager, scenario.memberships["manager"])
    version = _etag(reader.get(f"/api/v1/missions/{mission.pk}"))
    clients = [api_client_for(scenario.manager, scenario.memberships["manager"]) for _ in "ab"]
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def rename(client: APIClient, name: str) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.patch(
                f"/api/v1/missions/{mission.pk}",
                {"name": name},
                format="json",
                HTTP_IF_MATCH=version,
            )
            answers.append((response.status_code, name))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=rename, args=(client, name))
        for client, name in zip(clients, ("Night A", "Night B"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(code for code, _ in answers) == [200, 412]
    winner = next(name for code, name in answers if code == 200)
    assert Mission.objects.get(pk=mission.pk).name == winner
