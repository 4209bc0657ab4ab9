"""The catalog admin writes through the services: audited, validated, cache invalidated."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from apps.audit.models import AuditEntry
from apps.orgs.models import User
from apps.planning.models import Mission, MissionRole, Project, Venue
from tests.conftest import Scenario
from tests.factories import MembershipFactory, RoleFactory, SkillFactory, UserFactory
from tests.planning_catalog.conftest import Catalogs, audit_actions

ADMIN = "/admin/planning"


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory(email="root@crewplan.test", is_staff=True, is_superuser=True)


@pytest.fixture
def browser(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def staffing_management(total: int, initial: int) -> dict[str, Any]:
    return {
        "staffing-TOTAL_FORMS": total,
        "staffing-INITIAL_FORMS": initial,
        "staffing-MIN_NUM_FORMS": 0,
        "staffing-MAX_NUM_FORMS": 1000,
        "shifts-TOTAL_FORMS": 0,
        "shifts-INITIAL_FORMS": 0,
        "shifts-MIN_NUM_FORMS": 0,
        "shifts-MAX_NUM_FORMS": 1000,
    }


def test_adding_a_project_goes_through_the_service(
    scenario: Scenario, browser: Client, superuser: User, django_capture_on_commit_callbacks: Any
) -> None:
    api = scenario.client("tech")
    assert [api.get("/api/v1/projects")["X-Cache"] for _ in range(2)] == ["MISS", "HIT"]
    body = {
        "organization": scenario.organization.pk,
        "name": "Festival d'Avignon",
        "client": "",
        "status": "draft",
        "start_date": "2026-07-04",
        "end_date": "2026-07-25",
        "color": "#112233",
        "description": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{ADMIN}/project/add/", body)

    assert response.status_code == 302, response.content[:2000]
    project = Project.objects.get(name="Festival d'Avignon")
    entry = AuditEntry.objects.get(entity_id=str(project.pk))
    assert (entry.action, entry.actor) == ("project.create", superuser)
    assert api.get("/api/v1/projects")["X-Cache"] == "MISS"


def test_a_service_refusal_is_a_message_and_saves_nothing(
    scenario: Scenario, browser: Client, catalogs: Catalogs
) -> None:
    project = catalogs.own.project
    project.status = "draft"
    project.save()
    body = {
        "name": project.name,
        "client": "",
        "status": "archived",
        "start_date": "",
        "end_date": "",
        "color": "",
        "description": "",
    }
    response = browser.post(f"{ADMIN}/project/{project.pk}/change/", body, follow=True)

    assert response.status_code == 200
    assert "cannot go from draft to archived" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "draft"
    assert audit_actions(scenario.organization, project.pk) == []


def test_the_staffing_inline_replaces_the_plan_through_the_service(
    scenario: Scenario, browser: Client, catalogs: Catalogs
) -> None:
    mission = catalogs.own.mission
    line = MissionRole.objects.get(mission=mission)
    video = RoleFactory(organization=scenario.organization, name="Video")
    body = {
        "project": mission.project_id,
        "venue": mission.venue_id,
        "name": mission.name,
        "start_at_0": "2026-03-27",
        "start_at_1": "06:00:00",
        "end_at_0": "2026-03-31",
        "end_at_1": "22:00:00",
        "notes": "",
        **staffing_management(total=2, initial=1),
        "staffing-0-id": line.pk,
        "staffing-0-mission": mission.pk,
        "staffing-0-role": line.role_id,
        "staffing-0-headcount": 6,
        "staffing-1-mission": mission.pk,
        "staffing-1-role": video.pk,
        "staffing-1-headcount": 1,
    }
    response = browser.post(f"{ADMIN}/mission/{mission.pk}/change/", body)

    assert response.status_code == 302, response.content[:3000]
    plan = dict(MissionRole.objects.filter(mission=mission).values_list("role", "headcount"))
    assert plan == {catalogs.own.role.pk: 6, video.pk: 1}
    entry = AuditEntry.objects.get(entity_id=str(mission.pk))
    assert entry.action == "mission.update"
    assert len(entry.after["staffing"]) == 2


def test_adding_a_mission_with_its_staffing(
    scenario: Scenario, browser: Client, catalogs: Catalogs
) -> None:
    body = {
        "organization": scenario.organization.pk,
        "project": catalogs.own.project.pk,
        "venue": catalogs.own.venue.pk,
        "name": "Added in the back office",
        "start_at_0": "2026-06-01",
        "start_at_1": "08:00:00",
        "end_at_0": "2026-06-01",
        "end_at_1": "23:00:00",
        "notes": "",
        **staffing_management(total=1, initial=0),
        "staffing-0-role": catalogs.own.role.pk,
        "staffing-0-headcount": 2,
    }
    response = browser.post(f"{ADMIN}/mission/add/", body)

    assert response.status_code == 302, response.content[:3000]
    mission = Mission.objects.get(name="Added in the back office")
    assert list(mission.staffing.values_list("headcount", flat=True)) == [2]
    assert audit_actions(scenario.organization, mission.pk) == ["mission.create", "mission.update"]


def test_deleting_in_the_admin_is_audited(
    scenario: Scenario, browser: Client, catalogs: Catalogs
) -> None:
    venue = Venue.objects.create(organization=scenario.organization, name="Temporary")
    response = browser.post(f"{ADMIN}/venue/{venue.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Venue.objects.filter(pk=venue.pk).exists()
    assert audit_actions(scenario.organization, venue.pk) == ["venue.delete"]


@pytest.mark.parametrize("model", ["project", "venue", "role", "mission", "shifttemplate"])
def test_every_catalog_page_renders(browser: Client, catalogs: Catalogs, model: str) -> None:
    obj = {
        "project": catalogs.own.project,
        "venue": catalogs.own.venue,
        "role": catalogs.own.role,
        "mission": catalogs.own.mission,
        "shifttemplate": catalogs.own.template,
    }[model]
    for path in ("", "add/", f"{obj.pk}/change/"):
        assert browser.get(f"{ADMIN}/{model}/{path}").status_code == 200, path


def test_staff_see_only_their_organizations_rows(scenario: Scenario, catalogs: Catalogs) -> None:
    staff = UserFactory(email="backoffice@nuits.test", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="planning"))
    MembershipFactory(organization=scenario.organization, user=staff, role="admin")
    client = Client()
    client.force_login(staff)
    page = client.get(f"{ADMIN}/project/").content.decode()
    assert "Tour own" in page
    assert "Tour foreign" not in page
    assert client.get(f"{ADMIN}/project/{catalogs.foreign.project.pk}/change/").status_code == 302


def test_editing_a_roles_skills_in_the_admin_is_one_audited_service_write(
    scenario: Scenario, browser: Client, catalogs: Catalogs
) -> None:
    role = catalogs.own.role
    sound = SkillFactory(organization=scenario.organization, name="sound")
    body = {"name": role.name, "description": "", "color": "", "required_skills": [sound.pk]}
    response = browser.post(f"{ADMIN}/role/{role.pk}/change/", body)

    assert response.status_code == 302, response.content[:2000]
    assert list(role.required_skills.all()) == [sound]
    entry = AuditEntry.objects.get(entity_id=str(role.pk))
    assert (entry.action, entry.after["required_skill_ids"]) == ("role.update", [str(sound.pk)])


def test_the_delete_selected_action_goes_through_the_service(
    scenario: Scenario, browser: Client
) -> None:
    venues = [
        Venue.objects.create(organization=scenario.organization, name=name)
        for name in ("Temporary A", "Temporary B")
    ]
    body = {"action": "delete_selected", "_selected_action": [v.pk for v in venues], "post": "yes"}
    response = browser.post(f"{ADMIN}/venue/", body)

    assert response.status_code == 302
    assert not Venue.objects.filter(pk__in=[v.pk for v in venues]).exists()
    for venue in venues:
        assert audit_actions(scenario.organization, venue.pk) == ["venue.delete"]
