"""``/api/v1/venues`` and ``/api/v1/roles``: CRUD, unique names, in-use deletes, tenancy."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.models import QuerySet

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.core.errors import ConflictError
from apps.planning.catalog.services import venue_create
from apps.planning.models import Role, Venue
from tests.conftest import Scenario, assert_error
from tests.factories import (
    MissionFactory,
    RoleFactory,
    ShiftTemplateFactory,
    SkillFactory,
    VenueFactory,
)
from tests.planning_catalog.conftest import ALL_ROLES, WRITE_ROLES, Catalogs, audit_actions

VENUES = "/api/v1/venues"
ROLES = "/api/v1/roles"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_for_venues_and_roles(scenario: Scenario, role: str) -> None:
    client = scenario.client(role)
    venue = VenueFactory(organization=scenario.organization)
    position = RoleFactory(organization=scenario.organization)
    answers = [
        client.post(VENUES, {"name": "La Cigale"}),
        client.patch(f"{VENUES}/{venue.pk}", {"city": "Lille"}),
        client.delete(f"{VENUES}/{venue.pk}"),
        client.post(ROLES, {"name": "Video"}),
        client.patch(f"{ROLES}/{position.pk}", {"description": "Cameras"}),
        client.delete(f"{ROLES}/{position.pk}"),
    ]
    for path in (VENUES, ROLES):
        assert client.get(path).status_code == 200
    if role in WRITE_ROLES:
        assert [r.status_code for r in answers] == [201, 200, 204, 201, 200, 204]
    else:
        for response in answers:
            assert_error(response, 403, "permission_denied")
        assert client.get(f"{VENUES}/{venue.pk}").status_code == 200
        assert client.get(f"{ROLES}/{position.pk}").status_code == 200


def test_anonymous_gets_401(scenario: Scenario) -> None:
    anonymous = scenario.client("anonymous")
    for path in (VENUES, ROLES):
        assert_error(anonymous.get(path), 401)
        assert_error(anonymous.post(path, {"name": "X"}), 401)


def test_the_outsider_gets_404_on_venues_and_roles(scenario: Scenario, catalogs: Catalogs) -> None:
    outsider = scenario.client("outsider")
    for path in (f"{VENUES}/{catalogs.own.venue.pk}", f"{ROLES}/{catalogs.own.role.pk}"):
        assert_error(outsider.get(path), 404, "not_found")
        assert_error(outsider.patch(path, {"name": "Mine"}), 404, "not_found")
        assert_error(outsider.delete(path), 404, "not_found")
    assert [v["name"] for v in outsider.get(VENUES).json()["results"]] == ["Olympia foreign"]


def test_a_venue_is_created_and_audited(scenario: Scenario) -> None:
    body = {"name": "Zénith de Lille", "city": "Lille", "capacity": 7000, "address": "1 bd"}
    response = scenario.client("manager").post(VENUES, body)
    assert response.status_code == 201, response.content
    venue = Venue.objects.get(pk=response.json()["id"])
    assert (venue.organization, venue.capacity) == (scenario.organization, 7000)
    assert audit_actions(scenario.organization, venue.pk) == ["venue.create"]


@pytest.mark.parametrize("path", [VENUES, ROLES])
def test_names_are_unique_per_organization_ignoring_case(
    scenario: Scenario, catalogs: Catalogs, path: str
) -> None:
    taken = "OLYMPIA OWN" if path == VENUES else "rigger OWN"
    client = scenario.client("manager")
    error = assert_error(client.post(path, {"name": taken}), 409, "name_taken")
    assert "name" in error["fields"]  # type: ignore[operator]
    other = client.post(path, {"name": "Another"}).json()
    assert_error(client.patch(f"{path}/{other['id']}", {"name": taken}), 409, "name_taken")
    # The outsider's organization may use the same name.
    assert scenario.client("outsider").post(path, {"name": taken}).status_code == 201


def test_a_concurrent_duplicate_name_is_a_409_from_the_constraint(scenario: Scenario) -> None:
    """Two writers pass the friendly check together; the unique index refuses the second."""
    VenueFactory(organization=scenario.organization, name="La Cigale")
    no_friendly_check = mock.patch.object(QuerySet, "exists", return_value=False)
    with no_friendly_check, pytest.raises(ConflictError) as refused:
        venue_create(organization=scenario.organization, actor=scenario.manager, name="la cigale")
    assert refused.value.code == "name_taken"
    assert Venue.objects.filter(organization=scenario.organization).count() == 1


def test_invalid_venue_and_role_fields_are_400s_naming_them(scenario: Scenario) -> None:
    client = scenario.client("manager")
    assert (
        "capacity"
        in assert_error(  # type: ignore[operator]
            client.post(VENUES, {"name": "X", "capacity": -1}), 400
        )["fields"]
    )
    assert "name" in assert_error(client.post(ROLES, {}), 400)["fields"]  # type: ignore[operator]
    assert (
        "color"
        in assert_error(  # type: ignore[operator]
            client.post(ROLES, {"name": "X", "color": "blue"}), 400
        )["fields"]
    )
    assert (
        "required_skill_ids"
        in assert_error(  # type: ignore[operator]
            client.post(ROLES, {"name": "X", "required_skill_ids": ["not-a-uuid"]}), 400
        )["fields"]
    )


def test_a_role_is_created_with_its_skills(scenario: Scenario, catalogs: Catalogs) -> None:
    sound = SkillFactory(organization=scenario.organization, name="sound")
    body = {
        "name": "Sound engineer",
        "color": "#AA00FF",
        "required_skill_ids": [str(sound.pk), str(catalogs.own.skill.pk)],
    }
    response = scenario.client("manager").post(ROLES, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["color"] == "#aa00ff"
    assert sorted(s["name"] for s in data["required_skills"]) == ["rigging-own", "sound"]
    role = Role.objects.get(pk=data["id"])
    assert set(role.required_skills.all()) == {sound, catalogs.own.skill}
    entry = AuditEntry.objects.get(entity_id=str(role.pk))
    assert entry.action == "role.create"
    assert sorted(entry.after["required_skill_ids"]) == sorted(
        [str(sound.pk), str(catalogs.own.skill.pk)]
    )


def test_a_foreign_skill_id_is_a_404_naming_the_field(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    client = scenario.client("manager")
    foreign = [str(catalogs.foreign.skill.pk)]
    error = assert_error(
        client.post(ROLES, {"name": "Spy", "required_skill_ids": foreign}), 404, "not_found"
    )
    assert "required_skill_ids" in error["fields"]  # type: ignore[operator]
    assert not Role.objects.filter(name="Spy").exists()
    path = f"{ROLES}/{catalogs.own.role.pk}"
    assert_error(client.patch(path, {"required_skill_ids": foreign}), 404, "not_found")
    assert list(catalogs.own.role.required_skills.all()) == [catalogs.own.skill]


def test_updating_a_roles_skills_replaces_the_set_and_is_audited(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    video = SkillFactory(organization=scenario.organization, name="video")
    role = catalogs.own.role
    response = scenario.client("manager").patch(
        f"{ROLES}/{role.pk}", {"required_skill_ids": [str(video.pk)]}
    )
    assert response.status_code == 200, response.content
    assert [s["name"] for s in response.json()["required_skills"]] == ["video"]
    entry = AuditEntry.objects.get(entity_id=str(role.pk), action=AuditAction.ROLE_UPDATE)
    assert entry.before["required_skill_ids"] == [str(catalogs.own.skill.pk)]
    assert entry.after["required_skill_ids"] == [str(video.pk)]


def test_deleting_a_venue_in_use_is_a_409(scenario: Scenario, catalogs: Catalogs) -> None:
    response = scenario.client("manager").delete(f"{VENUES}/{catalogs.own.venue.pk}")
    assert_error(response, 409, "venue_in_use")
    assert Venue.objects.filter(pk=catalogs.own.venue.pk).exists()


@pytest.mark.parametrize("usage", ["staffing", "template"])
def test_deleting_a_role_in_use_is_a_409(scenario: Scenario, usage: str) -> None:
    role = RoleFactory(organization=scenario.organization)
    if usage == "staffing":
        mission = MissionFactory(project__organization=scenario.organization)
        mission.staffing.create(organization=scenario.organization, role=role, headcount=1)
    else:
        ShiftTemplateFactory(organization=scenario.organization, role=role)
    response = scenario.client("manager").delete(f"{ROLES}/{role.pk}")
    assert_error(response, 409, "role_in_use")
    assert Role.objects.filter(pk=role.pk).exists()
    assert audit_actions(scenario.organization, role.pk) == []


def test_deleting_unused_venues_and_roles_is_audited(scenario: Scenario) -> None:
    venue = VenueFactory(organization=scenario.organization)
    role = RoleFactory(organization=scenario.organization)
    client = scenario.client("manager")
    assert client.delete(f"{VENUES}/{venue.pk}").status_code == 204
    assert client.delete(f"{ROLES}/{role.pk}").status_code == 204
    assert audit_actions(scenario.organization, venue.pk) == ["venue.delete"]
    assert audit_actions(scenario.organization, role.pk) == ["role.delete"]


def test_the_role_list_costs_the_same_queries_for_3_and_30_roles(
    scenario: Scenario, django_assert_num_queries: object
) -> None:
    skill = SkillFactory(organization=scenario.organization)
    client = scenario.client("tech")
    for count in (3, 30):
        RoleFactory.create_batch(
            count - Role.objects.count(),
            organization=scenario.organization,
            required_skills=[skill],
        )
        # 1 the token's user with its membership and organization (one query), 2 count,
        # 3 roles, 4 required skills (prefetch)
        with django_assert_num_queries(4):  # type: ignore[operator]
            response = client.get(f"{ROLES}?page_size=100")
        assert response.json()["count"] == count
