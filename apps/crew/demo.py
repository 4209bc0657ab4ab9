"""Demo crew for ``seed_demo``: skills, tags, about forty artists (300 when large).

Idempotent: artists are keyed by e-mail, catalog items by name, and availabilities are
only created with their artist, so a second run creates nothing. The artists come from a
seeded generator, so the normal crew is the first forty of the large one. Rows are
bulk-created (300 artists in well under a second) and one audit entry sums the run up.

The planning seed finds the skills by name: ``CREW_SKILLS`` (defined in ``demo_data``,
re-exported here) is stable, and ``crew_skills(organization)`` maps each name to its row.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import record
from apps.crew.demo_data import (
    CREW_SKILLS,
    CREW_TAGS,
    DAY_RATES,
    EMAIL_DOMAIN,
    EMPLOYMENT_WEIGHTS,
    FIRST_NAMES,
    LARGE_SIZE,
    LAST_NAMES,
    NORMAL_SIZE,
    PRIMARY_WEIGHTS,
    SECONDARY,
    SKILL_DESCRIPTIONS,
)
from apps.crew.models import (
    AbsenceReason,
    Artist,
    Availability,
    AvailabilityKind,
    AvailabilityStatus,
    EmploymentType,
    Skill,
    Tag,
)
from apps.orgs.demo import DemoContext
from apps.orgs.models import Organization, User

__all__ = ["CREW_SKILLS", "artist_specs", "crew_skills", "seed_crew"]


@dataclass(frozen=True)
class ArtistSpec:
    index: int
    first_name: str
    last_name: str
    email: str
    phone: str
    employment_type: str
    primary: str
    secondary: tuple[str, ...]
    tags: tuple[str, ...]
    day_rate: int


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("'", "")


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spec(rng: random.Random, index: int, taken: set[str]) -> ArtistSpec:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{_ascii(first)}.{_ascii(last)}@{EMAIL_DOMAIN}"
    if email in taken:
        email = f"{_ascii(first)}.{_ascii(last)}.{index}@{EMAIL_DOMAIN}"
    taken.add(email)
    primary = _pick(rng, PRIMARY_WEIGHTS)
    secondary = tuple(rng.sample(SECONDARY[primary], k=rng.randint(0, len(SECONDARY[primary]))))
    tags = tuple(name for name, _ in CREW_TAGS if rng.random() < 0.15)
    if primary == "driving" and "permis C" not in tags:
        tags = (*tags, "permis C")
    return ArtistSpec(
        index=index,
        first_name=first,
        last_name=last,
        email=email,
        phone=f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        employment_type=_pick(rng, EMPLOYMENT_WEIGHTS),
        primary=primary,
        secondary=secondary,
        tags=tags,
        day_rate=DAY_RATES[primary] + 10 * rng.randint(-3, 4),
    )


def artist_specs(count: int) -> list[ArtistSpec]:
    """The same seed gives the same crew: the first ``n`` specs never depend on ``count``."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    taken: set[str] = set()
    return [_spec(rng, index, taken) for index in range(count)]


def crew_skills(organization: Organization) -> dict[str, Skill]:
    """The demo skills by name (for the planning seed's roles)."""
    skills = Skill.objects.filter(organization=organization, name__in=CREW_SKILLS)
    return {skill.name: skill for skill in skills}


def _seed_catalogs(organization: Organization) -> tuple[dict[str, Skill], dict[str, Tag]]:
    for name in CREW_SKILLS:
        if not Skill.objects.filter(organization=organization, name__iexact=name).exists():
            Skill.objects.create(
                organization=organization, name=name, description=SKILL_DESCRIPTIONS[name]
            )
    for name, color in CREW_TAGS:
        if not Tag.objects.filter(organization=organization, name__iexact=name).exists():
            Tag.objects.create(organization=organization, name=name, color=color)
    skills = {s.name.lower(): s for s in Skill.objects.filter(organization=organization)}
    tags = {t.name.lower(): t for t in Tag.objects.filter(organization=organization)}
    return skills, tags


def _rates(day_rate: int) -> dict[str, Any]:
    day = Decimal(day_rate)
    return {
        "day_rate": day,
        "half_day_rate": (day * Decimal("0.6")).quantize(Decimal("1")),
        "hourly_rate": (day / 8).quantize(Decimal("0.01")),
        "currency": "EUR",
    }


def _new_artist(organization: Organization, spec: ArtistSpec, skills: dict[str, Skill]) -> Artist:
    return Artist(
        organization=organization,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=spec.email,
        phone=spec.phone,
        employment_type=spec.employment_type,
        primary_skill=skills[spec.primary],
        is_active=spec.index % 17 != 16,
        **_rates(spec.day_rate),
    )


def _link_catalogs(
    pairs: list[tuple[Artist, ArtistSpec]], skills: dict[str, Skill], tags: dict[str, Tag]
) -> None:
    skill_rows = [
        Artist.skills.through(artist_id=artist.pk, skill_id=skills[name].pk)
        for artist, spec in pairs
        for name in (spec.primary, *spec.secondary)
    ]
    tag_rows = [
        Artist.tags.through(artist_id=artist.pk, tag_id=tags[name.lower()].pk)
        for artist, spec in pairs
        for name in spec.tags
    ]
    Artist.skills.through.objects.bulk_create(skill_rows, ignore_conflicts=True)
    Artist.tags.through.objects.bulk_create(tag_rows, ignore_conflicts=True)


def _at(day: date, hour: int, organization: Organization) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def _availabilities(
    artist: Artist, index: int, context: DemoContext, today: date
) -> list[Availability]:
    """Every third artist declares a window; one in five is absent; one in eleven asks."""
    organization, manager = context.organization, context.users.get("manager")
    now = timezone.now()
    entries: list[Availability] = []

    def add(kind: str, start: date, days: int, reason: str = "", pending: bool = False) -> None:
        entries.append(
            Availability(
                organization=organization,
                artist=artist,
                kind=kind,
                reason=reason,
                start_at=_at(start, 8, organization),
                end_at=_at(start + timedelta(days=days), 2, organization),
                status=AvailabilityStatus.PENDING if pending else AvailabilityStatus.APPROVED,
                decided_by=None if pending else manager,
                decided_at=None if pending else now,
                requested_by=artist.user,
            )
        )

    if index % 3 == 0:
        add(AvailabilityKind.AVAILABLE, today + timedelta(days=7 + index % 10), 14)
    if index % 5 == 1:
        reasons = [AbsenceReason.LEAVE, AbsenceReason.OTHER_JOB, AbsenceReason.SICKNESS]
        add(AvailabilityKind.UNAVAILABLE, today + timedelta(days=index % 20), 3, reasons[index % 3])
    if index % 11 == 2:
        add(
            AvailabilityKind.UNAVAILABLE,
            today + timedelta(days=25 + index % 7),
            2,
            AbsenceReason.PERSONAL,
            pending=True,
        )
    return entries


def _seed_tech_artist(
    context: DemoContext, skills: dict[str, Skill], today: date
) -> list[Availability]:
    """Link the demo tech user to an artist; new entries for a new artist only."""
    organization, user = context.organization, context.users["tech"]
    if Artist.objects.filter(organization=organization, user=user).exists():
        return []
    artist = Artist.objects.filter(organization=organization, email=user.email).first()
    if artist is not None:
        artist.user = user
        artist.save(update_fields=["user", "updated_at"])
        return []
    first, _, last = (user.full_name or "Théo Tech").partition(" ")
    artist = Artist.objects.create(
        organization=organization,
        first_name=first,
        last_name=last or "Tech",
        email=user.email,
        employment_type=EmploymentType.INTERMITTENT,
        primary_skill=skills["lighting"],
        user=user,
        **_rates(DAY_RATES["lighting"]),
    )
    artist.skills.set([skills["lighting"], skills["sound"], skills["video"]])
    entries = _availabilities(artist, 0, context, today)
    pending_leave = Availability(
        organization=organization,
        artist=artist,
        kind=AvailabilityKind.UNAVAILABLE,
        reason=AbsenceReason.LEAVE,
        note="Vacances en famille.",
        start_at=_at(today + timedelta(days=40), 0, organization),
        end_at=_at(today + timedelta(days=47), 0, organization),
        requested_by=user,
    )
    return [*entries, pending_leave]


def _say(context: DemoContext, message: str) -> None:
    if context.stdout is not None:
        context.stdout.write(message)


@transaction.atomic
def seed_crew(context: DemoContext) -> None:
    """Fill ``context.organization`` with a crew; a second run creates nothing."""
    organization = context.organization
    skills, tags = _seed_catalogs(organization)
    count = LARGE_SIZE if context.size == "large" else NORMAL_SIZE
    known = set(Artist.objects.filter(organization=organization).values_list("email", flat=True))
    specs = [spec for spec in artist_specs(count) if spec.email not in known]
    artists = Artist.objects.bulk_create([_new_artist(organization, s, skills) for s in specs])
    pairs = list(zip(artists, specs, strict=True))
    _link_catalogs(pairs, skills, tags)
    today = timezone.localdate(timezone=organization.tzinfo)
    entries = [e for a, s in pairs for e in _availabilities(a, s.index, context, today)]
    entries += _seed_tech_artist(context, skills, today)
    Availability.objects.bulk_create(entries)
    if artists or entries:
        _record_run(organization, context.users.get("owner"), len(artists), len(entries))
    _say(context, f"Crew: {len(artists)} artists and {len(entries)} availabilities created.")


def _record_run(organization: Organization, actor: User | None, artists: int, entries: int) -> None:
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.CREW_SEED_DEMO,
        entity_type="crew.artist",
        after={"artists_created": artists, "availabilities_created": entries},
        reason="seed_demo",
    )
