"""``GET /planning/call-sheet``: the day's call sheet, the data of the printable page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.examples import response_example
from apps.core.fields import TenantPrimaryKeyRelatedField, planning_date_field
from apps.planning.models import Shift, Venue
from apps.planning.publication import examples
from apps.planning.publication.api.common import (
    ERROR_400,
    ERROR_404,
    REPORT_TAG,
    validated_query,
)
from apps.planning.publication.call_sheet import call_sheet


class CallSheetQuerySerializer(serializers.Serializer[Any]):
    date = planning_date_field(help_text="The local day (organization's zone).")
    venue = TenantPrimaryKeyRelatedField(model=Venue, required=False, allow_null=True)


class CallSheetRowSerializer(serializers.Serializer[Any]):
    shift_id = serializers.UUIDField()
    call_time = serializers.CharField(help_text="Local start of the shift, HH:MM.")
    end_time = serializers.CharField(help_text="Local end of the shift, HH:MM.")
    role_name = serializers.CharField()
    mission_name = serializers.CharField()
    shift_status = serializers.CharField()
    artist_id = serializers.UUIDField(allow_null=True, help_text="None for an open seat.")
    name = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_null=True, help_text="The booking's status.")
    phone = serializers.CharField(
        allow_null=True, help_text="None when empty or hidden by the contacts policy."
    )


class CallSheetVenueSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    rows = CallSheetRowSerializer(many=True)


class CallSheetSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    timezone = serializers.CharField()
    contacts_shown = serializers.BooleanField(
        help_text="Whether the reader sees the crew's phones (managers, or shared contacts)."
    )
    venues = CallSheetVenueSerializer(many=True)


class CallSheetView(TenantAPIView):
    """Every member reads it: managers with drafts and every booking, crew members the
    published shifts and the bookings they were told about; phones by the contacts policy."""

    serializer_class = CallSheetSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.all()

    @extend_schema(
        tags=[REPORT_TAG],
        summary="The call sheet of a local day: per venue, who, role, call time, phone",
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, required=True),
            OpenApiParameter("venue", OpenApiTypes.UUID, description="One venue; else all."),
        ],
        responses={200: CallSheetSerializer, 400: ERROR_400, 404: ERROR_404},
        examples=[response_example("Call sheet", examples.CALL_SHEET)],
    )
    def get(self, request: Request) -> Response:
        query = validated_query(CallSheetQuerySerializer, self)
        venue = query.get("venue")
        sheet = call_sheet(
            membership=self.membership, day=query["date"], venue_id=venue.pk if venue else None
        )
        return Response(CallSheetSerializer(sheet).data)
