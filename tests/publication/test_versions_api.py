"""``GET /api/v1/plannings`` and ``/plannings/{id}``: every member reads published versions."""

from __future__ import annotations

from typing import Any

import pytest

from apps.planning.models import PlanningVersion, Shift
from apps.planning.publication.services import PublicationScope, planning_publish
from tests.conftest import Scenario, assert_error
from tests.factories import PlanningVersionFactory
from tests.publication.conftest import PLANNINGS, World, assign, local, make_shift

pytestmark = pytest.mark.django_db


def _published(scenario: Scenario, world: World) -> PlanningVersion:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")
    result = planning_publish(
        organization=scenario.organization,
        actor=scenario.manager,
        scope=PublicationScope(project_id=world.own.project.pk),
    )
    assert result.version is not None
    return result.version


def test_every_member_reads_the_versions_and_their_diff(scenario: Scenario, world: World) -> None:
    version = _published(scenario, world)

    for role in ("owner", "admin", "manager", "tech"):
        page = scenario.client(role).get(PLANNINGS)
        assert page.status_code == 200, page.content
        assert [row["number"] for row in page.json()["results"]] == [1]
        assert "snapshot" not in page.json()["results"][0]
        detail = scenario.client(role).get(f"{PLANNINGS}/{version.pk}").json()
        assert detail["diff"]["shifts"]["added"][0]["venue_name"] == "Olympia own"
        assert detail["snapshot"]["assignments"][0]["status"] == "accepted"
        assert detail["scope"]["period_start"] == "2026-03-24T17:00:00Z"


def test_anonymous_callers_are_refused(scenario: Scenario, world: World) -> None:
    version = _published(scenario, world)

    assert_error(scenario.client("anonymous").get(PLANNINGS), 401)
    assert_error(scenario.client("anonymous").get(f"{PLANNINGS}/{version.pk}"), 401)


def test_an_outsider_sees_none_of_them(scenario: Scenario, world: World) -> None:
    version = _published(scenario, world)
    outsider = scenario.client("outsider")

    assert outsider.get(PLANNINGS).json()["count"] == 0
    assert_error(outsider.get(f"{PLANNINGS}/{version.pk}"), 404, "not_found")


def test_versions_are_read_only(scenario: Scenario, world: World) -> None:
    version = _published(scenario, world)
    client = scenario.client("owner")

    assert_error(client.delete(f"{PLANNINGS}/{version.pk}"), 405)
    assert_error(client.post(PLANNINGS, {}, format="json"), 405)
    assert PlanningVersion.objects.filter(pk=version.pk).exists()


def test_the_list_filters_by_project_and_covered_period(scenario: Scenario, world: World) -> None:
    _published(scenario, world)
    make_shift(world.own, local(30, 18))  # a draft on 30 March
    by_range = planning_publish(
        organization=scenario.organization,
        actor=scenario.manager,
        scope=PublicationScope(start=local(30, 0), end=local(31, 0)),
    ).version
    assert by_range is not None
    client = scenario.client("tech")

    def numbers(**query: Any) -> list[int]:
        response = client.get(PLANNINGS, query)
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    assert numbers() == [2, 1]
    assert numbers(project=str(world.own.project.pk)) == [1]
    assert numbers(**{"from": "2026-03-30T00:00:00Z"}) == [2]
    assert numbers(to="2026-03-25T00:00:00Z") == [1]
    assert numbers(**{"from": "2026-03-24T00:00:00Z", "to": "2026-03-31T00:00:00Z"}) == [2, 1]


def test_a_foreign_project_in_the_query_string_is_a_404(scenario: Scenario, world: World) -> None:
    body = assert_error(
        scenario.client("tech").get(PLANNINGS, {"project": str(world.foreign.project.pk)}), 404
    )
    assert "project" in body["fields"]  # type: ignore[operator]


def test_the_list_costs_a_fixed_number_of_queries(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    for number in range(1, 8):
        PlanningVersionFactory(organization=scenario.organization, number=number)
    client = scenario.client("tech")

    # 1 the user of the access token with the membership and its organization (one query),
    # 2 the page's count, 3 the page (snapshot and diff deferred).
    with django_assert_num_queries(3):
        response = client.get(PLANNINGS)

    assert response.json()["count"] == 7


def test_tech_reads_the_published_schedule_not_drafts(scenario: Scenario, world: World) -> None:
    version = _published(scenario, world)
    draft = make_shift(world.own, local(29, 18))
    assert Shift.objects.get(pk=draft.pk).status == "draft"

    detail = scenario.client("tech").get(f"{PLANNINGS}/{version.pk}").json()

    assert str(draft.pk) not in {entry["id"] for entry in detail["snapshot"]["shifts"]}


def test_a_bad_period_filter_is_a_400_naming_it(scenario: Scenario, world: World) -> None:
    response = scenario.client("tech").get(PLANNINGS, {"from": "last week"})

    assert "from" in assert_error(response, 400, "invalid")["fields"]  # type: ignore[operator]
