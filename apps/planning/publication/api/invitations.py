"""``/invitations``: managers invite, read and revoke; crew members answer with the token."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import TenantViewSet, tenant_exempt
from apps.core.examples import request_example, response_example
from apps.core.filters import TenantObjectFilter
from apps.core.throttling import ScopedRateThrottle
from apps.crew.models import Artist
from apps.orgs.models import MemberRole, User
from apps.planning.models import (
    Assignment,
    Invitation,
    InvitationStatus,
)
from apps.planning.publication import examples, selectors
from apps.planning.publication.api.common import (
    ERROR_409,
    ERROR_410,
    INVITATION_TAG,
    TOKEN_PARAMETER,
)
from apps.planning.publication.invitations import (
    invitation_answer,
    invitation_create,
    invitation_revoke,
)
from apps.planning.publication.serializers import (
    InvitationAnswerSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
)


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InvitationStatus.choices)
    assignment = TenantObjectFilter(model=Assignment, field_name="assignment")
    artist = TenantObjectFilter(model=Artist, field_name="assignment__artist")

    class Meta:
        model = Invitation
        fields = ("status", "assignment", "artist")


@extend_schema_view(
    list=extend_schema(
        summary="Invitations (manager; filter by status, assignment, artist)",
        examples=[
            response_example(
                "Page",
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [examples.INVITATION],
                },
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One invitation (manager)",
        examples=[response_example("Pending", examples.INVITATION)],
    ),
)
@extend_schema(tags=[INVITATION_TAG])
class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Managers invite, follow and revoke; crew members answer through the public link."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    read_role = MemberRole.MANAGER
    ordering_fields = ("created_at", "expires_at")
    ordering = ("-created_at", "id")
    http_method_names = ["get", "post", "delete", "head", "options"]

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.invitation_list(organization=self.organization)

    @extend_schema(
        summary="Invite the artist of a proposed assignment (manager)",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
        examples=[
            request_example("Invite", {"assignment_id": examples.ASSIGNMENT_ID}),
            response_example("Created", {**examples.INVITATION, "sent_at": None}, 201),
        ],
    )
    def create(self, request: Request) -> Response:
        validated = self.validated(InvitationCreateSerializer)
        invitation = invitation_create(
            organization=self.organization,
            actor=cast(User, request.user),
            membership=self.membership,
            assignment_id=validated["assignment_id"].pk,
        )
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke a pending invitation; the assignment goes back to proposed (manager)",
        request=None,
        responses={200: InvitationSerializer},
        examples=[
            response_example(
                "Revoked",
                {
                    **examples.INVITATION,
                    "status": "revoked",
                    "assignment": {**examples.INVITATION["assignment"], "status": "proposed"},  # type: ignore[dict-item]
                },
            )
        ],
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        invitation = invitation_revoke(invitation=self.get_object(), actor=cast(User, request.user))
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(InvitationSerializer(invitation).data)


@tenant_exempt("the signed invitation token is the credential")
class InvitationAnswerView(APIView):
    """``POST /invitations/{id}/accept|decline?token=…``: no login, the token decides."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "invitation"
    accept = True

    def post(self, request: Request, pk: Any) -> Response:
        result = invitation_answer(
            invitation_id=pk, token=request.query_params.get("token", ""), accept=self.accept
        )
        body = {"invitation": result.invitation, "conflicts": result.conflicts}
        return Response(InvitationAnswerSerializer(body).data)


def _answer_schema(verb: str, assignment_status: str) -> Any:
    return extend_schema(
        tags=[INVITATION_TAG],
        summary=f"{verb.title()} an invitation from its link (no login; throttled)",
        parameters=[TOKEN_PARAMETER],
        request=None,
        responses={200: InvitationAnswerSerializer, 409: ERROR_409, 410: ERROR_410},
        examples=[
            OpenApiExample(
                "No body", value=None, request_only=True, description="The token is in the URL."
            ),
            response_example(
                assignment_status.title(),
                {
                    "invitation": {
                        "id": examples.INVITATION_ID,
                        "status": assignment_status,
                        "answered_at": "2026-06-01T18:30:00Z",
                        "assignment_id": examples.ASSIGNMENT_ID,
                        "assignment_status": assignment_status,
                    },
                    "conflicts": [],
                },
            ),
        ],
    )


@_answer_schema("accept", "accepted")
class InvitationAcceptView(InvitationAnswerView):
    accept = True


@_answer_schema("decline", "declined")
class InvitationDeclineView(InvitationAnswerView):
    accept = False
