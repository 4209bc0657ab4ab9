"""A small staffed project in the scenario's organization (Europe/Paris) and a foreign twin.

``world.own``: a project with one mission at a venue from 2026-03-23 to 2026-04-05 (the
last weekend of March is the spring daylight-saving change), one role requiring one
skill, three artists with that skill (Ana, linked to the scenario's tech user; Bruno;
Chloé), all with e-mail addresses. ``world.foreign`` is the same in the outsider's
organization, so every test can reach for a foreign id.

``local(day, hour)`` builds instants from Paris wall-clock times, ``shift`` and
``assign`` place rows directly (factories, no rule check), ``invite`` goes through the
service as the manager would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Artist, Skill
from apps.orgs.models import Organization
from apps.planning.models import Assignment, Invitation, Mission, Project, Role, Shift, Venue
from apps.planning.publication.invitations import invitation_create
from tests.conftest import Scenario
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    VenueFactory,
)

PARIS = ZoneInfo("Europe/Paris")
INVITATIONS = "/api/v1/invitations"
PUBLISH = "/api/v1/planning/publish"
PLANNINGS = "/api/v1/plannings"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """Paris wall-clock time on March ``day`` 2026 (days past 31 roll into April)."""
    base = datetime(2026, 3, 1, tzinfo=PARIS) + timedelta(days=day - 1)
    return base.replace(hour=hour, minute=minute)


@dataclass
class Plan:
    organization: Organization
    skill: Skill
    project: Project
    venue: Venue
    role: Role
    mission: Mission
    artists: list[Artist] = field(default_factory=list)

    @property
    def ana(self) -> Artist:
        return self.artists[0]

    @property
    def bruno(self) -> Artist:
        return self.artists[1]

    @property
    def chloe(self) -> Artist:
        return self.artists[2]


def build_plan(organization: Organization, label: str) -> Plan:
    skill = SkillFactory(organization=organization, name=f"rigging-{label}")
    project = ProjectFactory(organization=organization, name=f"Printemps {label}")
    venue = VenueFactory(
        organization=organization, name=f"Olympia {label}", address="28 bd des Capucines"
    )
    role = RoleFactory(organization=organization, name=f"Rigger {label}", required_skills=[skill])
    mission = MissionFactory(
        project=project,
        venue=venue,
        name=f"Concerts {label}",
        start_at=local(23, 0),
        end_at=local(36, 0),
    )
    MissionRoleFactory(mission=mission, role=role, headcount=4)
    names = [("Ana", "Arnaud"), ("Bruno", "Berger"), ("Chloé", "Clément")]
    plan = Plan(organization, skill, project, venue, role, mission)
    for first, last in names:
        plan.artists.append(
            ArtistFactory(
                organization=organization,
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{label}@crew.test",
                skills=[skill],
            )
        )
    return plan


@dataclass
class World:
    own: Plan
    foreign: Plan


@pytest.fixture
def world(scenario: Scenario) -> World:
    own = build_plan(scenario.organization, "own")
    own.ana.user = scenario.tech
    own.ana.save(update_fields=["user"])
    return World(own=own, foreign=build_plan(scenario.outsider_organization, "foreign"))


def make_shift(plan: Plan, start: datetime, hours: float = 5, **fields: Any) -> Shift:
    """A shift lasting ``hours`` of real time (across a clock change too)."""
    fields.setdefault("headcount", 2)
    fields.setdefault("max_headcount", 3)
    fields.setdefault("mission", plan.mission)
    fields.setdefault("role", plan.role)
    return ShiftFactory(  # type: ignore[no-any-return]
        start_at=start,
        end_at=start.astimezone(UTC) + timedelta(hours=hours),
        **fields,
    )


def assign(shift: Shift, artist: Artist, status: str = "proposed") -> Assignment:
    return AssignmentFactory(shift=shift, artist=artist, status=status)  # type: ignore[no-any-return]


def publish_shift(shift: Shift) -> Shift:
    """Mark a draft shift published (no version: the invitation tests need only the status)."""
    if shift.status == "draft":
        Shift.objects.filter(pk=shift.pk).update(status="published", published_at=shift.start_at)
        shift.status = "published"
    return shift


def invite(scenario: Scenario, assignment: Assignment) -> Invitation:
    """Invite through the service (no HTTP) as a manager of the assignment's organization.

    Invitations are for published shifts only: a draft shift is published first.
    """
    publish_shift(assignment.shift)
    if assignment.organization_id == scenario.organization.pk:
        actor, membership = scenario.manager, scenario.memberships["manager"]
    else:
        actor, membership = scenario.outsider, scenario.outsider_membership
    return invitation_create(
        organization=assignment.organization,
        actor=actor,
        membership=membership,
        assignment_id=assignment.pk,
    )


def audit_actions(entity_id: object) -> list[str]:
    entries = AuditEntry.objects.filter(entity_id=str(entity_id)).order_by("timestamp", "id")
    return [entry.action for entry in entries]


def audit_entry(entity_id: object, action: str) -> AuditEntry:
    return AuditEntry.objects.get(entity_id=str(entity_id), action=action)
