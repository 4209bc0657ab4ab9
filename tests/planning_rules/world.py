"""A small planning in the scenario's organization, built with the factories.

Times are local to the organization (Europe/Paris) in the helpers, as a planner writes
them; the database stores instants.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from apps.crew.models import Artist, Availability, Skill
from apps.orgs.models import Organization
from apps.planning.models import Assignment, Mission, Project, Role, Shift, Venue
from apps.planning.rules.stored import FRESH, Touched, state_of, upkeep
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
        shift = ShiftFactory(**values)
        self.announce(Touched(shifts={str(shift.pk)}))
        return shift

    def assign(self, shift: Shift, artist: Artist, status: str = "accepted") -> Assignment:
        assignment = AssignmentFactory(
            organization=self.organization, shift=shift, artist=artist, status=status
        )
        self.announce(Touched(assignments={str(assignment.pk)}))
        return assignment

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
        availability = AvailabilityFactory(
            organization=self.organization,
            artist=artist,
            start_at=at(start),
            end_at=at(end),
            status=status,
            kind=kind,
        )
        self.announce(Touched(artists={str(artist.pk)}))
        return availability

    def announce(self, touched: Touched) -> None:
        """Rows written here skip the services: tell the stored conflicts, as a service's
        audit entry would, once something computed them (before that, reads compute)."""
        if state_of(self.organization) == FRESH:
            with transaction.atomic():
                upkeep(self.organization, touched)
