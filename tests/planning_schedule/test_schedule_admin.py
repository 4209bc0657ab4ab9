"""The back office writes shifts and assignments through the same services as the API.

A refused write (validation, hard conflict, deletion policy) shows an error message and
saves nothing; an accepted one is audited like an API write.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from apps.planning.models import Assignment, Shift
from tests.conftest import Scenario
from tests.factories import AssignmentFactory, RoleFactory
from tests.planning_schedule.conftest import Plans, audit_entries, make_shift

pytestmark = pytest.mark.django_db

SHIFT_ADMIN = "/admin/planning/shift/"
ASSIGNMENT_ADMIN = "/admin/planning/assignment/"
NO_INLINES = {
    "assignments-TOTAL_FORMS": "0",
    "assignments-INITIAL_FORMS": "0",
    "assignments-MIN_NUM_FORMS": "0",
    "assignments-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def back_office(scenario: Scenario) -> Client:
    """The organization's admin, made a superuser of the back office."""
    user = scenario.admin
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(user)
    return client


def shift_form(plan: Plans, **changes: Any) -> dict[str, Any]:
    form = {
        "organization": str(plan.own.organization.pk),
        "mission": str(plan.own.mission.pk),
        "role": str(plan.own.role.pk),
        "template": "",
        "start_at_0": "2030-03-06",
        "start_at_1": "14:00:00",
        "end_at_0": "2030-03-06",
        "end_at_1": "19:00:00",
        "headcount": "2",
        "max_headcount": "3",
        "break_minutes": "0",
        "notes": "",
        "override_reason": "",
        **NO_INLINES,
    }
    form.update(changes)
    return form


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_shift_added_in_the_admin_goes_through_the_service(
    scenario: Scenario, plan: Plans, back_office: Client
) -> None:
    response = back_office.post(f"{SHIFT_ADMIN}add/", shift_form(plan))

    assert response.status_code == 302, response.content[:2000]
    shift = Shift.objects.get()
    assert shift.venue == plan.own.venue
    assert response["Location"].endswith(f"{shift.pk}/change/") or "shift" in response["Location"]
    entry = audit_entries(shift.pk, "shift.create")[0]
    assert entry.actor == scenario.admin


def test_a_refused_shift_shows_the_error_and_saves_nothing(
    scenario: Scenario, plan: Plans, back_office: Client
) -> None:
    unstaffed = RoleFactory(organization=scenario.organization)

    response = back_office.post(
        f"{SHIFT_ADMIN}add/", shift_form(plan, role=str(unstaffed.pk)), follow=True
    )

    assert response.status_code == 200
    assert any("role_id" in text for text in messages_of(response)), messages_of(response)
    assert not Shift.objects.exists()


def test_moving_a_shift_in_the_admin_moves_its_assignments(
    plan: Plans, back_office: Client
) -> None:
    shift = make_shift(plan.own, day=2, hour=14)
    assignment = AssignmentFactory(shift=shift, artist=plan.own.artist)
    form = shift_form(plan, start_at_1="15:00:00", end_at_1="20:00:00")
    form.pop("organization")
    form.update(
        {
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "1",
            "assignments-0-id": str(assignment.pk),
            "assignments-0-shift": str(shift.pk),
        }
    )

    response = back_office.post(f"{SHIFT_ADMIN}{shift.pk}/change/", form)

    assert response.status_code == 302, response.content[:3000]
    assignment.refresh_from_db()
    assert assignment.start_at.hour == 15
    assert len(audit_entries(assignment.pk, "assignment.reschedule")) == 1
    assert len(audit_entries(shift.pk, "shift.update")) == 1


def test_the_cancel_action_cancels_shifts_and_their_assignments(
    plan: Plans, back_office: Client
) -> None:
    shifts = [make_shift(plan.own, day=1), make_shift(plan.own, day=2)]
    assignment = AssignmentFactory(shift=shifts[0], artist=plan.own.artist, status="accepted")

    response = back_office.post(
        SHIFT_ADMIN,
        {"action": "cancel_selected", "_selected_action": [str(s.pk) for s in shifts]},
        follow=True,
    )

    assert response.status_code == 200
    assert set(Shift.objects.values_list("status", flat=True)) == {"cancelled"}
    assignment.refresh_from_db()
    assert assignment.status == "cancelled"
    assert len(audit_entries(assignment.pk, "assignment.status")) == 1
    assert all(len(audit_entries(s.pk, "shift.cancel")) == 1 for s in shifts)


def test_deleting_a_shift_with_accepted_crew_is_refused_in_the_admin(
    plan: Plans, back_office: Client
) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")

    response = back_office.post(f"{SHIFT_ADMIN}{shift.pk}/delete/", {"post": "yes"}, follow=True)

    assert any("cancel the shift instead" in text for text in messages_of(response))
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_bulk_delete_is_not_offered(back_office: Client) -> None:
    for url in (SHIFT_ADMIN, ASSIGNMENT_ADMIN):
        response = back_office.get(url)
        assert response.status_code == 200
        assert b'value="delete_selected"' not in response.content


def test_a_double_booking_added_in_the_admin_is_refused(plan: Plans, back_office: Client) -> None:
    AssignmentFactory(shift=make_shift(plan.own, day=3, hour=8), artist=plan.own.artist)
    overlapping = make_shift(plan.own, day=3, hour=10)
    form = {
        "organization": str(plan.own.organization.pk),
        "shift": str(overlapping.pk),
        "artist": str(plan.own.artist.pk),
        "note": "",
        "override_reason": "Really.",
    }

    response = back_office.post(f"{ASSIGNMENT_ADMIN}add/", form, follow=True)

    assert any("double_booking" in text for text in messages_of(response)), messages_of(response)
    assert not Assignment.objects.filter(shift=overlapping).exists()


def test_an_assignment_added_and_locked_in_the_admin_is_audited(
    plan: Plans, back_office: Client
) -> None:
    shift = make_shift(plan.own, day=3)
    form = {
        "organization": str(plan.own.organization.pk),
        "shift": str(shift.pk),
        "artist": str(plan.own.artist.pk),
        "note": "",
        "override_reason": "",
    }

    added = back_office.post(f"{ASSIGNMENT_ADMIN}add/", form)
    assignment = Assignment.objects.get(shift=shift)
    changed = back_office.post(
        f"{ASSIGNMENT_ADMIN}{assignment.pk}/change/",
        {"locked": "on", "note": "Confirmed.", "override_reason": ""},
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    assignment.refresh_from_db()
    assert (assignment.locked, assignment.note) == (True, "Confirmed.")
    assert len(audit_entries(assignment.pk, "assignment.create")) == 1
    assert len(audit_entries(assignment.pk, "assignment.lock")) == 1
    assert len(audit_entries(assignment.pk, "assignment.update")) == 1


def test_changelists_filter_by_the_planning_dimensions(plan: Plans, back_office: Client) -> None:
    shift = make_shift(plan.own)
    AssignmentFactory(shift=shift, artist=plan.own.artist, locked=True)

    shifts = back_office.get(
        SHIFT_ADMIN,
        {
            "status__exact": "draft",
            "mission__project__id__exact": str(plan.own.project.pk),
            "venue__id__exact": str(plan.own.venue.pk),
            "role__id__exact": str(plan.own.role.pk),
            "start_at__gte": "2030-03-01 00:00:00+00:00",
        },
    )
    assignments = back_office.get(
        ASSIGNMENT_ADMIN,
        {"status__exact": "proposed", "locked__exact": "1", "source__exact": "manual"},
    )

    assert shifts.status_code == 200
    assert shifts.context["cl"].result_count == 1
    assert assignments.status_code == 200
    assert assignments.context["cl"].result_count == 1


def test_staff_see_only_their_organizations_shifts(scenario: Scenario, plan: Plans) -> None:
    own, foreign = make_shift(plan.own), make_shift(plan.foreign)
    manager = scenario.manager
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.add(Permission.objects.get(codename="view_shift"))
    client = Client()
    client.force_login(manager)

    response = client.get(SHIFT_ADMIN)

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [own.pk]
    assert client.get(f"{SHIFT_ADMIN}{foreign.pk}/change/").status_code == 302


def test_deleting_a_shift_in_the_admin_deletes_its_proposals_with_audit(
    plan: Plans, back_office: Client
) -> None:
    shift = make_shift(plan.own)
    proposal = AssignmentFactory(shift=shift, artist=plan.own.artist)

    response = back_office.post(f"{SHIFT_ADMIN}{shift.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert len(audit_entries(proposal.pk, "assignment.delete")) == 1
    assert len(audit_entries(shift.pk, "shift.delete")) == 1
