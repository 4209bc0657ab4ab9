"""The planning rules as pure domain code: plain frozen dataclasses in, conflicts out.

No Django here (the package must stay importable and testable without settings):
``apps.planning.conflicts`` turns rows into facts and calls ``detect``.

- ``facts``: ShiftFact, AssignmentFact, ArtistFact, Window, RuleConfig, Focus, Conflict.
- ``catalog``: the rule catalog, an organization's overrides, validation of a change.
- ``duty``: duty periods (an artist's working days, split shifts and night load-outs
  included), what ``min_rest`` and ``daily_hours`` measure; one definition for the
  checks, the candidate ranking and the auto-assign engine.
- ``messages``: the words of every conflict from its details, in the reader's language.
- ``detect``: one set-based pass of every rule.
"""

from apps.planning.rules.catalog import CATALOG, RULES, RuleDefinition, RuleOverride, resolve
from apps.planning.rules.detect import detect
from apps.planning.rules.duty import DutyPeriod, duty_periods, max_span, min_rest_of
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
    "DutyPeriod",
    "Focus",
    "NewRef",
    "PlanningFacts",
    "RuleConfig",
    "RuleDefinition",
    "RuleOverride",
    "ShiftFact",
    "Window",
    "detect",
    "duty_periods",
    "max_span",
    "min_rest_of",
    "resolve",
]
