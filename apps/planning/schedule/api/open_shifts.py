"""Open shifts: managers open and approve (``/planning/open-shifts``), crew claim (``/me``)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.examples import request_example, response_example
from apps.core.fields import TenantPrimaryKeyRelatedField
from apps.core.schema import ConflictSerializer
from apps.orgs.models import MemberRole, User
from apps.planning.models import Assignment, Shift
from apps.planning.schedule import open_shifts

OPEN_SHIFT_TAG = "planning: open shifts"
_SHIFT_ID = "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10"
_ASSIGNMENT_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04"
_OPEN_SHIFT = {
    "id": _SHIFT_ID,
    "start_at": "2026-07-14T16:00:00Z",
    "end_at": "2026-07-14T22:00:00Z",
    "role": "Rigger",
    "venue": "Olympia",
    "venue_address": "28 bd des Capucines, Paris",
    "mission": "Concerts",
    "project": "Festival 2026",
    "headcount": 2,
    "seats_left": 1,
    "my_claim": None,
    "conflicts": [],
}
_CLAIMED: dict[str, Any] = {
    "id": _ASSIGNMENT_ID,
    "shift_id": _SHIFT_ID,
    "artist_id": "0c6f3d2a-8f0e-4d8a-9c43-2d8d2f1b7a10",
    "status": "proposed",
    "source": "claim",
}
_CLAIM = {"assignment": _CLAIMED, "conflicts": []}


class ShiftSelectionSerializer(serializers.Serializer[Any]):
    shift_ids = TenantPrimaryKeyRelatedField(model=Shift, many=True)

    def validate_shift_ids(self, value: list[Shift]) -> list[Shift]:
        if not value:
            raise serializers.ValidationError("Select at least one shift.")
        return value


class OpenShiftStateSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.CharField()
    open_to_crew = serializers.BooleanField()


class OpenShiftStateListSerializer(serializers.Serializer[Any]):
    shifts = OpenShiftStateSerializer(many=True)


class OpenShiftSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="shift.id")
    start_at = serializers.DateTimeField(source="shift.start_at")
    end_at = serializers.DateTimeField(source="shift.end_at")
    role = serializers.CharField(source="shift.role.name")
    venue = serializers.CharField(source="shift.venue.name")
    venue_address = serializers.SerializerMethodField()
    mission = serializers.CharField(source="shift.mission.name")
    project = serializers.CharField(source="shift.mission.project.name")
    headcount = serializers.IntegerField(source="shift.headcount")
    seats_left = serializers.IntegerField()
    my_claim = serializers.CharField(
        allow_null=True, help_text="proposed (waiting for approval) or accepted; null: free"
    )
    conflicts = ConflictSerializer(many=True, help_text="Soft conflicts a claim would have.")

    def get_venue_address(self, row: open_shifts.OpenShiftRow) -> str:
        venue = row.shift.venue
        return ", ".join(part for part in (venue.address, venue.city) if part)


class OpenShiftListSerializer(serializers.Serializer[Any]):
    results = OpenShiftSerializer(many=True)


class ClaimAssignmentSerializer(serializers.ModelSerializer[Assignment]):
    shift_id = serializers.UUIDField(read_only=True)
    artist_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Assignment
        fields = ("id", "shift_id", "artist_id", "status", "source")
        read_only_fields = fields


class ClaimResultSerializer(serializers.Serializer[Any]):
    assignment = ClaimAssignmentSerializer()
    conflicts = ConflictSerializer(many=True)


def _selection_schema(summary: str, opened: bool) -> Any:
    return extend_schema(
        tags=[OPEN_SHIFT_TAG],
        summary=summary,
        request=ShiftSelectionSerializer,
        responses={200: OpenShiftStateListSerializer},
        examples=[
            request_example("Selection", {"shift_ids": [_SHIFT_ID]}),
            response_example(
                "Done",
                {"shifts": [{"id": _SHIFT_ID, "status": "published", "open_to_crew": opened}]},
            ),
        ],
    )


class OpenShiftsView(TenantAPIView):
    """``POST /planning/open-shifts`` (manager): open published shifts to the crew."""

    serializer_class = ShiftSelectionSerializer
    open_to_crew = True

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.all()

    def post(self, request: Request) -> Response:
        validated = self.validated(ShiftSelectionSerializer)
        shifts = open_shifts.shifts_set_open(
            organization=self.organization,
            actor=cast(User, request.user),
            shift_ids=[shift.pk for shift in validated["shift_ids"]],
            open_to_crew=self.open_to_crew,
        )
        return Response(OpenShiftStateListSerializer({"shifts": shifts}).data)


@_selection_schema("Open published shifts to qualified crew (manager)", True)
class OpenShiftsOpenView(OpenShiftsView):
    open_to_crew = True


@_selection_schema("Close shifts to the crew's claims (manager)", False)
class OpenShiftsCloseView(OpenShiftsView):
    open_to_crew = False


class ClaimApproveView(TenantAPIView):
    """``POST /planning/open-shifts/claims/{id}/approve`` (manager)."""

    serializer_class = ClaimResultSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Assignment.objects.all()

    @extend_schema(
        tags=[OPEN_SHIFT_TAG],
        summary="Approve a crew member's pending claim: the assignment is accepted (manager)",
        request=None,
        responses={200: ClaimResultSerializer},
        examples=[
            request_example("No body", None),
            response_example(
                "Approved", {"assignment": {**_CLAIMED, "status": "accepted"}, "conflicts": []}
            ),
        ],
    )
    def post(self, request: Request, pk: str) -> Response:
        result = open_shifts.open_shift_claim_approve(
            organization=self.organization,
            actor=cast(User, request.user),
            membership=self.membership,
            assignment_id=pk,
        )
        return Response(ClaimResultSerializer(result).data)


class MyOpenShiftsView(TenantAPIView):
    """``GET /me/open-shifts``: what the logged-in crew member may claim."""

    serializer_class = OpenShiftListSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=[OPEN_SHIFT_TAG],
        summary="Open shifts I am qualified and free for, and my pending claims",
        responses={200: OpenShiftListSerializer},
        examples=[response_example("Open", {"results": [_OPEN_SHIFT]})],
    )
    def get(self, request: Request) -> Response:
        artist = open_shifts.artist_of(organization=self.organization, user=self.membership.user)
        rows = open_shifts.open_shifts_for_artist(
            organization=self.organization, artist=artist, now=timezone.now()
        )
        return Response({"results": OpenShiftSerializer(rows, many=True).data})


class MyOpenShiftClaimView(TenantAPIView):
    """``POST /me/open-shifts/{id}/claim``: take a seat (every member linked to an artist)."""

    serializer_class = ClaimResultSerializer
    write_role = MemberRole.TECH

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.none()

    @extend_schema(
        tags=[OPEN_SHIFT_TAG],
        summary="Claim a seat of an open shift (409 shift_full, hard_conflict, ...)",
        request=None,
        responses={201: ClaimResultSerializer},
        examples=[
            request_example("No body", None),
            response_example("Claimed", _CLAIM, 201),
        ],
    )
    def post(self, request: Request, pk: str) -> Response:
        result = open_shifts.open_shift_claim(
            organization=self.organization, user=self.membership.user, shift_id=pk
        )
        return Response(ClaimResultSerializer(result).data, status=status.HTTP_201_CREATED)
