"""``/invitations/bulk`` and ``/invitations/resend``: the board's bulk actions (manager)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.examples import request_example, response_example
from apps.core.fields import TenantPrimaryKeyRelatedField
from apps.orgs.models import User
from apps.planning.models import Assignment, Invitation
from apps.planning.publication import examples, selectors
from apps.planning.publication.api.common import INVITATION_TAG
from apps.planning.publication.api.versions import PublishView
from apps.planning.publication.crew_invitations import (
    invitations_bulk_create,
    invitations_resend,
)
from apps.planning.publication.serializers import InvitationSerializer, PublishInputSerializer


class BulkInviteInputSerializer(serializers.Serializer[Any]):
    assignment_ids = TenantPrimaryKeyRelatedField(
        model=Assignment, many=True, help_text="Proposed assignments on published shifts."
    )

    def validate_assignment_ids(self, value: list[Assignment]) -> list[Assignment]:
        if not value:
            raise serializers.ValidationError("Select at least one assignment.")
        if len(value) > 500:
            raise serializers.ValidationError("At most 500 assignments at once.")
        return value


class BulkInviteResultSerializer(serializers.Serializer[Any]):
    invitations = InvitationSerializer(many=True)
    artists = serializers.IntegerField(help_text="People invited (one e-mail each).")


class ResendResultSerializer(serializers.Serializer[Any]):
    resent = serializers.IntegerField(help_text="Invitations sent again.")
    artists = serializers.ListField(
        child=serializers.UUIDField(), help_text="Artists e-mailed (one e-mail each)."
    )
    throttled_artists = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Artists e-mailed too recently: left out (CREW_RESEND_MIN_INTERVAL_MINUTES).",
    )


class BulkInviteView(TenantAPIView):
    """``POST /invitations/bulk`` (manager): invite the board's selection, all or nothing."""

    serializer_class = BulkInviteInputSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.invitation_list(organization=self.organization)

    @extend_schema(
        tags=[INVITATION_TAG],
        summary="Invite a selection of proposed assignments, one e-mail per person (manager)",
        request=BulkInviteInputSerializer,
        responses={201: BulkInviteResultSerializer},
        examples=[
            request_example("Selection", {"assignment_ids": [examples.ASSIGNMENT_ID]}),
            response_example(
                "Invited",
                {"invitations": [{**examples.INVITATION, "sent_at": None}], "artists": 1},
                201,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        validated = self.validated(BulkInviteInputSerializer)
        created = invitations_bulk_create(
            organization=self.organization,
            actor=cast(User, request.user),
            membership=self.membership,
            assignment_ids=[a.pk for a in validated["assignment_ids"]],
        )
        rows = (
            self.get_queryset()
            .filter(pk__in=[i.pk for i in created])
            .order_by("assignment__start_at", "id")
        )
        body = {"invitations": rows, "artists": len({i.assignment.artist_id for i in created})}
        return Response(BulkInviteResultSerializer(body).data, status=status.HTTP_201_CREATED)


class ResendView(PublishView):
    """``POST /invitations/resend`` (manager): the scope's unanswered invitations again."""

    serializer_class = PublishInputSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Invitation.objects.all()

    @extend_schema(
        tags=[INVITATION_TAG],
        summary="Resend the unanswered invitations of a project or range (manager; throttled "
        "per person)",
        request=PublishInputSerializer,
        responses={200: ResendResultSerializer},
        examples=[
            request_example("A project", {"project_id": examples.PROJECT_ID}),
            response_example(
                "Resent",
                {
                    "resent": 3,
                    "artists": ["0c6f3d2a-8f0e-4d8a-9c43-2d8d2f1b7a10"],
                    "throttled_artists": ["4b1d2c3e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"],
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        result = invitations_resend(
            organization=self.organization,
            actor=cast(User, request.user),
            scope=self.scope_from(request),
        )
        body = {
            "resent": len(result.invitations),
            "artists": result.artists,
            "throttled_artists": result.throttled_artists,
        }
        return Response(ResendResultSerializer(body).data)
