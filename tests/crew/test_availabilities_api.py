"""/api/v1/availabilities: windows and absences, own-entry rules, decisions, privacy."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist, Availability
from apps.crew.services import availabilities as services
from tests.conftest import Scenario, assert_error
from tests.crew.conftest import WRITERS, audit_actions, last_audit
from tests.factories import ArtistFactory, AvailabilityFactory

AVAILABILITIES = "/api/v1/availabilities"
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 7, 14, 9, 0, tzinfo=PARIS)
END = START + timedelta(days=3)


def url(availability: Availability, suffix: str = "") -> str:
    return f"{AVAILABILITIES}/{availability.pk}{suffix}"


def absence(artist: Artist, **overrides: Any) -> dict[str, Any]:
    payload = {
        "artist_id": str(artist.pk),
        "start_at": START.isoformat(),
        "end_at": END.isoformat(),
        "kind": "unavailable",
        "reason": "leave",
        "note": "Family holiday.",
    }
    return {**payload, **overrides}


def entry_for(artist: Artist, **kwargs: Any) -> Availability:
    """An approved absence 14-17 July unless told otherwise."""
    kwargs.setdefault("start_at", START)
    kwargs.setdefault("end_at", END)
    return AvailabilityFactory(artist=artist, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def artist(scenario: Scenario) -> Artist:
    """Someone else than the tech."""
    return ArtistFactory(organization=scenario.organization, first_name="Anna", last_name="Roy")


# --- Creation and who may write ------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_a_managers_entry_is_approved_at_once(
    scenario: Scenario, artist: Artist, role: str
) -> None:
    response = scenario.client(role).post(AVAILABILITIES, absence(artist))

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["reason"], body["note"]) == (
        "approved",
        "leave",
        "Family holiday.",
    )
    assert body["artist"] == {"id": str(artist.pk), "full_name": "Anna Roy"}
    assert body["decided_by"] == str(scenario.users[role].pk)
    availability = Availability.objects.get(pk=body["id"])
    assert availability.start_at == START
    assert availability.organization_id == scenario.organization.pk
    assert audit_actions(availability) == ["availability.create"]


def test_a_tech_requests_his_own_absence_which_waits_for_a_manager(
    scenario: Scenario, tech_artist: Artist
) -> None:
    response = scenario.client("tech").post(AVAILABILITIES, absence(tech_artist))

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["reason"]) == ("pending", None, "leave")
    assert body["requested_by"] == str(scenario.tech.pk)
    assert last_audit(Availability.objects.get(pk=body["id"])).actor == scenario.tech


def test_a_tech_may_not_declare_for_someone_else(
    scenario: Scenario, tech_artist: Artist, artist: Artist
) -> None:
    response = scenario.client("tech").post(AVAILABILITIES, absence(artist))

    assert_error(response, 403, "permission_denied")
    assert not Availability.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_tech_without_a_linked_artist_may_not_declare_anything(
    scenario: Scenario, artist: Artist
) -> None:
    assert_error(scenario.client("tech").post(AVAILABILITIES, absence(artist)), 403)


def test_a_declared_window_has_no_reason(scenario: Scenario, tech_artist: Artist) -> None:
    payload = absence(tech_artist, kind="available", reason="", note="")

    response = scenario.client("tech").post(AVAILABILITIES, payload)

    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["reason"]) == ("available", "")


# --- Editing and withdrawing ------------------------------------------------------------


def test_a_techs_edit_of_his_own_entry_goes_back_to_pending(
    scenario: Scenario, tech_artist: Artist
) -> None:
    availability = entry_for(tech_artist, status="approved", decided_by=scenario.manager)
    new_end = END + timedelta(days=1)

    response = scenario.client("tech").patch(url(availability), {"end_at": new_end.isoformat()})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decided_by"]) == ("pending", None)
    availability.refresh_from_db()
    assert availability.end_at == new_end
    entry = last_audit(availability)
    assert entry.action == "availability.update"
    assert (entry.before["status"], entry.after["status"]) == ("approved", "pending")


def test_a_managers_edit_keeps_the_status(scenario: Scenario, tech_artist: Artist) -> None:
    availability = entry_for(tech_artist, status="pending")

    response = scenario.client("manager").patch(url(availability), {"note": "Checked by phone."})

    assert (response.json()["status"], response.json()["note"]) == ("pending", "Checked by phone.")


def test_turning_an_absence_into_a_window_clears_the_reason(
    scenario: Scenario, artist: Artist
) -> None:
    availability = entry_for(artist, kind="unavailable", reason="sickness")

    response = scenario.client("manager").patch(url(availability), {"kind": "available"})

    assert (response.json()["kind"], response.json()["reason"]) == ("available", "")


def test_a_tech_may_not_edit_or_withdraw_someone_elses_entry(
    scenario: Scenario, tech_artist: Artist, artist: Artist
) -> None:
    availability = entry_for(artist)
    tech = scenario.client("tech")

    assert_error(tech.patch(url(availability), {"note": "mine now"}), 403, "permission_denied")
    assert_error(tech.delete(url(availability)), 403, "permission_denied")
    availability.refresh_from_db()
    assert availability.note == ""
    assert not AuditEntry.objects.exists()


def test_a_tech_withdraws_his_own_entry(scenario: Scenario, tech_artist: Artist) -> None:
    availability = entry_for(tech_artist, status="pending")

    response = scenario.client("tech").delete(url(availability))

    assert response.status_code == 204
    assert not Availability.objects.filter(pk=availability.pk).exists()
    entry = last_audit(availability)
    assert (entry.action, entry.before["reason"]) == ("availability.delete", "leave")


@pytest.mark.parametrize("role", WRITERS)
def test_managers_and_above_edit_and_delete_anyones_entry(
    scenario: Scenario, artist: Artist, role: str
) -> None:
    availability = entry_for(artist)
    client = scenario.client(role)

    assert client.patch(url(availability), {"reason": "other_job"}).status_code == 200
    assert client.delete(url(availability)).status_code == 204
    assert audit_actions(availability) == ["availability.update", "availability.delete"]


# --- Decisions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_managers_and_above_approve_and_reject(
    scenario: Scenario, tech_artist: Artist, role: str
) -> None:
    availability = entry_for(tech_artist, status="pending")
    client = scenario.client(role)

    approved = client.post(url(availability, "/approve"), {"comment": "Enjoy!"})
    rejected = client.post(url(availability, "/reject"), {})

    assert approved.json()["status"] == "approved", approved.content
    assert approved.json()["decided_by"] == str(scenario.users[role].pk)
    assert rejected.json()["status"] == "rejected"
    assert audit_actions(availability) == ["availability.approve", "availability.reject"]
    assert AuditEntry.objects.get(action=AuditAction.AVAILABILITY_APPROVE).reason == "Enjoy!"


def test_a_tech_may_not_decide_not_even_on_his_own(scenario: Scenario, tech_artist: Artist) -> None:
    availability = entry_for(tech_artist, status="pending")
    tech = scenario.client("tech")

    assert_error(tech.post(url(availability, "/approve")), 403, "permission_denied")
    assert_error(tech.post(url(availability, "/reject")), 403, "permission_denied")
    availability.refresh_from_db()
    assert availability.status == "pending"


def test_deciding_twice_the_same_way_is_a_409(scenario: Scenario, artist: Artist) -> None:
    availability = entry_for(artist, status="approved")

    response = scenario.client("manager").post(url(availability, "/approve"))

    assert_error(response, 409, "invalid_transition")
    assert not AuditEntry.objects.exists()


# --- Tenancy and anonymous ----------------------------------------------------------------


def test_an_outsider_gets_404_for_every_entry_endpoint(scenario: Scenario, artist: Artist) -> None:
    availability = entry_for(artist, status="pending")
    outsider = scenario.client("outsider")

    assert_error(outsider.get(url(availability)), 404, "not_found")
    assert_error(outsider.patch(url(availability), {"note": "x"}), 404, "not_found")
    assert_error(outsider.delete(url(availability)), 404, "not_found")
    assert_error(outsider.post(url(availability, "/approve")), 404, "not_found")
    assert_error(outsider.post(url(availability, "/reject")), 404, "not_found")
    assert outsider.get(AVAILABILITIES).json()["results"] == []
    availability.refresh_from_db()
    assert (availability.status, availability.note) == ("pending", "")


def test_a_foreign_artist_is_a_404_in_the_body_and_in_the_query_string(
    scenario: Scenario, artist: Artist
) -> None:
    foreign = ArtistFactory(organization=scenario.outsider_organization)
    manager = scenario.client("manager")

    created = manager.post(AVAILABILITIES, absence(foreign))
    listed = manager.get(f"{AVAILABILITIES}?artist={foreign.pk}")
    outsider_creates = scenario.client("outsider").post(AVAILABILITIES, absence(artist))

    assert "artist_id" in assert_error(created, 404, "not_found")["fields"]
    assert "artist" in assert_error(listed, 404, "not_found")["fields"]
    assert "artist_id" in assert_error(outsider_creates, 404, "not_found")["fields"]
    assert not Availability.objects.exists()


def test_anonymous_gets_401(scenario: Scenario, artist: Artist) -> None:
    availability = entry_for(artist)
    anonymous = scenario.client("anonymous")

    assert_error(anonymous.get(AVAILABILITIES), 401)
    assert_error(anonymous.post(AVAILABILITIES, absence(artist)), 401)
    assert_error(anonymous.post(url(availability, "/approve")), 401)


# --- Validation and uniqueness --------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_at": (START - timedelta(hours=1)).isoformat()}, "end_at"),
        ({"end_at": START.isoformat()}, "end_at"),
        ({"start_at": "2026-07-14T09:00:00"}, "start_at"),
        ({"end_at": "2026-07-17"}, "end_at"),
        ({"reason": ""}, "reason"),
        ({"reason": "boredom"}, "reason"),
        ({"kind": "available"}, "reason"),
        ({"kind": "maybe"}, "kind"),
        ({"artist_id": "not-a-uuid"}, "artist_id"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    scenario: Scenario, artist: Artist, overrides: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(AVAILABILITIES, absence(artist, **overrides))

    assert field in assert_error(response, 400, "invalid")["fields"]
    assert not Availability.objects.exists()


def test_an_edit_is_validated_against_the_stored_values(scenario: Scenario, artist: Artist) -> None:
    availability = entry_for(artist)

    response = scenario.client("manager").patch(
        url(availability), {"start_at": (END + timedelta(hours=1)).isoformat()}
    )

    assert "end_at" in assert_error(response, 400, "invalid")["fields"]


def test_the_same_window_of_the_same_kind_cannot_be_declared_twice(
    scenario: Scenario, artist: Artist
) -> None:
    entry_for(artist, kind="unavailable", reason="leave")
    manager = scenario.client("manager")

    duplicate = manager.post(AVAILABILITIES, absence(artist, reason="sickness"))
    other_kind = manager.post(AVAILABILITIES, absence(artist, kind="available", reason=""))

    assert_error(duplicate, 409, "duplicate_window")
    assert other_kind.status_code == 201


def test_the_database_constraint_backs_the_duplicate_check(
    scenario: Scenario, artist: Artist, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two concurrent requests both pass the check; the constraint refuses the second."""
    entry_for(artist)
    monkeypatch.setattr(services, "_require_new_window", lambda availability: None)

    response = scenario.client("manager").post(AVAILABILITIES, absence(artist))

    assert_error(response, 409, "duplicate_window")
    assert Availability.objects.count() == 1
    assert not AuditEntry.objects.exists()


# --- Privacy of reasons ------------------------------------------------------------------------


def test_a_tech_sees_other_absences_without_reason_or_note_and_his_own_in_full(
    scenario: Scenario, tech_artist: Artist, artist: Artist
) -> None:
    others = entry_for(artist, reason="sickness", note="Flu.")
    own = entry_for(tech_artist, reason="personal", note="Wedding.")
    tech = scenario.client("tech")

    rows = {row["id"]: row for row in tech.get(AVAILABILITIES).json()["results"]}
    detail = tech.get(url(others)).json()

    for payload in (rows[str(others.pk)], detail):
        assert payload["kind"] == "unavailable"
        assert "reason" not in payload
        assert "note" not in payload
    assert (rows[str(own.pk)]["reason"], rows[str(own.pk)]["note"]) == ("personal", "Wedding.")


def test_managers_and_above_see_every_reason(scenario: Scenario, artist: Artist) -> None:
    availability = entry_for(artist, reason="sickness", note="Flu.")

    for role in WRITERS:
        payload = scenario.client(role).get(url(availability)).json()
        assert (payload["reason"], payload["note"]) == ("sickness", "Flu.")


# --- Filters and queries ------------------------------------------------------------------


def test_the_filters_by_artist_kind_status_and_time_range(
    scenario: Scenario, tech_artist: Artist, artist: Artist
) -> None:
    july = entry_for(artist, kind="unavailable", status="approved")
    window = entry_for(artist, kind="available", reason="", status="pending")
    august = entry_for(
        tech_artist,
        start_at=START + timedelta(days=30),
        end_at=END + timedelta(days=30),
        status="pending",
    )
    tech = scenario.client("tech")

    def ids(query: str) -> set[str]:
        response = tech.get(f"{AVAILABILITIES}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"artist={artist.pk}") == {str(july.pk), str(window.pk)}
    assert ids("kind=available") == {str(window.pk)}
    assert ids("status=pending") == {str(window.pk), str(august.pk)}
    overlap = {"from": (END - timedelta(hours=1)), "to": END + timedelta(days=40)}
    assert ids(
        "&".join(f"{k}={v.isoformat().replace('+', '%2B')}" for k, v in overlap.items())
    ) == {
        str(july.pk),
        str(window.pk),
        str(august.pk),
    }
    after_july = (END + timedelta(minutes=1)).isoformat().replace("+", "%2B")
    assert ids(f"from={after_july}") == {str(august.pk)}
    before_july = START.isoformat().replace("+", "%2B")
    assert ids(f"to={before_july}") == set()


@pytest.mark.parametrize("query", ["kind=sometimes", "status=maybe", "from=yesterday"])
def test_a_malformed_filter_is_a_400_naming_it(scenario: Scenario, query: str) -> None:
    response = scenario.client("tech").get(f"{AVAILABILITIES}?{query}")

    assert query.split("=")[0] in assert_error(response, 400, "invalid")["fields"]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_the_same_queries_whatever_its_length(
    scenario: Scenario, django_assert_num_queries: Any, rows: int
) -> None:
    artists = ArtistFactory.create_batch(5, organization=scenario.organization)
    for index in range(rows):
        start = START + timedelta(days=index)
        entry_for(artists[index % 5], start_at=start, end_at=start + timedelta(hours=8))
    client = scenario.client("tech")

    # 1 the token's user with its membership and organization (one query), 2 count, 3 the
    # page with the artists joined (names and the privacy check need them).
    with django_assert_num_queries(3):
        response = client.get(f"{AVAILABILITIES}?page_size=50&kind=unavailable")

    assert len(response.json()["results"]) == rows
