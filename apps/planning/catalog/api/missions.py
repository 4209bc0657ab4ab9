"""Missions: CRUD, bulk creation, duplication, cached list."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.examples import request_example, response_example
from apps.core.filters import TenantObjectFilter, TimeRangeFilterSet
from apps.core.revisions import CachedListMixin
from apps.planning.catalog import selectors, serializers, services
from apps.planning.catalog.api.base import CatalogViewSet
from apps.planning.catalog.examples import (
    CACHE_HEADER,
    MISSION_EXAMPLE,
    MISSION_REQUEST,
    ROLE_ID,
    SHIFT_EXAMPLE,
    STAFFING_EXAMPLE,
)
from apps.planning.models import Mission, Project, Venue

# --- Missions ------------------------------------------------------------------------


class MissionFilter(TimeRangeFilterSet):
    """``project``, ``venue`` (ids of the organization, else 404) and ``from``/``to``."""

    project = TenantObjectFilter(model=Project, field_name="project", help_text="Project id.")
    venue = TenantObjectFilter(model=Venue, field_name="venue", help_text="Venue id.")

    class Meta:
        model = Mission
        fields = ("project", "venue")


@extend_schema_view(
    list=extend_schema(
        summary="Missions (cached per organization; X-Cache: HIT|MISS)",
        description="Filters: `project`, `venue`, `from`/`to` (ISO 8601; missions whose "
        "window overlaps the range), `search` (name), `ordering` (start_at, name).",
        parameters=[CACHE_HEADER],
    ),
    retrieve=extend_schema(summary="One mission with its staffing plan"),
    create=extend_schema(
        summary="Create a mission with its staffing plan (manager)",
        request=serializers.MissionWriteSerializer,
        responses={201: serializers.MissionSerializer},
        examples=[
            request_example("Show day", MISSION_REQUEST),
            response_example("Created", MISSION_EXAMPLE, 201),
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a mission; staffing replaces the whole plan (manager)",
        description="The window cannot shrink past a shift (409 `shifts_outside_window`), a "
        "role with shifts cannot leave the plan (409 `role_in_use`); moving the mission to "
        "another venue moves its shifts.",
        request=serializers.MissionWriteSerializer,
        responses={200: serializers.MissionSerializer},
        examples=[
            request_example("Six riggers", {"staffing": [{"role_id": ROLE_ID, "headcount": 6}]}),
            response_example(
                "Updated",
                {**MISSION_EXAMPLE, "staffing": [{**STAFFING_EXAMPLE[0], "headcount": 6}]},
            ),
        ],
    ),
    destroy=extend_schema(
        summary="Delete a mission without shifts (manager)",
        description="A mission with shifts answers 409 `mission_has_shifts`.",
        responses={204: None},
    ),
)
@extend_schema(tags=["missions"])
class MissionViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet
):
    serializer_class = serializers.MissionSerializer
    write_serializer = serializers.MissionWriteSerializer
    writes = services.MISSION_WRITES
    queryset = Mission.objects.none()  # for the schema only; data comes from the selector
    filterset_class = MissionFilter
    search_fields = ("name",)
    ordering_fields = ("start_at", "name")
    ordering = ("start_at", "name", "id")
    cache_namespace = "missions"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.mission_list(organization=self.organization)

    def update_item(self, target: Any, data: dict[str, Any]) -> Model:
        """``staffing``, when given, replaces the whole plan."""
        staffing = data.pop("staffing", None)
        return services.mission_update(
            organization=self.organization,
            actor=self.actor,
            mission=target,
            data=data,
            staffing=staffing,
        )

    @extend_schema(
        summary="Copy a mission N days later with its staffing and shifts (manager)",
        description="Times move by N local calendar days in the organization's zone, so an "
        "18:00 shift stays at 18:00 across a daylight-saving change. Shifts are copied as "
        "drafts without assignments; cancelled shifts are not copied.",
        request=serializers.MissionDuplicateSerializer,
        responses={201: serializers.MissionDuplicateResultSerializer},
        examples=[
            request_example("Next week", {"days": 7, "name": "Olympia — second week"}),
            response_example(
                "Copied", {"mission": MISSION_EXAMPLE, "shifts": [SHIFT_EXAMPLE]}, 201
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(serializers.MissionDuplicateSerializer)
        mission, shifts = services.mission_duplicate(
            organization=self.organization, actor=self.actor, mission=target, **data
        )
        fresh = self.get_queryset().get(pk=mission.pk)
        body = {
            "mission": serializers.MissionSerializer(fresh).data,
            "shifts": serializers.ShiftSummarySerializer(shifts, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)
