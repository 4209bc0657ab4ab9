"""``POST /api/v1/planning/publish``: refusal, versions, snapshot, diff, notifications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment, PlanningVersion, Shift
from tests.conftest import Scenario, assert_error
from tests.factories import AvailabilityFactory, MissionFactory, MissionRoleFactory, VenueFactory
from tests.publication.conftest import PUBLISH, Plan, World, assign, local, make_shift

pytestmark = pytest.mark.django_db


class Staffing:
    """S1 (24 March, Ana accepted, Bruno invited) and S2 (26 March, Chloé accepted)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.s1 = make_shift(plan, local(24, 18))
        self.s2 = make_shift(plan, local(26, 18))
        self.ana_s1 = assign(self.s1, plan.ana, "accepted")
        self.bruno_s1 = assign(self.s1, plan.bruno, "invited")
        self.chloe_s2 = assign(self.s2, plan.chloe, "accepted")


def _publish(scenario: Scenario, capture: Any, body: dict[str, Any], role: str = "manager") -> Any:
    mail.outbox.clear()
    with capture(execute=True):
        return scenario.client(role).post(PUBLISH, body, format="json")


def _project(plan: Plan) -> dict[str, str]:
    return {"project_id": str(plan.project.pk)}


def _move(shift: Shift, hours: int) -> None:
    delta = timedelta(hours=hours)
    Shift.objects.filter(pk=shift.pk).update(
        start_at=shift.start_at + delta, end_at=shift.end_at + delta
    )
    Assignment.objects.filter(shift=shift).update(
        start_at=shift.start_at + delta, end_at=shift.end_at + delta
    )


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def _change_mail(address: str) -> Any:
    """The "your schedule changed" e-mail to ``address`` (invitations have their own)."""
    return next(m for m in mail.outbox if m.to == [address] and "planning a changé" in m.subject)


def _invitation_mail(address: str) -> Any:
    return next(m for m in mail.outbox if m.to == [address] and "à confirmer" in m.subject)


def test_the_first_publication_publishes_drafts_and_freezes_version_1(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    staffing = Staffing(world.own)
    proposed = assign(staffing.s2, world.own.bruno, "proposed")

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["changed"] is True
    version = body["version"]
    assert version["number"] == 1
    assert version["scope"]["project_id"] == str(world.own.project.pk)
    assert version["scope_key"] == f"project={world.own.project.pk}"
    assert version["published_by"] == str(scenario.manager.pk)
    for shift in (staffing.s1, staffing.s2):
        shift.refresh_from_db()
        assert shift.status == "published"
        assert shift.published_at is not None
    shifts = {entry["id"]: entry for entry in version["snapshot"]["shifts"]}
    assert shifts[str(staffing.s1.pk)] == {
        "id": str(staffing.s1.pk),
        "mission": str(world.own.mission.pk),
        "mission_name": "Concerts own",
        "venue": str(world.own.venue.pk),
        "venue_name": "Olympia own",
        "role": str(world.own.role.pk),
        "role_name": "Rigger own",
        "start_at": "2026-03-24T17:00:00Z",
        "end_at": "2026-03-24T22:00:00Z",
        "status": "published",
        "headcount": 2,
    }
    assignments = {entry["id"]: entry for entry in version["snapshot"]["assignments"]}
    assert set(assignments) == {
        str(a.pk) for a in (staffing.ana_s1, staffing.bruno_s1, staffing.chloe_s2, proposed)
    }
    assert assignments[str(staffing.bruno_s1.pk)] == {
        "id": str(staffing.bruno_s1.pk),
        "shift": str(staffing.s1.pk),
        "artist": str(world.own.bruno.pk),
        "artist_name": "Bruno Berger",
        "status": "invited",
    }
    assert len(version["diff"]["shifts"]["added"]) == 2
    assert len(version["diff"]["assignments"]["added"]) == 4
    assert version["summary"] == {
        "shifts": 2,
        "assignments": 4,
        "shifts_published": 2,
        "shifts_added": 2,
        "shifts_removed": 0,
        "shifts_changed": 0,
        "assignments_added": 4,
        "assignments_removed": 0,
        "assignments_changed": 0,
        "artists_changed": 3,
        "artists_notified": 3,
        "invitations_sent": 1,
        "artists_invited": 1,
    }
    entry = AuditEntry.objects.get(action=AuditAction.PLANNING_PUBLISH)
    assert entry.actor == scenario.manager
    assert entry.entity_id == version["id"]
    assert sorted(entry.after["published_shift_ids"]) == sorted(
        [str(staffing.s1.pk), str(staffing.s2.pk)]
    )
    # Everyone visibly booked hears of it; Bruno's proposal on S2 became an invitation,
    # which its own e-mail lists (with its links) rather than the change e-mail.
    assert _recipients() == {a.email for a in world.own.artists}
    assert len(mail.outbox) == 4
    assert _change_mail(world.own.bruno.email).body.count("NOUVEAU") == 1
    assert "/invitations/" in _invitation_mail(world.own.bruno.email).body
    assert Assignment.objects.get(pk=proposed.pk).status == "invited"


def test_a_second_publication_records_what_changed_and_tells_only_those_concerned(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    staffing = Staffing(world.own)
    _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))
    _move(staffing.s1, 1)
    s3 = make_shift(world.own, local(28, 10))
    ana_s3 = assign(s3, world.own.ana, "proposed")
    declined = assign(staffing.s2, world.own.bruno, "declined")

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    assert response.status_code == 201, response.content
    version = response.json()["version"]
    assert version["number"] == 2
    diff = version["diff"]
    assert [e["id"] for e in diff["shifts"]["added"]] == [str(s3.pk)]
    assert diff["shifts"]["removed"] == []
    assert diff["shifts"]["changed"] == [
        {
            "id": str(staffing.s1.pk),
            "changes": {
                "start_at": {"old": "2026-03-24T17:00:00Z", "new": "2026-03-24T18:00:00Z"},
                "end_at": {"old": "2026-03-24T22:00:00Z", "new": "2026-03-24T23:00:00Z"},
            },
        }
    ]
    assert sorted(e["id"] for e in diff["assignments"]["added"]) == sorted(
        [str(ana_s3.pk), str(declined.pk)]
    )
    assert diff["assignments"]["removed"] == []
    assert diff["assignments"]["changed"] == []
    assert version["summary"]["shifts_published"] == 1
    assert version["summary"]["artists_notified"] == 2
    # Ana and Bruno are on the moved shift; Chloé's schedule did not change.
    assert _recipients() == {world.own.ana.email, world.own.bruno.email}
    ana_mail = _change_mail(world.own.ana.email)
    assert "MODIFIÉ — mardi 24 mars 2026, 19:00–00:00" in ana_mail.body
    assert "Début : mardi 24 mars 2026 18:00 → mardi 24 mars 2026 19:00" in ana_mail.body
    # Her proposal on S3 became an invitation: its own e-mail, not the change e-mail.
    assert "samedi 28 mars" not in ana_mail.body
    assert "samedi 28 mars" in _invitation_mail(world.own.ana.email).body


def test_removals_and_status_changes_are_diffed(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    staffing = Staffing(world.own)
    _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))
    Assignment.objects.filter(pk=staffing.chloe_s2.pk).update(status="cancelled")
    Assignment.objects.filter(pk=staffing.bruno_s1.pk).update(status="accepted")

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    diff = response.json()["version"]["diff"]
    assert [e["id"] for e in diff["assignments"]["removed"]] == [str(staffing.chloe_s2.pk)]
    assert diff["assignments"]["changed"] == [
        {
            "id": str(staffing.bruno_s1.pk),
            "changes": {"status": {"old": "invited", "new": "accepted"}},
        }
    ]
    assert diff["shifts"] == {"added": [], "removed": [], "changed": []}
    assert _recipients() == {world.own.bruno.email, world.own.chloe.email}
    chloe_mail = next(m for m in mail.outbox if m.to == [world.own.chloe.email])
    assert "RETIRÉ DE VOTRE PLANNING" in chloe_mail.body


def test_a_cancelled_shift_is_announced_as_cancelled(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    scenario.organization.language = "en"
    scenario.organization.save(update_fields=["language"])
    staffing = Staffing(world.own)
    _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))
    Shift.objects.filter(pk=staffing.s2.pk).update(status="cancelled")

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    changed = response.json()["version"]["diff"]["shifts"]["changed"]
    assert changed == [
        {"id": str(staffing.s2.pk), "changes": {"status": {"old": "published", "new": "cancelled"}}}
    ]
    assert _recipients() == {world.own.chloe.email}
    message = mail.outbox[0]
    assert message.subject == "Les Nuits Sonores: your schedule has changed"
    assert "CANCELLED — Thursday 26 March 2026, 18:00–23:00" in message.body
    assert "Status: published → cancelled" in message.body


def test_publishing_again_without_change_creates_no_version(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Staffing(world.own)
    first = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    again = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    assert again.status_code == 200, again.content
    assert again.json()["changed"] is False
    assert again.json()["version"]["id"] == first.json()["version"]["id"]
    assert PlanningVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.PLANNING_PUBLISH).count() == 1
    assert mail.outbox == []


def test_an_empty_scope_publishes_nothing(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    assert response.status_code == 200
    assert response.json() == {"changed": False, "version": None}
    assert not PlanningVersion.objects.exists()


def test_numbers_run_per_organization_and_diffs_per_scope(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Staffing(world.own)
    _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))
    week = {"from": "2026-03-23T00:00:00+01:00", "to": "2026-03-30T00:00:00+02:00"}

    response = _publish(scenario, django_capture_on_commit_callbacks, week)

    version = response.json()["version"]
    assert version["number"] == 2
    assert version["scope_key"] == "from=2026-03-22T23:00:00Z;to=2026-03-29T22:00:00Z"
    # The range's first version: everything is new to this scope, nothing was published.
    assert version["summary"]["shifts_added"] == 2
    assert version["summary"]["shifts_published"] == 0
    foreign = Staffing(world.foreign).s1
    assert foreign.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client("outsider").post(PUBLISH, _project(world.foreign), format="json")
    assert PlanningVersion.objects.get(organization=scenario.outsider_organization).number == 1


def test_hard_conflicts_in_scope_refuse_the_publication(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    staffing = Staffing(world.own)
    AvailabilityFactory(
        artist=world.own.chloe, start_at=local(26, 12), end_at=local(27, 12), status="approved"
    )

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    body = assert_error(response, 409, "hard_conflict")
    conflicts = body["conflicts"]
    assert {c["rule"] for c in conflicts} == {"absence"}  # type: ignore[union-attr]
    assert all(c["type"] == "hard" for c in conflicts)  # type: ignore[union-attr]
    staffing.s1.refresh_from_db()
    assert staffing.s1.status == "draft"
    assert not PlanningVersion.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.PLANNING_PUBLISH).exists()
    assert mail.outbox == []


def test_a_venue_scope_ignores_conflicts_at_other_venues(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    staffing = Staffing(world.own)
    AvailabilityFactory(
        artist=world.own.chloe, start_at=local(26, 12), end_at=local(27, 12), status="approved"
    )
    other_venue = VenueFactory(organization=scenario.organization, name="Bataclan")
    other = MissionFactory(
        project=world.own.project, venue=other_venue, start_at=local(23, 0), end_at=local(36, 0)
    )
    MissionRoleFactory(mission=other, role=world.own.role)
    elsewhere = make_shift(world.own, local(25, 18), mission=other, venue=other_venue)
    week = {"from": "2026-03-23T00:00:00+01:00", "to": "2026-03-30T00:00:00+02:00"}

    refused = _publish(
        scenario, django_capture_on_commit_callbacks, {**week, "venue_id": str(world.own.venue.pk)}
    )
    allowed = _publish(
        scenario, django_capture_on_commit_callbacks, {**week, "venue_id": str(other_venue.pk)}
    )

    assert_error(refused, 409, "hard_conflict")
    assert allowed.status_code == 201, allowed.content
    assert [e["id"] for e in allowed.json()["version"]["snapshot"]["shifts"]] == [str(elsewhere.pk)]
    staffing.s1.refresh_from_db()
    assert staffing.s1.status == "draft"


# --- Input, roles, tenancy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "project_id"),
        ({"from": "2026-03-23T00:00:00Z"}, "project_id"),
        ({"project_id": "not-a-uuid"}, "project_id"),
        ({"from": "2026-03-24T00:00:00Z", "to": "2026-03-23T00:00:00Z"}, "to"),
        ({"from": "yesterday", "to": "2026-03-23T00:00:00Z"}, "from"),
    ],
)
def test_a_bad_scope_is_a_400_naming_the_field(
    scenario: Scenario, world: World, body: dict[str, Any], field: str
) -> None:
    response = scenario.client("manager").post(PUBLISH, body, format="json")

    fields = assert_error(response, 400, "invalid")["fields"]
    assert field in fields  # type: ignore[operator]


def test_a_project_and_a_range_together_are_refused(scenario: Scenario, world: World) -> None:
    body = {**_project(world.own), "from": "2026-03-23T00:00:00Z", "to": "2026-03-24T00:00:00Z"}

    response = scenario.client("manager").post(PUBLISH, body, format="json")

    assert "project_id" in assert_error(response, 400)["fields"]  # type: ignore[operator]


def test_foreign_ids_in_the_body_are_404s_naming_the_field(
    scenario: Scenario, world: World
) -> None:
    client = scenario.client("manager")
    week = {"from": "2026-03-23T00:00:00Z", "to": "2026-03-30T00:00:00Z"}

    body = assert_error(client.post(PUBLISH, _project(world.foreign), format="json"), 404)
    assert "project_id" in body["fields"]  # type: ignore[operator]
    venue = {**week, "venue_id": str(world.foreign.venue.pk)}
    body = assert_error(client.post(PUBLISH, venue, format="json"), 404)
    assert "venue_id" in body["fields"]  # type: ignore[operator]


def test_technicians_and_anonymous_callers_cannot_publish(scenario: Scenario, world: World) -> None:
    Staffing(world.own)

    assert_error(scenario.client("tech").post(PUBLISH, _project(world.own), format="json"), 403)
    assert_error(
        scenario.client("anonymous").post(PUBLISH, _project(world.own), format="json"), 401
    )
    assert not PlanningVersion.objects.exists()


def test_artists_without_e_mail_are_skipped(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Staffing(world.own)
    world.own.bruno.email = ""
    world.own.bruno.save(update_fields=["email"])

    response = _publish(scenario, django_capture_on_commit_callbacks, _project(world.own))

    summary = response.json()["version"]["summary"]
    assert (summary["artists_changed"], summary["artists_notified"]) == (3, 2)
    assert _recipients() == {world.own.ana.email, world.own.chloe.email}
