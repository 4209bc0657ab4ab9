"""/api/v1/artists: CRUD, links to skills, tags and users, filters, privacy, deletion."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.core.pagination import BoundedPageNumberPagination
from apps.crew.models import Artist, Availability
from tests.conftest import Scenario, assert_error
from tests.crew.conftest import WRITERS, audit_actions, last_audit
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    MembershipFactory,
    SkillFactory,
    TagFactory,
    UserFactory,
)

ARTISTS = "/api/v1/artists"
RATE_KEYS = {"day_rate", "half_day_rate", "hourly_rate", "currency"}


def url(artist: Artist) -> str:
    return f"{ARTISTS}/{artist.pk}"


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["full_name"] for row in response.json()["results"]]


# --- CRUD and the role matrix -------------------------------------------------------


def test_a_manager_creates_an_artist_with_skills_tags_and_a_linked_account(
    scenario: Scenario,
) -> None:
    rigging = SkillFactory(organization=scenario.organization, name="rigging")
    lighting = SkillFactory(organization=scenario.organization, name="lighting")
    tag = TagFactory(organization=scenario.organization, name="permis C")
    payload = {
        "first_name": "Camille",
        "last_name": "Lefèvre",
        "email": "camille@example.test",
        "phone": "+33 6 12 34 56 78",
        "employment_type": "freelance",
        "skill_ids": [str(rigging.pk), str(lighting.pk)],
        "primary_skill_id": str(rigging.pk),
        "tag_ids": [str(tag.pk)],
        "notes": "Prefers festivals.",
        "user_id": str(scenario.tech.pk),
    }

    response = scenario.client("manager").post(ARTISTS, payload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Camille Lefèvre"
    assert body["employment_type"] == "freelance"
    assert body["skills"] == [
        {"id": str(lighting.pk), "name": "lighting"},
        {"id": str(rigging.pk), "name": "rigging"},
    ]
    assert body["primary_skill"] == {"id": str(rigging.pk), "name": "rigging"}
    assert body["tags"] == [{"id": str(tag.pk), "name": "permis C"}]
    assert body["user_id"] == str(scenario.tech.pk)
    assert body["is_active"] is True
    assert {key: body[key] for key in RATE_KEYS} == {
        "day_rate": None,
        "half_day_rate": None,
        "hourly_rate": None,
        "currency": "EUR",
    }
    artist = Artist.objects.get(pk=body["id"])
    assert artist.organization_id == scenario.organization.pk
    entry = last_audit(artist)
    assert entry.action == "artist.create"
    assert entry.after["skill_ids"] == sorted([str(rigging.pk), str(lighting.pk)])
    assert "calendar_token" not in entry.after


def test_a_manager_edits_an_artist_and_the_edit_is_audited(scenario: Scenario) -> None:
    old, new = SkillFactory.create_batch(2, organization=scenario.organization)
    artist = ArtistFactory(organization=scenario.organization, skills=[old], primary_skill=old)

    response = scenario.client("manager").patch(
        url(artist), {"skill_ids": [str(new.pk)], "is_active": False, "phone": "0102030405"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [skill["id"] for skill in body["skills"]] == [str(new.pk)]
    assert body["primary_skill"] is None, "a primary skill dropped from the skills is cleared"
    assert body["is_active"] is False
    entry = last_audit(artist)
    assert entry.action == "artist.update"
    assert entry.before["skill_ids"] == [str(old.pk)]
    assert entry.after["skill_ids"] == [str(new.pk)]
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)


def test_unlinking_the_account_with_null(scenario: Scenario, tech_artist: Artist) -> None:
    response = scenario.client("manager").patch(url(tech_artist), {"user_id": None})

    assert response.json()["user_id"] is None
    tech_artist.refresh_from_db()
    assert tech_artist.user_id is None


def test_every_member_reads_the_crew(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization, last_name="Martin")

    for role in (*WRITERS, "tech"):
        assert names(scenario.client(role).get(ARTISTS)) == [artist.full_name]
        assert scenario.client(role).get(url(artist)).json()["id"] == str(artist.pk)


@pytest.mark.parametrize("role", WRITERS)
def test_managers_and_above_create_edit_and_delete(scenario: Scenario, role: str) -> None:
    client = scenario.client(role)

    created = client.post(ARTISTS, {"first_name": "Lou", "last_name": "Roux"})
    artist = Artist.objects.get(pk=created.json()["id"])
    edited = client.patch(url(artist), {"last_name": "Rousseau"})
    deleted = client.delete(url(artist))

    assert (created.status_code, edited.status_code, deleted.status_code) == (201, 200, 204)
    assert audit_actions(artist) == ["artist.create", "artist.update", "artist.delete"]


def test_a_tech_may_not_write_artists_not_even_his_own(
    scenario: Scenario, tech_artist: Artist
) -> None:
    tech = scenario.client("tech")

    assert_error(tech.post(ARTISTS, {"first_name": "A", "last_name": "B"}), 403)
    assert_error(tech.patch(url(tech_artist), {"phone": "0600000000"}), 403)
    assert_error(tech.delete(url(tech_artist)), 403, "permission_denied")
    assert Artist.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_an_outsider_gets_404_for_every_artist_endpoint(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)
    outsider = scenario.client("outsider")

    assert_error(outsider.get(url(artist)), 404, "not_found")
    assert_error(outsider.patch(url(artist), {"last_name": "X"}), 404, "not_found")
    assert_error(outsider.delete(url(artist)), 404, "not_found")
    assert_error(outsider.get(f"{url(artist)}/rates"), 404, "not_found")
    assert_error(outsider.put(f"{url(artist)}/rates", {"currency": "EUR"}), 404, "not_found")
    assert outsider.get(ARTISTS).json()["results"] == []
    assert Artist.objects.filter(pk=artist.pk, last_name=artist.last_name).exists()


def test_an_unknown_artist_id_is_a_404(scenario: Scenario) -> None:
    assert_error(scenario.client("manager").get(f"{ARTISTS}/{uuid.uuid4()}"), 404, "not_found")


def test_anonymous_gets_401(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)
    anonymous = scenario.client("anonymous")

    assert_error(anonymous.get(ARTISTS), 401)
    assert_error(anonymous.get(url(artist)), 401)
    assert_error(anonymous.post(ARTISTS, {"first_name": "A", "last_name": "B"}), 401)
    assert_error(anonymous.delete(url(artist)), 401)


# --- Ids in the body ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["skill_ids", "tag_ids", "primary_skill_id"])
def test_a_foreign_or_unknown_catalog_id_is_a_404_naming_the_field(
    scenario: Scenario, field: str
) -> None:
    factory = TagFactory if field == "tag_ids" else SkillFactory
    foreign = factory(organization=scenario.outsider_organization)
    manager = scenario.client("manager")

    for bad_id in (str(foreign.pk), str(uuid.uuid4())):
        value: Any = bad_id if field == "primary_skill_id" else [bad_id]
        response = manager.post(ARTISTS, {"first_name": "A", "last_name": "B", field: value})

        assert field in assert_error(response, 404, "not_found")["fields"]
    assert not Artist.objects.exists()


def test_a_user_who_is_not_a_member_is_a_404_naming_user_id(scenario: Scenario) -> None:
    stranger = UserFactory()
    manager = scenario.client("manager")

    for user_id in (scenario.outsider.pk, stranger.pk, uuid.uuid4()):
        response = manager.post(
            ARTISTS, {"first_name": "A", "last_name": "B", "user_id": str(user_id)}
        )
        assert assert_error(response, 404, "not_found")["fields"] == {
            "user_id": ["No such object in this organization."]
        }


def test_an_account_links_to_one_artist_only(scenario: Scenario, tech_artist: Artist) -> None:
    other = ArtistFactory(organization=scenario.organization)

    response = scenario.client("manager").patch(url(other), {"user_id": str(scenario.tech.pk)})

    assert "user_id" in assert_error(response, 409, "user_already_linked")["fields"]
    other.refresh_from_db()
    assert other.user_id is None


def test_a_member_of_another_organization_too_may_be_linked_in_each(scenario: Scenario) -> None:
    """The link is per organization: one person may work for two companies."""
    MembershipFactory(organization=scenario.outsider_organization, user=scenario.tech)
    ArtistFactory(organization=scenario.outsider_organization, user=scenario.tech)

    response = scenario.client("manager").post(
        ARTISTS, {"first_name": "Théo", "last_name": "Tech", "user_id": str(scenario.tech.pk)}
    )

    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"last_name": "B"}, "first_name"),
        ({"first_name": "A", "last_name": ""}, "last_name"),
        ({"first_name": "A", "last_name": "B", "email": "not-an-email"}, "email"),
        ({"first_name": "A", "last_name": "B", "employment_type": "slave"}, "employment_type"),
        ({"first_name": "A", "last_name": "B", "skill_ids": ["nope"]}, "skill_ids"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    scenario: Scenario, payload: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(ARTISTS, payload)

    assert field in assert_error(response, 400, "invalid")["fields"]


def test_the_primary_skill_must_be_one_of_the_skills(scenario: Scenario) -> None:
    rigging, sound = SkillFactory.create_batch(2, organization=scenario.organization)

    response = scenario.client("manager").post(
        ARTISTS,
        {
            "first_name": "A",
            "last_name": "B",
            "skill_ids": [str(rigging.pk)],
            "primary_skill_id": str(sound.pk),
        },
    )

    assert "primary_skill_id" in assert_error(response, 400, "invalid")["fields"]


# --- Deletion -------------------------------------------------------------------------


def test_deleting_an_artist_deletes_his_availabilities(scenario: Scenario) -> None:
    availability = AvailabilityFactory(artist__organization=scenario.organization)

    response = scenario.client("manager").delete(url(availability.artist))

    assert response.status_code == 204
    assert not Availability.objects.filter(pk=availability.pk).exists()
    assert last_audit(availability.artist).before["availability_ids"] == [str(availability.pk)]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("accepted", "artist_has_accepted_assignments"),
        ("proposed", "artist_has_assignments"),
        ("cancelled", "artist_has_assignments"),
    ],
)
def test_deleting_an_assigned_artist_is_refused(scenario: Scenario, status: str, code: str) -> None:
    artist = ArtistFactory(organization=scenario.organization)
    AssignmentFactory(status=status, artist=artist, shift__organization=scenario.organization)
    AvailabilityFactory(artist=artist)

    response = scenario.client("manager").delete(url(artist))

    assert "deactivate" in assert_error(response, 409, code)["message"]
    assert Artist.objects.filter(pk=artist.pk).exists()
    assert Availability.objects.filter(artist=artist).exists()
    assert audit_actions(artist) == []


# --- Search, filters, ordering and pagination ---------------------------------------------


def test_search_matches_names_and_email_case_insensitively(scenario: Scenario) -> None:
    org = scenario.organization
    ArtistFactory(organization=org, first_name="Léa", last_name="Garnier", email="lg@x.test")
    ArtistFactory(organization=org, first_name="Hugo", last_name="Léger", email="hugo@x.test")
    ArtistFactory(organization=org, first_name="Anne", last_name="Petit", email="anne@rig.test")
    tech = scenario.client("tech")

    assert names(tech.get(f"{ARTISTS}?search=garn")) == ["Léa Garnier"]
    assert names(tech.get(f"{ARTISTS}?search=HUGO")) == ["Hugo Léger"]
    assert names(scenario.client("manager").get(f"{ARTISTS}?search=rig.test")) == ["Anne Petit"]
    assert names(tech.get(f"{ARTISTS}?search=léa garnier")) == ["Léa Garnier"]
    # A tech may not read other crew members' e-mails, so may not search them (issue 14).
    assert names(tech.get(f"{ARTISTS}?search=rig.test")) == []


def test_the_skills_filter_keeps_artists_having_every_skill(scenario: Scenario) -> None:
    org = scenario.organization
    rigging, sound, video = SkillFactory.create_batch(3, organization=org)
    ArtistFactory(organization=org, last_name="Aubert", skills=[rigging, sound, video])
    ArtistFactory(organization=org, last_name="Bernard", skills=[rigging, sound])
    ArtistFactory(organization=org, last_name="Colin", skills=[rigging])
    tech = scenario.client("tech")

    both = [
        f"{ARTISTS}?skills={rigging.pk},{sound.pk}",
        f"{ARTISTS}?skills={rigging.pk}&skills={sound.pk}",
    ]
    for query in both:
        assert [name.split()[-1] for name in names(tech.get(query))] == ["Aubert", "Bernard"]
    single = names(tech.get(f"{ARTISTS}?skills={video.pk}"))
    assert [name.split()[-1] for name in single] == ["Aubert"]


def test_the_tag_employment_type_and_active_filters(scenario: Scenario) -> None:
    org = scenario.organization
    tag = TagFactory(organization=org)
    ArtistFactory(organization=org, last_name="Aubert", tags=[tag], employment_type="permanent")
    ArtistFactory(organization=org, last_name="Bernard", is_active=False)
    ArtistFactory(organization=org, last_name="Colin", employment_type="permanent")
    tech = scenario.client("tech")

    def last_names(query: str) -> list[str]:
        return [name.split()[-1] for name in names(tech.get(f"{ARTISTS}?{query}"))]

    assert last_names(f"tags={tag.pk}") == ["Aubert"]
    assert last_names("employment_type=permanent") == ["Aubert", "Colin"]
    assert last_names("is_active=false") == ["Bernard"]
    assert last_names("is_active=true&employment_type=permanent") == ["Aubert", "Colin"]


@pytest.mark.parametrize("param", ["skills", "tags"])
def test_a_foreign_id_in_the_query_string_is_a_404_naming_it(
    scenario: Scenario, param: str
) -> None:
    factory = SkillFactory if param == "skills" else TagFactory
    ours = factory(organization=scenario.organization)
    foreign = factory(organization=scenario.outsider_organization)

    response = scenario.client("manager").get(f"{ARTISTS}?{param}={ours.pk},{foreign.pk}")

    assert param in assert_error(response, 404, "not_found")["fields"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("skills=not-a-uuid", "skills"), ("employment_type=boss", "employment_type")],
)
def test_a_malformed_filter_is_a_400_naming_it(scenario: Scenario, query: str, field: str) -> None:
    response = scenario.client("manager").get(f"{ARTISTS}?{query}")

    assert field in assert_error(response, 400, "invalid")["fields"]


def test_the_order_is_stable_and_pages_are_bounded(scenario: Scenario) -> None:
    org = scenario.organization
    twins = [ArtistFactory(organization=org, first_name="Jean", last_name="Dupont") for _ in "ab"]
    ArtistFactory(organization=org, first_name="Zoé", last_name="Adam")
    tech = scenario.client("tech")

    first = tech.get(f"{ARTISTS}?page_size=2").json()
    second = tech.get(f"{ARTISTS}?page_size=2&page=2").json()

    assert first["count"] == 3
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [str(a.pk) for a in Artist.objects.order_by("last_name", "first_name", "id")]
    assert ids[1:] == sorted(str(twin.pk) for twin in twins)


def test_the_page_size_is_capped(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cap is 200; lowered here so that a few rows show the list applies it."""
    assert BoundedPageNumberPagination.max_page_size == 200
    monkeypatch.setattr(BoundedPageNumberPagination, "max_page_size", 2)
    ArtistFactory.create_batch(3, organization=scenario.organization)

    response = scenario.client("tech").get(f"{ARTISTS}?page_size=500")

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2


# --- Rates in the artist payload -------------------------------------------------------


def test_managers_see_every_rate_a_tech_only_his_own(
    scenario: Scenario, tech_artist: Artist
) -> None:
    other = ArtistFactory(organization=scenario.organization, day_rate=400)

    for role in WRITERS:
        rows = scenario.client(role).get(ARTISTS).json()["results"]
        assert all(row.keys() >= RATE_KEYS for row in rows), role
    tech = scenario.client("tech")
    rows = {row["id"]: row for row in tech.get(ARTISTS).json()["results"]}
    own, others = rows[str(tech_artist.pk)], rows[str(other.pk)]
    assert own["day_rate"] == "210.00"
    assert RATE_KEYS.isdisjoint(others), "absent, not null"
    assert RATE_KEYS.isdisjoint(tech.get(url(other)).json())
    assert tech.get(url(tech_artist)).json()["day_rate"] == "210.00"


# --- Queries --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_the_same_queries_whatever_its_length(
    scenario: Scenario, django_assert_num_queries: Any, rows: int
) -> None:
    org = scenario.organization
    skills = SkillFactory.create_batch(3, organization=org)
    tags = TagFactory.create_batch(2, organization=org)
    ArtistFactory.create_batch(
        rows, organization=org, skills=skills, tags=tags, primary_skill=skills[0]
    )
    client = scenario.client("tech")

    # 1 the token's user with its membership and organization (one query), 2 count, 3 the
    # page of artists with their primary skill joined, 4 their skills, 5 their tags.
    with django_assert_num_queries(5):
        response = client.get(f"{ARTISTS}?page_size=50&is_active=true")

    results = response.json()["results"]
    assert len(results) == rows
    assert all(len(row["skills"]) == 3 and len(row["tags"]) == 2 for row in results)
