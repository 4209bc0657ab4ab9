"""Conflict checks for planning writes: the interface the shift and assignment services use.

The rules themselves are pure domain code in ``apps.planning.rules`` (plain dataclasses,
sort-and-sweep, no ORM). This module loads, in a fixed number of set-based queries, the
facts a check needs (the shifts, the artists' other active assignments around them,
their skills, approved and pending absences, declared windows, the organization's rule
settings) and returns conflicts in the documented shape::

    {"type": "hard" | "soft", "rule": "min_rest", "message": "...",
     "details": {"artist_id": ..., "shift_id": ..., "assignment_id": ..., ...}}

Contract:
- ``ProposedAssignment`` describes an assignment as it would be after the write (new:
  ``id=None``); only active statuses (proposed, invited, accepted) are checked.
- Every function returns only the conflicts that involve what was proposed.
- ``enforce`` raises ``HardConflict`` (409) when a hard conflict remains, unless the
  member is an admin who gave ``override_reason`` and no conflict is ``double_booking``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from apps.orgs.models import Membership, Organization

Conflict = dict[str, Any]


@dataclass(frozen=True)
class ProposedAssignment:
    shift_id: UUID
    artist_id: UUID
    status: str = "proposed"
    id: UUID | None = None


@dataclass(frozen=True)
class ProposedShift:
    """A shift as it would be after the write (new: ``id=None``)."""

    mission_id: UUID
    role_id: UUID
    start_at: datetime
    end_at: datetime
    headcount: int
    max_headcount: int
    break_minutes: int = 0
    status: str = "draft"
    id: UUID | None = None


def conflicts_for_assignments(
    *, organization: Organization, assignments: list[ProposedAssignment]
) -> list[Conflict]:
    """Conflicts the proposed assignments would have (all rules of the catalog)."""
    raise NotImplementedError


def conflicts_for_shift(*, organization: Organization, shift: ProposedShift) -> list[Conflict]:
    """Conflicts of a new or changed shift: its own rules (missing_break, capacity) and
    those of every active assignment it holds, re-checked at the shift's new times."""
    raise NotImplementedError


def conflicts_in_range(
    *,
    organization: Organization,
    start: datetime,
    end: datetime,
    project_id: UUID | None = None,
    artist_id: UUID | None = None,
) -> list[Conflict]:
    """Current conflicts of the active assignments and shifts overlapping the range."""
    raise NotImplementedError


def enforce(
    conflicts: list[Conflict], *, membership: Membership, override_reason: str | None
) -> list[Conflict]:
    """Refuse hard conflicts (``HardConflict``) unless an admin overrides them with a reason.

    Returns the conflicts to report with the written object. ``double_booking`` can never
    be overridden; a non-admin giving a reason is refused with 403.
    """
    raise NotImplementedError
