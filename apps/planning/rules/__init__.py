"""The planning rules as pure domain code: plain frozen dataclasses in, conflicts out.

No Django here (the package must stay importable and testable without settings):
``apps.planning.rules.conflicts`` turns rows into facts and calls ``detect``.

- ``facts``: ShiftFact, AssignmentFact, ArtistFact, Window, RuleConfig, Focus, Conflict.
- ``catalog``: the rule catalog, an organization's overrides, validation of a change.
- ``detect``: one set-based pass of every rule.
"""

from apps.planning.rules.catalog import CATALOG, RULES, RuleDefinition, RuleOverride, resolve
from apps.planning.rules.detect import detect
from apps.planning.rules.facts import (
    ArtistFact,
    AssignmentFact,
    Conflict,
    Focus,
    NewRef,
    PlanningFacts,
    RuleConfig,
    ShiftFact,
    Window,
)

__all__ = [
    "CATALOG",
    "RULES",
    "ArtistFact",
    "AssignmentFact",
    "Conflict",
    "Focus",
    "NewRef",
    "PlanningFacts",
    "RuleConfig",
    "RuleDefinition",
    "RuleOverride",
    "ShiftFact",
    "Window",
    "detect",
    "resolve",
]
