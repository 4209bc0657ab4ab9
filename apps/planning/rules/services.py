"""Writes of the rule catalog: an organization's tuning of one rule, audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record
from apps.core.errors import NotFound, ValidationFailed
from apps.orgs.models import Organization, User
from apps.planning.models import RuleSetting
from apps.planning.rules import catalog
from apps.planning.rules.facts import RuleConfig
from apps.planning.rules.selectors import rule_get
from apps.planning.rules.waivers import waivers_void_for_rule


def rule_state(config: RuleConfig) -> dict[str, Any]:
    """The audited form of a rule: what an organization can change about it."""
    return {"severity": config.severity, "enabled": config.enabled, "params": dict(config.params)}


@transaction.atomic
def rule_update(
    *,
    organization: Organization,
    actor: User,
    code: str,
    severity: str | None = None,
    enabled: bool | None = None,
    params: Mapping[str, Any] | None = None,
) -> catalog.EffectiveRule:
    """Change a rule's severity, switch or parameters; omitted values stay as they are.

    ``params`` is merged over the rule's current parameters. ``double_booking`` accepts
    only what it already is (hard, enabled). Audited as ``rule.update`` with the rule's
    state before and after, in the same transaction as the row. New parameters void the
    rule's live waivers (the conflicts they covered are measured anew).
    """
    definition = catalog.CATALOG.get(code)
    if definition is None:
        raise NotFound(f"No rule '{code}' in the catalog.")
    errors = catalog.validate_change(definition, severity=severity, enabled=enabled, params=params)
    if errors:
        field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{field}: {messages[0]}", fields=errors)
    setting = _locked_setting(organization, code)
    current = rule_get(organization=organization, code=code).config
    config = RuleConfig(
        code,
        catalog.resolve_severity(severity, current.severity),
        current.enabled if enabled is None else enabled,
        {**current.params, **(params or {})},
    )
    setting.severity, setting.enabled = config.severity, config.enabled
    params_changed = dict(config.params) != dict(current.params)
    setting.params = dict(config.params)
    setting.save()
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.RULE_UPDATE,
        entity=setting,
        before=rule_state(current),
        after=rule_state(config),
    )
    if params_changed:
        waivers_void_for_rule(organization=organization, actor=actor, code=code)
    return catalog.EffectiveRule(definition, config)


def _locked_setting(organization: Organization, code: str) -> RuleSetting:
    """The organization's row for the rule, created at catalog defaults, and locked.

    ``get_or_create`` survives two first changes racing on the unique constraint; the
    lock then serializes their read-modify-write.
    """
    default = catalog.CATALOG[code].default_config()
    setting, _ = RuleSetting.objects.get_or_create(
        organization=organization,
        code=code,
        defaults={
            "severity": default.severity,
            "enabled": default.enabled,
            "params": dict(default.params),
        },
    )
    return RuleSetting.objects.select_for_update().get(pk=setting.pk)
