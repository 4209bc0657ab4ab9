"""``POST /api/v1/planning/shifts/copy``: shifts copied some days later or earlier, as drafts
to staff; ``/copy/preview`` answers what the copy would do and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils.dateparse import parse_datetime

from apps.audit.models import AuditEntry
from apps.core.revisions import organization_revision, scope_revision
from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import SHIFTS, Plans, audit_entries, make_shift

pytestmark = pytest.mark.django_db
URL = f"{SHIFTS}/copy"
PREVIEW = f"{URL}/preview"


def test_a_week_is_copied_to_the_next_as_drafts_without_crew(
    scenario: Scenario, plan: Plans
) -> None:
    first = make_shift(plan.own, day=0, hour=8, status="published")
    second = make_shift(plan.own, day=1, hour=14)
    AssignmentFactory(shift=first, status="accepted")

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(first.pk), str(second.pk)], "days": 7}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skipped"] == []
    copies = Shift.objects.filter(pk__in=body["created"]).order_by("start_at")
    assert [c.start_at for c in copies] == [
        first.start_at + timedelta(days=7),
        second.start_at + timedelta(days=7),
    ]
    assert {c.status for c in copies} == {"draft"}
    assert all(not c.assignments.exists() for c in copies)
    assert len(audit_entries(copies[0].pk, "shift.create")) == 1


def test_a_copy_outside_its_mission_is_skipped_with_the_reason(
    scenario: Scenario, plan: Plans
) -> None:
    late = make_shift(plan.own, day=18, hour=8)  # the mission ends on day 20
    early = make_shift(plan.own, day=0, hour=8)

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(late.pk), str(early.pk)], "days": 7}, format="json"
    )

    body = response.json()
    assert len(body["created"]) == 1
    assert body["skipped"] == [
        {
            "shift_id": str(late.pk),
            "code": "invalid",
            "reason": "must not be after the mission ends.",
        }
    ]


def test_a_copy_keeps_the_wall_clock_time_across_a_daylight_saving_change(
    scenario: Scenario, plan: Plans
) -> None:
    mission = plan.own.mission
    mission.end_at = datetime(2030, 4, 30, tzinfo=UTC)
    mission.save(update_fields=["end_at"])
    # Monday 25 March 2030, 18:00 in Paris (UTC+1); the clocks go forward on the 31st.
    shift = make_shift(plan.own, day=21, hour=17)

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(shift.pk)], "days": 7}, format="json"
    )

    copy = Shift.objects.get(pk=response.json()["created"][0])
    assert copy.start_at == shift.start_at + timedelta(days=7, hours=-1)  # 18:00 CEST


def test_a_tech_cannot_copy_and_an_outsiders_ids_are_refused(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own)
    foreign = make_shift(plan.foreign)

    body = {"shift_ids": [str(shift.pk)]}
    assert_error(scenario.client("tech").post(URL, body, format="json"), 403)
    assert_error(scenario.client("outsider").post(URL, body, format="json"), 404, "not_found")
    mixed = {"shift_ids": [str(shift.pk), str(foreign.pk)]}
    assert_error(scenario.client("manager").post(URL, mixed, format="json"), 404, "not_found")
    assert Shift.objects.count() == 2


def test_an_empty_selection_is_refused_naming_the_field(scenario: Scenario, plan: Plans) -> None:
    make_shift(plan.own)

    response = scenario.client("manager").post(URL, {"shift_ids": []}, format="json")

    assert "shift_ids" in assert_error(response, 400)["fields"]
    assert Shift.objects.count() == 1


def test_an_earlier_copy_keeps_the_wall_clock_time_across_a_daylight_saving_change(
    scenario: Scenario, plan: Plans
) -> None:
    mission = plan.own.mission
    mission.end_at = datetime(2030, 4, 30, tzinfo=UTC)
    mission.save(update_fields=["end_at"])
    # Monday 1 April 2030, 18:00 in Paris (UTC+2); a week earlier the clocks were at UTC+1.
    shift = make_shift(plan.own, day=28, hour=16)

    response = scenario.client("manager").post(
        URL, {"shift_ids": [str(shift.pk)], "days": -7}, format="json"
    )

    assert response.status_code == 201, response.content
    copy = Shift.objects.get(pk=response.json()["created"][0])
    assert copy.start_at == shift.start_at - timedelta(days=7, hours=-1)  # 18:00 CET
    assert copy.end_at == shift.end_at - timedelta(days=7, hours=-1)
    assert copy.status == "draft"


@pytest.mark.parametrize("url", [URL, PREVIEW])
def test_zero_days_is_refused_naming_days(scenario: Scenario, plan: Plans, url: str) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        url, {"shift_ids": [str(shift.pk)], "days": 0}, format="json"
    )

    fields = assert_error(response, 400)["fields"]
    assert "Must not be 0" in fields["days"][0]  # type: ignore[index]
    assert Shift.objects.count() == 1


def _copies(body: dict[str, Any]) -> list[tuple[datetime | None, datetime | None]]:
    return [(parse_datetime(c["start_at"]), parse_datetime(c["end_at"])) for c in body["created"]]


def test_the_preview_answers_what_the_copy_then_does_and_writes_nothing(
    scenario: Scenario, plan: Plans, django_capture_on_commit_callbacks: Any
) -> None:
    first = make_shift(plan.own, day=0, hour=8)  # a week earlier is before the mission
    late = make_shift(plan.own, day=18, hour=8)
    later = make_shift(plan.own, day=19, hour=14)
    body = {"shift_ids": [str(later.pk), str(first.pk), str(late.pk)], "days": -7}
    client = scenario.client("manager")
    organization_id = scenario.organization.pk
    revisions = (organization_revision(organization_id), scope_revision(organization_id))
    shifts, entries = Shift.objects.count(), AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(PREVIEW, body, format="json")

    assert response.status_code == 200, response.content
    preview = response.json()
    assert [c["shift_id"] for c in preview["created"]] == [str(late.pk), str(later.pk)]
    assert _copies(preview) == [
        (late.start_at - timedelta(days=7), late.end_at - timedelta(days=7)),
        (later.start_at - timedelta(days=7), later.end_at - timedelta(days=7)),
    ]
    assert preview["skipped"] == [
        {
            "shift_id": str(first.pk),
            "code": "invalid",
            "reason": "must not be before the mission starts.",
        }
    ]
    # Nothing written, nothing left to run after the commit, no cache made stale.
    assert (Shift.objects.count(), AuditEntry.objects.count()) == (shifts, entries)
    assert callbacks == []
    assert (organization_revision(organization_id), scope_revision(organization_id)) == revisions

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        copied = client.post(URL, body, format="json").json()

    assert callbacks  # the copy does bump the revisions the preview left alone
    assert organization_revision(organization_id) != revisions[0]
    assert copied["skipped"] == preview["skipped"]
    copies = Shift.objects.filter(pk__in=copied["created"]).order_by("start_at")
    assert [(c.start_at, c.end_at) for c in copies] == _copies(preview)
    assert AuditEntry.objects.count() == entries + 2


def test_a_preview_of_another_organizations_shift_is_a_404(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own)
    foreign = make_shift(plan.foreign)

    mixed = {"shift_ids": [str(shift.pk), str(foreign.pk)], "days": -1}
    assert_error(scenario.client("manager").post(PREVIEW, mixed, format="json"), 404, "not_found")
    own = {"shift_ids": [str(shift.pk)], "days": -1}
    assert_error(scenario.client("outsider").post(PREVIEW, own, format="json"), 404, "not_found")


def test_a_tech_cannot_preview_a_copy(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)

    body = {"shift_ids": [str(shift.pk)], "days": -1}
    assert_error(scenario.client("tech").post(PREVIEW, body, format="json"), 403)
    assert scenario.client("manager").post(PREVIEW, body, format="json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"shift_ids": [], "days": 7}, "shift_ids"),
        ({"shift_ids": None}, "shift_ids"),
        ({"shift_ids": ["not-a-uuid"]}, "shift_ids"),
        ({"days": "soon"}, "days"),
        ({"days": 367}, "days"),
        ({"days": -367}, "days"),
        ({"days": 10**30}, "days"),
        ({"days": 1.5}, "days"),
        ({"shift_ids": ["\u0000"]}, "shift_ids"),
    ],
)
def test_a_bad_preview_body_is_refused_naming_the_field(
    scenario: Scenario, plan: Plans, body: dict[str, Any], field: str
) -> None:
    shift = make_shift(plan.own)

    response = scenario.client("manager").post(
        PREVIEW, {"shift_ids": [str(shift.pk)], **body}, format="json"
    )

    assert field in assert_error(response, 400)["fields"]  # type: ignore[operator]
