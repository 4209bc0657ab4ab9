"""Labour rules: what a planning may not do (hard) or should not do (soft), and why.

Two layers. The rules themselves are pure domain code, plain frozen dataclasses in and
conflicts out, with no Django (importing this package needs no settings):

- ``facts``: ShiftFact, AssignmentFact, ArtistFact, Window, RuleConfig, Focus, Conflict.
- ``catalog``: the rule catalog, an organization's overrides, validation of a change.
- ``detect``: one set-based pass of every rule, over ``sweep``, ``windows``, ``hours``,
  ``shifts``; ``wording`` writes the messages.

On top, the Django side: ``conflicts`` (start here: it loads rows as facts, calls
``detect``, and ``enforce`` refuses hard conflicts on writes), ``selectors`` and
``services`` (an organization's rule settings), ``api`` and ``urls``. A new rule goes in
the catalog and in ``detect``; every caller (writes, previews, the board, publication)
gets it from ``conflicts``.
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
