"""The crew admin: tenant-restricted, writes audited, decisions through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.test import Client

from apps.crew.models import Artist, Availability, Skill
from apps.orgs.models import User
from tests.conftest import Scenario
from tests.crew.conftest import audit_actions, last_audit
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    RoleFactory,
    SkillFactory,
    TagFactory,
)

ADMIN = "/admin/crew"
START = datetime(2026, 9, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def superuser_client() -> tuple[Client, User]:
    superuser = User.objects.create_superuser("root@crewplan.test", "root-password-2026")
    client = Client()
    client.force_login(superuser)
    return client, superuser


def staff_client(user: User) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="crew", codename__startswith="view_")
    )
    client = Client()
    client.force_login(user)
    return client


def artist_form(scenario: Scenario, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": str(scenario.organization.pk),
        "first_name": "Inès",
        "last_name": "Morel",
        "email": "ines@example.test",
        "employment_type": "intermittent",
        "is_active": "on",
        "currency": "EUR",
        "availabilities-TOTAL_FORMS": "0",
        "availabilities-INITIAL_FORMS": "0",
        "availabilities-MIN_NUM_FORMS": "0",
        "availabilities-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_a_staff_manager_sees_only_his_organizations_crew(scenario: Scenario) -> None:
    ArtistFactory(organization=scenario.organization, last_name="Ourcrew")
    ArtistFactory(organization=scenario.outsider_organization, last_name="Theircrew")
    client = staff_client(scenario.manager)

    page = client.get(f"{ADMIN}/artist/").content.decode()

    assert "Ourcrew" in page
    assert "Theircrew" not in page


def test_the_artist_pages_search_filter_and_show_availabilities_inline(
    scenario: Scenario,
) -> None:
    skill = SkillFactory(organization=scenario.organization, name="rigging")
    artist = ArtistFactory(organization=scenario.organization, last_name="Rigger", skills=[skill])
    AvailabilityFactory(artist=artist, note="Inline note")
    client, _ = superuser_client()

    searched = client.get(f"{ADMIN}/artist/?q=rigg")
    filtered = client.get(
        f"{ADMIN}/artist/?skills__id__exact={skill.pk}&employment_type=intermittent"
    )
    change = client.get(f"{ADMIN}/artist/{artist.pk}/change/")

    assert "Rigger" in searched.content.decode()
    assert "Rigger" in filtered.content.decode()
    assert "Inline note" in change.content.decode()


def test_adding_an_artist_with_an_inline_absence_is_audited_and_approved(
    scenario: Scenario,
) -> None:
    client, superuser = superuser_client()
    form = artist_form(
        scenario,
        **{
            "availabilities-TOTAL_FORMS": "1",
            "availabilities-0-start_at_0": "2026-09-01",
            "availabilities-0-start_at_1": "09:00:00",
            "availabilities-0-end_at_0": "2026-09-03",
            "availabilities-0-end_at_1": "09:00:00",
            "availabilities-0-kind": "unavailable",
            "availabilities-0-reason": "leave",
        },
    )

    response = client.post(f"{ADMIN}/artist/add/", form)

    assert response.status_code == 302, response.content.decode()[:3000]
    artist = Artist.objects.get(email="ines@example.test")
    availability = artist.availabilities.get()
    assert (availability.status, availability.decided_by) == ("approved", superuser)
    assert audit_actions(artist) == ["artist.create"]
    assert audit_actions(availability) == ["availability.create"]


def test_the_admin_refuses_an_absence_without_reason_and_a_bad_currency(
    scenario: Scenario,
) -> None:
    client, _ = superuser_client()
    form = artist_form(
        scenario,
        currency="ZZZ",
        **{
            "availabilities-TOTAL_FORMS": "1",
            "availabilities-0-start_at_0": "2026-09-01",
            "availabilities-0-start_at_1": "09:00:00",
            "availabilities-0-end_at_0": "2026-09-03",
            "availabilities-0-end_at_1": "09:00:00",
            "availabilities-0-kind": "unavailable",
        },
    )

    response = client.post(f"{ADMIN}/artist/add/", form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Required for an absence" in page
    assert "is not an ISO 4217 currency code" in page
    assert not Artist.objects.exists()


def test_editing_an_artist_in_the_admin_is_audited(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization, email="ines@example.test")
    client, _ = superuser_client()

    response = client.post(
        f"{ADMIN}/artist/{artist.pk}/change/", artist_form(scenario, last_name="Renamed")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    entry = last_audit(artist)
    assert (entry.action, entry.after["last_name"], entry.reason) == (
        "artist.update",
        "Renamed",
        "admin",
    )


def test_the_approve_and_reject_actions_go_through_the_services(scenario: Scenario) -> None:
    pending = [
        AvailabilityFactory(
            artist__organization=scenario.organization,
            status="pending",
            start_at=START + timedelta(days=day),
        )
        for day in range(2)
    ]
    client, superuser = superuser_client()
    ids = [str(availability.pk) for availability in pending]

    client.post(f"{ADMIN}/availability/", {"action": "approve", "_selected_action": ids[:1]})
    client.post(f"{ADMIN}/availability/", {"action": "reject", "_selected_action": ids[1:]})

    statuses = [Availability.objects.get(pk=pk).status for pk in ids]
    assert statuses == ["approved", "rejected"]
    assert audit_actions(pending[0]) == ["availability.approve"]
    assert audit_actions(pending[1]) == ["availability.reject"]
    assert last_audit(pending[0]).actor == superuser


def test_deleting_an_assigned_artist_in_the_admin_is_refused(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)
    AssignmentFactory(status="accepted", artist=artist, shift__organization=scenario.organization)
    client, _ = superuser_client()

    response = client.post(f"{ADMIN}/artist/{artist.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    assert Artist.objects.filter(pk=artist.pk).exists()
    assert audit_actions(artist) == []


def test_an_unassigned_artist_is_deleted_through_the_service(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)
    client, _ = superuser_client()

    response = client.post(f"{ADMIN}/artist/{artist.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Artist.objects.filter(pk=artist.pk).exists()
    assert audit_actions(artist) == ["artist.delete"]


def test_editing_an_availability_in_the_admin_is_audited_and_keeps_its_status(
    scenario: Scenario,
) -> None:
    availability = AvailabilityFactory(
        artist__organization=scenario.organization, status="pending", start_at=START
    )
    client, _ = superuser_client()

    response = client.post(
        f"{ADMIN}/availability/{availability.pk}/change/",
        {
            "artist": str(availability.artist_id),
            "start_at_0": "2026-09-01",
            "start_at_1": "09:00:00",
            "end_at_0": "2026-09-04",
            "end_at_1": "09:00:00",
            "kind": "unavailable",
            "reason": "other_job",
            "note": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    availability.refresh_from_db()
    assert (availability.reason, availability.status) == ("other_job", "pending")
    entry = last_audit(availability)
    assert (entry.action, entry.before["reason"], entry.after["reason"]) == (
        "availability.update",
        "leave",
        "other_job",
    )


def test_catalog_deletions_in_the_admin_go_through_the_services(scenario: Scenario) -> None:
    required = SkillFactory(organization=scenario.organization, name="rigging")
    RoleFactory(organization=scenario.organization, name="Head rigger", required_skills=[required])
    tag = TagFactory(organization=scenario.organization)
    client, _ = superuser_client()

    refused = client.post(f"{ADMIN}/skill/{required.pk}/delete/", {"post": "yes"})
    deleted = client.post(f"{ADMIN}/tag/{tag.pk}/delete/", {"post": "yes"})

    assert "Head rigger" in refused.content.decode()
    assert Skill.objects.filter(pk=required.pk).exists()
    assert deleted.status_code == 302
    assert audit_actions(tag) == ["tag.delete"]


def test_adding_a_skill_in_the_admin_is_audited(scenario: Scenario) -> None:
    client, _ = superuser_client()

    response = client.post(
        f"{ADMIN}/skill/add/",
        {"organization": str(scenario.organization.pk), "name": "pyro", "description": ""},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    skill = Skill.objects.get(name="pyro")
    assert audit_actions(skill) == ["skill.create"]
