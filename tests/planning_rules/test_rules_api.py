"""``/api/v1/planning/rules``: every member reads the catalog, admins tune it."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import RuleSetting
from tests.conftest import Scenario, assert_error

URL = "/api/v1/planning/rules"


def test_every_member_reads_the_catalog_merged_with_the_settings(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    RuleSetting.objects.create(
        organization=scenario.organization,
        code="weekly_hours",
        severity="hard",
        enabled=True,
        params={"max_hours": 44},
    )

    # 1 the user of the token with the membership and organization (one query), 2 the
    # rule settings.
    with django_assert_num_queries(2):
        response = scenario.client("tech").get(URL)

    assert response.status_code == 200, response.content
    rules = {rule["code"]: rule for rule in response.json()["rules"]}
    assert len(rules) == 11
    assert rules["weekly_hours"] == {
        "code": "weekly_hours",
        "severity": "hard",
        "enabled": True,
        "params": {"max_hours": 44},
        "description": rules["weekly_hours"]["description"],
        "default_severity": "soft",
        "default_params": {"max_hours": 48},
        "is_default": False,
        "locked": False,
    }
    assert rules["min_rest"]["is_default"] is True
    assert rules["double_booking"]["locked"] is True


def test_the_outsider_reads_its_own_organizations_settings(scenario: Scenario) -> None:
    RuleSetting.objects.create(
        organization=scenario.organization, code="min_rest", severity="soft", params={}
    )

    response = scenario.client("outsider").get(f"{URL}/min_rest")

    assert response.status_code == 200
    assert response.json()["severity"] == "hard"


def test_anonymous_is_refused_with_401(scenario: Scenario) -> None:
    assert_error(scenario.client("anonymous").get(URL), 401)
    assert_error(scenario.client("anonymous").put(f"{URL}/min_rest", {}), 401)


def test_an_unknown_rule_is_a_404(scenario: Scenario) -> None:
    assert_error(scenario.client("tech").get(f"{URL}/no_such_rule"), 404, "not_found")
    assert_error(
        scenario.client("admin").put(f"{URL}/no_such_rule", {"enabled": False}), 404, "not_found"
    )


def test_an_admin_tunes_a_rule_and_the_change_is_audited(scenario: Scenario) -> None:
    response = scenario.client("admin").put(
        f"{URL}/min_rest", {"severity": "soft", "params": {"min_rest_hours": 9}}
    )

    assert response.status_code == 200, response.content
    assert response.json()["severity"] == "soft"
    assert response.json()["params"] == {"min_rest_hours": 9}
    assert response.json()["is_default"] is False
    setting = RuleSetting.objects.get(organization=scenario.organization, code="min_rest")
    assert (setting.severity, setting.enabled, setting.params) == (
        "soft",
        True,
        {"min_rest_hours": 9},
    )
    entry = AuditEntry.objects.get(
        organization=scenario.organization, action=AuditAction.RULE_UPDATE
    )
    assert entry.actor == scenario.admin
    assert entry.before == {"severity": "hard", "enabled": True, "params": {"min_rest_hours": 11}}
    assert entry.after == {"severity": "soft", "enabled": True, "params": {"min_rest_hours": 9}}
    assert entry.entity_id == str(setting.pk)


def test_omitted_fields_keep_their_values(scenario: Scenario) -> None:
    client = scenario.client("owner")
    client.put(f"{URL}/missing_break", {"params": {"min_break_minutes": 30}})

    response = client.put(f"{URL}/missing_break", {"enabled": False})

    assert response.json()["enabled"] is False
    assert response.json()["params"] == {"after_hours": 6, "min_break_minutes": 30}
    assert AuditEntry.objects.filter(action=AuditAction.RULE_UPDATE).count() == 2


@pytest.mark.parametrize("role", ["manager", "tech"])
def test_below_admin_a_member_cannot_tune_rules(scenario: Scenario, role: str) -> None:
    response = scenario.client(role).put(f"{URL}/min_rest", {"enabled": False})

    assert_error(response, 403, "permission_denied")
    assert not RuleSetting.objects.exists()


@pytest.mark.parametrize(
    ("code", "body", "field"),
    [
        ("double_booking", {"severity": "soft"}, "severity"),
        ("double_booking", {"enabled": False}, "enabled"),
        ("min_rest", {"severity": "blocking"}, "severity"),
        ("min_rest", {"params": {"min_rest_hours": -1}}, "params.min_rest_hours"),
        ("min_rest", {"params": {"rest": 8}}, "params.rest"),
        ("weekly_hours", {"params": {"max_hours": "lots"}}, "params.max_hours"),
        ("daily_hours", {"enabled": "maybe"}, "enabled"),
        ("daily_hours", {"params": [1, 2]}, "params"),
    ],
)
def test_an_invalid_change_is_a_400_naming_the_field(
    scenario: Scenario, code: str, body: dict[str, Any], field: str
) -> None:
    response = scenario.client("admin").put(f"{URL}/{code}", body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]  # type: ignore[operator]
    assert not AuditEntry.objects.filter(action=AuditAction.RULE_UPDATE).exists()
    assert not RuleSetting.objects.exists()


def test_the_catalog_documents_daily_rest_as_duty_periods(scenario: Scenario) -> None:
    rules = {rule["code"]: rule for rule in scenario.client("tech").get(URL).json()["rules"]}

    rest = rules["min_rest"]["description"]
    assert "duty period" in rest
    assert "24 h minus min_rest_hours" in rest
    assert "15 h 30: refused" in rest
    assert "duty period" in rules["daily_hours"]["description"]


def test_the_schema_shows_a_duty_period_conflict_and_a_waived_one(scenario: Scenario) -> None:
    response = scenario.client("anonymous").get("/api/schema", {"format": "json"})

    assert response.status_code == 200
    text = response.content.decode()
    assert '"span_minutes": 930' in text or '"span_minutes":930' in text
    assert "waived_conflicts" in text
    assert "admin@example.com" in text
    assert "#/components/schemas/Waiver" in text  # conflicts document "waived"
