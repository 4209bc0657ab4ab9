"""Artists: profile, skills and tags, link to a user account, rate profile, deletion.

Every write is audited in its transaction. Deleting is refused while the artist has
assignments: accepted ones are what crews and planners would hate to lose, and the
others are the planning's history (and the database protects them); deactivating is the
way to retire someone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record, set_audited, snapshot
from apps.core.errors import ConflictError, NotFound, ValidationFailed
from apps.core.integrity import constraint_errors
from apps.core.tenancy import require_in_organization
from apps.crew.currencies import DEFAULT_CURRENCY, is_iso_4217
from apps.crew.models import Artist, EmploymentType, Skill, Tag
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import AssignmentStatus

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "employment_type",
    "notes",
    "is_active",
)
RATE_FIELDS = ("day_rate", "half_day_rate", "hourly_rate")
ARTIST_FIELDS = ("id", *PROFILE_FIELDS, "user", "primary_skill", *RATE_FIELDS, "currency")
RATE_MAX = Decimal("100000.00")


def artist_snapshot(artist: Artist) -> dict[str, Any]:
    """The audited state of an artist, skills and tags included (calendar token excluded)."""
    data = snapshot(artist, ARTIST_FIELDS)
    data["skill_ids"] = sorted(str(pk) for pk in artist.skills.values_list("pk", flat=True))
    data["tag_ids"] = sorted(str(pk) for pk in artist.tags.values_list("pk", flat=True))
    return data


def _user_already_linked() -> ConflictError:
    message = "This user is already linked to another artist."
    return ConflictError(message, code="user_already_linked", fields={"user_id": [message]})


def _require_linkable_user(organization: Organization, user: User, artist_pk: Any) -> None:
    """The user must be a member of the organization and not be another artist already."""
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise NotFound.for_field("user_id")
    others = Artist.objects.filter(organization=organization, user=user).exclude(pk=artist_pk)
    if others.exists():
        raise _user_already_linked()


def _duplicate_email(existing_id: Any) -> ConflictError:
    message = "An artist already uses this e-mail."
    return ConflictError(
        message,
        code="duplicate_artist",
        fields={"email": [message]},
        extra={"existing_id": str(existing_id)},
    )


def _require_unique_email(organization: Organization, email: str, artist_pk: Any) -> None:
    """One artist per e-mail in an organization: the existing one's id comes with the 409.

    A check, not a constraint: existing data may already hold duplicates, which a
    migration must not refuse; two creations racing can still both pass.
    """
    if not email:
        return
    existing = (
        Artist.objects.filter(organization=organization, email__iexact=email.strip())
        .exclude(pk=artist_pk)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        raise _duplicate_email(existing)


def _require_primary_among(primary: Skill | None, skills: Sequence[Skill]) -> None:
    if primary is not None and primary.pk not in {skill.pk for skill in skills}:
        raise ValidationFailed.for_field("primary_skill_id", "Must be one of skill_ids.")


def _save(artist: Artist) -> None:
    artist.full_clean(exclude=["calendar_token"], validate_constraints=False)
    with constraint_errors({"crew_artist_one_per_user": _user_already_linked}):
        artist.save()


@transaction.atomic
def artist_create(
    *,
    organization: Organization,
    actor: User,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    employment_type: str = EmploymentType.INTERMITTENT,
    skills: Sequence[Skill] = (),
    primary_skill: Skill | None = None,
    tags: Sequence[Tag] = (),
    notes: str = "",
    is_active: bool = True,
    user: User | None = None,
) -> Artist:
    """Create an artist; rates are set separately through ``artist_update_rates``."""
    require_in_organization(skills, organization, "skill_ids")
    require_in_organization(tags, organization, "tag_ids")
    _require_primary_among(primary_skill, skills)
    _require_unique_email(organization, email, artist_pk=None)
    if user is not None:
        _require_linkable_user(organization, user, artist_pk=None)
    artist = Artist(
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        employment_type=employment_type,
        primary_skill=primary_skill,
        notes=notes,
        is_active=is_active,
        user=user,
    )
    _save(artist)
    artist.skills.set(skills)
    artist.tags.set(tags)
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.ARTIST_CREATE,
        entity=artist,
        after=artist_snapshot(artist),
    )
    return artist


def _apply_skills(artist: Artist, data: Mapping[str, Any]) -> list[Skill] | None:
    """Set the primary skill from ``data``; return the new skill list if it changes.

    A primary skill dropped from the skills without naming a new one is cleared rather
    than refused: the client changed the skills and said nothing about the primary one.
    """
    skills = list(data["skills"]) if "skills" in data else None
    current = skills if skills is not None else list(artist.skills.all())
    if "primary_skill" in data:
        _require_primary_among(data["primary_skill"], current)
        artist.primary_skill = data["primary_skill"]
    elif artist.primary_skill_id not in {skill.pk for skill in current}:
        artist.primary_skill = None
    return skills


@transaction.atomic
def artist_update(*, artist: Artist, actor: User, data: Mapping[str, Any]) -> Artist:
    """Apply the keys present in ``data``: profile fields, ``skills``, ``primary_skill``,
    ``tags`` and ``user`` (``None`` unlinks)."""
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    organization = artist.organization
    before = artist_snapshot(artist)
    require_in_organization(data.get("skills", []), organization, "skill_ids")
    require_in_organization(data.get("tags", []), organization, "tag_ids")
    if "email" in data and data["email"].strip().lower() != artist.email.lower():
        _require_unique_email(organization, data["email"], artist_pk=artist.pk)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(artist, name, data[name])
    skills = _apply_skills(artist, data)
    if "user" in data:
        if data["user"] is not None:
            _require_linkable_user(organization, data["user"], artist_pk=artist.pk)
        artist.user = data["user"]
    _save(artist)
    if skills is not None:
        artist.skills.set(skills)
    if "tags" in data:
        artist.tags.set(data["tags"])
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.ARTIST_UPDATE,
        entity=artist,
        before=before,
        after=artist_snapshot(artist),
    )
    return artist


def validate_rates(
    *,
    day_rate: Decimal | None,
    half_day_rate: Decimal | None,
    hourly_rate: Decimal | None,
    currency: str,
) -> None:
    """Non-negative, at most two decimals, below ``RATE_MAX``, in an ISO 4217 currency."""
    fields: dict[str, list[str]] = {}
    rates = {"day_rate": day_rate, "half_day_rate": half_day_rate, "hourly_rate": hourly_rate}
    for name, value in rates.items():
        if value is None:
            continue
        if value < 0:
            fields[name] = ["Must be zero or more."]
        elif value > RATE_MAX:
            fields[name] = [f"Must be at most {RATE_MAX}."]
        elif value != value.quantize(Decimal("0.01")):
            fields[name] = ["At most 2 decimal places."]
    if not is_iso_4217(currency):
        fields["currency"] = [f"'{currency}' is not an ISO 4217 currency code."]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


@transaction.atomic
def artist_update_rates(
    *,
    artist: Artist,
    actor: User,
    day_rate: Decimal | None,
    half_day_rate: Decimal | None,
    hourly_rate: Decimal | None,
    currency: str = DEFAULT_CURRENCY,
) -> Artist:
    """Replace the whole rate profile (a rate left out is cleared)."""
    validate_rates(
        day_rate=day_rate, half_day_rate=half_day_rate, hourly_rate=hourly_rate, currency=currency
    )
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    fields = (*RATE_FIELDS, "currency")
    return set_audited(
        artist,
        {
            "day_rate": day_rate,
            "half_day_rate": half_day_rate,
            "hourly_rate": hourly_rate,
            "currency": currency,
        },
        fields=fields,
        organization=artist.organization,
        actor=actor,
        action=AuditAction.ARTIST_RATES_UPDATE,
    )


def _require_no_assignments(artist: Artist) -> None:
    statuses = set(artist.assignments.values_list("status", flat=True).distinct())
    if AssignmentStatus.ACCEPTED in statuses:
        raise ConflictError(
            "This artist has accepted assignments; deactivate the artist instead.",
            code="artist_has_accepted_assignments",
        )
    if statuses:
        raise ConflictError(
            "This artist appears in the planning (assignments are kept as its history); "
            "deactivate the artist instead.",
            code="artist_has_assignments",
        )


@transaction.atomic
def artist_delete(*, artist: Artist, actor: User) -> None:
    """Delete an artist who was never assigned, with his or her availabilities.

    The row is locked first: an assignment being created concurrently waits for this
    transaction and then fails on its foreign key, so none can slip in after the check.
    """
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    _require_no_assignments(artist)
    before = artist_snapshot(artist)
    before["availability_ids"] = sorted(
        str(pk) for pk in artist.availabilities.values_list("pk", flat=True)
    )
    record(
        organization=artist.organization,
        actor=actor,
        action=AuditAction.ARTIST_DELETE,
        entity=artist,
        before=before,
    )
    artist.delete()
