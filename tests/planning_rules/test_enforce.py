"""``enforce``: who may override which hard conflict, and what the write reports."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.errors import HardConflictError, PermissionDenied
from apps.planning.rules.conflicts import enforce
from tests.conftest import Scenario

SOFT = {"type": "soft", "rule": "weekly_hours", "message": "50 h planned.", "details": {}}
REST = {"type": "hard", "rule": "min_rest", "message": "Only 7 h rest.", "details": {}}
DOUBLE = {"type": "hard", "rule": "double_booking", "message": "Double booking.", "details": {}}


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_admin_overrides_a_hard_rule_with_a_reason(scenario: Scenario, role: str) -> None:
    conflicts: list[dict[str, Any]] = [REST, SOFT]

    kept = enforce(conflicts, membership=scenario.memberships[role], override_reason="Festival")

    assert kept == [REST, SOFT]


def test_a_double_booking_is_refused_even_to_an_admin_with_a_reason(scenario: Scenario) -> None:
    with pytest.raises(HardConflictError) as refused:
        enforce([DOUBLE, REST], membership=scenario.memberships["owner"], override_reason="Sure")

    assert refused.value.conflicts == [DOUBLE, REST]
    assert "never be overridden" in refused.value.message


def test_a_manager_giving_a_reason_is_refused_with_403(scenario: Scenario) -> None:
    with pytest.raises(PermissionDenied) as refused:
        enforce([REST], membership=scenario.memberships["manager"], override_reason="Please")

    assert refused.value.code == "override_not_allowed"
    assert refused.value.status_code == 403


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_hard_conflict_without_a_reason_is_a_409(scenario: Scenario, reason: str | None) -> None:
    with pytest.raises(HardConflictError) as refused:
        enforce([REST, SOFT], membership=scenario.memberships["admin"], override_reason=reason)

    assert refused.value.status_code == 409
    assert refused.value.conflicts == [REST, SOFT]


def test_soft_conflicts_pass_for_any_member(scenario: Scenario) -> None:
    assert enforce([SOFT], membership=scenario.memberships["manager"], override_reason=None) == [
        SOFT
    ]
    assert enforce([], membership=scenario.memberships["tech"], override_reason="") == []
