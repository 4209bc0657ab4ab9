"""``/api/v1/me/...``: the crew member's own profile, hours, schedule and invitations.

What the crew page (``/app/me``) reads: everything about the artist linked to the
logged-in user in the active organization (404 when the account has no crew profile).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.datetimes import parse_instant
from apps.core.errors import NotFound
from apps.core.examples import response_example
from apps.core.schema import ConflictSerializer
from apps.core.site import site_url
from apps.orgs.models import MemberRole
from apps.planning.models import Shift
from apps.planning.publication import invitations
from apps.planning.publication import me as selectors


def calendar_url(token: str, request: Any = None) -> str:
    """The private feed's address, on the public site address (``apps.core.site``)."""
    return f"{site_url(request)}/api/v1/calendar/{token}.ics"


class MyAssignmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    assignment_id = serializers.UUIDField()
    status = serializers.CharField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    role = serializers.CharField()
    venue = serializers.CharField()
    mission = serializers.CharField()
    shift_status = serializers.CharField()
    expires_at = serializers.DateTimeField(required=False)


class MyAssignmentListSerializer(serializers.Serializer[Any]):
    results = MyAssignmentSerializer(many=True)


class MyScheduleMixin:
    """Endpoints about the artist linked to the logged-in user (404 when none)."""

    def my_artist(self) -> Any:
        view: Any = self
        artist = selectors.artist_for_user(
            organization=view.organization, user=view.membership.user
        )
        if artist is None:
            raise NotFound("Your account is not linked to a crew profile.")
        return artist


class MyAssignmentsView(MyScheduleMixin, TenantAPIView):
    serializer_class = MyAssignmentListSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=["crew"],
        summary="My assignments from a date on (default now), cancelled ones left out",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Since (ISO 8601).")
        ],
        responses={200: MyAssignmentListSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("from")
        since = parse_instant(raw, field="from") if raw is not None else timezone.now()
        rows = selectors.my_assignments(artist=self.my_artist(), since=since)
        return Response({"results": MyAssignmentSerializer(rows, many=True).data})


class MyInvitationsView(MyScheduleMixin, TenantAPIView):
    serializer_class = MyAssignmentListSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=["crew"],
        summary="My invitations waiting for an answer",
        responses={200: MyAssignmentListSerializer},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.my_pending_invitations(artist=self.my_artist())
        return Response({"results": MyAssignmentSerializer(rows, many=True).data})


class MyAnswerSerializer(serializers.Serializer[Any]):
    invitation = serializers.UUIDField()
    status = serializers.CharField(help_text="The invitation's status after the answer.")
    conflicts = ConflictSerializer(many=True)


class MyInvitationAnswerView(TenantAPIView):
    """Accept or decline one's own invitation from the crew page (session or token)."""

    serializer_class = MyAnswerSerializer
    write_role = MemberRole.TECH  # one's own invitation: every member may answer
    accept = True

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    def post(self, request: Request, pk: str) -> Response:
        result = invitations.invitation_answer_as_artist(
            organization=self.organization,
            invitation_id=pk,  # type: ignore[arg-type]
            user=self.membership.user,
            accept=self.accept,
        )
        return Response(
            MyAnswerSerializer(
                {
                    "invitation": result.invitation.pk,
                    "status": result.invitation.status,
                    "conflicts": result.conflicts,
                }
            ).data
        )


ANSWER_EXAMPLE = response_example(
    "Answered",
    {
        "invitation": "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f80",
        "status": "accepted",
        "conflicts": [],
    },
)


@extend_schema_view(
    post=extend_schema(
        tags=["crew"],
        summary="Accept my invitation (409 with the conflicts if it would break a hard rule)",
        request=None,
        responses={200: MyAnswerSerializer},
        examples=[ANSWER_EXAMPLE],
    )
)
class MyInvitationAcceptView(MyInvitationAnswerView):
    accept = True


@extend_schema_view(
    post=extend_schema(
        tags=["crew"],
        summary="Decline my invitation",
        request=None,
        responses={200: MyAnswerSerializer},
        examples=[ANSWER_EXAMPLE],
    )
)
class MyInvitationDeclineView(MyInvitationAnswerView):
    accept = False


class MyArtistSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    employment_type = serializers.CharField()
    calendar_url = serializers.CharField()


class MyArtistView(TenantAPIView):
    """The crew profile linked to the logged-in user in the active organization."""

    serializer_class = MyArtistSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=["crew"],
        summary="My crew profile (404 when the account is not linked to an artist)",
        responses={200: MyArtistSerializer},
        examples=[
            response_example(
                "Me",
                {
                    "id": "0c6f3d2a-8f0e-4d8a-9c43-2d8d2f1b7a10",
                    "name": "Théo Tech",
                    "employment_type": "intermittent",
                    "calendar_url": "https://planning.example.com/api/v1/calendar/Qm9…​.ics",
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        artist = selectors.artist_for_user(
            organization=self.organization, user=self.membership.user
        )
        if artist is None:
            raise NotFound("Your account is not linked to a crew profile.")
        return Response(
            {
                "id": str(artist.id),
                "name": artist.full_name,
                "employment_type": artist.employment_type,
                "calendar_url": calendar_url(artist.calendar_token, request),
            }
        )


class HoursTotalSerializer(serializers.Serializer[Any]):
    # ``from`` is a keyword: declared through ``get_fields``.
    to = serializers.DateField(help_text="Last local day counted (included).")
    hours = serializers.FloatField(help_text="Paid hours: elapsed time minus breaks.")
    shifts = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        return {"from": serializers.DateField(help_text="First local day counted."), **fields}


class ThresholdSerializer(serializers.Serializer[Any]):
    threshold = serializers.IntegerField(help_text="507 h over 12 months (intermittents).")
    reached = serializers.BooleanField()


class MyHoursSerializer(serializers.Serializer[Any]):
    timezone = serializers.CharField()
    month = HoursTotalSerializer()
    last_12_months = HoursTotalSerializer()
    intermittent_threshold = ThresholdSerializer(allow_null=True)


class MyHoursView(MyScheduleMixin, TenantAPIView):
    serializer_class = MyHoursSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=["crew"],
        summary="My paid hours: this month and the last 12 months (local time)",
        description=(
            "Accepted assignments on shifts that are not cancelled, each counted on the local "
            "day it starts in the organization's zone; paid hours are the elapsed time minus "
            "the break. `month` is the current local calendar month (upcoming accepted shifts "
            "included); `last_12_months` is that month and the eleven before it. "
            "`intermittent_threshold` is given to intermittents only."
        ),
        responses={200: MyHoursSerializer},
        examples=[
            response_example(
                "Hours",
                {
                    "timezone": "Europe/Paris",
                    "month": {"from": "2026-12-01", "to": "2026-12-31", "hours": 32.5, "shifts": 4},
                    "last_12_months": {
                        "from": "2026-01-01",
                        "to": "2026-12-31",
                        "hours": 412.0,
                        "shifts": 51,
                    },
                    "intermittent_threshold": {"threshold": 507, "reached": False},
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        report = selectors.my_hours(artist=self.my_artist())
        data = {
            **report,
            "month": report["month"].as_json(),  # type: ignore[attr-defined]
            "last_12_months": report["last_12_months"].as_json(),  # type: ignore[attr-defined]
        }
        return Response(MyHoursSerializer(data).data)
