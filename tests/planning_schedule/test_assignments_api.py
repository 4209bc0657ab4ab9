"""``/api/v1/planning/assignments``: CRUD, transitions, locking, tenancy, roles, filters, audit."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from apps.planning.models import Assignment
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AssignmentFactory, InvitationFactory
from tests.planning_schedule.conftest import (
    ALL_ROLES,
    ASSIGNMENTS,
    WRITE_ROLES,
    Plans,
    at,
    audit_entries,
    iso,
    make_shift,
)

pytestmark = pytest.mark.django_db


def booking(shift: Any, artist: Any, **extra: Any) -> dict[str, Any]:
    return {"shift_id": str(shift.pk), "artist_id": str(artist.pk), **extra}


# --- Create ---------------------------------------------------------------------------


def test_a_manager_proposes_an_artist_for_a_shift(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=2, hour=9)

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(shift, plan.own.artist, note="Knows the desk."), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["conflicts"] == []
    assignment = body["assignment"]
    assert assignment["status"] == "proposed"
    assert (assignment["locked"], assignment["source"]) == (False, "manual")
    assert (assignment["start_at"], assignment["end_at"]) == (iso(at(2, 9)), iso(at(2, 14)))
    assert assignment["project_id"] == str(plan.own.project.pk)
    assert assignment["created_by_id"] == str(scenario.manager.pk)
    assert assignment["note"] == "Knows the desk."
    entry = audit_entries(assignment["id"], "assignment.create")[0]
    assert entry.actor == scenario.manager
    assert entry.after["artist_id"] == str(plan.own.artist.pk)
    assert entry.reason == ""


def test_an_assignment_may_be_created_locked(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(shift, plan.own.artist, locked=True), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["assignment"]["locked"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "invited"}, "status"),
        ({"status": "accepted"}, "status"),
        ({"locked": "maybe"}, "locked"),
        ({"note": "x" * 301}, "note"),
        ({"shift_id": "nope"}, "shift_id"),
        ({"override_reason": "x" * 501}, "override_reason"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(
    scenario: Scenario, plan: Plans, changes: dict[str, Any], field: str
) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        ASSIGNMENTS, {**booking(shift, plan.own.artist), **changes}, format="json"
    )

    assert field in assert_error(response, 400, "invalid")["fields"]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("field", ["shift_id", "artist_id"])
def test_a_missing_required_field_is_named(scenario: Scenario, plan: Plans, field: str) -> None:
    body = booking(make_shift(plan.own), plan.own.artist)
    del body[field]

    response = scenario.client("manager").post(ASSIGNMENTS, body, format="json")

    assert field in assert_error(response, 400, "invalid")["fields"]


def test_an_artist_is_on_a_shift_at_most_once(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="invited")

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(shift, plan.own.artist), format="json"
    )

    assert_error(response, 409, "already_assigned")
    assert Assignment.objects.filter(shift=shift).count() == 1


def test_a_cancelled_or_declined_assignment_is_reactivated_by_a_new_one(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="cancelled")
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="declined")

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(shift, plan.own.artist), format="json"
    )

    assert response.status_code == 201, response.content
    assert Assignment.objects.filter(shift=shift, artist=plan.own.artist).count() == 3


def test_nobody_is_assigned_to_a_cancelled_shift(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, status="cancelled")

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(shift, plan.own.artist), format="json"
    )

    assert_error(response, 409, "shift_cancelled")


def test_an_inactive_artist_cannot_be_booked(scenario: Scenario, plan: Plans) -> None:
    retired = ArtistFactory(organization=scenario.organization, is_active=False)

    response = scenario.client("manager").post(
        ASSIGNMENTS, booking(make_shift(plan.own), retired), format="json"
    )

    assert "artist_id" in assert_error(response, 400, "invalid")["fields"]


@pytest.mark.parametrize("field", ["shift_id", "artist_id"])
def test_foreign_ids_in_the_body_are_not_found(scenario: Scenario, plan: Plans, field: str) -> None:
    own_shift, foreign_shift = make_shift(plan.own), make_shift(plan.foreign)
    body = booking(own_shift, plan.own.artist)
    body[field] = str(foreign_shift.pk if field == "shift_id" else plan.foreign.artist.pk)

    response = scenario.client("manager").post(ASSIGNMENTS, body, format="json")

    assert field in assert_error(response, 404, "not_found")["fields"]
    assert not Assignment.objects.exists()


# --- Roles and tenancy ---------------------------------------------------------------


@pytest.mark.parametrize("role", WRITE_ROLES)
def test_managers_and_above_book_artists(scenario: Scenario, plan: Plans, role: str) -> None:
    response = scenario.client(role).post(
        ASSIGNMENTS, booking(make_shift(plan.own), plan.own.artist), format="json"
    )

    assert response.status_code == 201, response.content


def test_a_tech_cannot_write_assignments(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    assignment = AssignmentFactory(shift=shift, artist=plan.own.artist)
    tech = scenario.client("tech")
    url = f"{ASSIGNMENTS}/{assignment.pk}"

    denied = [
        tech.post(ASSIGNMENTS, booking(shift, plan.own.other_artist), format="json"),
        tech.patch(url, {"note": "x"}, format="json"),
        tech.delete(url),
        tech.post(f"{url}/status", {"status": "invited"}, format="json"),
        tech.post(f"{url}/lock", format="json"),
        tech.post(f"{url}/unlock", format="json"),
    ]

    for response in denied:
        assert_error(response, 403, "permission_denied")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.note, assignment.locked) == ("proposed", "", False)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_reads_assignments(scenario: Scenario, plan: Plans, role: str) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    client = scenario.client(role)

    assert client.get(ASSIGNMENTS).json()["count"] == 1
    assert client.get(f"{ASSIGNMENTS}/{assignment.pk}").json()["id"] == str(assignment.pk)


def test_anonymous_callers_are_unauthenticated(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    anonymous = scenario.client("anonymous")

    assert_error(anonymous.get(ASSIGNMENTS), 401)
    assert_error(anonymous.get(f"{ASSIGNMENTS}/{assignment.pk}"), 401)
    assert_error(anonymous.post(ASSIGNMENTS, {}, format="json"), 401)
    assert_error(anonymous.post(f"{ASSIGNMENTS}/{assignment.pk}/lock", format="json"), 401)


def test_an_outsider_finds_no_assignment_of_ours(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    outsider = scenario.client("outsider")
    url = f"{ASSIGNMENTS}/{assignment.pk}"

    assert outsider.get(ASSIGNMENTS).json()["count"] == 0
    for response in (
        outsider.get(url),
        outsider.patch(url, {"note": "x"}, format="json"),
        outsider.delete(url),
        outsider.post(f"{url}/status", {"status": "cancelled"}, format="json"),
        outsider.post(f"{url}/lock", format="json"),
        outsider.post(f"{url}/unlock", format="json"),
    ):
        assert_error(response, 404, "not_found")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.locked) == ("proposed", False)


def test_an_outsider_cannot_book_our_artist_on_their_shift(scenario: Scenario, plan: Plans) -> None:
    response = scenario.client("outsider").post(
        ASSIGNMENTS, booking(make_shift(plan.foreign), plan.own.artist), format="json"
    )

    assert "artist_id" in assert_error(response, 404, "not_found")["fields"]


# --- Transitions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ["invited", "accepted"],
        ["invited", "declined"],
        ["cancelled"],
        ["invited", "cancelled"],
        ["invited", "accepted", "cancelled"],
    ],
)
def test_allowed_transitions_are_applied_and_audited(
    scenario: Scenario, plan: Plans, path: list[str]
) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    client = scenario.client("manager")

    for status in path:
        response = client.post(
            f"{ASSIGNMENTS}/{assignment.pk}/status", {"status": status}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["assignment"]["status"] == status

    entries = audit_entries(assignment.pk, "assignment.status")
    assert [(e.before["status"], e.after["status"]) for e in entries] == list(
        zip(["proposed", *path[:-1]], path, strict=True)
    )
    assignment.refresh_from_db()
    assert assignment.status_changed_at is not None


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("proposed", "accepted"),
        ("proposed", "declined"),
        ("proposed", "proposed"),
        ("invited", "proposed"),
        ("accepted", "invited"),
        ("accepted", "declined"),
        ("declined", "accepted"),
        ("declined", "cancelled"),
        ("cancelled", "proposed"),
        ("cancelled", "invited"),
    ],
)
def test_refused_transitions_answer_409(
    scenario: Scenario, plan: Plans, current: str, target: str
) -> None:
    assignment = AssignmentFactory(
        shift=make_shift(plan.own), artist=plan.own.artist, status=current
    )

    response = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{assignment.pk}/status", {"status": target}, format="json"
    )

    assert_error(response, 409, "invalid_transition")
    assignment.refresh_from_db()
    assert assignment.status == current
    assert audit_entries(assignment.pk) == []


# --- Lock, note and other edits ---------------------------------------------------------


def test_lock_and_unlock_are_audited(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    client = scenario.client("manager")
    url = f"{ASSIGNMENTS}/{assignment.pk}"

    locked = client.post(f"{url}/lock", format="json")
    unlocked = client.post(f"{url}/unlock", format="json")

    assert locked.status_code == 200, locked.content
    assert locked.json()["assignment"]["locked"] is True
    assert unlocked.json()["assignment"]["locked"] is False
    lock_entry = audit_entries(assignment.pk, "assignment.lock")[0]
    assert (lock_entry.before["locked"], lock_entry.after["locked"]) == (False, True)
    assert len(audit_entries(assignment.pk, "assignment.unlock")) == 1


def test_patch_sets_the_lock_and_the_note(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)

    response = scenario.client("manager").patch(
        f"{ASSIGNMENTS}/{assignment.pk}", {"locked": True, "note": "Confirmed by phone."}
    )

    assert response.status_code == 200, response.content
    assert response.json()["assignment"]["locked"] is True
    assert response.json()["assignment"]["note"] == "Confirmed by phone."
    assert len(audit_entries(assignment.pk, "assignment.lock")) == 1
    note_entry = audit_entries(assignment.pk, "assignment.update")[0]
    assert (note_entry.before["note"], note_entry.after["note"]) == ("", "Confirmed by phone.")


def test_locking_twice_changes_nothing(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist, locked=True)

    response = scenario.client("manager").post(f"{ASSIGNMENTS}/{assignment.pk}/lock")

    assert response.status_code == 200, response.content
    assert audit_entries(assignment.pk) == []


def test_an_inactive_assignment_cannot_be_locked(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(
        shift=make_shift(plan.own), artist=plan.own.artist, status="cancelled"
    )

    response = scenario.client("manager").post(f"{ASSIGNMENTS}/{assignment.pk}/lock")

    assert_error(response, 409, "assignment_inactive")


@pytest.mark.parametrize("field", ["status", "shift_id", "artist_id"])
def test_patch_refuses_fields_with_their_own_path(
    scenario: Scenario, plan: Plans, field: str
) -> None:
    assignment = AssignmentFactory(shift=make_shift(plan.own), artist=plan.own.artist)
    value = {"status": "accepted", "shift_id": str(assignment.shift_id)}.get(
        field, str(plan.own.other_artist.pk)
    )

    response = scenario.client("manager").patch(
        f"{ASSIGNMENTS}/{assignment.pk}", {field: value}, format="json"
    )

    assert field in assert_error(response, 400, "invalid")["fields"]
    assignment.refresh_from_db()
    assert (assignment.status, assignment.artist_id) == ("proposed", plan.own.artist.pk)


# --- Delete ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["proposed", "declined", "cancelled"])
def test_a_mistaken_assignment_is_deleted_with_audit(
    scenario: Scenario, plan: Plans, status: str
) -> None:
    assignment = AssignmentFactory(
        shift=make_shift(plan.own), artist=plan.own.artist, status=status
    )

    response = scenario.client("manager").delete(f"{ASSIGNMENTS}/{assignment.pk}")

    assert response.status_code == 204, response.content
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert audit_entries(assignment.pk, "assignment.delete")[0].before["status"] == status


def test_an_accepted_assignment_cannot_be_deleted(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(
        shift=make_shift(plan.own), artist=plan.own.artist, status="accepted"
    )

    response = scenario.client("manager").delete(f"{ASSIGNMENTS}/{assignment.pk}")

    assert_error(response, 409, "assignment_accepted")
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert audit_entries(assignment.pk) == []


def test_an_invited_assignment_keeps_its_record(scenario: Scenario, plan: Plans) -> None:
    assignment = AssignmentFactory(
        shift=make_shift(plan.own), artist=plan.own.artist, status="invited"
    )
    InvitationFactory(assignment=assignment)

    response = scenario.client("manager").delete(f"{ASSIGNMENTS}/{assignment.pk}")

    assert_error(response, 409, "assignment_has_invitations")
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- List and filters ----------------------------------------------------------------


def test_filters_by_artist_shift_project_status_lock_source_and_time(
    scenario: Scenario, plan: Plans
) -> None:
    monday, tuesday = make_shift(plan.own, day=0), make_shift(plan.own, day=1)
    ana_monday = AssignmentFactory(shift=monday, artist=plan.own.artist, locked=True)
    bruno_monday = AssignmentFactory(shift=monday, artist=plan.own.other_artist, source="auto")
    ana_tuesday = AssignmentFactory(shift=tuesday, artist=plan.own.artist, status="accepted")
    client = scenario.client("tech")

    def ids(**params: Any) -> set[str]:
        response = client.get(ASSIGNMENTS, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(artist=plan.own.artist.pk) == {str(ana_monday.pk), str(ana_tuesday.pk)}
    assert ids(shift=monday.pk) == {str(ana_monday.pk), str(bruno_monday.pk)}
    assert len(ids(project=plan.own.project.pk)) == 3
    assert ids(status="accepted") == {str(ana_tuesday.pk)}
    assert ids(locked="true") == {str(ana_monday.pk)}
    assert ids(source="auto") == {str(bruno_monday.pk)}
    tuesday_range = {"from": iso(at(1, 0)), "to": iso(at(2, 0))}
    assert ids(**tuesday_range) == {str(ana_tuesday.pk)}


@pytest.mark.parametrize("param", ["artist", "shift", "project"])
def test_foreign_ids_in_filters_are_not_found(scenario: Scenario, plan: Plans, param: str) -> None:
    foreign = {
        "artist": plan.foreign.artist.pk,
        "shift": make_shift(plan.foreign).pk,
        "project": plan.foreign.project.pk,
    }[param]

    response = scenario.client("tech").get(ASSIGNMENTS, {param: foreign})

    assert param in assert_error(response, 404, "not_found")["fields"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_assignment_list_costs_a_fixed_number_of_queries(
    scenario: Scenario, plan: Plans, rows: int, django_assert_num_queries: Any
) -> None:
    for index in range(rows):
        shift = make_shift(plan.own, day=index % 20, hour=6 + index // 20 * 6)
        AssignmentFactory(shift=shift, artist=ArtistFactory(organization=scenario.organization))
    client = scenario.client("tech")
    # 1 user with membership + organization (token authentication, kept for tenancy),
    # 2 page count, 3 the page with shifts and missions joined (for project_id).
    with django_assert_num_queries(3):
        response = client.get(ASSIGNMENTS, {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("earlier_bookings", [1, 12])
def test_a_booking_costs_a_fixed_number_of_queries(
    scenario: Scenario, plan: Plans, earlier_bookings: int, django_assert_num_queries: Any
) -> None:
    for day in range(earlier_bookings):
        AssignmentFactory(shift=make_shift(plan.own, day=day), artist=plan.own.artist)
    shift = make_shift(plan.own, day=earlier_bookings + 1)
    call_command("check_conflicts", fix=True, stdout=StringIO())  # as the writes keep them
    client = scenario.client("manager")
    # 1 user with membership + organization (token, one query), 2 shift_id, 3 artist_id
    # (body fields); 4 savepoint of the service's transaction (the test runs in one), 5 the
    # shift locked, 6 already on this shift?; conflict check: 7 shifts, 8 assignments
    # around, 9 required skills, 10 artists, 11 their skills, 12 availabilities, 13 rule
    # settings; 14-16 savepoint, insert, release (the constraint guard), 17 audit entry; the
    # stored conflicts' upkeep: 18 their state (shared lock), 19 the touched assignments,
    # 20 the stored conflicts naming them, 21 the artist locked, 22 the artist's
    # assignments around, 23 the shift's seats, 24 delete the replaced rows; 25 release.
    # The rule settings, required skills, the artist's facts and the shift are the check's
    # (``selectors.shared_reads``): six queries fewer.
    with django_assert_num_queries(25):
        response = client.post(
            ASSIGNMENTS,
            {"shift_id": str(shift.pk), "artist_id": str(plan.own.artist.pk)},
            format="json",
        )
    assert response.status_code == 201, response.content
