"""``/api/v1/``: projects, venues, roles, missions and shift templates.

Every view validates with a serializer, calls one service or selector and renders. Any
member reads; managers and above write. The project and mission lists are cached per
organization (``X-Cache: HIT|MISS``, see ``apps.planning.cache``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import django_filters
from django.db.models import Model, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from apps.core.api import TenantViewSet
from apps.core.filters import TenantObjectFilter, TimeRangeFilterSet
from apps.orgs.models import User
from apps.planning.api import catalog_serializers as io
from apps.planning.api.catalog_examples import (
    CACHE_HEADER,
    MISSION_EXAMPLE,
    MISSION_ID,
    MISSION_REQUEST,
    PROJECT_EXAMPLE,
    ROLE_EXAMPLE,
    ROLE_ID,
    SHIFT_EXAMPLE,
    SKILL_ID,
    STAFFING_EXAMPLE,
    TEMPLATE_EXAMPLE,
    VENUE_EXAMPLE,
    VENUE_ID,
    request_example,
    response_example,
)
from apps.planning.cache import CachedListMixin
from apps.planning.models import Mission, Project, ProjectStatus, Role, ShiftTemplate, Venue
from apps.planning.selectors import catalog as selectors
from apps.planning.services import catalog as services


class CatalogViewSet(TenantViewSet):
    """Shared plumbing: the acting user, input validation and re-reading what was written.

    Detail writes load their object before validating the body, so a foreign or unknown
    id in the path is a 404 whatever the body holds.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def validated(self, serializer_class: type[BaseSerializer[Any]], **kwargs: Any) -> Any:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """Answer with the row as the list shows it (annotations and prefetches included)."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


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
)
@extend_schema(tags=["projects"])
class ProjectViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet
):
    serializer_class = io.ProjectSerializer
    queryset = Project.objects.none()  # for the schema only; data comes from the selector
    filterset_class = ProjectFilter
    search_fields = ("name", "client")
    ordering_fields = ("start_date", "name", "created_at")
    ordering = ("start_date", "name", "id")
    cache_namespace = "projects"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.project_list(organization=self.organization)

    @extend_schema(
        summary="Create a project (manager)",
        request=io.ProjectWriteSerializer,
        responses={201: io.ProjectSerializer},
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
    )
    def create(self, request: Request) -> Response:
        data = self.validated(io.ProjectWriteSerializer)
        project = services.project_create(organization=self.organization, actor=self.actor, **data)
        return self.render(project, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a project or move its status (manager)",
        description="Status moves draft→active→archived; active→draft and archived→active "
        "are allowed too. Other moves answer 409 `invalid_transition`.",
        request=io.ProjectWriteSerializer,
        responses={200: io.ProjectSerializer},
        examples=[
            request_example("Archive", {"status": "archived"}),
            response_example("Archived", {**PROJECT_EXAMPLE, "status": "archived"}),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.ProjectWriteSerializer, partial=True)
        project = services.project_update(
            organization=self.organization, actor=self.actor, project=target, data=data
        )
        return self.render(project)

    @extend_schema(
        summary="Delete a project without missions (manager)",
        description="A project with missions answers 409 `project_has_missions`: archive it.",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.project_delete(
            organization=self.organization, actor=self.actor, project=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Create many missions in the project, all or nothing (manager)",
        description="Any invalid item refuses the whole batch with 400; `fields` names each "
        "problem by position, e.g. `items.3.end_at`. Unknown ids answer 404 the same way.",
        request=io.MissionBulkSerializer,
        responses={201: io.MissionBulkResultSerializer},
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
        data = self.validated(io.MissionBulkSerializer)
        missions = services.mission_bulk_create(
            organization=self.organization,
            actor=self.actor,
            project=target,
            items=data["items"],
        )
        rows = selectors.mission_list(organization=self.organization).filter(
            pk__in=[m.pk for m in missions]
        )
        body = {"count": len(missions), "items": io.MissionSerializer(rows, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)


# --- Venues --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Venues", description="`search` on name and city."),
    retrieve=extend_schema(summary="One venue"),
)
@extend_schema(tags=["venues"])
class VenueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = io.VenueSerializer
    queryset = Venue.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name", "city")
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.venue_list(organization=self.organization)

    @extend_schema(
        summary="Create a venue (manager)",
        description="Names are unique in the organization regardless of case (409 `name_taken`).",
        request=io.VenueSerializer,
        responses={201: io.VenueSerializer},
        examples=[
            request_example("Olympia", {k: VENUE_EXAMPLE[k] for k in ("name", "city", "capacity")}),
            response_example("Created", VENUE_EXAMPLE, 201),
        ],
    )
    def create(self, request: Request) -> Response:
        data = self.validated(io.VenueSerializer)
        venue = services.venue_create(organization=self.organization, actor=self.actor, **data)
        return self.render(venue, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a venue (manager)",
        request=io.VenueSerializer,
        responses={200: io.VenueSerializer},
        examples=[
            request_example("Capacity", {"capacity": 2800}),
            response_example("Updated", {**VENUE_EXAMPLE, "capacity": 2800}),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.VenueSerializer, partial=True)
        venue = services.venue_update(
            organization=self.organization, actor=self.actor, venue=target, data=data
        )
        return self.render(venue)

    @extend_schema(
        summary="Delete an unused venue (manager)",
        description="A venue with missions or shifts answers 409 `venue_in_use`.",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.venue_delete(
            organization=self.organization, actor=self.actor, venue=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Roles ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Roles (positions) with their required skills"),
    retrieve=extend_schema(summary="One role"),
)
@extend_schema(tags=["roles"])
class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = io.RoleSerializer
    queryset = Role.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name",)
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.role_list(organization=self.organization)

    @extend_schema(
        summary="Create a role (manager)",
        description="Names are unique in the organization regardless of case (409 `name_taken`); "
        "`required_skill_ids` must be skills of the organization (404 naming the field).",
        request=io.RoleSerializer,
        responses={201: io.RoleSerializer},
        examples=[
            request_example("Rigger", {"name": "Rigger", "required_skill_ids": [SKILL_ID]}),
            response_example("Created", ROLE_EXAMPLE, 201),
        ],
    )
    def create(self, request: Request) -> Response:
        data = self.validated(io.RoleSerializer)
        role = services.role_create(organization=self.organization, actor=self.actor, **data)
        return self.render(role, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a role; required_skill_ids replaces the set (manager)",
        request=io.RoleSerializer,
        responses={200: io.RoleSerializer},
        examples=[
            request_example("No skill needed", {"required_skill_ids": []}),
            response_example(
                "Updated", {**ROLE_EXAMPLE, "required_skill_ids": [], "required_skills": []}
            ),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.RoleSerializer, partial=True)
        role = services.role_update(
            organization=self.organization, actor=self.actor, role=target, data=data
        )
        return self.render(role)

    @extend_schema(
        summary="Delete an unused role (manager)",
        description="A role in a staffing plan, a template or a shift answers 409 `role_in_use`.",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.role_delete(
            organization=self.organization, actor=self.actor, role=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


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
)
@extend_schema(tags=["missions"])
class MissionViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet
):
    serializer_class = io.MissionSerializer
    queryset = Mission.objects.none()  # for the schema only; data comes from the selector
    filterset_class = MissionFilter
    search_fields = ("name",)
    ordering_fields = ("start_at", "name")
    ordering = ("start_at", "name", "id")
    cache_namespace = "missions"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.mission_list(organization=self.organization)

    @extend_schema(
        summary="Create a mission with its staffing plan (manager)",
        request=io.MissionWriteSerializer,
        responses={201: io.MissionSerializer},
        examples=[
            request_example("Show day", MISSION_REQUEST),
            response_example("Created", MISSION_EXAMPLE, 201),
        ],
    )
    def create(self, request: Request) -> Response:
        data = self.validated(io.MissionWriteSerializer)
        mission = services.mission_create(organization=self.organization, actor=self.actor, **data)
        return self.render(mission, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a mission; staffing replaces the whole plan (manager)",
        description="The window cannot shrink past a shift (409 `shifts_outside_window`), a "
        "role with shifts cannot leave the plan (409 `role_in_use`); moving the mission to "
        "another venue moves its shifts.",
        request=io.MissionWriteSerializer,
        responses={200: io.MissionSerializer},
        examples=[
            request_example("Six riggers", {"staffing": [{"role_id": ROLE_ID, "headcount": 6}]}),
            response_example(
                "Updated",
                {**MISSION_EXAMPLE, "staffing": [{**STAFFING_EXAMPLE[0], "headcount": 6}]},
            ),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.MissionWriteSerializer, partial=True)
        staffing = data.pop("staffing", None)
        mission = services.mission_update(
            organization=self.organization,
            actor=self.actor,
            mission=target,
            data=data,
            staffing=staffing,
        )
        return self.render(mission)

    @extend_schema(
        summary="Delete a mission without shifts (manager)",
        description="A mission with shifts answers 409 `mission_has_shifts`.",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.mission_delete(
            organization=self.organization, actor=self.actor, mission=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Copy a mission N days later with its staffing and shifts (manager)",
        description="Times move by N local calendar days in the organization's zone, so an "
        "18:00 shift stays at 18:00 across a daylight-saving change. Shifts are copied as "
        "drafts without assignments; cancelled shifts are not copied.",
        request=io.MissionDuplicateSerializer,
        responses={201: io.MissionDuplicateResultSerializer},
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
        data = self.validated(io.MissionDuplicateSerializer)
        mission, shifts = services.mission_duplicate(
            organization=self.organization, actor=self.actor, mission=target, **data
        )
        fresh = self.get_queryset().get(pk=mission.pk)
        body = {
            "mission": io.MissionSerializer(fresh).data,
            "shifts": io.ShiftSummarySerializer(shifts, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


# --- Shift templates -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Shift templates", description="`search` on name."),
    retrieve=extend_schema(summary="One shift template"),
)
@extend_schema(tags=["shift templates"])
class ShiftTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = io.ShiftTemplateSerializer
    queryset = ShiftTemplate.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name",)
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.shift_template_list(organization=self.organization)

    @extend_schema(
        summary="Create a shift template (manager)",
        description="Local wall-clock times; an end earlier than the start is on the next day. "
        "`max_headcount` defaults to `headcount`.",
        request=io.ShiftTemplateSerializer,
        responses={201: io.ShiftTemplateSerializer},
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
    )
    def create(self, request: Request) -> Response:
        data = self.validated(io.ShiftTemplateSerializer)
        template = services.shift_template_create(
            organization=self.organization, actor=self.actor, **data
        )
        return self.render(template, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a shift template (manager)",
        description="Shifts already made from the template keep their times.",
        request=io.ShiftTemplateSerializer,
        responses={200: io.ShiftTemplateSerializer},
        examples=[
            request_example("Longer", {"end_time": "04:00"}),
            response_example(
                "Updated", {**TEMPLATE_EXAMPLE, "end_time": "04:00:00", "duration_minutes": 300}
            ),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.ShiftTemplateSerializer, partial=True)
        template = services.shift_template_update(
            organization=self.organization, actor=self.actor, template=target, data=data
        )
        return self.render(template)

    @extend_schema(
        summary="Delete a shift template (manager)",
        description="Shifts made from it stay, without the link.",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.shift_template_delete(
            organization=self.organization, actor=self.actor, template=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Create the template's draft shifts in a mission on given dates (manager)",
        description="Each date is a local date in the organization's zone; times are the "
        "template's wall-clock times that day (a nonexistent time in a spring-forward gap "
        "moves forward by the gap; a repeated autumn time is its first occurrence). Each "
        "shift must lie within the mission's window (400 naming `dates`) and the template's "
        "role must be in the mission's staffing plan (400 naming `mission_id`).",
        request=io.InstantiateSerializer,
        responses={201: io.InstantiateResultSerializer},
        examples=[
            request_example("DST weekend", {"mission_id": MISSION_ID, "dates": ["2026-03-28"]}),
            response_example("Created", {"shifts": [SHIFT_EXAMPLE]}, 201),
        ],
    )
    @action(detail=True, methods=["post"])
    def instantiate(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(io.InstantiateSerializer)
        shifts = services.shift_template_instantiate(
            organization=self.organization, actor=self.actor, template=target, **data
        )
        body = {"shifts": io.ShiftSummarySerializer(shifts, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)
