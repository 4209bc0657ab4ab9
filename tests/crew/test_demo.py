"""seed_crew: a realistic, idempotent demo crew, and a large one for load."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.demo import CREW_SKILLS, crew_skills, seed_crew
from apps.crew.models import Artist, Availability
from apps.orgs.demo import DemoContext, seed_organization


def demo_context(size: str = "normal") -> DemoContext:
    organization, users = seed_organization()
    return DemoContext(organization=organization, users=users, size=size, stdout=None)


def counts(context: DemoContext) -> tuple[int, int, int]:
    organization = context.organization
    return (
        Artist.objects.filter(organization=organization).count(),
        Availability.objects.filter(organization=organization).count(),
        Artist.skills.through.objects.filter(artist__organization=organization).count(),
    )


@pytest.mark.django_db
def test_the_demo_crew_is_realistic_and_a_second_run_creates_nothing() -> None:
    context = demo_context()

    seed_crew(context)
    first = counts(context)
    seed_crew(context)

    assert counts(context) == first
    assert AuditEntry.objects.filter(action=AuditAction.CREW_SEED_DEMO).count() == 1
    artists = list(
        Artist.objects.filter(organization=context.organization).prefetch_related("skills")
    )
    assert len(artists) == 41, "forty artists and the demo tech"
    assert sorted(crew_skills(context.organization)) == sorted(CREW_SKILLS)
    employment = Counter(artist.employment_type for artist in artists)
    assert employment.most_common(1)[0][0] == "intermittent"
    assert employment["intermittent"] > len(artists) / 2
    assert all(a.primary_skill_id in {s.pk for s in a.skills.all()} for a in artists)
    assert any(len(a.skills.all()) > 1 for a in artists), "some have secondary skills"
    assert all(a.day_rate and a.half_day_rate and a.hourly_rate for a in artists)
    assert len({a.email for a in artists}) == len(artists)
    entries = Availability.objects.filter(organization=context.organization)
    assert entries.filter(kind="available").exists()
    assert entries.filter(kind="unavailable", status="approved").exclude(reason="").exists()
    assert entries.filter(status="pending").exists()


@pytest.mark.django_db
def test_the_demo_tech_user_is_one_of_the_artists() -> None:
    context = demo_context()

    seed_crew(context)

    artist = Artist.objects.get(organization=context.organization, user=context.users["tech"])
    assert artist.availabilities.filter(status="pending", requested_by=artist.user).exists()


@pytest.mark.django_db
def test_the_large_crew_has_three_hundred_artists_and_is_fast() -> None:
    context = demo_context()
    seed_crew(context)
    context.size = "large"

    started = time.perf_counter()
    seed_crew(context)
    elapsed = time.perf_counter() - started

    assert counts(context)[0] == 301, "the normal crew is the start of the large one"
    assert elapsed < 5, elapsed
