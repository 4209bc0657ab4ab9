"""``/api/v1/planning/crew-policy``: the follow-up settings, with the settings' defaults."""

from __future__ import annotations

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import CrewPolicy
from apps.planning.publication import tasks
from tests.conftest import Scenario, assert_error

pytestmark = pytest.mark.django_db
POLICY = "/api/v1/planning/crew-policy"
DEFAULTS = {
    "invitation_reminder_delay_hours": 48,
    "invitation_reminder_max": 2,
    "open_shift_claim_mode": "approval",
}


def test_without_a_row_the_settings_defaults_apply(scenario: Scenario) -> None:
    response = scenario.client("manager").get(POLICY)

    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert not CrewPolicy.objects.exists()


def test_an_admin_changes_the_policy_audited(scenario: Scenario) -> None:
    response = scenario.client("admin").patch(
        POLICY,
        {"invitation_reminder_delay_hours": 24, "open_shift_claim_mode": "instant"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        **DEFAULTS,
        "invitation_reminder_delay_hours": 24,
        "open_shift_claim_mode": "instant",
    }
    policy = CrewPolicy.objects.get(organization=scenario.organization)
    assert policy.invitation_reminder_delay_hours == 24
    entry = AuditEntry.objects.get(action=AuditAction.CREW_POLICY_UPDATE)
    assert entry.actor == scenario.admin
    assert entry.after["open_shift_claim_mode"] == "instant"


def test_bad_values_are_400s_naming_the_field(scenario: Scenario) -> None:
    client = scenario.client("admin")

    body = assert_error(client.patch(POLICY, {"invitation_reminder_max": -1}, format="json"), 400)
    assert "invitation_reminder_max" in body["fields"]  # type: ignore[operator]
    assert_error(client.patch(POLICY, {"open_shift_claim_mode": "first"}, format="json"), 400)
    assert not CrewPolicy.objects.exists()


def test_role_matrix_and_outsider(scenario: Scenario) -> None:
    change = {"invitation_reminder_max": 5}
    assert_error(scenario.client("tech").get(POLICY), 403)
    assert_error(scenario.client("manager").patch(POLICY, change, format="json"), 403)
    assert_error(scenario.client("anonymous").get(POLICY), 401)
    CrewPolicy.objects.create(organization=scenario.organization, invitation_reminder_max=1)
    outsider = scenario.client("outsider").get(POLICY).json()
    assert outsider["invitation_reminder_max"] == 2  # its own organization's defaults
    scenario.client("outsider").patch(POLICY, change, format="json")
    assert CrewPolicy.objects.get(organization=scenario.organization).invitation_reminder_max == 1


def test_the_beat_tasks_run_and_find_nothing_to_send(scenario: Scenario) -> None:
    assert tasks.send_invitation_reminders.apply().get() == 0
    assert tasks.send_manager_digests.apply().get() == 0
    assert tasks.send_shift_reminders.apply().get() == 0
