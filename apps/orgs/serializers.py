"""Input and output shapes of the account and organization endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.fields import TenantPrimaryKeyRelatedField
from apps.crew.models import Artist
from apps.orgs.models import (
    MemberRole,
    Membership,
    Organization,
    OrganizationInvitation,
    User,
    validate_timezone,
)


def _timezone(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        validate_timezone(value)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages[0]) from exc


class LoginInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    organization = serializers.UUIDField(
        required=False, help_text="Organization to act for; defaults to the oldest membership."
    )


class TokenSerializer(serializers.Serializer[Any]):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    org = serializers.UUIDField()
    role = serializers.ChoiceField(choices=MemberRole.choices)


class SignupInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, min_length=8)
    full_name = serializers.CharField(max_length=200)
    organization_name = serializers.CharField(max_length=200)
    timezone = serializers.CharField(default="Europe/Paris", validators=[_timezone])
    language = serializers.ChoiceField(choices=["fr", "en"], default="fr")


class SwitchOrgInputSerializer(serializers.Serializer[Any]):
    organization = serializers.UUIDField()


class ResetRequestInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()


class ResetRequestOutputSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    reset_token = serializers.CharField(required=False, help_text="Only in DEBUG.")


class ResetConfirmInputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    new_password = serializers.CharField(trim_whitespace=False)


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    timezone = serializers.CharField(validators=[_timezone], required=False)

    class Meta:
        model = Organization
        fields = (
            "id",
            "name",
            "slug",
            "timezone",
            "language",
            "crew_contacts_visible",
            "created_at",
        )
        read_only_fields = ("id", "slug", "created_at")


class MembershipOrgSerializer(serializers.ModelSerializer[Membership]):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "organization", "role")


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = MembershipOrgSerializer(many=True, read_only=True)
    current_org = serializers.SerializerMethodField()
    current_role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "full_name",
            "language",
            "memberships",
            "current_org",
            "current_role",
        )

    def get_current_org(self, obj: User) -> str | None:
        membership = self.context.get("membership")
        return str(membership.organization_id) if membership else None

    def get_current_role(self, obj: User) -> str | None:
        membership = self.context.get("membership")
        return membership.role if membership else None


class MemberUserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email", "full_name")


class MemberSerializer(serializers.ModelSerializer[Membership]):
    user = MemberUserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "user", "role", "created_at")


class MemberCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    artist_id = TenantPrimaryKeyRelatedField(
        model=Artist,
        source="artist",
        required=False,
        allow_null=True,
        help_text="An artist of the organization to link to the account on acceptance.",
    )


class OrganizationInvitationSerializer(serializers.ModelSerializer[OrganizationInvitation]):
    """A pending (or past) invitation to join the organization; the link is never shown."""

    artist = serializers.UUIDField(source="artist_id", allow_null=True, read_only=True)
    invited_by = serializers.UUIDField(source="invited_by_id", allow_null=True, read_only=True)

    class Meta:
        model = OrganizationInvitation
        fields = (
            "id",
            "email",
            "role",
            "artist",
            "status",
            "expires_at",
            "sent_at",
            "accepted_at",
            "invited_by",
            "created_at",
        )
        read_only_fields = fields


class MemberUpdateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=MemberRole.choices)
