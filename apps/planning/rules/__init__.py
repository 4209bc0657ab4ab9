"""Labour rules: what a planning may not do (hard) or should not do (soft), and why.

Two layers. The rules themselves are pure domain code, plain frozen dataclasses in and
conflicts out, with no Django (importing this package needs no settings):

- ``facts``: ShiftFact, AssignmentFact, ArtistFact, Window, RuleConfig, Focus, Conflict.
- ``catalog``: the rule catalog, an organization's overrides, validation of a change.
- ``duty``: duty periods (an artist's working days, split shifts and night load-outs
  included), what ``min_rest`` and ``daily_hours`` measure; one definition for the
  checks, the candidate ranking and the auto-assign engine.
- ``messages``: the words of every conflict from its details, in the reader's language.
- ``detect``: one set-based pass of every rule, over ``sweep``, ``windows``, ``hours``,
  ``shifts``; ``wording`` keeps the plain words.

On top, the Django side: ``conflicts`` (start here: it loads rows as facts, calls
``detect``, and ``enforce`` refuses hard conflicts on writes), ``report`` (conflicts as a
reader sees them: named, translated, marked when waived), ``waivers`` (an admin's
overrides, stored and voided), ``selectors`` and ``services`` (an organization's rule
settings), ``api`` and ``urls``. A new rule goes in the catalog and in ``detect``; every
caller (writes, previews, candidates, publication) gets it from ``conflicts``.
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
