"""Shapes for an artist's creation warnings and for giving an artist a login."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.examples import response_example
from apps.crew.api import examples
from apps.crew.api.serializers import ArtistSerializer
from apps.orgs.api.orgs import INVITATION_EXAMPLE


class ArtistWarningSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="`same_name`: another artist has this name.")
    message = serializers.CharField()
    artist_ids = serializers.ListField(
        child=serializers.UUIDField(), help_text="The artists with the same name."
    )


class ArtistCreatedSerializer(ArtistSerializer):
    """The new artist, and what the manager may want to check (a possible duplicate)."""

    warnings = ArtistWarningSerializer(many=True, read_only=True, default=list)

    class Meta(ArtistSerializer.Meta):
        fields = (*ArtistSerializer.Meta.fields, "warnings")  # type: ignore[assignment]
        read_only_fields = fields  # type: ignore[assignment]


EXISTING_ID = "7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
SAME_NAME_WARNING = {
    "code": "same_name",
    "message": "Another artist is named Camille Lefèvre: check this is not a duplicate.",
    "artist_ids": [EXISTING_ID],
}
CREATED_WITH_WARNING = response_example(
    "Created, with a namesake", {**examples.ARTIST, "warnings": [SAME_NAME_WARNING]}, 201
)
DUPLICATE_EMAIL = response_example(
    "Duplicate e-mail",
    {
        "error": {
            "status": 409,
            "code": "duplicate_artist",
            "message": "An artist already uses this e-mail.",
            "fields": {"email": ["An artist already uses this e-mail."]},
            "existing_id": EXISTING_ID,
            "request_id": "4c1d2e3f40514a6b8c7d9e0f1a2b3c4d",
        }
    },
    409,
)
INVITE_LOGIN_SENT = response_example(
    "Invitation sent",
    {
        **INVITATION_EXAMPLE,
        "email": "camille.lefevre@example.com",
        "role": "tech",
        "artist": EXISTING_ID,
    },
    202,
)
