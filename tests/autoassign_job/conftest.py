"""A small planning to auto-assign: one project, one mission, shifts needing one skill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.crew.models import Artist, Skill
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, Shift
from tests.conftest import Scenario
from tests.factories import (
    ArtistFactory,
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
)


@dataclass
class Planning:
    organization: Organization
    skill: Skill
    role: Role
    project: Project
    mission: Mission
    shifts: list[Shift] = field(default_factory=list)
    artists: list[Artist] = field(default_factory=list)


def monday_in_two_weeks() -> datetime:
    """A Monday 00:00 UTC in the future, so that shifts never start in the past."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=14 - today.weekday())


def make_planning(
    organization: Organization,
    *,
    shifts: int = 3,
    artists: int = 4,
    headcount: int = 2,
    start: datetime | None = None,
) -> Planning:
    """``shifts`` evening shifts on consecutive days (18:00-23:00 UTC) and skilled artists."""
    first_day = start or monday_in_two_weeks()
    skill = Skill.objects.filter(organization=organization, name="light").first()
    skill = skill or SkillFactory(organization=organization, name="light")
    role = Role.objects.filter(organization=organization, name="Lighting desk").first()
    role = role or RoleFactory(
        organization=organization, name="Lighting desk", required_skills=[skill]
    )
    project = ProjectFactory(organization=organization)
    mission = MissionFactory(
        project=project,
        start_at=first_day,
        end_at=first_day + timedelta(days=max(shifts, 1) + 1),
    )
    MissionRoleFactory(mission=mission, role=role, headcount=headcount)
    planning = Planning(organization, skill, role, project, mission)
    for day in range(shifts):
        begin = first_day + timedelta(days=day, hours=18)
        planning.shifts.append(
            ShiftFactory(
                mission=mission,
                role=role,
                start_at=begin,
                end_at=begin + timedelta(hours=5),
                headcount=headcount,
                max_headcount=headcount,
            )
        )
    for _ in range(artists):
        planning.artists.append(ArtistFactory(organization=organization, skills=[skill]))
    return planning


@pytest.fixture
def planning(scenario: Scenario) -> Planning:
    return make_planning(scenario.organization)
