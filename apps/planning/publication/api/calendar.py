"""The private calendar feed (public, the token is the key) and its rotation."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import TenantAPIView, tenant_exempt
from apps.core.errors import NotFound
from apps.core.examples import request_example, response_example
from apps.crew.models import Artist
from apps.orgs.models import MemberRole
from apps.planning.publication import examples, reports, selectors, services
from apps.planning.publication.api.common import (
    CALENDAR_TAG,
    PassThroughNegotiation,
    file_response,
)
from apps.planning.publication.serializers import (
    CalendarTokenSerializer,
)


@tenant_exempt("the artist's unguessable calendar token is the credential")
class CalendarFeedView(APIView):
    """``GET /calendar/{token}.ics``: calendar apps poll it without credentials."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    content_negotiation_class = PassThroughNegotiation

    @extend_schema(
        tags=[CALENDAR_TAG],
        summary="An artist's private calendar feed (iCalendar; no login, the token is the key)",
        operation_id="calendar_feed",
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        examples=[
            OpenApiExample(
                "Feed",
                value=examples.ICS,
                response_only=True,
                media_type="text/calendar",
            )
        ],
    )
    def get(self, request: Request, token: str) -> HttpResponse:
        artist = selectors.artist_by_calendar_token(token=token)
        if artist is None:
            raise NotFound()
        body = reports.artist_calendar(artist=artist)
        return file_response(body, "text/calendar; charset=utf-8")


class CalendarTokenRotateView(TenantAPIView):
    """The crew member linked to the artist, or a manager, replaces the private URL."""

    serializer_class = CalendarTokenSerializer
    write_role = MemberRole.TECH

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Artist.objects.all()

    @extend_schema(
        tags=[CALENDAR_TAG],
        summary="Rotate an artist's private calendar URL (the artist or a manager)",
        request=None,
        responses={200: CalendarTokenSerializer},
        examples=[
            request_example("No body", None),
            response_example(
                "New URL",
                {
                    "artist": "2f3e4d5c-6b7a-4981-8c7d-6e5f4a3b2c05",
                    "calendar_url": "https://crewplan.example/api/v1/calendar/Zx3….ics",
                },
            ),
        ],
    )
    def post(self, request: Request, pk: Any) -> Response:
        artist = services.artist_rotate_calendar_token(
            artist=self.get_object(), membership=self.membership
        )
        body = {"artist": artist.pk, "calendar_url": services.calendar_url(artist)}
        return Response(CalendarTokenSerializer(body).data)
