"""A small planning in the scenario's organization, built with the factories.

Times are local to the organization (Europe/Paris) in the helpers, as a planner writes
them; the database stores instants.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.crew.models import Artist, Availability, Skill
from apps.orgs.models import Organization
from apps.planning.models import Assignment, Mission, Project, Role, Shift, Venue
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    MissionFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    VenueFactory,
)
from tests.planning_rules.facts import at


@dataclass
class World:
    organization: Organization
    project: Project
    venue: Venue
    mission: Mission
    role: Role
    rigging: Skill

    @classmethod
    def build(cls, organization: Organization) -> World:
        project = ProjectFactory(organization=organization, name="Nuits Sonores", color="#ff6600")
        venue = VenueFactory(organization=organization, name="Transbordeur")
        mission = MissionFactory(
            organization=organization,
            project=project,
            venue=venue,
            start_at=at("2025-03-01 00:00"),
            end_at=at("2025-04-30 00:00"),
        )
        rigging = SkillFactory(organization=organization, name="Rigging")
        role = RoleFactory(organization=organization, name="Rigger", required_skills=[rigging])
        return cls(organization, project, venue, mission, role, rigging)

    def artist(self, *, skilled: bool = True, **kwargs: object) -> Artist:
        skills = [self.rigging] if skilled else []
        return ArtistFactory(organization=self.organization, skills=skills, **kwargs)

    def shift(self, start: str, end: str, **kwargs: object) -> Shift:
        values: dict[str, object] = {
            "organization": self.organization,
            "mission": self.mission,
            "venue": self.venue,
            "role": self.role,
            "start_at": at(start),
            "end_at": at(end),
            "break_minutes": 30,
            **kwargs,
        }
        return ShiftFactory(**values)

    def assign(self, shift: Shift, artist: Artist, status: str = "accepted") -> Assignment:
        return AssignmentFactory(
            organization=self.organization, shift=shift, artist=artist, status=status
        )

    def book(self, artist: Artist, start: str, end: str, **kwargs: object) -> Assignment:
        return self.assign(self.shift(start, end, **kwargs), artist)

    def absence(
        self,
        artist: Artist,
        start: str,
        end: str,
        *,
        status: str = "approved",
        kind: str = "unavailable",
    ) -> Availability:
        return AvailabilityFactory(
            organization=self.organization,
            artist=artist,
            start_at=at(start),
            end_at=at(end),
            status=status,
            kind=kind,
        )
