"""``/api/v1/projects``: CRUD, status moves, date filters, roles, tenancy and audit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Project
from tests.conftest import Scenario, assert_error
from tests.factories import MissionFactory, ProjectFactory
from tests.planning_catalog.conftest import ALL_ROLES, WRITE_ROLES, Catalogs, audit_actions

URL = "/api/v1/projects"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_every_member_reads_and_managers_up_write(
    scenario: Scenario, role: str
) -> None:
    client = scenario.client(role)
    project = ProjectFactory(organization=scenario.organization)
    may_write = role in WRITE_ROLES

    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}/{project.pk}").status_code == 200
    created = client.post(URL, {"name": "Festival"})
    patched = client.patch(f"{URL}/{project.pk}", {"client": "Ville de Lyon"})
    deleted = client.delete(f"{URL}/{project.pk}")

    if may_write:
        assert (created.status_code, patched.status_code, deleted.status_code) == (201, 200, 204)
    else:
        for response in (created, patched, deleted):
            assert_error(response, 403, "permission_denied")
        assert Project.objects.filter(pk=project.pk, client="").exists()


def test_anonymous_gets_401(scenario: Scenario, catalogs: Catalogs) -> None:
    anonymous = scenario.client("anonymous")
    assert_error(anonymous.get(URL), 401)
    assert_error(anonymous.post(URL, {"name": "X"}), 401)
    assert_error(anonymous.get(f"{URL}/{catalogs.own.project.pk}"), 401)


def test_the_outsider_gets_404_on_every_project_endpoint(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    outsider = scenario.client("outsider")
    path = f"{URL}/{catalogs.own.project.pk}"
    assert_error(outsider.get(path), 404, "not_found")
    assert_error(outsider.patch(path, {"name": "Mine"}), 404, "not_found")
    assert_error(outsider.delete(path), 404, "not_found")
    assert_error(outsider.post(f"{path}/missions/bulk", {"items": []}), 404, "not_found")
    listed = outsider.get(URL).json()["results"]
    assert [p["name"] for p in listed] == ["Tour foreign"]


def test_a_manager_creates_a_project_with_all_its_fields(scenario: Scenario) -> None:
    body = {
        "name": "Nuits de Fourvière",
        "client": "Métropole de Lyon",
        "status": "active",
        "start_date": "2026-06-01",
        "end_date": "2026-07-31",
        "color": "#E4572E",
        "description": "Summer festival.",
    }
    response = scenario.client("manager").post(URL, body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data | {"color": "#e4572e"} == data
    assert data["mission_count"] == 0
    project = Project.objects.get(pk=data["id"])
    assert project.organization == scenario.organization
    assert project.end_date == date(2026, 7, 31)
    entry = AuditEntry.objects.get(entity_id=str(project.pk))
    assert entry.action == "project.create"
    assert entry.actor == scenario.manager
    assert entry.after["name"] == "Nuits de Fourvière"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "color": "red"}, "color"),
        ({"name": "X", "color": "#12345"}, "color"),
        ({"name": "X", "status": "paused"}, "status"),
        ({"name": "X", "start_date": "2026-05-02", "end_date": "2026-05-01"}, "end_date"),
        ({"name": "X", "start_date": "yesterday"}, "start_date"),
        ({"name": "X", "status": "archived"}, "status"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(
    scenario: Scenario, body: dict[str, str], field: str
) -> None:
    response = scenario.client("manager").post(URL, body)
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]
    assert not Project.objects.filter(organization=scenario.organization).exists()


def test_a_partial_update_checks_dates_against_the_stored_ones(scenario: Scenario) -> None:
    project = ProjectFactory(
        organization=scenario.organization,
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 31),
    )
    response = scenario.client("manager").patch(f"{URL}/{project.pk}", {"end_date": "2026-04-30"})
    assert "end_date" in assert_error(response, 400)["fields"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("draft", "active", True),
        ("active", "archived", True),
        ("active", "draft", True),
        ("archived", "active", True),
        ("draft", "archived", False),
        ("archived", "draft", False),
    ],
)
def test_status_moves_follow_the_documented_transitions(
    scenario: Scenario, start: str, target: str, allowed: bool
) -> None:
    project = ProjectFactory(organization=scenario.organization, status=start)
    response = scenario.client("manager").patch(f"{URL}/{project.pk}", {"status": target})
    project.refresh_from_db()
    if allowed:
        assert response.status_code == 200, response.content
        assert project.status == target
        assert audit_actions(scenario.organization, project.pk) == ["project.update"]
    else:
        error = assert_error(response, 409, "invalid_transition")
        assert "status" in error["fields"]  # type: ignore[operator]
        assert project.status == start
        assert audit_actions(scenario.organization, project.pk) == []


def test_an_update_is_audited_with_before_and_after(scenario: Scenario) -> None:
    project = ProjectFactory(organization=scenario.organization, name="Old", color="")
    response = scenario.client("admin").patch(
        f"{URL}/{project.pk}", {"name": "New", "color": "#00ff00"}
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(entity_id=str(project.pk), action=AuditAction.PROJECT_UPDATE)
    assert (entry.before["name"], entry.after["name"]) == ("Old", "New")
    assert entry.after["color"] == "#00ff00"
    assert entry.actor == scenario.admin


def test_deleting_a_project_with_missions_is_a_409_and_keeps_it(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    project = catalogs.own.project
    response = scenario.client("manager").delete(f"{URL}/{project.pk}")
    assert_error(response, 409, "project_has_missions")
    assert Project.objects.filter(pk=project.pk).exists()
    assert audit_actions(scenario.organization, project.pk) == []


def test_deleting_an_empty_project_is_audited(scenario: Scenario) -> None:
    project = ProjectFactory(organization=scenario.organization)
    assert scenario.client("manager").delete(f"{URL}/{project.pk}").status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()
    entry = AuditEntry.objects.get(entity_id=str(project.pk))
    assert (entry.action, entry.before["name"]) == ("project.delete", project.name)


def test_filters_by_status_and_by_overlapping_dates(scenario: Scenario) -> None:
    org = scenario.organization
    ProjectFactory(
        organization=org,
        name="March",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        status="active",
    )
    ProjectFactory(
        organization=org,
        name="April",
        start_date=date(2026, 4, 1),
        end_date=date(2026, 4, 30),
        status="draft",
    )
    ProjectFactory(
        organization=org, name="Open-ended", start_date=date(2026, 3, 20), status="active"
    )
    ProjectFactory(organization=org, name="Undated", status="archived")
    client = scenario.client("tech")

    def names(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return sorted(p["name"] for p in response.json()["results"])

    assert names("status=active") == ["March", "Open-ended"]
    assert names("from=2026-04-10&to=2026-04-20") == ["April", "Open-ended", "Undated"]
    assert names("from=2026-03-31&to=2026-03-31") == ["March", "Open-ended", "Undated"]
    assert names("to=2026-03-10") == ["March", "Undated"]
    assert names("status=draft&from=2026-03-01&to=2026-03-05") == []
    assert names("search=apr") == ["April"]
    assert "from" in assert_error(client.get(f"{URL}?from=soon"), 400)["fields"]  # type: ignore[operator]
    assert "status" in assert_error(client.get(f"{URL}?status=gone"), 400)["fields"]  # type: ignore[operator]


def test_the_list_shows_each_projects_mission_count(scenario: Scenario, catalogs: Catalogs) -> None:
    ProjectFactory(organization=scenario.organization, name="Empty")
    results = scenario.client("tech").get(URL).json()["results"]
    assert {p["name"]: p["mission_count"] for p in results} == {"Tour own": 1, "Empty": 0}


def test_the_project_list_costs_three_queries_for_3_or_30_projects(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    client = scenario.client("tech")
    for count in (3, 30):
        for project in ProjectFactory.create_batch(
            count - Project.objects.filter(organization=scenario.organization).count(),
            organization=scenario.organization,
        ):
            MissionFactory(project=project)
        cache.clear()  # measure the database path (a cache miss)
        # 1 the token's user with its membership and organization (one query), 2 count,
        # 3 page of projects with their mission counts (annotated in the same query)
        with django_assert_num_queries(3):
            response = client.get("/api/v1/projects?page_size=100")
        assert response["X-Cache"] == "MISS"
        assert response.json()["count"] == count
        assert {p["mission_count"] for p in response.json()["results"]} == {1}
