"""``/api/v1/orgs/``: the current organization and its members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView, TenantViewSet
from apps.orgs import services
from apps.orgs.models import MemberRole, Membership
from apps.orgs.serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    OrganizationSerializer,
)


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
        examples=[
            OpenApiExample(
                "Rename",
                value={"name": "Nuits Sonores", "timezone": "Europe/Paris"},
                request_only=True,
            )
        ],
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
        responses={201: MemberSerializer},
        summary="Add an existing user by e-mail (admin)",
        examples=[
            OpenApiExample(
                "Add a manager",
                value={"email": "paul@example.com", "role": "manager"},
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        serializer = MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(
            organization=self.organization, actor=self.membership, **serializer.validated_data
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer},
        summary="Change a member's role (admin; owner for owner/admin)",
        examples=[OpenApiExample("Promote", value={"role": "manager"}, request_only=True)],
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
