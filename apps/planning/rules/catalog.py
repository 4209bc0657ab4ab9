"""The catalog of planning rules, and how an organization's tuning applies to it.

Each rule has a code, a default severity, default parameters and a description. An
organization may change a rule's severity, switch it off or change its parameters (a
``RuleSetting`` row); ``double_booking`` is *locked*: always on, always hard, because
PostgreSQL refuses overlapping active assignments anyway and the product promises that no
override ever books someone twice.

Parameters are positive numbers with an upper bound that keeps them meaningful (a daily
rest of at most 16 h, so a duty period may last at least 8 h; a day of at most 24 h) and
keeps the window a check loads around a proposal (eight days each side) sufficient: a
duty period that respects the rule reaches at most 24 h − rest + rest = 24 h beyond a
shift, and one that reaches further breaks the rule within the window anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from apps.planning.rules.facts import RuleConfig, Severity

SEVERITIES: tuple[Severity, ...] = ("hard", "soft")


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A parameter: a number in ``(0, maximum]``, an integer when ``integer``."""

    name: str
    maximum: float
    integer: bool = False
    help: str = ""


@dataclass(frozen=True, slots=True)
class RuleDefinition:
    code: str
    severity: Severity
    description: str
    params: tuple[ParamSpec, ...] = ()
    defaults: Mapping[str, float] | None = None
    enabled: bool = True
    locked: bool = False

    @property
    def default_params(self) -> dict[str, float]:
        return dict(self.defaults or {})

    def default_config(self) -> RuleConfig:
        return RuleConfig(self.code, self.severity, self.enabled, self.default_params)


RULES: tuple[RuleDefinition, ...] = (
    RuleDefinition(
        "double_booking",
        "hard",
        "An artist is in two overlapping active assignments. Always hard, never overridden.",
        locked=True,
    ),
    RuleDefinition(
        "min_rest",
        "hard",
        "Daily rest. An artist's consecutive shifts less than min_rest_hours apart form one "
        "duty period (the gap is a break, not a rest); daily rest is the gap between duty "
        "periods, and a duty period may span at most 24 h minus min_rest_hours (13 h by "
        "default), from the start of its first shift to the end of its last. Get-in "
        "08:00-12:00 and rehearsal 13:00-18:00 are one duty period of 10 h: allowed; get-in "
        "08:00-14:00 and show 18:00-23:30 are one duty period of 15 h 30: refused.",
        (
            ParamSpec(
                "min_rest_hours",
                16,
                help="Minimum daily rest, in hours: shifts closer than this form one duty "
                "period, which spans at most 24 h minus this.",
            ),
        ),
        {"min_rest_hours": 11},
    ),
    RuleDefinition("absence", "hard", "An approved absence of the artist overlaps the shift."),
    RuleDefinition(
        "missing_skill", "hard", "The artist lacks a skill that the shift's role requires."
    ),
    RuleDefinition(
        "capacity_hard",
        "hard",
        "More active assignments on a shift than its maximum head count.",
    ),
    RuleDefinition(
        "weekly_hours",
        "soft",
        "Hours worked in a local week (Monday 00:00 in the organization's zone) above the cap.",
        (ParamSpec("max_hours", 168, help="Maximum hours per local week."),),
        {"max_hours": 48},
    ),
    RuleDefinition(
        "daily_hours",
        "soft",
        "Hours worked in one duty period (see min_rest: the shifts of a working day, even "
        "across midnight), breaks excluded, above the cap.",
        (ParamSpec("max_hours", 24, help="Maximum hours of work per duty period."),),
        {"max_hours": 12},
    ),
    RuleDefinition(
        "outside_availability",
        "soft",
        "The artist declared availability windows and the shift is not inside them.",
    ),
    RuleDefinition(
        "capacity_soft",
        "soft",
        "More active assignments on a shift than its target head count.",
    ),
    RuleDefinition(
        "missing_break",
        "soft",
        "A long shift without its break.",
        (
            ParamSpec("after_hours", 24, help="Shifts longer than this need a break (hours)."),
            ParamSpec("min_break_minutes", 240, integer=True, help="Minimum break, minutes."),
        ),
        {"after_hours": 6, "min_break_minutes": 20},
    ),
    RuleDefinition(
        "pending_absence",
        "soft",
        "An absence request still pending overlaps the shift.",
    ),
)

CATALOG: dict[str, RuleDefinition] = {rule.code: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.code: index for index, rule in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """An organization's stored tuning of one rule (a ``RuleSetting`` row)."""

    code: str
    severity: str
    enabled: bool
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EffectiveRule:
    """A catalog entry as an organization runs it, for the rules API."""

    definition: RuleDefinition
    config: RuleConfig

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def is_default(self) -> bool:
        return self.config == self.definition.default_config()


def resolve(overrides: Iterable[RuleOverride]) -> dict[str, RuleConfig]:
    """Every rule's configuration: defaults, then the organization's overrides.

    Rows written by another path (the admin, an old release) are read defensively: an
    unknown code or parameter is ignored and an invalid value falls back to the default,
    so a bad row can weaken a check but never crash one.
    """
    configs = {rule.code: rule.default_config() for rule in RULES}
    for override in overrides:
        definition = CATALOG.get(override.code)
        if definition is None or definition.locked:
            continue
        severity = resolve_severity(override.severity, definition.severity)
        params = definition.default_params
        for spec in definition.params:
            value = (override.params or {}).get(spec.name)
            if value is not None and not _param_errors(spec, value):
                params[spec.name] = value
        configs[definition.code] = RuleConfig(
            definition.code, severity, bool(override.enabled), params
        )
    return configs


def enabled(rules: Mapping[str, RuleConfig], code: str) -> RuleConfig | None:
    """The rule's configuration when the organization runs it, else ``None``."""
    config = rules.get(code) or CATALOG[code].default_config()
    return config if config.enabled or CATALOG[code].locked else None


def effective_rules(overrides: Iterable[RuleOverride]) -> list[EffectiveRule]:
    configs = resolve(overrides)
    return [EffectiveRule(rule, configs[rule.code]) for rule in RULES]


def validate_change(
    definition: RuleDefinition,
    *,
    severity: str | None,
    enabled: bool | None,
    params: Mapping[str, Any] | None,
) -> dict[str, list[str]]:
    """Field errors of a requested change (empty when valid), named as the API fields."""
    errors: dict[str, list[str]] = {}
    if severity is not None and severity not in SEVERITIES:
        errors["severity"] = ["Must be 'hard' or 'soft'."]
    if definition.locked:
        if severity is not None and severity != definition.severity:
            errors["severity"] = [f"{definition.code} is always {definition.severity}."]
        if enabled is False:
            errors["enabled"] = [f"{definition.code} cannot be disabled."]
    for name, value in (params or {}).items():
        spec = next((spec for spec in definition.params if spec.name == name), None)
        if spec is None:
            known = ", ".join(spec.name for spec in definition.params) or "none"
            errors[f"params.{name}"] = [f"Unknown parameter (known: {known})."]
            continue
        messages = _param_errors(spec, value)
        if messages:
            errors[f"params.{name}"] = messages
    return errors


def resolve_severity(value: str | None, default: Severity) -> Severity:
    """``value`` when it is a severity, else ``default``."""
    if value == "hard":
        return "hard"
    if value == "soft":
        return "soft"
    return default


def _param_errors(spec: ParamSpec, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ["Must be a number."]
    if spec.integer and not float(value).is_integer():
        return ["Must be a whole number."]
    if not 0 < value <= spec.maximum:
        return [f"Must be positive and at most {spec.maximum:g}."]
    return []
