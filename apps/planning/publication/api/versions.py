"""``/planning/publish`` and ``/plannings``: publishing and the versions it froze."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView, TenantViewSet
from apps.core.examples import request_example, response_example
from apps.core.filters import TenantObjectFilter, TimeRangeFilterSet
from apps.core.schema import ConflictSerializer
from apps.orgs.models import User
from apps.planning.models import (
    PlanningVersion,
    Project,
)
from apps.planning.publication import examples, selectors, services
from apps.planning.publication.api.common import (
    PUBLICATION_TAG,
)
from apps.planning.publication.serializers import (
    PlanningVersionDetailSerializer,
    PlanningVersionSerializer,
    PublishInputSerializer,
    PublishResultSerializer,
)
from apps.planning.rules.examples import WAIVED_CONFLICT


class PublishView(TenantAPIView):
    """``POST /planning/publish`` (manager)."""

    serializer_class = PublishInputSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return PlanningVersion.objects.all()

    def scope_from(self, request: Request) -> services.PublicationScope:
        data = self.validated(PublishInputSerializer)
        return services.PublicationScope(
            project_id=data["project_id"].pk if data.get("project_id") else None,
            start=data.get("from"),
            end=data.get("to"),
            venue_id=data["venue_id"].pk if data.get("venue_id") else None,
            shift_ids=tuple(str(shift.pk) for shift in data.get("shift_ids") or ()),
        )

    @extend_schema(
        tags=[PUBLICATION_TAG],
        summary=(
            "Publish a project, a date range or a selection of shifts (manager); all or "
            "nothing, 409 while hard conflicts remain"
        ),
        request=PublishInputSerializer,
        responses={
            201: OpenApiResponse(PublishResultSerializer, description="A new version."),
            200: OpenApiResponse(PublishResultSerializer, description="Nothing changed."),
        },
        examples=[
            request_example("A project", {"project_id": examples.PROJECT_ID}),
            request_example(
                "A week at one venue",
                {
                    "from": "2026-07-13T00:00:00+02:00",
                    "to": "2026-07-20T00:00:00+02:00",
                    "venue_id": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a02",
                },
            ),
            request_example(
                "A selection of shifts (the board's bulk publish)",
                {
                    "shift_ids": [
                        "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
                        "6c1d4a0f-2e8b-4d62-8b66-2a1c9f3b8d21",
                    ]
                },
            ),
            response_example(
                "Published",
                {"changed": True, "version": {**examples.VERSION, "diff": examples.DIFF}},
                201,
            ),
            response_example("Nothing changed", {"changed": False, "version": None}, 200),
        ],
    )
    def post(self, request: Request) -> Response:
        result = services.planning_publish(
            organization=self.organization,
            actor=cast(User, request.user),
            scope=self.scope_from(request),
        )
        body = {"changed": result.changed, "version": result.version}
        code = status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK
        return Response(PublishResultSerializer(body).data, status=code)


class ChangeSideSerializer(serializers.Serializer[Any]):
    """A shift as it reads on one side of a change; local times in the organization's zone."""

    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    start_local = serializers.CharField(help_text="Wall-clock start, YYYY-MM-DDTHH:MM.")
    end_local = serializers.CharField(help_text="Wall-clock end, YYYY-MM-DDTHH:MM.")
    venue_name = serializers.CharField()
    role_name = serializers.CharField()
    mission_name = serializers.CharField()
    status = serializers.CharField(help_text="The shift's status.")
    booking_status = serializers.CharField(
        required=False, help_text="For a booking: its status on this side."
    )


class PublishChangeSerializer(serializers.Serializer[Any]):
    """One change of the diff, with what grouping by person or by day needs."""

    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    subject = serializers.ChoiceField(
        choices=["shift", "booking"],
        help_text="A shift (its bookings listed in people) or one booking on a kept shift.",
    )
    shift_id = serializers.UUIDField()
    assignment_id = serializers.UUIDField(allow_null=True)
    day = serializers.DateField(help_text="Local day of the shift (after the change if any).")
    people = serializers.ListField(
        child=serializers.DictField(), help_text="Everyone the change concerns: id and name."
    )
    before = ChangeSideSerializer(allow_null=True)
    after = ChangeSideSerializer(allow_null=True)
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text="For a change: the fields that differ."
    )


class PublishPreviewSerializer(serializers.Serializer[Any]):
    conflicts = ConflictSerializer(many=True, help_text="Hard conflicts that would refuse it.")
    waived_conflicts = ConflictSerializer(
        many=True, help_text="Hard conflicts an admin waived: listed, they do not refuse it."
    )
    diff = serializers.DictField(help_text="Shifts and assignments added, removed, changed.")
    changes = PublishChangeSerializer(
        many=True,
        help_text="The diff as readable changes, sorted by local day and time; never cut.",
    )
    summary = serializers.DictField(child=serializers.IntegerField())
    affected_artists = serializers.ListField(child=serializers.DictField())
    previous_number = serializers.IntegerField(allow_null=True)


class PublishPreviewView(PublishView):
    """``POST /planning/publish/preview`` (manager): what publishing would change."""

    @extend_schema(
        tags=[PUBLICATION_TAG],
        summary="Preview a publication: diff, crew to notify, blocking conflicts (no write)",
        request=PublishInputSerializer,
        responses={200: PublishPreviewSerializer},
        examples=[
            request_example("A project", {"project_id": examples.PROJECT_ID}),
            response_example(
                "Preview",
                {
                    "conflicts": [],
                    "waived_conflicts": [WAIVED_CONFLICT],
                    "diff": examples.DIFF,
                    "changes": examples.CHANGES,
                    "summary": {"shifts": 12, "assignments": 30, "shifts_published": 4},
                    "affected_artists": [
                        {"id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03", "name": "Camille Durand"}
                    ],
                    "previous_number": 3,
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        preview = services.planning_publish_preview(
            organization=self.organization, scope=self.scope_from(request)
        )
        return Response(PublishPreviewSerializer(preview).data)


class ScopeIdFilter(TenantObjectFilter):
    """A tenant id compared with an id stored as text in the version's JSON scope."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return super().filter(qs, str(value) if value not in (None, "") else value)


class PlanningVersionFilter(TimeRangeFilterSet):
    """``project``: versions of that project's scope; ``from``/``to``: covered period overlaps."""

    project = ScopeIdFilter(model=Project, field_name="scope__project_id")

    class Meta:
        model = PlanningVersion
        fields = ("project",)

    from_filter = ("period_end", "gt", "Covered period overlaps from.")
    to_filter = ("period_start", "lt", "Covered period overlaps until.")


@extend_schema_view(
    list=extend_schema(
        summary="Published versions, newest first (every member)",
        examples=[
            response_example(
                "Page", {"count": 1, "next": None, "previous": None, "results": [examples.VERSION]}
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One version with its diff and snapshot (every member)",
        responses={200: PlanningVersionDetailSerializer},
        examples=[
            response_example(
                "Version",
                {
                    **examples.VERSION,
                    "diff": examples.DIFF,
                    "snapshot": {"shifts": [], "assignments": []},
                },
            )
        ],
    ),
)
@extend_schema(tags=[PUBLICATION_TAG])
class PlanningVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    serializer_class = PlanningVersionSerializer
    filterset_class = PlanningVersionFilter
    ordering_fields = ("number", "published_at")
    ordering = ("-number",)

    def safely_get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "action", None) == "retrieve":
            return PlanningVersion.objects.all()
        return selectors.planning_version_list(organization=self.organization)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if getattr(self, "action", None) == "retrieve":
            return PlanningVersionDetailSerializer
        return PlanningVersionSerializer
