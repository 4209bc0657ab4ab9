"""Conflict endpoints, and the range parameters the timeline shares with them.

- ``POST planning/conflicts/preview``: conflicts of a proposed change, nothing written
  (manager).
- ``GET  planning/conflicts``: current conflicts in a range (every member).
- ``GET  artists/{id}/conflicts``: one artist's conflicts in a range (every member).

Thin views: an input serializer, one check, a plain response. Ids in a body or a query
string are checked against the organization in one query per kind (404 naming the
field), not one query per id.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar
from uuid import UUID

from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.datetimes import InstantField
from apps.core.examples import request_example, response_example
from apps.core.revisions import cached_answer, canonical_query, list_cache_key, range_revision
from apps.core.schema import ERROR_DESCRIPTIONS, ConflictSerializer, ErrorSerializer
from apps.core.tenancy import require_ids_in_organization
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    Project,
    Role,
    Shift,
    ShiftStatus,
)
from apps.planning.rules.conflicts import (
    ProposedAssignment,
    ProposedShift,
    check_proposal,
    conflicts_in_range,
)
from apps.planning.rules.examples import DUTY_PERIOD_CONFLICT, WAIVED_CONFLICT
from apps.planning.schedule.timeline import utc_iso

CONFLICTS_TAG = "planning: conflicts"
MAX_RANGE = timedelta(days=62)

# --- Serializers ----------------------------------------------------------------------


class RangeQuerySerializer(serializers.Serializer[Any]):
    """``from``/``to`` (ISO 8601; a time without offset is local to the organization).

    ``from`` is a Python keyword, so both fields are added in ``get_fields``.
    """

    max_range: ClassVar[timedelta] = MAX_RANGE

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        organization: Organization | None = self.context.get("organization")
        zone = organization.tzinfo if organization is not None else None
        fields["from"] = InstantField(default_timezone=zone)
        fields["to"] = InstantField(default_timezone=zone)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": ["Must be after from."]})
        if attrs["to"] - attrs["from"] > self.max_range:
            days = self.max_range.days
            raise serializers.ValidationError({"to": [f"The range is at most {days} days."]})
        return attrs


class ConflictRangeQuerySerializer(RangeQuerySerializer):
    project = serializers.UUIDField(required=False)
    artist = serializers.UUIDField(required=False)


class RangeSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {"from": serializers.DateTimeField(), "to": serializers.DateTimeField()}


class ConflictListSerializer(serializers.Serializer[Any]):
    range = RangeSerializer()
    conflicts = ConflictSerializer(many=True)


class PreviewShiftSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False, allow_null=True, help_text="A stored shift.")
    ref = serializers.CharField(
        required=False, max_length=64, help_text="Client key of a new shift."
    )
    mission_id = serializers.UUIDField()
    role_id = serializers.UUIDField()
    start_at = InstantField()
    end_at = InstantField()
    headcount = serializers.IntegerField(min_value=0, default=1)
    max_headcount = serializers.IntegerField(min_value=0, default=1)
    break_minutes = serializers.IntegerField(min_value=0, default=0)
    status = serializers.ChoiceField(choices=ShiftStatus.choices, default=ShiftStatus.DRAFT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end_at"] <= attrs["start_at"]:
            raise serializers.ValidationError({"end_at": ["Must be after start_at."]})
        if attrs["max_headcount"] < attrs["headcount"]:
            raise serializers.ValidationError({"max_headcount": ["Must be at least headcount."]})
        return attrs


class PreviewAssignmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False, allow_null=True, help_text="A stored assignment.")
    ref = serializers.CharField(required=False, max_length=64)
    shift_id = serializers.UUIDField(required=False, allow_null=True)
    shift_ref = serializers.CharField(
        required=False, max_length=64, help_text="The ref of a shift of this preview."
    )
    artist_id = serializers.UUIDField()
    status = serializers.ChoiceField(
        choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("shift_id")) == bool(attrs.get("shift_ref")):
            raise serializers.ValidationError({"shift_id": ["Give shift_id or shift_ref."]})
        return attrs


class PreviewSerializer(serializers.Serializer[Any]):
    shifts = serializers.ListField(child=PreviewShiftSerializer(), required=False, max_length=200)
    assignments = serializers.ListField(
        child=PreviewAssignmentSerializer(), required=False, max_length=500
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        shifts, assignments = attrs.get("shifts", []), attrs.get("assignments", [])
        if not shifts and not assignments:
            raise serializers.ValidationError({"assignments": ["Propose a shift or assignment."]})
        refs = {shift.get("ref") for shift in shifts if shift.get("ref")}
        unknown = {a["shift_ref"] for a in assignments if a.get("shift_ref")} - refs
        if unknown:
            message = f"No proposed shift has the ref '{sorted(unknown)[0]}'."
            raise serializers.ValidationError({"shift_ref": [message]})
        return attrs


class PreviewResultSerializer(serializers.Serializer[Any]):
    conflicts = ConflictSerializer(many=True)


# --- Examples and shared schema parts -------------------------------------------

_SHIFT_ID = "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10"
_ARTIST_ID = "2f6e8a1c-9b3d-4e5f-8a7b-6c5d4e3f2a10"
_PROJECT_ID = "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
_REST_CONFLICT = DUTY_PERIOD_CONFLICT
RANGE_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATETIME,
        required=True,
        description="Start of the range (ISO 8601; without offset: the organization's zone).",
        examples=[OpenApiExample("March, local", value="2025-03-01T00:00:00+01:00")],
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATETIME,
        required=True,
        description="End of the range, at most 62 days after from.",
        examples=[OpenApiExample("End of March, local", value="2025-04-01T00:00:00+02:00")],
    ),
]
READ_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["400"]),
    404: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["404"]),
}


# --- Views ----------------------------------------------------------------------------


class ConflictPreviewView(TenantAPIView):
    """Conflicts of a proposed change; nothing is written (manager)."""

    queryset = Shift.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.all()

    @extend_schema(
        tags=[CONFLICTS_TAG],
        summary="Preview the conflicts of proposed shifts and assignments",
        request=PreviewSerializer,
        responses={200: PreviewResultSerializer},
        examples=[
            request_example(
                "A new shift and who would work it",
                {
                    "shifts": [
                        {
                            "ref": "load-in",
                            "mission_id": "0c6d9c1e-7a25-4e0e-9d55-4f5a3c0d9b01",
                            "role_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
                            "start_at": "2025-03-15T06:00:00Z",
                            "end_at": "2025-03-15T12:00:00Z",
                            "headcount": 2,
                            "max_headcount": 3,
                        }
                    ],
                    "assignments": [
                        {"shift_ref": "load-in", "artist_id": _ARTIST_ID},
                        {"shift_id": _SHIFT_ID, "artist_id": _ARTIST_ID, "status": "invited"},
                    ],
                },
            ),
            response_example("Conflicts", {"conflicts": [_REST_CONFLICT]}),
            response_example("A waived conflict", {"conflicts": [WAIVED_CONFLICT]}),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shifts = serializer.validated_data.get("shifts", [])
        assignments = serializer.validated_data.get("assignments", [])
        _require_preview_ids(self.organization, shifts, assignments)
        found = check_proposal(
            organization=self.organization,
            shifts=[ProposedShift(**shift) for shift in shifts],
            assignments=[_proposed_assignment(item) for item in assignments],
        )
        return Response({"conflicts": found})


def _proposed_assignment(item: dict[str, Any]) -> ProposedAssignment:
    shift: UUID | str = item.get("shift_id") or item["shift_ref"]
    return ProposedAssignment(
        shift_id=shift,
        artist_id=item["artist_id"],
        status=item["status"],
        id=item.get("id"),
        ref=item.get("ref"),
    )


def _require_preview_ids(
    organization: Organization, shifts: list[dict[str, Any]], assignments: list[dict[str, Any]]
) -> None:
    """Every id of the body belongs to the organization: one query per kind, 404 naming it."""
    wanted: list[tuple[type[Any], list[Any], str]] = [
        (Mission, [s["mission_id"] for s in shifts], "mission_id"),
        (Role, [s["role_id"] for s in shifts], "role_id"),
        (Shift, [s.get("id") for s in shifts], "shifts.id"),
        (Shift, [a.get("shift_id") for a in assignments], "shift_id"),
        (Artist, [a["artist_id"] for a in assignments], "artist_id"),
        (Assignment, [a.get("id") for a in assignments], "assignments.id"),
    ]
    for model, ids, field in wanted:
        require_ids_in_organization(organization=organization, model=model, ids=ids, field=field)


def range_answer(params: dict[str, Any]) -> dict[str, str]:
    """The validated range, in UTC, as the response echoes it."""
    return {name: utc_iso(params[name]) for name in ("from", "to")}


def _conflicts_in(
    request: Request,
    organization: Organization,
    params: dict[str, Any],
    *,
    project_id: UUID | None = None,
    artist_id: UUID | None = None,
) -> Response:
    """The conflicts of the range, cached like the board that shows them: under the range's
    revision (``apps.core.revisions.range_revision``: bumped by a write of a shift or an
    assignment around it, by the stored conflicts' upkeep where a conflict changed, and by
    any other write), the query and the reader's language (the messages are in it). The
    ids of the query were checked before (a foreign one is a 404, never cached)."""

    def compute() -> Response:
        found = conflicts_in_range(
            organization=organization,
            start=params["from"],
            end=params["to"],
            project_id=project_id,
            artist_id=artist_id,
        )
        return Response({"range": range_answer(params), "conflicts": found})

    revision = range_revision(organization.pk, params["from"], params["to"], organization.tzinfo)
    key = None
    if revision is not None:
        key = list_cache_key(
            namespace="conflicts" if artist_id is None else f"conflicts-of:{artist_id}",
            organization_id=organization.pk,
            revision=revision,
            query=canonical_query(request),
            visibility=translation.get_language() or "",
        )
    return cached_answer(key, compute)


CACHED_RANGE = (
    "Served from the cache until a write reaches the range (a shift or an assignment "
    "around it, a conflict of it changing, a rule, artist or catalog write): the response's "
    "`X-Cache` header says HIT or MISS. Messages are in the reader's language."
)

_CONFLICT_LIST_EXAMPLE = response_example(
    "Conflicts of a month",
    {
        "range": {"from": "2025-03-01T00:00:00Z", "to": "2025-04-01T00:00:00Z"},
        "conflicts": [_REST_CONFLICT, WAIVED_CONFLICT],
    },
)


class ConflictListView(TenantAPIView):
    """Current conflicts of a range (every member)."""

    queryset = Shift.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.all()

    @extend_schema(
        tags=[CONFLICTS_TAG],
        summary="Current conflicts in a range (optionally of one project or artist)",
        description=CACHED_RANGE,
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter(
                "project",
                OpenApiTypes.UUID,
                description="Only this project.",
                examples=[OpenApiExample("A project", value=_PROJECT_ID)],
            ),
            OpenApiParameter(
                "artist",
                OpenApiTypes.UUID,
                description="Only this artist.",
                examples=[OpenApiExample("An artist", value=_ARTIST_ID)],
            ),
        ],
        responses={200: ConflictListSerializer, **READ_ERRORS},
        examples=[_CONFLICT_LIST_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        query = ConflictRangeQuerySerializer(
            data=request.query_params.dict(), context={"organization": self.organization}
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        for model, field in ((Project, "project"), (Artist, "artist")):
            require_ids_in_organization(
                organization=self.organization, model=model, ids=[params.get(field)], field=field
            )
        return _conflicts_in(
            request,
            self.organization,
            params,
            project_id=params.get("project"),
            artist_id=params.get("artist"),
        )


class ArtistConflictListView(TenantAPIView):
    """One artist's conflicts in a range (every member); another tenant's artist is a 404."""

    queryset = Artist.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Artist.objects.all()

    @extend_schema(
        tags=[CONFLICTS_TAG],
        summary="An artist's conflicts in a range",
        description=CACHED_RANGE,
        parameters=RANGE_PARAMETERS,
        responses={200: ConflictListSerializer, **READ_ERRORS},
        examples=[_CONFLICT_LIST_EXAMPLE],
    )
    def get(self, request: Request, pk: UUID) -> Response:
        artist = self.get_object()
        query = RangeQuerySerializer(
            data=request.query_params.dict(), context={"organization": self.organization}
        )
        query.is_valid(raise_exception=True)
        return _conflicts_in(request, self.organization, query.validated_data, artist_id=artist.pk)
