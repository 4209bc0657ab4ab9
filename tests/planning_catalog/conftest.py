"""A small planning catalog in the scenario's organization, and its twin next door.

``catalog`` gives one of each catalog object in the scenario's organization (a project
with a mission at a venue, staffed with a role that requires a skill, and a shift
template for that role) and the same in the outsider's organization, so every test can
reach for a foreign id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Skill
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, ShiftTemplate, Venue
from tests.conftest import Scenario
from tests.factories import (
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftTemplateFactory,
    SkillFactory,
    VenueFactory,
)

WRITE_ROLES = ("owner", "admin", "manager")
ALL_ROLES = ("owner", "admin", "manager", "tech")


@dataclass
class CatalogSet:
    skill: Skill
    project: Project
    venue: Venue
    role: Role
    mission: Mission
    template: ShiftTemplate


def build_catalog(organization: Organization, label: str) -> CatalogSet:
    skill = SkillFactory(organization=organization, name=f"rigging-{label}")
    project = ProjectFactory(organization=organization, name=f"Tour {label}")
    venue = VenueFactory(organization=organization, name=f"Olympia {label}")
    role = RoleFactory(organization=organization, name=f"Rigger {label}", required_skills=[skill])
    mission = MissionFactory(
        project=project,
        venue=venue,
        name=f"Show {label}",
        start_at=datetime(2026, 3, 27, 6, 0, tzinfo=UTC),
        end_at=datetime(2026, 3, 31, 22, 0, tzinfo=UTC),
    )
    MissionRoleFactory(mission=mission, role=role, headcount=4)
    template = ShiftTemplateFactory(
        organization=organization, role=role, name=f"Load-out {label}", start_time="01:00"
    )
    template.end_time = "05:00"
    template.save()
    return CatalogSet(skill, project, venue, role, mission, template)


@dataclass
class Catalogs:
    own: CatalogSet
    foreign: CatalogSet


@pytest.fixture
def catalogs(scenario: Scenario) -> Catalogs:
    return Catalogs(
        own=build_catalog(scenario.organization, "own"),
        foreign=build_catalog(scenario.outsider_organization, "foreign"),
    )


def audit_actions(organization: Organization, entity_id: object) -> list[str]:
    """Actions recorded for one entity, oldest first."""
    entries = AuditEntry.objects.filter(organization=organization, entity_id=str(entity_id))
    return list(entries.order_by("timestamp", "id").values_list("action", flat=True))
