"""``/api/v1/availabilities``: declared windows and absences.

Every member reads them all (the planning needs them), but an absence's reason and note
show only to managers and to the crew member concerned. A crew member writes only his
or her own entries, which wait for a manager's approval; managers write any and decide.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.filters import StrictFilterBackend
from apps.core.schema import ErrorSerializer
from apps.crew import selectors
from apps.crew.api import examples
from apps.crew.api.base import CrewViewSet
from apps.crew.api.filters import AvailabilityFilter
from apps.crew.api.serializers import (
    AvailabilityCreateSerializer,
    AvailabilitySerializer,
    AvailabilityUpdateSerializer,
    DecisionSerializer,
)
from apps.crew.models import Availability
from apps.crew.services.availabilities import (
    availability_approve,
    availability_create,
    availability_reject,
    availability_update,
    availability_withdraw,
    availability_withdrawal_approve,
    availability_withdrawal_reject,
)
from apps.orgs.models import MemberRole


@extend_schema_view(
    list=extend_schema(
        summary="Availabilities and absences, in time order",
        description="`from`/`to` keep the entries that overlap the range.",
        responses={
            200: AvailabilitySerializer(many=True),
            404: OpenApiResponse(
                ErrorSerializer, description="The artist id is not one of the organization's."
            ),
        },
    ),
    retrieve=extend_schema(summary="One availability or absence"),
)
@extend_schema(tags=["crew"])
class AvailabilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CrewViewSet):
    queryset = Availability.objects.none()  # only tells the schema generator the model
    serializer_class = AvailabilitySerializer
    filterset_class = AvailabilityFilter
    filter_backends = [StrictFilterBackend]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Crew members write their own entries; the services refuse anyone else's.
    write_role = MemberRole.TECH
    action_roles = {
        "approve": MemberRole.MANAGER,
        "reject": MemberRole.MANAGER,
        "approve_withdrawal": MemberRole.MANAGER,
        "reject_withdrawal": MemberRole.MANAGER,
    }

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.availability_list(organization=self.organization)

    def _render(self, availability: Availability, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(availability).data, status=code)

    @extend_schema(
        summary="Declare a window or request an absence (own, or any for a manager)",
        request=AvailabilityCreateSerializer,
        responses={201: AvailabilitySerializer},
        examples=examples.AVAILABILITY_CREATE,
    )
    def create(self, request: Request) -> Response:
        validated = self.validated(AvailabilityCreateSerializer)
        availability = availability_create(
            organization=self.organization,
            actor=self.actor,
            actor_role=self.role,
            **validated,
        )
        return self._render(availability, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an entry (own, or any for a manager); a crew member's edit is pending",
        request=AvailabilityUpdateSerializer,
        responses={200: AvailabilitySerializer},
        examples=examples.AVAILABILITY_UPDATE,
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        serializer = AvailabilityUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        availability = availability_update(
            availability=self.get_object(),
            actor=self.actor,
            actor_role=self.role,
            data=serializer.validated_data,
        )
        return self._render(availability)

    @extend_schema(
        summary="Withdraw or delete an entry (own, or any for a manager)",
        description=(
            "204: the entry is gone. 202: the entry is an absence a manager approved and "
            "you are its crew member: a withdrawal is requested (`withdrawal_requested_at`) "
            "and the absence stays in force until a manager approves the withdrawal."
        ),
        responses={
            204: None,
            202: OpenApiResponse(AvailabilitySerializer, description="Withdrawal requested."),
        },
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        pending = availability_withdraw(
            availability=self.get_object(), actor=self.actor, actor_role=self.role
        )
        if pending is not None:
            return self._render(pending, status.HTTP_202_ACCEPTED)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Approve a crew member's withdrawal of an absence: it is deleted (manager)",
        request=DecisionSerializer,
        responses={204: None},
    )
    @action(detail=True, methods=["post"], url_path="approve-withdrawal")
    def approve_withdrawal(self, request: Request, pk: str | None = None) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        availability_withdrawal_approve(
            availability=self.get_object(),
            actor=self.actor,
            actor_role=self.role,
            **serializer.validated_data,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Refuse a withdrawal: the absence stays in force (manager)",
        request=DecisionSerializer,
        responses={200: AvailabilitySerializer},
    )
    @action(detail=True, methods=["post"], url_path="reject-withdrawal")
    def reject_withdrawal(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, availability_withdrawal_reject)

    @extend_schema(
        summary="Approve an entry (manager)",
        request=DecisionSerializer,
        responses={200: AvailabilitySerializer},
        examples=examples.APPROVE,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, availability_approve)

    @extend_schema(
        summary="Reject an entry (manager)",
        request=DecisionSerializer,
        responses={200: AvailabilitySerializer},
        examples=examples.REJECT,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, availability_reject)

    def _decide(self, request: Request, decide: Any) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        availability = decide(
            availability=self.get_object(),
            actor=self.actor,
            actor_role=self.role,
            **serializer.validated_data,
        )
        return self._render(availability)
