"""Reads of the crew app: one queryset per list, with its joins and prefetches.

Each list costs a fixed number of queries whatever its length: the rows, plus one
query per prefetched relation.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from apps.crew.models import Artist, Availability, Skill, Tag
from apps.orgs.models import Organization


def artist_list(*, organization: Organization) -> QuerySet[Artist]:
    """Artists with their primary skill joined and their skills and tags prefetched."""
    return (
        Artist.objects.filter(organization=organization)
        .select_related("primary_skill")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("id", "name").order_by("name", "id")),
            Prefetch("tags", queryset=Tag.objects.only("id", "name").order_by("name", "id")),
        )
        .order_by("last_name", "first_name", "id")
    )


def availability_list(*, organization: Organization) -> QuerySet[Availability]:
    """Availabilities in time order, with the artist joined for names and privacy checks."""
    return (
        Availability.objects.filter(organization=organization)
        .select_related("artist")
        .order_by("start_at", "id")
    )


def skill_list(*, organization: Organization) -> QuerySet[Skill]:
    return Skill.objects.filter(organization=organization).order_by("name", "id")


def tag_list(*, organization: Organization) -> QuerySet[Tag]:
    return Tag.objects.filter(organization=organization).order_by("name", "id")


def artist_namesakes(*, artist: Artist) -> list[str]:
    """Ids of the organization's other artists with the same first and last name (any case)."""
    return [
        str(pk)
        for pk in Artist.objects.filter(
            organization_id=artist.organization_id,
            first_name__iexact=artist.first_name.strip(),
            last_name__iexact=artist.last_name.strip(),
        )
        .exclude(pk=artist.pk)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    ]
