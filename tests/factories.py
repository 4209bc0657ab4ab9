"""factory-boy factories for every model. Tenant factories share the organization
of their parents unless told otherwise, so a graph built from one factory stays in one
tenant."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist, Availability, Skill, Tag
from apps.orgs.models import MemberRole, Membership, Organization, User
from apps.planning.models import (
    Assignment,
    AutoAssignJob,
    Invitation,
    Mission,
    MissionRole,
    PlanningVersion,
    Project,
    Role,
    RuleSetting,
    Shift,
    ShiftTemplate,
    Venue,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    timezone = "Europe/Paris"
    language = "fr"


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.TECH


class AuditEntryFactory(DjangoModelFactory[AuditEntry]):
    class Meta:
        model = AuditEntry

    organization = factory.SubFactory(OrganizationFactory)
    action = AuditAction.SHIFT_UPDATE
    entity_type = "test.entity"
    entity_id = factory.Faker("uuid4")


class SkillFactory(DjangoModelFactory[Skill]):
    class Meta:
        model = Skill

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"skill-{n}")


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class ArtistFactory(DjangoModelFactory[Artist]):
    class Meta:
        model = Artist
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"artist{n}@example.test")
    day_rate = 250

    @factory.post_generation
    def skills(obj: Artist, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def tags(obj: Artist, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted:
            obj.tags.set(extracted)


class AvailabilityFactory(DjangoModelFactory[Availability]):
    class Meta:
        model = Availability

    artist = factory.SubFactory(ArtistFactory)
    organization = factory.SelfAttribute("artist.organization")
    start_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(days=1))
    kind = "unavailable"
    status = "approved"
    reason = "leave"
    # What the services record when a manager approves (pass None for "never approved").
    first_approved_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == "approved" else None
    )


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Project {n}")
    status = "active"


class VenueFactory(DjangoModelFactory[Venue]):
    class Meta:
        model = Venue

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    city = "Paris"


class RoleFactory(DjangoModelFactory[Role]):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Role {n}")

    @factory.post_generation
    def required_skills(obj: Role, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted:
            obj.required_skills.set(extracted)


class MissionFactory(DjangoModelFactory[Mission]):
    class Meta:
        model = Mission

    project = factory.SubFactory(ProjectFactory)
    organization = factory.SelfAttribute("project.organization")
    venue = factory.SubFactory(VenueFactory, organization=factory.SelfAttribute("..organization"))
    name = factory.Sequence(lambda n: f"Mission {n}")
    start_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + timedelta(days=1)
    )
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(days=30))


class MissionRoleFactory(DjangoModelFactory[MissionRole]):
    class Meta:
        model = MissionRole

    mission = factory.SubFactory(MissionFactory)
    organization = factory.SelfAttribute("mission.organization")
    role = factory.SubFactory(RoleFactory, organization=factory.SelfAttribute("..organization"))
    headcount = 2


class ShiftTemplateFactory(DjangoModelFactory[ShiftTemplate]):
    class Meta:
        model = ShiftTemplate

    organization = factory.SubFactory(OrganizationFactory)
    role = factory.SubFactory(RoleFactory, organization=factory.SelfAttribute("..organization"))
    name = factory.Sequence(lambda n: f"Template {n}")
    start_time = "18:00"
    end_time = "23:30"
    headcount = 2
    max_headcount = 3


class ShiftFactory(DjangoModelFactory[Shift]):
    class Meta:
        model = Shift

    mission = factory.SubFactory(MissionFactory)
    organization = factory.SelfAttribute("mission.organization")
    venue = factory.SelfAttribute("mission.venue")
    role = factory.SubFactory(RoleFactory, organization=factory.SelfAttribute("..organization"))
    start_at = factory.LazyAttribute(lambda o: o.mission.start_at + timedelta(hours=2))
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(hours=6))
    headcount = 2
    max_headcount = 3


class AssignmentFactory(DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment

    shift = factory.SubFactory(ShiftFactory)
    organization = factory.SelfAttribute("shift.organization")
    artist = factory.SubFactory(ArtistFactory, organization=factory.SelfAttribute("..organization"))
    start_at = factory.SelfAttribute("shift.start_at")
    end_at = factory.SelfAttribute("shift.end_at")
    status = "proposed"


class RuleSettingFactory(DjangoModelFactory[RuleSetting]):
    class Meta:
        model = RuleSetting

    organization = factory.SubFactory(OrganizationFactory)
    code = "weekly_hours"
    severity = "soft"
    params = factory.LazyFunction(lambda: {"max_hours": 48})


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    assignment = factory.SubFactory(AssignmentFactory, status="invited")
    organization = factory.SelfAttribute("assignment.organization")
    nonce = factory.Faker("sha1")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class PlanningVersionFactory(DjangoModelFactory[PlanningVersion]):
    class Meta:
        model = PlanningVersion

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: n + 1)
    scope = factory.LazyFunction(dict)
    scope_key = "all"
    published_at = factory.LazyFunction(timezone.now)


class AutoAssignJobFactory(DjangoModelFactory[AutoAssignJob]):
    class Meta:
        model = AutoAssignJob

    organization = factory.SubFactory(OrganizationFactory)
    scope = factory.LazyFunction(dict)


def written_behind_the_services(organization: Organization) -> None:
    """Rows made by factories or ``update()`` skip the services' audit entries, and with
    them the stored conflicts' upkeep and the cache's revisions: bring both up to date, as
    the services would have (``manage.py check_conflicts --fix`` does the same in place)."""
    from apps.core.revisions import bump_organization_revision
    from apps.planning.rules.stored import recompute_organization

    recompute_organization(organization)
    bump_organization_revision(organization.pk)


def timeline_shifts(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The shifts of a timeline payload as objects (the wire has each shift as a list of
    the items ``shift_fields`` names), as the board reads them."""
    fields = payload["shift_fields"]
    return [dict(zip(fields, values, strict=True)) for values in payload["shifts"]]
