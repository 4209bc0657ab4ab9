"""Projects: CRUD, status transitions, cached list."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.examples import request_example, response_example
from apps.core.revisions import CachedListMixin
from apps.planning.catalog import selectors, serializers, services
from apps.planning.catalog.api.base import CatalogViewSet
from apps.planning.catalog.examples import (
    CACHE_HEADER,
    MISSION_EXAMPLE,
    MISSION_REQUEST,
    PROJECT_EXAMPLE,
    VENUE_ID,
)
from apps.planning.models import Project, ProjectStatus

# --- Projects ------------------------------------------------------------------------


class ProjectFilter(django_filters.FilterSet):
    """``status``; ``from``/``to`` (dates) keep projects whose dates overlap the range.

    A project without a start (end) date is open on that side, so it overlaps any range
    that does not end before its start (begin after its end).
    """

    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, help_text="Status.")

    class Meta:
        model = Project
        fields = ("status",)

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters: dict[str, django_filters.Filter] = super().get_filters()
        filters["from"] = django_filters.DateFilter(
            method="filter_from", label="Projects not ended before this date (YYYY-MM-DD)."
        )
        filters["to"] = django_filters.DateFilter(
            method="filter_to", label="Projects not started after this date (YYYY-MM-DD)."
        )
        return filters

    def filter_from(self, queryset: QuerySet[Project], name: str, value: date) -> QuerySet[Project]:
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=value))

    def filter_to(self, queryset: QuerySet[Project], name: str, value: date) -> QuerySet[Project]:
        return queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=value))


@extend_schema_view(
    list=extend_schema(
        summary="Projects (cached per organization; X-Cache: HIT|MISS)",
        description="Filters: `status`, `from`/`to` (date overlap), `search` (name, client), "
        "`ordering` (start_date, name, created_at).",
        parameters=[CACHE_HEADER],
    ),
    retrieve=extend_schema(summary="One project"),
    create=extend_schema(
        summary="Create a project (manager)",
        request=serializers.ProjectWriteSerializer,
        responses={201: serializers.ProjectSerializer},
        examples=[
            request_example(
                "Spring tour",
                {
                    "name": "Tournée Printemps 2026",
                    "client": "Astérios Spectacles",
                    "status": "draft",
                    "start_date": "2026-03-02",
                    "end_date": "2026-04-30",
                    "color": "#e4572e",
                },
            ),
            response_example("Created", {**PROJECT_EXAMPLE, "mission_count": 0}, 201),
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a project or move its status (manager)",
        description="Status moves draft→active→archived; active→draft and archived→active "
        "are allowed too. Other moves answer 409 `invalid_transition`.",
        request=serializers.ProjectWriteSerializer,
        responses={200: serializers.ProjectSerializer},
        examples=[
            request_example("Archive", {"status": "archived"}),
            response_example("Archived", {**PROJECT_EXAMPLE, "status": "archived"}),
        ],
    ),
    destroy=extend_schema(
        summary="Delete a project without missions (manager)",
        description="A project with missions answers 409 `project_has_missions`: archive it.",
        responses={204: None},
    ),
)
@extend_schema(tags=["projects"])
class ProjectViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet
):
    serializer_class = serializers.ProjectSerializer
    write_serializer = serializers.ProjectWriteSerializer
    writes = services.PROJECT_WRITES
    queryset = Project.objects.none()  # for the schema only; data comes from the selector
    filterset_class = ProjectFilter
    search_fields = ("name", "client")
    ordering_fields = ("start_date", "name", "created_at")
    ordering = ("start_date", "name", "id")
    cache_namespace = "projects"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.project_list(organization=self.organization)

    @extend_schema(
        summary="Create many missions in the project, all or nothing (manager)",
        description="Any invalid item refuses the whole batch with 400; `fields` names each "
        "problem by position, e.g. `items.3.end_at`. Unknown ids answer 404 the same way.",
        request=serializers.MissionBulkSerializer,
        responses={201: serializers.MissionBulkResultSerializer},
        examples=[
            request_example(
                "Two show days",
                {
                    "items": [
                        {k: v for k, v in MISSION_REQUEST.items() if k != "project_id"},
                        {
                            "venue_id": VENUE_ID,
                            "name": "Olympia — second night",
                            "start_at": "2026-03-29T08:00:00+02:00",
                            "end_at": "2026-03-30T04:00:00+02:00",
                        },
                    ]
                },
            ),
            response_example("Created", {"count": 1, "items": [MISSION_EXAMPLE]}, 201),
        ],
    )
    @action(detail=True, methods=["post"], url_path="missions/bulk")
    def bulk_missions(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(serializers.MissionBulkSerializer)
        missions = services.mission_bulk_create(
            organization=self.organization,
            actor=self.actor,
            project=target,
            items=data["items"],
        )
        rows = selectors.mission_list(organization=self.organization).filter(
            pk__in=[m.pk for m in missions]
        )
        body = {
            "count": len(missions),
            "items": serializers.MissionSerializer(rows, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)
