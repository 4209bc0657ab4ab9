"""Shift templates and their instantiation in a mission."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.examples import request_example, response_example
from apps.planning.catalog import selectors, serializers, services
from apps.planning.catalog.api.base import CatalogViewSet
from apps.planning.catalog.examples import (
    INSTANTIATE_PREVIEW,
    MISSION_ID,
    ROLE_ID,
    SHIFT_EXAMPLE,
    TEMPLATE_EXAMPLE,
)
from apps.planning.models import ShiftTemplate

# --- Shift templates -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Shift templates", description="`search` on name."),
    retrieve=extend_schema(summary="One shift template"),
    create=extend_schema(
        summary="Create a shift template (manager)",
        description="Local wall-clock times; an end earlier than the start is on the next day. "
        "`max_headcount` defaults to `headcount`.",
        request=serializers.ShiftTemplateSerializer,
        responses={201: serializers.ShiftTemplateSerializer},
        examples=[
            request_example(
                "Load-out",
                {
                    "name": "Load-out",
                    "role_id": ROLE_ID,
                    "start_time": "23:00",
                    "end_time": "03:00",
                    "headcount": 4,
                    "max_headcount": 5,
                },
            ),
            response_example("Created", TEMPLATE_EXAMPLE, 201),
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a shift template (manager)",
        description="Shifts already made from the template keep their times.",
        request=serializers.ShiftTemplateSerializer,
        responses={200: serializers.ShiftTemplateSerializer},
        examples=[
            request_example("Longer", {"end_time": "04:00"}),
            response_example(
                "Updated", {**TEMPLATE_EXAMPLE, "end_time": "04:00:00", "duration_minutes": 300}
            ),
        ],
    ),
    destroy=extend_schema(
        summary="Delete a shift template (manager)",
        description="Shifts made from it stay, without the link.",
        responses={204: None},
    ),
)
@extend_schema(tags=["shift templates"])
class ShiftTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = serializers.ShiftTemplateSerializer
    write_serializer = serializers.ShiftTemplateSerializer
    writes = services.TEMPLATE_WRITES
    queryset = ShiftTemplate.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name",)
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.shift_template_list(organization=self.organization)

    @extend_schema(
        summary="Create the template's draft shifts in a mission on given dates (manager)",
        description="Each date is a local date in the organization's zone; times are the "
        "template's wall-clock times that day (a nonexistent time in a spring-forward gap "
        "moves forward by the gap; a repeated autumn time is its first occurrence). Each "
        "shift must lie within the mission's window (400 naming `dates`) and the template's "
        "role must be in the mission's staffing plan (400 naming `mission_id`).",
        request=serializers.InstantiateSerializer,
        responses={201: serializers.InstantiateResultSerializer},
        examples=[
            request_example("DST weekend", {"mission_id": MISSION_ID, "dates": ["2026-03-28"]}),
            response_example("Created", {"shifts": [SHIFT_EXAMPLE]}, 201),
        ],
    )
    @action(detail=True, methods=["post"])
    def instantiate(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(serializers.InstantiateSerializer)
        shifts = services.shift_template_instantiate(
            organization=self.organization, actor=self.actor, template=target, **data
        )
        body = {"shifts": serializers.ShiftSummarySerializer(shifts, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Preview applying the template on several dates: shifts, refusals, conflicts",
        description="The same input and checks as `instantiate`, nothing written: each date's "
        "shift in local time with the reason it would refuse the whole write (outside the "
        "mission's window, already instantiated), the rule conflicts of the others, and "
        "whether `instantiate` would refuse (`blocked`). Repeated dates or a role the "
        "mission does not staff are the same 400.",
        request=serializers.InstantiateSerializer,
        responses={200: serializers.InstantiatePreviewSerializer},
        examples=[
            request_example(
                "Two dates", {"mission_id": MISSION_ID, "dates": ["2026-03-27", "2026-03-28"]}
            ),
            response_example("Preview", INSTANTIATE_PREVIEW),
        ],
    )
    @action(detail=True, methods=["post"], url_path="instantiate/preview")
    def instantiate_preview(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(serializers.InstantiateSerializer)
        preview = services.shift_template_instantiate_preview(
            organization=self.organization, template=target, **data
        )
        return Response(serializers.InstantiatePreviewSerializer(preview).data)
