"""The catalog and an organization's tuning of it (pure)."""

from __future__ import annotations

import pytest

from apps.planning.rules import catalog


def test_the_catalog_holds_every_rule_of_the_design_with_its_defaults() -> None:
    expected = {
        "double_booking": ("hard", {}),
        "min_rest": ("hard", {"min_rest_hours": 11}),
        "absence": ("hard", {}),
        "missing_skill": ("hard", {}),
        "capacity_hard": ("hard", {}),
        "weekly_hours": ("soft", {"max_hours": 48}),
        "daily_hours": ("soft", {"max_hours": 12}),
        "outside_availability": ("soft", {}),
        "capacity_soft": ("soft", {}),
        "missing_break": ("soft", {"after_hours": 6, "min_break_minutes": 20}),
        "pending_absence": ("soft", {}),
    }
    actual = {rule.code: (rule.severity, rule.default_params) for rule in catalog.RULES}
    assert actual == expected
    assert all(rule.enabled and rule.description for rule in catalog.RULES)
    assert [rule.code for rule in catalog.RULES if rule.locked] == ["double_booking"]


def test_overrides_replace_defaults_and_bad_stored_values_fall_back() -> None:
    configs = catalog.resolve(
        [
            catalog.RuleOverride("weekly_hours", "hard", True, {"max_hours": 40}),
            catalog.RuleOverride("min_rest", "loud", False, {"min_rest_hours": -3, "x": 1}),
            catalog.RuleOverride("no_such_rule", "hard", True, {}),
        ]
    )

    assert configs["weekly_hours"].severity == "hard"
    assert configs["weekly_hours"].params == {"max_hours": 40}
    assert configs["min_rest"].severity == "hard"
    assert configs["min_rest"].enabled is False
    assert configs["min_rest"].params == {"min_rest_hours": 11}
    assert "no_such_rule" not in configs


def test_effective_rules_tell_whether_they_are_the_catalog_defaults() -> None:
    rules = catalog.effective_rules(
        [
            catalog.RuleOverride("daily_hours", "soft", True, {"max_hours": 12}),
            catalog.RuleOverride("absence", "soft", True, {}),
        ]
    )
    by_code = {rule.code: rule for rule in rules}

    assert by_code["daily_hours"].is_default
    assert not by_code["absence"].is_default
    assert [rule.code for rule in rules] == [rule.code for rule in catalog.RULES]


@pytest.mark.parametrize(
    ("code", "change", "field"),
    [
        ("double_booking", {"severity": "soft"}, "severity"),
        ("double_booking", {"enabled": False}, "enabled"),
        ("min_rest", {"severity": "blocking"}, "severity"),
        ("min_rest", {"params": {"min_rest": 11}}, "params.min_rest"),
        ("min_rest", {"params": {"min_rest_hours": 0}}, "params.min_rest_hours"),
        ("min_rest", {"params": {"min_rest_hours": "11"}}, "params.min_rest_hours"),
        ("min_rest", {"params": {"min_rest_hours": True}}, "params.min_rest_hours"),
        ("weekly_hours", {"params": {"max_hours": 169}}, "params.max_hours"),
        ("missing_break", {"params": {"min_break_minutes": 12.5}}, "params.min_break_minutes"),
        ("absence", {"params": {"max_hours": 3}}, "params.max_hours"),
    ],
)
def test_a_change_is_refused_naming_the_field(
    code: str, change: dict[str, object], field: str
) -> None:
    errors = catalog.validate_change(
        catalog.CATALOG[code],
        severity=change.get("severity"),  # type: ignore[arg-type]
        enabled=change.get("enabled"),  # type: ignore[arg-type]
        params=change.get("params"),  # type: ignore[arg-type]
    )
    assert list(errors) == [field]


def test_a_valid_change_has_no_errors() -> None:
    errors = catalog.validate_change(
        catalog.CATALOG["missing_break"],
        severity="hard",
        enabled=False,
        params={"after_hours": 5.5, "min_break_minutes": 30},
    )
    assert errors == {}
    assert (
        catalog.validate_change(
            catalog.CATALOG["double_booking"], severity="hard", enabled=True, params=None
        )
        == {}
    )
