"""``/api/v1/orgs/``: the current organization and its members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView, TenantViewSet
from apps.core.examples import request_example, response_example
from apps.orgs import onboarding, services
from apps.orgs.models import MemberRole, Membership, OrganizationInvitation
from apps.orgs.serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    OrganizationInvitationSerializer,
    OrganizationSerializer,
)

INVITATION_EXAMPLE = {
    "id": "3f2b8c1e-5d4a-4e7f-9a60-1b2c3d4e5f60",
    "email": "paul@example.com",
    "role": "manager",
    "artist": None,
    "status": "pending",
    "expires_at": "2026-12-09T10:00:00Z",
    "sent_at": None,
    "accepted_at": None,
    "invited_by": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "created_at": "2026-12-02T10:00:00Z",
}


class CurrentOrganizationView(TenantAPIView):
    """Every member reads the organization; admins edit it."""

    serializer_class = OrganizationSerializer
    write_role = MemberRole.ADMIN

    def safely_get_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError  # not a collection: the organization is the tenant itself

    @extend_schema(tags=["organizations"], summary="The active organization")
    def get(self, request: Request) -> Response:
        return Response(OrganizationSerializer(self.organization).data)

    @extend_schema(
        tags=["organizations"],
        summary="Edit the organization (admin)",
        examples=[request_example("Rename", {"name": "Nuits Sonores", "timezone": "Europe/Paris"})],
    )
    def patch(self, request: Request) -> Response:
        serializer = OrganizationSerializer(self.organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_update(
            organization=self.organization,
            actor=self.membership.user,
            data=serializer.validated_data,  # type: ignore[arg-type]
        )
        return Response(OrganizationSerializer(organization).data)


@extend_schema_view(
    list=extend_schema(summary="Members of the organization"),
    retrieve=extend_schema(summary="One member"),
)
@extend_schema(tags=["organizations"])
class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantViewSet,
):
    """Members read the list; admins add, change roles and remove (owners for privileged roles)."""

    serializer_class = MemberSerializer
    write_role = MemberRole.ADMIN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Membership.objects.select_related("user").order_by("created_at", "id")

    @extend_schema(
        request=MemberCreateSerializer,
        responses={202: OrganizationInvitationSerializer},
        summary="Invite someone by e-mail to join with a role (admin; owner for owner/admin)",
        description=(
            "Nobody is added without consent: this sends a signed link to the address, and "
            "the membership exists once the person accepts (setting a password, or logging "
            "in when an account uses the address). The answer is the same whether or not an "
            "account uses the address. A pending invitation to the same address is replaced. "
            "`artist_id` links an artist record of the organization to the account on "
            "acceptance."
        ),
        examples=[
            request_example("Invite a manager", {"email": "paul@example.com", "role": "manager"}),
            request_example(
                "Invite a crew member and link his artist record",
                {
                    "email": "theo@example.com",
                    "role": "tech",
                    "artist_id": "0c6f3d2a-8f0e-4d8a-9c43-2d8d2f1b7a10",
                },
            ),
            response_example("Invitation sent", INVITATION_EXAMPLE, 202),
        ],
    )
    def create(self, request: Request) -> Response:
        validated = self.validated(MemberCreateSerializer)
        invitation = onboarding.organization_invitation_create(
            organization=self.organization, actor=self.membership, **validated
        )
        return Response(
            OrganizationInvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer},
        summary="Change a member's role (admin; owner for owner/admin)",
        examples=[request_example("Promote", {"role": "manager"})],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=self.get_object(),
            actor=self.membership,
            role=serializer.validated_data["role"],
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None}, summary="Remove a member (admin; owner for owner/admin)")
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.membership_remove(membership=self.get_object(), actor=self.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Invitations to join the organization, newest first (admin)",
        examples=[response_example("Invitations", [INVITATION_EXAMPLE])],
    ),
    retrieve=extend_schema(summary="One invitation (admin)"),
)
@extend_schema(tags=["organizations"])
class OrganizationInvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantViewSet,
):
    """Admins follow and withdraw the invitations they sent; the links are never shown."""

    serializer_class = OrganizationInvitationSerializer
    read_role = MemberRole.ADMIN
    write_role = MemberRole.ADMIN
    http_method_names = ["get", "delete", "head", "options"]

    def safely_get_queryset(self) -> QuerySet[Any]:
        return OrganizationInvitation.objects.order_by("-created_at", "id")

    @extend_schema(
        responses={200: OrganizationInvitationSerializer},
        summary="Withdraw a pending invitation (admin); its link stops working",
        examples=[response_example("Withdrawn", {**INVITATION_EXAMPLE, "status": "revoked"})],
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        invitation = onboarding.organization_invitation_revoke(
            invitation=self.get_object(), actor=self.membership.user
        )
        return Response(OrganizationInvitationSerializer(invitation).data)
