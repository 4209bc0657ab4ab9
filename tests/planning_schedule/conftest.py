"""A staffed mission in the scenario's organization and its twin next door.

``plan.own`` is a project with a mission at a venue (fixed dates in March 2030), whose
staffing plan holds one role requiring one skill, and two artists with that skill;
``plan.foreign`` is the same in the outsider's organization, so every test can reach for
a foreign id in a path, a body or a query string. ``make_shift`` places shifts inside
the mission by day and hour (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Artist, Skill
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, Shift, Venue
from tests.conftest import Scenario
from tests.factories import (
    ArtistFactory,
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    VenueFactory,
)

SHIFTS = "/api/v1/planning/shifts"
ASSIGNMENTS = "/api/v1/planning/assignments"
MISSION_START = datetime(2030, 3, 4, 6, 0, tzinfo=UTC)  # a Monday
MISSION_END = datetime(2030, 3, 24, 22, 0, tzinfo=UTC)
WRITE_ROLES = ("owner", "admin", "manager")
ALL_ROLES = ("owner", "admin", "manager", "tech")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant ``day`` days after the mission's first day, at ``hour`` UTC."""
    return datetime(2030, 3, 4, hour, minute, tzinfo=UTC) + timedelta(days=day)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class PlanSet:
    organization: Organization
    skill: Skill
    project: Project
    venue: Venue
    role: Role
    mission: Mission
    artist: Artist
    other_artist: Artist


def build_plan(organization: Organization, label: str) -> PlanSet:
    skill = SkillFactory(organization=organization, name=f"lighting-{label}")
    project = ProjectFactory(organization=organization, name=f"Tour {label}")
    venue = VenueFactory(organization=organization, name=f"Zénith {label}")
    role = RoleFactory(organization=organization, name=f"Desk {label}", required_skills=[skill])
    mission = MissionFactory(
        project=project,
        venue=venue,
        name=f"Residency {label}",
        start_at=MISSION_START,
        end_at=MISSION_END,
    )
    MissionRoleFactory(mission=mission, role=role, headcount=4)
    artist = ArtistFactory(organization=organization, first_name="Ana", skills=[skill])
    other_artist = ArtistFactory(organization=organization, first_name="Bruno", skills=[skill])
    return PlanSet(organization, skill, project, venue, role, mission, artist, other_artist)


@dataclass
class Plans:
    own: PlanSet
    foreign: PlanSet


@pytest.fixture
def plan(scenario: Scenario) -> Plans:
    return Plans(
        own=build_plan(scenario.organization, "own"),
        foreign=build_plan(scenario.outsider_organization, "foreign"),
    )


def make_shift(
    plan_set: PlanSet, *, day: int = 0, hour: int = 8, hours: float = 5, **fields: Any
) -> Shift:
    """A shift of the plan's mission and role (5 h, no break needed, capacity 2/3)."""
    start = at(day, hour)
    fields.setdefault("headcount", 2)
    fields.setdefault("max_headcount", 3)
    return ShiftFactory(  # type: ignore[no-any-return]
        mission=plan_set.mission,
        role=plan_set.role,
        start_at=start,
        end_at=start + timedelta(hours=hours),
        **fields,
    )


def audit_entries(entity_id: object, action: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(entity_id=str(entity_id)).order_by("timestamp", "id")
    if action is not None:
        entries = entries.filter(action=action)
    return list(entries)


def rules_of(conflicts: list[dict[str, Any]], kind: str | None = None) -> set[str]:
    return {c["rule"] for c in conflicts if kind is None or c["type"] == kind}
