"""Reports: an artist's hours, a project's cost, the planning as CSV."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
)
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.errors import PermissionDenied
from apps.core.examples import response_example
from apps.crew import policies
from apps.crew.models import Artist
from apps.orgs.models import MemberRole
from apps.planning.models import (
    Assignment,
    Project,
)
from apps.planning.publication import examples, reports, selectors
from apps.planning.publication.api.common import (
    DATE_PARAMETERS,
    ERROR_400,
    ERROR_404,
    REPORT_TAG,
    PassThroughNegotiation,
    file_response,
    validated_query,
)
from apps.planning.publication.serializers import (
    ArtistHoursSerializer,
    DateRangeQuerySerializer,
    ExportQuerySerializer,
    ProjectCostSerializer,
)


class ArtistHoursView(TenantAPIView):
    """Hours of accepted work; a tech reads only his or her own."""

    serializer_class = ArtistHoursSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Artist.objects.select_related("organization")

    @extend_schema(
        tags=[REPORT_TAG],
        summary="Paid hours of an artist by local ISO week, and the intermittent threshold",
        description=(
            "Accepted assignments on shifts that are not cancelled, counted on the local day "
            "they start; paid hours = real elapsed time minus the break. `from` defaults to "
            "the first day of `to`'s month, `to` to today. For intermittents, the rolling "
            "365 days ending with `to` (or now, when `to` is not given) against 507 h."
        ),
        parameters=DATE_PARAMETERS,
        responses={200: ArtistHoursSerializer, 400: ERROR_400},
        examples=[response_example("Hours", examples.HOURS)],
    )
    def get(self, request: Request, pk: Any) -> Response:
        artist = self.get_object()
        if not (
            policies.is_manager(self.membership.role)
            or policies.is_own(user_id=request.user.pk, artist_user_id=artist.user_id)
        ):
            raise PermissionDenied("A crew member can read only his or her own hours.")
        query = validated_query(DateRangeQuerySerializer, self)
        report = reports.artist_hours(artist=artist, first=query.get("from"), last=query.get("to"))
        return Response(ArtistHoursSerializer(report).data)


class ProjectCostView(TenantAPIView):
    serializer_class = ProjectCostSerializer
    read_role = MemberRole.MANAGER

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Project.objects.all()

    @extend_schema(
        tags=[REPORT_TAG],
        summary="Estimated labour cost of a project (manager)",
        description=(
            "Per active assignment: hourly rate × paid hours; else the half-day rate up to "
            "5 h; else the day rate per started 10 h; else the half-day rate per started 5 h. "
            "Open slots are estimated with the mean cost, for that slot, of the artists booked "
            "on the role."
        ),
        responses={200: ProjectCostSerializer},
        examples=[response_example("Cost", examples.COST)],
    )
    def get(self, request: Request, pk: Any) -> Response:
        report = reports.project_cost(organization=self.organization, project=self.get_object())
        return Response(ProjectCostSerializer(report).data)


class PlanningExportView(TenantAPIView):
    """``GET /planning/export.csv`` (manager): one row per active assignment."""

    read_role = MemberRole.MANAGER
    content_negotiation_class = PassThroughNegotiation

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Assignment.objects.all()

    @extend_schema(
        tags=[REPORT_TAG],
        summary="The planning as CSV (manager; UTF-8 with BOM, local times)",
        description=(
            "One row per active assignment (proposed, invited, accepted): local date, start "
            "and end (with its date when the shift ends on another day), project, mission, "
            "venue, role, artist, status, shift status. Give a project, or both from and to "
            "(local days, included)."
        ),
        parameters=[
            *DATE_PARAMETERS,
            OpenApiParameter("project", OpenApiTypes.UUID),
            OpenApiParameter("venue", OpenApiTypes.UUID),
        ],
        operation_id="planning_export_csv",
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            400: ERROR_400,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "CSV",
                value=examples.CSV,
                response_only=True,
                media_type="text/csv",
            )
        ],
    )
    def get(self, request: Request) -> HttpResponse:
        query = validated_query(ExportQuerySerializer, self)
        start, end = reports.local_range(query.get("from"), query.get("to"), self.organization)
        rows = selectors.export_assignments(
            organization=self.organization,
            start=start,
            end=end,
            project_id=query["project"].pk if query.get("project") else None,
            venue_id=query["venue"].pk if query.get("venue") else None,
        )
        body = reports.planning_csv(organization=self.organization, rows=list(rows))
        return file_response(body, "text/csv; charset=utf-8", "planning.csv")
