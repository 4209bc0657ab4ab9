"""Input and output shapes of the crew endpoints.

Output serializers leave private fields out, rather than nulling them, for members who
may not see them: rates (``day_rate``, ``half_day_rate``, ``hourly_rate``, ``currency``)
and an absence's ``reason`` and ``note`` are shown to managers and above, and to the
crew member the artist is linked to; an artist's ``email`` and ``phone`` too, and to
every member where the organization shares crew contacts (``crew_contacts_visible``).
The schema marks those fields as optional.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import serializers

from apps.core.datetimes import InstantField
from apps.core.fields import TenantPrimaryKeyRelatedField
from apps.crew.currencies import ISO_4217_CODES
from apps.crew.models import (
    AbsenceReason,
    Artist,
    Availability,
    AvailabilityKind,
    EmploymentType,
    Skill,
    Tag,
)
from apps.crew.policies import may_see_contacts, may_see_private
from apps.crew.services.artists import RATE_MAX
from apps.crew.services.availabilities import AVAILABILITY_FIELDS
from apps.crew.services.catalog import SKILL_FIELDS, TAG_FIELDS
from apps.orgs.models import User

RATE_OUTPUT_FIELDS = ("day_rate", "half_day_rate", "hourly_rate", "currency")
PRIVATE_HELP = "Private: present only for managers and above and for the artist himself."
CONTACT_FIELDS = ("email", "phone")
CONTACT_HELP = (
    "Contact: present for managers and above, for the artist himself, and for every member "
    "when the organization shares crew contacts (crew_contacts_visible)."
)


def sees_private(context: dict[str, Any], artist_user_id: Any) -> bool:
    """Whether the member behind this request may see the artist's private data."""
    membership = context.get("membership")
    if membership is None:
        return False
    return may_see_private(
        role=membership.role, user_id=membership.user_id, artist_user_id=artist_user_id
    )


def sees_contacts(context: dict[str, Any], artist_user_id: Any) -> bool:
    """Whether the member behind this request may see the artist's e-mail and phone."""
    membership = context.get("membership")
    if membership is None:
        return False
    return may_see_contacts(
        role=membership.role,
        user_id=membership.user_id,
        artist_user_id=artist_user_id,
        crew_contacts_visible=membership.organization.crew_contacts_visible,
    )


class AwareDateTimeField(InstantField):
    """ISO 8601 with an offset: a naive time is ambiguous across a tour's time zones.

    Normalized to UTC within the supported years, as every instant a client sends.
    """

    default_error_messages = {
        "naive": "Give a time zone offset, e.g. 2026-07-01T09:00:00+02:00.",
    }

    def enforce_timezone(self, value: Any) -> Any:
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


class OrganizationMemberField(TenantPrimaryKeyRelatedField):
    """A user id that must belong to a member of the organization (404 naming the field)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model=User, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        organization = self.context.get("organization")
        if organization is None:
            raise RuntimeError("OrganizationMemberField needs context['organization']")
        return User.objects.filter(memberships__organization=organization)


def private_rate_field() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, required=False, help_text=PRIVATE_HELP
    )


def rate_input_field(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=RATE_MAX,
        allow_null=True,
        default=None,
        help_text=f"{label}; left out or null clears it.",
    )


# --- Catalogs ---------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class SkillSerializer(serializers.ModelSerializer[Skill]):
    class Meta:
        model = Skill
        fields = (*SKILL_FIELDS, "created_at", "updated_at")
        read_only_fields = fields


class SkillInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80, help_text="Unique in the organization, any case.")
    description = serializers.CharField(max_length=300, allow_blank=True, required=False)


class TagSerializer(serializers.ModelSerializer[Tag]):
    class Meta:
        model = Tag
        fields = (*TAG_FIELDS, "created_at", "updated_at")
        read_only_fields = fields


class TagInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80, help_text="Unique in the organization, any case.")
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", allow_blank=True, required=False, help_text="#rrggbb"
    )


# --- Artists ----------------------------------------------------------------------


class ArtistSerializer(serializers.ModelSerializer[Artist]):
    full_name = serializers.CharField(read_only=True)
    skills = NamedRefSerializer(many=True, read_only=True)
    primary_skill = NamedRefSerializer(read_only=True, allow_null=True)
    tags = NamedRefSerializer(many=True, read_only=True)
    user_id = serializers.UUIDField(
        read_only=True, allow_null=True, help_text="The linked account (role tech), if any."
    )
    day_rate = private_rate_field()
    half_day_rate = private_rate_field()
    hourly_rate = private_rate_field()
    currency = serializers.CharField(required=False, help_text=PRIVATE_HELP)
    email = serializers.EmailField(required=False, help_text=CONTACT_HELP)
    phone = serializers.CharField(required=False, help_text=CONTACT_HELP)

    class Meta:
        model = Artist
        fields = (
            "id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "employment_type",
            "skills",
            "primary_skill",
            "tags",
            "notes",
            "is_active",
            "user_id",
            *RATE_OUTPUT_FIELDS,
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def to_representation(self, instance: Artist) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not sees_private(self.context, instance.user_id):
            for name in RATE_OUTPUT_FIELDS:
                data.pop(name, None)
        if not sees_contacts(self.context, instance.user_id):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data


class ArtistInputSerializer(serializers.Serializer[Any]):
    """Profile fields; rates are set through ``PUT /artists/{id}/rates``."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, required=False)
    skill_ids = TenantPrimaryKeyRelatedField(
        model=Skill, many=True, required=False, source="skills", help_text="Skill ids."
    )
    primary_skill_id = TenantPrimaryKeyRelatedField(
        model=Skill,
        required=False,
        allow_null=True,
        source="primary_skill",
        help_text="The main trade; must be one of skill_ids.",
    )
    tag_ids = TenantPrimaryKeyRelatedField(
        model=Tag, many=True, required=False, source="tags", help_text="Tag ids."
    )
    notes = serializers.CharField(allow_blank=True, required=False)
    is_active = serializers.BooleanField(required=False)
    user_id = OrganizationMemberField(
        required=False,
        allow_null=True,
        source="user",
        help_text="Account of a member of this organization; null unlinks.",
    )


class RateProfileSerializer(serializers.Serializer[Any]):
    """The whole rate profile: ``PUT`` replaces it, a rate left out is cleared."""

    artist_id = serializers.UUIDField(source="id", read_only=True)
    day_rate = rate_input_field("Rate for a day")
    half_day_rate = rate_input_field("Rate for a half day")
    hourly_rate = rate_input_field("Rate for an hour")
    currency = serializers.ChoiceField(
        choices=sorted(ISO_4217_CODES), help_text="ISO 4217 code, e.g. EUR."
    )


# --- Availabilities ---------------------------------------------------------------


class ArtistRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class AvailabilitySerializer(serializers.ModelSerializer[Availability]):
    artist = ArtistRefSerializer(read_only=True)
    reason = serializers.ChoiceField(
        choices=AbsenceReason.choices, allow_blank=True, required=False, help_text=PRIVATE_HELP
    )
    note = serializers.CharField(allow_blank=True, required=False, help_text=PRIVATE_HELP)

    class Meta:
        model = Availability
        fields = (*AVAILABILITY_FIELDS, "created_at", "updated_at")
        read_only_fields = fields

    def to_representation(self, instance: Availability) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not sees_private(self.context, instance.artist.user_id):
            data.pop("reason", None)
            data.pop("note", None)
        return data


class AvailabilityUpdateSerializer(serializers.Serializer[Any]):
    start_at = AwareDateTimeField(help_text="ISO 8601 with an offset.")
    end_at = AwareDateTimeField(help_text="ISO 8601 with an offset; after start_at.")
    kind = serializers.ChoiceField(choices=AvailabilityKind.choices)
    reason = serializers.ChoiceField(
        choices=AbsenceReason.choices,
        allow_blank=True,
        required=False,
        help_text="Required when kind is unavailable; blank when available.",
    )
    note = serializers.CharField(max_length=300, allow_blank=True, required=False)


class AvailabilityCreateSerializer(AvailabilityUpdateSerializer):
    artist_id = TenantPrimaryKeyRelatedField(
        model=Artist, source="artist", help_text="A crew member may only give his or her own."
    )


class DecisionSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(
        max_length=300, allow_blank=True, required=False, help_text="Kept in the audit trail."
    )
