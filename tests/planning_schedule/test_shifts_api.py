"""``/api/v1/planning/shifts``: CRUD, validation, tenancy, roles, filters, transitions, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.planning.models import Assignment, Shift
from tests.conftest import Scenario, assert_error
from tests.factories import (
    AssignmentFactory,
    InvitationFactory,
    RoleFactory,
    ShiftTemplateFactory,
    VenueFactory,
)
from tests.planning_schedule.conftest import (
    ALL_ROLES,
    MISSION_END,
    MISSION_START,
    SHIFTS,
    WRITE_ROLES,
    Plans,
    at,
    audit_entries,
    iso,
    make_shift,
)

pytestmark = pytest.mark.django_db


def shift_body(plans: Plans, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "mission_id": str(plans.own.mission.pk),
        "role_id": str(plans.own.role.pk),
        "start_at": iso(at(1, 14)),
        "end_at": iso(at(1, 19)),
        "headcount": 2,
        "max_headcount": 3,
        "notes": "Stage door.",
    }
    body.update(changes)
    return body


# --- Create ---------------------------------------------------------------------------


def test_a_manager_creates_a_draft_shift_at_the_missions_venue(
    scenario: Scenario, plan: Plans
) -> None:
    response = scenario.client("manager").post(SHIFTS, shift_body(plan), format="json")

    assert response.status_code == 201, response.content
    shift = response.json()["shift"]
    assert shift["status"] == "draft"
    assert shift["venue_id"] == str(plan.own.venue.pk)
    assert shift["project_id"] == str(plan.own.project.pk)
    assert shift["mission_id"] == str(plan.own.mission.pk)
    assert (shift["headcount"], shift["max_headcount"], shift["notes"]) == (2, 3, "Stage door.")
    assert response.json()["conflicts"] == []
    entry = audit_entries(shift["id"], "shift.create")[0]
    assert entry.actor == scenario.manager
    assert entry.before is None
    assert entry.after["venue_id"] == str(plan.own.venue.pk)


def test_max_headcount_defaults_to_headcount(scenario: Scenario, plan: Plans) -> None:
    body = shift_body(plan, headcount=4)
    del body["max_headcount"]

    response = scenario.client("manager").post(SHIFTS, body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["shift"]["max_headcount"] == 4


def test_a_shift_may_cross_midnight(scenario: Scenario, plan: Plans) -> None:
    body = shift_body(plan, start_at=iso(at(2, 20)), end_at=iso(at(3, 2)))

    response = scenario.client("manager").post(SHIFTS, body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["shift"]["end_at"] == iso(at(3, 2))


def test_the_missions_venue_may_be_given_explicitly(scenario: Scenario, plan: Plans) -> None:
    body = shift_body(plan, venue_id=str(plan.own.venue.pk))

    response = scenario.client("manager").post(SHIFTS, body, format="json")

    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_at": iso(at(1, 14))}, "end_at"),
        ({"end_at": iso(at(1, 10))}, "end_at"),
        ({"headcount": 4, "max_headcount": 3}, "max_headcount"),
        ({"headcount": 0}, "headcount"),
        ({"break_minutes": -5}, "break_minutes"),
        ({"start_at": iso(MISSION_START - timedelta(hours=1))}, "start_at"),
        ({"end_at": iso(MISSION_END + timedelta(hours=1))}, "end_at"),
        ({"start_at": "tomorrow"}, "start_at"),
        ({"status": "published"}, "status"),
        ({"mission_id": "not-a-uuid"}, "mission_id"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(
    scenario: Scenario, plan: Plans, changes: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(SHIFTS, shift_body(plan, **changes), format="json")

    body = assert_error(response, 400, "invalid")
    assert field in body["fields"], body
    assert not Shift.objects.exists()


@pytest.mark.parametrize("field", ["mission_id", "role_id", "start_at", "end_at"])
def test_a_missing_required_field_is_named(scenario: Scenario, plan: Plans, field: str) -> None:
    body = shift_body(plan)
    del body[field]

    response = scenario.client("manager").post(SHIFTS, body, format="json")

    assert field in assert_error(response, 400, "invalid")["fields"]


def test_a_role_outside_the_staffing_plan_is_refused(scenario: Scenario, plan: Plans) -> None:
    unstaffed = RoleFactory(organization=scenario.organization)

    response = scenario.client("manager").post(
        SHIFTS, shift_body(plan, role_id=str(unstaffed.pk)), format="json"
    )

    assert "role_id" in assert_error(response, 400, "invalid")["fields"]


def test_a_venue_other_than_the_missions_is_refused(scenario: Scenario, plan: Plans) -> None:
    elsewhere = VenueFactory(organization=scenario.organization)

    response = scenario.client("manager").post(
        SHIFTS, shift_body(plan, venue_id=str(elsewhere.pk)), format="json"
    )

    assert "venue_id" in assert_error(response, 400, "invalid")["fields"]


@pytest.mark.parametrize("field", ["mission_id", "role_id", "venue_id", "template_id"])
def test_foreign_ids_in_the_body_are_not_found(scenario: Scenario, plan: Plans, field: str) -> None:
    foreign = {
        "mission_id": plan.foreign.mission.pk,
        "role_id": plan.foreign.role.pk,
        "venue_id": plan.foreign.venue.pk,
        "template_id": ShiftTemplateFactory(organization=scenario.outsider_organization).pk,
    }[field]

    response = scenario.client("manager").post(
        SHIFTS, shift_body(plan, **{field: str(foreign)}), format="json"
    )

    assert field in assert_error(response, 404, "not_found")["fields"]
    assert not Shift.objects.filter(organization=scenario.organization).exists()


# --- Roles and tenancy ---------------------------------------------------------------


@pytest.mark.parametrize("role", WRITE_ROLES)
def test_managers_and_above_create_shifts(scenario: Scenario, plan: Plans, role: str) -> None:
    response = scenario.client(role).post(SHIFTS, shift_body(plan), format="json")

    assert response.status_code == 201, response.content


def test_a_tech_cannot_write_shifts(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    tech = scenario.client("tech")
    url = f"{SHIFTS}/{shift.pk}"

    assert_error(tech.post(SHIFTS, shift_body(plan), format="json"), 403, "permission_denied")
    assert_error(tech.patch(url, {"notes": "x"}, format="json"), 403, "permission_denied")
    assert_error(tech.delete(url), 403, "permission_denied")
    assert_error(tech.post(f"{url}/status", {"status": "published"}, format="json"), 403)
    assert_error(tech.post(f"{url}/cancel", format="json"), 403, "permission_denied")
    shift.refresh_from_db()
    assert (shift.status, shift.notes) == ("draft", "")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_reads_shifts(scenario: Scenario, plan: Plans, role: str) -> None:
    shift = make_shift(plan.own)
    client = scenario.client(role)

    assert client.get(SHIFTS).json()["count"] == 1
    assert client.get(f"{SHIFTS}/{shift.pk}").json()["id"] == str(shift.pk)


def test_anonymous_callers_are_unauthenticated(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    anonymous = scenario.client("anonymous")

    assert_error(anonymous.get(SHIFTS), 401)
    assert_error(anonymous.get(f"{SHIFTS}/{shift.pk}"), 401)
    assert_error(anonymous.post(SHIFTS, shift_body(plan), format="json"), 401)
    assert_error(anonymous.post(f"{SHIFTS}/{shift.pk}/cancel", format="json"), 401)


def test_an_outsider_finds_no_shift_of_ours(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    outsider = scenario.client("outsider")
    url = f"{SHIFTS}/{shift.pk}"

    assert outsider.get(SHIFTS).json()["count"] == 0
    assert_error(outsider.get(url), 404, "not_found")
    assert_error(outsider.patch(url, {"notes": "x"}, format="json"), 404, "not_found")
    assert_error(outsider.delete(url), 404, "not_found")
    assert_error(outsider.post(f"{url}/status", {"status": "published"}, format="json"), 404)
    assert_error(outsider.post(f"{url}/cancel", format="json"), 404, "not_found")
    shift.refresh_from_db()
    assert shift.status == "draft"


# --- List and filters ----------------------------------------------------------------


def test_the_time_range_keeps_overlapping_shifts(scenario: Scenario, plan: Plans) -> None:
    early = make_shift(plan.own, day=0, hour=8)  # 08:00-13:00
    late = make_shift(plan.own, day=0, hour=14)  # 14:00-19:00
    make_shift(plan.own, day=2, hour=8)

    response = scenario.client("tech").get(SHIFTS, {"from": iso(at(0, 12)), "to": iso(at(0, 15))})

    assert [row["id"] for row in response.json()["results"]] == [str(early.pk), str(late.pk)]


def test_filters_by_project_mission_venue_role_and_status(scenario: Scenario, plan: Plans) -> None:
    wanted = make_shift(plan.own)
    other = make_shift(plan.own, day=1)
    other.status = "published"
    other.save()
    client = scenario.client("tech")

    for params in (
        {"project": plan.own.project.pk},
        {"mission": plan.own.mission.pk},
        {"venue": plan.own.venue.pk},
        {"role": plan.own.role.pk},
    ):
        answer = client.get(SHIFTS, params)
        assert answer.json()["count"] == 2, (params, answer.content)
    drafts = client.get(SHIFTS, {"status": "draft"}).json()["results"]
    assert [row["id"] for row in drafts] == [str(wanted.pk)]


@pytest.mark.parametrize("param", ["project", "mission", "venue", "role"])
def test_foreign_ids_in_filters_are_not_found(scenario: Scenario, plan: Plans, param: str) -> None:
    foreign = {
        "project": plan.foreign.project.pk,
        "mission": plan.foreign.mission.pk,
        "venue": plan.foreign.venue.pk,
        "role": plan.foreign.role.pk,
    }[param]

    response = scenario.client("tech").get(SHIFTS, {param: foreign})

    assert param in assert_error(response, 404, "not_found")["fields"]


def test_a_bad_status_filter_is_named(scenario: Scenario, plan: Plans) -> None:
    response = scenario.client("tech").get(SHIFTS, {"status": "sleeping"})

    assert "status" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_shift_list_costs_a_fixed_number_of_queries(
    scenario: Scenario, plan: Plans, rows: int, django_assert_num_queries: Any
) -> None:
    for index in range(rows):
        make_shift(plan.own, day=index % 20, hour=6 + index // 20 * 6)
    client = scenario.client("tech")
    # 1 user with membership + organization (token authentication, kept for tenancy),
    # 2 page count, 3 the page with missions joined (for project_id).
    with django_assert_num_queries(3):
        response = client.get(SHIFTS, {"page_size": 200})
    assert response.json()["count"] == rows


# --- Update ----------------------------------------------------------------------------


def test_editing_a_shift_is_audited_with_before_and_after(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").patch(
        f"{SHIFTS}/{shift.pk}", {"notes": "Bring gloves.", "headcount": 3}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["shift"]["notes"] == "Bring gloves."
    entry = audit_entries(shift.pk, "shift.update")[0]
    assert (entry.before["notes"], entry.after["notes"]) == ("", "Bring gloves.")
    assert (entry.before["headcount"], entry.after["headcount"]) == (2, 3)


def test_patch_validates_the_merged_shift(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)  # 08:00-13:00, capacity 2/3

    client = scenario.client("manager")
    late_start = client.patch(f"{SHIFTS}/{shift.pk}", {"start_at": iso(at(0, 13))}, format="json")
    low_cap = client.patch(f"{SHIFTS}/{shift.pk}", {"max_headcount": 1}, format="json")

    assert "end_at" in assert_error(late_start, 400)["fields"]
    assert "max_headcount" in assert_error(low_cap, 400)["fields"]
    shift.refresh_from_db()
    assert (shift.start_at, shift.max_headcount) == (at(0, 8), 3)


def test_moving_a_shift_moves_its_assignments_with_it(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    accepted = AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")
    declined = AssignmentFactory(shift=shift, artist=plan.own.other_artist, status="declined")

    response = scenario.client("manager").patch(
        f"{SHIFTS}/{shift.pk}",
        {"start_at": iso(at(1, 9)), "end_at": iso(at(1, 15))},
        format="json",
    )

    assert response.status_code == 200, response.content
    for assignment in (accepted, declined):
        assignment.refresh_from_db()
        assert (assignment.start_at, assignment.end_at) == (at(1, 9), at(1, 15))
    entry = audit_entries(accepted.pk, "assignment.reschedule")[0]
    assert entry.before == {"start_at": "2030-03-04T08:00:00Z", "end_at": "2030-03-04T13:00:00Z"}
    assert entry.after == {"start_at": "2030-03-05T09:00:00Z", "end_at": "2030-03-05T15:00:00Z"}


def test_a_move_onto_another_booking_of_its_crew_is_refused(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=0, hour=8)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")
    elsewhere = make_shift(plan.own, day=1, hour=8)
    AssignmentFactory(shift=elsewhere, artist=plan.own.artist, status="proposed")

    response = scenario.client("admin").patch(
        f"{SHIFTS}/{shift.pk}",
        {"start_at": iso(at(1, 9)), "end_at": iso(at(1, 12)), "override_reason": "Urgent."},
        format="json",
    )

    body = assert_error(response, 409, "hard_conflict")
    assert "double_booking" in {c["rule"] for c in body["conflicts"]}
    shift.refresh_from_db()
    assert shift.start_at == at(0, 8)
    assert set(Assignment.objects.filter(shift=shift).values_list("start_at", flat=True)) == {
        at(0, 8)
    }


def test_a_cancelled_shift_cannot_be_edited(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, status="cancelled")

    response = scenario.client("manager").patch(
        f"{SHIFTS}/{shift.pk}", {"notes": "x"}, format="json"
    )

    assert_error(response, 409, "shift_cancelled")


# --- Status and cancellation --------------------------------------------------------------


def test_publishing_a_draft_stamps_it_and_is_audited(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        f"{SHIFTS}/{shift.pk}/status", {"status": "published"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["shift"]["status"] == "published"
    assert response.json()["shift"]["published_at"] is not None
    entry = audit_entries(shift.pk, "shift.status")[0]
    assert (entry.before["status"], entry.after["status"]) == ("draft", "published")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("published", "draft"),
        ("published", "published"),
        ("draft", "draft"),
        ("cancelled", "draft"),
        ("cancelled", "published"),
        ("cancelled", "cancelled"),
    ],
)
def test_refused_shift_transitions_answer_409(
    scenario: Scenario, plan: Plans, current: str, target: str
) -> None:
    shift = make_shift(plan.own, status=current)

    response = scenario.client("manager").post(
        f"{SHIFTS}/{shift.pk}/status", {"status": target}, format="json"
    )

    assert_error(response, 409, "invalid_transition")
    shift.refresh_from_db()
    assert shift.status == current
    assert audit_entries(shift.pk) == []


def test_an_unknown_status_is_named(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        f"{SHIFTS}/{shift.pk}/status", {"status": "postponed"}, format="json"
    )

    assert "status" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize("how", ["cancel", "status"])
def test_cancelling_a_shift_cancels_its_active_assignments(
    scenario: Scenario, plan: Plans, how: str
) -> None:
    shift = make_shift(plan.own, status="published")
    accepted = AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")
    declined = AssignmentFactory(shift=shift, artist=plan.own.other_artist, status="declined")
    client = scenario.client("manager")

    if how == "cancel":
        response = client.post(f"{SHIFTS}/{shift.pk}/cancel", format="json")
    else:
        response = client.post(f"{SHIFTS}/{shift.pk}/status", {"status": "cancelled"})

    assert response.status_code == 200, response.content
    assert response.json() == {"shift": response.json()["shift"], "conflicts": []}
    assert response.json()["shift"]["status"] == "cancelled"
    accepted.refresh_from_db()
    declined.refresh_from_db()
    assert (accepted.status, declined.status) == ("cancelled", "declined")
    entry = audit_entries(accepted.pk, "assignment.status")[0]
    assert (entry.before["status"], entry.after["status"]) == ("accepted", "cancelled")
    assert entry.actor == scenario.manager
    assert audit_entries(declined.pk) == []
    assert len(audit_entries(shift.pk, "shift.cancel")) == 1


def test_a_cancelled_shift_cannot_be_cancelled_again(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, status="cancelled")

    response = scenario.client("manager").post(f"{SHIFTS}/{shift.pk}/cancel", format="json")

    assert_error(response, 409, "invalid_transition")


# --- Delete ------------------------------------------------------------------------------


def test_deleting_a_shift_deletes_its_proposals_with_audit(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    proposal = AssignmentFactory(shift=shift, artist=plan.own.artist, status="proposed")

    response = scenario.client("manager").delete(f"{SHIFTS}/{shift.pk}")

    assert response.status_code == 204, response.content
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert not Assignment.objects.filter(pk=proposal.pk).exists()
    assert audit_entries(shift.pk, "shift.delete")[0].before["id"] == str(shift.pk)
    assert audit_entries(proposal.pk, "assignment.delete")[0].before["status"] == "proposed"


def test_a_shift_with_accepted_assignments_cannot_be_deleted(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")
    AssignmentFactory(shift=shift, artist=plan.own.other_artist, status="proposed")

    response = scenario.client("manager").delete(f"{SHIFTS}/{shift.pk}")

    assert_error(response, 409, "shift_has_accepted_assignments")
    assert Assignment.objects.filter(shift=shift).count() == 2
    assert audit_entries(shift.pk) == []


def test_a_shift_whose_crew_was_invited_cannot_be_deleted(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    invited = AssignmentFactory(shift=shift, artist=plan.own.artist, status="invited")
    InvitationFactory(assignment=invited)

    response = scenario.client("manager").delete(f"{SHIFTS}/{shift.pk}")

    assert_error(response, 409, "shift_has_invitations")
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_a_shift_delete_writes_nothing_when_refused(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")

    with CaptureQueriesContext(connection) as queries:
        scenario.client("manager").delete(f"{SHIFTS}/{shift.pk}")

    assert not any(q["sql"].startswith(("DELETE", "INSERT")) for q in queries.captured_queries)
