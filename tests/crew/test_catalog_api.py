"""/api/v1/skills and /api/v1/tags: per-organization catalogs with unique names."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model

from apps.audit.models import AuditEntry
from apps.crew.models import Skill, Tag
from apps.crew.services import catalog
from tests.conftest import Scenario, assert_error
from tests.crew.conftest import WRITERS, audit_actions, last_audit
from tests.factories import ArtistFactory, RoleFactory, SkillFactory, TagFactory

CATALOGS = {
    "skills": (Skill, SkillFactory, {"name": "Rigging", "description": "Work at height."}),
    "tags": (Tag, TagFactory, {"name": "Permis C", "color": "#1f77b4"}),
}


def make(scenario: Scenario, kind: str, **kwargs: Any) -> Model:
    factory = CATALOGS[kind][1]
    return factory(organization=scenario.organization, **kwargs)  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_every_member_reads_the_catalog(scenario: Scenario, kind: str) -> None:
    item = make(scenario, kind, name="lighting")
    make(scenario, kind, name="audio")
    CATALOGS[kind][1](organization=scenario.outsider_organization, name="foreign")

    for role in (*WRITERS, "tech"):
        listing = scenario.client(role).get(f"/api/v1/{kind}")
        detail = scenario.client(role).get(f"/api/v1/{kind}/{item.pk}")

        assert listing.status_code == 200, (role, listing.content)
        assert [row["name"] for row in listing.json()["results"]] == ["audio", "lighting"]
        assert detail.json()["name"] == "lighting"


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_managers_and_above_write_the_catalog_and_every_write_is_audited(
    scenario: Scenario, kind: str
) -> None:
    model, _, payload = CATALOGS[kind]
    for role in WRITERS:
        client = scenario.client(role)
        created = client.post(f"/api/v1/{kind}", {**payload, "name": f"{role} item"})
        assert created.status_code == 201, created.content
        item = model.objects.get(pk=created.json()["id"])
        assert item.organization_id == scenario.organization.pk

        renamed = client.patch(f"/api/v1/{kind}/{item.pk}", {"name": f"{role} renamed"})
        assert renamed.json()["name"] == f"{role} renamed"

        assert client.delete(f"/api/v1/{kind}/{item.pk}").status_code == 204
        assert not model.objects.filter(pk=item.pk).exists()
        singular = model._meta.model_name
        assert audit_actions(item) == [
            f"{singular}.create",
            f"{singular}.update",
            f"{singular}.delete",
        ]
        assert last_audit(item).actor == scenario.users[role]


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_a_tech_may_not_write_the_catalog(scenario: Scenario, kind: str) -> None:
    model, _, payload = CATALOGS[kind]
    item = make(scenario, kind, name="kept")
    tech = scenario.client("tech")

    assert_error(tech.post(f"/api/v1/{kind}", payload), 403, "permission_denied")
    assert_error(tech.patch(f"/api/v1/{kind}/{item.pk}", {"name": "x"}), 403, "permission_denied")
    assert_error(tech.delete(f"/api/v1/{kind}/{item.pk}"), 403, "permission_denied")
    assert list(model.objects.values_list("name", flat=True)) == ["kept"]
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_an_outsider_gets_404_for_every_item_endpoint(scenario: Scenario, kind: str) -> None:
    item = make(scenario, kind, name="ours")
    outsider = scenario.client("outsider")
    url = f"/api/v1/{kind}/{item.pk}"

    assert_error(outsider.get(url), 404, "not_found")
    assert_error(outsider.patch(url, {"name": "theirs"}), 404, "not_found")
    assert_error(outsider.delete(url), 404, "not_found")
    assert outsider.get(f"/api/v1/{kind}").json()["results"] == []


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_anonymous_gets_401(scenario: Scenario, kind: str) -> None:
    anonymous = scenario.client("anonymous")

    assert_error(anonymous.get(f"/api/v1/{kind}"), 401)
    assert_error(anonymous.post(f"/api/v1/{kind}", CATALOGS[kind][2]), 401)


@pytest.mark.parametrize("kind", list(CATALOGS))
def test_names_are_unique_in_the_organization_whatever_their_case(
    scenario: Scenario, kind: str
) -> None:
    make(scenario, kind, name="Rigging")
    other = make(scenario, kind, name="Sound")
    CATALOGS[kind][1](organization=scenario.outsider_organization, name="lighting")
    manager = scenario.client("manager")

    created = manager.post(f"/api/v1/{kind}", {"name": "  rIGGING "})
    renamed = manager.patch(f"/api/v1/{kind}/{other.pk}", {"name": "RIGGING"})
    same_as_outsider = manager.post(f"/api/v1/{kind}", {"name": "Lighting"})

    assert assert_error(created, 409, "duplicate_name")["fields"] == {
        "name": [f"A {CATALOGS[kind][0]._meta.verbose_name} with this name already exists."]
    }
    assert_error(renamed, 409, "duplicate_name")
    assert same_as_outsider.status_code == 201


def test_the_database_constraint_backs_the_uniqueness_check(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two concurrent creations both pass the check; the constraint refuses the second."""
    SkillFactory(organization=scenario.organization, name="Rigging")
    monkeypatch.setattr(catalog, "_require_unique_name", lambda item: None)

    response = scenario.client("manager").post("/api/v1/skills", {"name": "rigging"})

    assert_error(response, 409, "duplicate_name")
    assert Skill.objects.filter(organization=scenario.organization).count() == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("skills", {"name": "   "}, "name"),
        ("skills", {"description": "no name"}, "name"),
        ("skills", {"name": "x" * 81}, "name"),
        ("tags", {"name": "Night", "color": "blue"}, "color"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    scenario: Scenario, kind: str, payload: dict[str, str], field: str
) -> None:
    response = scenario.client("manager").post(f"/api/v1/{kind}", payload)

    assert field in assert_error(response, 400, "invalid")["fields"]


def test_search_matches_part_of_the_name(scenario: Scenario) -> None:
    SkillFactory(organization=scenario.organization, name="lighting desk")
    SkillFactory(organization=scenario.organization, name="sound")

    response = scenario.client("tech").get("/api/v1/skills?search=DESK")

    assert [row["name"] for row in response.json()["results"]] == ["lighting desk"]


def test_deleting_a_skill_removes_it_from_artists(scenario: Scenario) -> None:
    skill = SkillFactory(organization=scenario.organization, name="video")
    artist = ArtistFactory(organization=scenario.organization, skills=[skill])

    response = scenario.client("manager").delete(f"/api/v1/skills/{skill.pk}")

    assert response.status_code == 204
    assert list(artist.skills.all()) == []
    assert last_audit(skill).before["artist_ids"] == [str(artist.pk)]


def test_a_skill_that_planning_roles_require_cannot_be_deleted(scenario: Scenario) -> None:
    skill = SkillFactory(organization=scenario.organization, name="rigging")
    RoleFactory(organization=scenario.organization, name="Head rigger", required_skills=[skill])

    response = scenario.client("manager").delete(f"/api/v1/skills/{skill.pk}")

    assert "Head rigger" in assert_error(response, 409, "skill_in_use")["message"]
    assert Skill.objects.filter(pk=skill.pk).exists()


@pytest.mark.parametrize("kind", list(CATALOGS))
@pytest.mark.parametrize("rows", [3, 40])
def test_the_list_costs_the_same_queries_whatever_its_length(
    scenario: Scenario, django_assert_num_queries: Any, kind: str, rows: int
) -> None:
    CATALOGS[kind][1].create_batch(rows, organization=scenario.organization)
    client = scenario.client("tech")

    # 1 the token's user with its membership and organization (one query), 2 count, 3 the page.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/{kind}")

    assert len(response.json()["results"]) == rows
