"""``GET /api/v1/planning/timeline``: the planning board's one compact read.

The payload is built by ``apps.planning.schedule.timeline`` as plain dicts and goes out
as it is: no model serializer walks thousands of rows (the output serializers below only
document the shape in the schema).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from apps.core.api import TenantAPIView
from apps.core.examples import response_example
from apps.core.revisions import CACHE_HEADER
from apps.core.schema import WaiverSerializer
from apps.core.tenancy import require_ids_in_organization
from apps.crew.models import Artist
from apps.orgs.models import MemberRole
from apps.planning.models import Project, Role, Shift, ShiftStatus, Venue
from apps.planning.rules.api.conflicts import (
    RANGE_PARAMETERS,
    READ_ERRORS,
    RangeQuerySerializer,
    RangeSerializer,
)
from apps.planning.schedule.timeline import SHIFT_FIELDS, TimelineQuery, cached_timeline

ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads the header

TIMELINE_TAG = "planning: timeline"


class TimelineQuerySerializer(RangeQuerySerializer):
    project = serializers.UUIDField(required=False)
    venue = serializers.UUIDField(required=False)
    role = serializers.UUIDField(required=False)
    artist = serializers.UUIDField(required=False)
    status = serializers.CharField(
        required=False, help_text="Comma-separated: draft,published,cancelled."
    )

    def validate_status(self, value: str) -> tuple[str, ...]:
        statuses = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
        unknown = [status for status in statuses if status not in ShiftStatus.values]
        if unknown or not statuses:
            raise serializers.ValidationError(f"Unknown status '{','.join(unknown)}'.")
        return statuses


class BadgeSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["hard", "soft"])
    rule = serializers.CharField()
    message = serializers.CharField()
    waived = WaiverSerializer(required=False, help_text="Set when an admin waived it.")
    artist = serializers.IntegerField(
        required=False, help_text="Position in ``artists`` of the one person it is about."
    )


SHIFT_FIELDS_HELP = (
    "The names of a shift's items, in order: id; mission (position in ``missions``); role "
    "(position in ``roles``); start_at and end_at (UTC to the minute: 2025-03-14T17:00Z); "
    "status (draft, published or cancelled); headcount; max_headcount; break_minutes; "
    "conflicts (positions in the payload's ``conflicts``); crew (its active assignments, "
    "each [assignment id, position in ``artists``, status, locked, source (manual, auto or "
    'claim), version (the assignment\'s ``ETag`` without ``W/"…"``: send it back as '
    "``If-Match``), and for managers its cost (the person's rates for the paid hours; null "
    'without a rate)]); v (the shift\'s version: its ``ETag`` without ``W/"…"``; a write '
    'sent with ``If-Match: W/"<v>"`` is refused, 412, if the shift changed since).'
)


class NamedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()


class TimelineArtistSerializer(NamedSerializer):
    currency = serializers.CharField(required=False, help_text="Managers only: of the costs.")


class TimelineMissionSerializer(NamedSerializer):
    project_id = serializers.UUIDField()
    venue_id = serializers.UUIDField()


class TimelineProjectSerializer(NamedSerializer):
    color = serializers.CharField()


class TimelineSerializer(serializers.Serializer[Any]):
    range = RangeSerializer()
    timezone = serializers.CharField()
    shift_fields = serializers.ListField(child=serializers.CharField(), help_text=SHIFT_FIELDS_HELP)
    shifts = serializers.ListField(
        child=serializers.ListField(),
        help_text="Each shift as a list of the items ``shift_fields`` names, in that order.",
    )
    conflicts = BadgeSerializer(many=True)
    conflicts_recomputing = serializers.BooleanField(
        help_text=(
            "True while a rule change is being applied to every stored conflict (a job): "
            "the conflicts shown were computed for this read meanwhile."
        )
    )
    artists = TimelineArtistSerializer(many=True)
    venues = NamedSerializer(many=True)
    missions = TimelineMissionSerializer(many=True)
    projects = TimelineProjectSerializer(many=True)
    roles = NamedSerializer(many=True)
    weekly_cap_hours = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Managers only: the weekly_hours rule's cap (null when the rule is off).",
    )


_IDS = {
    "shift": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
    "mission": "0c6d9c1e-7a25-4e0e-9d55-4f5a3c0d9b01",
    "project": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
    "venue": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a02",
    "role": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
    "artist": "2f6e8a1c-9b3d-4e5f-8a7b-6c5d4e3f2a10",
}
_TIMELINE_EXAMPLE = {
    "range": {"from": "2025-03-01T00:00:00Z", "to": "2025-04-01T00:00:00Z"},
    "timezone": "Europe/Paris",
    "shift_fields": list(SHIFT_FIELDS),
    "shifts": [
        [
            _IDS["shift"],
            0,
            0,
            "2025-03-14T17:00Z",
            "2025-03-14T22:30Z",
            "draft",
            2,
            3,
            0,
            [0],
            [
                [
                    "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04",
                    0,
                    "accepted",
                    False,
                    "manual",
                    "hoq0ebgp8v",
                ]
            ],
            "hoq0eb9hit",
        ]
    ],
    "conflicts": [
        {
            "type": "hard",
            "rule": "min_rest",
            "message": "Camille Durand : amplitude de 15 h 30 (ven. 14 mars "
            "08:00–14:00 (Rigger, Transbordeur), ven. 14 mars 18:00–23:30 (Régie, "
            "Transbordeur)), au-delà des 13 h qui laissent 11 h de repos quotidien.",
            "waived": {
                "id": "e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a07",
                "by": "admin@example.com",
                "at": "2025-03-10T09:12:00Z",
                "reason": "Tournée : repos compensateur le samedi.",
            },
        }
    ],
    "conflicts_recomputing": False,
    "artists": [{"id": _IDS["artist"], "name": "Léa Martin"}],
    "venues": [{"id": _IDS["venue"], "name": "Le Transbordeur"}],
    "missions": [
        {
            "id": _IDS["mission"],
            "name": "Concert day",
            "project_id": _IDS["project"],
            "venue_id": _IDS["venue"],
        }
    ],
    "projects": [{"id": _IDS["project"], "name": "Nuits Sonores 2025", "color": "#ff6600"}],
    "roles": [{"id": _IDS["role"], "name": "Lighting desk"}],
}


class TimelineView(TenantAPIView):
    """Every member reads the board.

    Compressed when the client accepts gzip (the large demo month is 1.08 MB of JSON, 0.38 MB
    gzipped), once per revision of the range (``cached_timeline``). Only this read: it
    holds no secret a compression side channel could leak.
    """

    queryset = Shift.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.all()

    @extend_schema(
        tags=[TIMELINE_TAG],
        summary=(
            "The planning board: shifts, assignments, conflict badges and names, each sent "
            "once (cached until the next write; X-Cache: HIT|MISS; gzip when accepted)"
        ),
        parameters=[
            *RANGE_PARAMETERS,
            *(
                OpenApiParameter(
                    name,
                    OpenApiTypes.UUID,
                    description=f"Only this {name}.",
                    examples=[OpenApiExample(f"A {name}", value=_IDS[name])],
                )
                for name in ("project", "venue", "role", "artist")
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                description="Comma-separated shift statuses; cancelled shifts only when asked.",
                examples=[OpenApiExample("Everything", value="draft,published,cancelled")],
            ),
        ],
        responses={200: TimelineSerializer, **READ_ERRORS},
        examples=[response_example("Board", _TIMELINE_EXAMPLE)],
    )
    def get(self, request: Request) -> HttpResponse:
        serializer = TimelineQuerySerializer(
            data=request.query_params.dict(), context={"organization": self.organization}
        )
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data
        self._require_filters(params)
        query = TimelineQuery(
            start=params["from"],
            end=params["to"],
            project_id=params.get("project"),
            venue_id=params.get("venue"),
            role_id=params.get("role"),
            artist_id=params.get("artist"),
            statuses=params.get("status", ()),
            costs=bool(self.membership and self.membership.has_role(MemberRole.MANAGER)),
        )
        accepts_gzip = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        payload = cached_timeline(
            organization=self.organization, query=query, gzip_ok=bool(accepts_gzip)
        )
        response = HttpResponse(payload.body, content_type="application/json")
        if payload.gzipped:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        response[CACHE_HEADER] = "HIT" if payload.hit else "MISS"
        return response

    def _require_filters(self, params: dict[str, Any]) -> None:
        models = {"project": Project, "venue": Venue, "role": Role, "artist": Artist}
        for field, model in models.items():
            require_ids_in_organization(
                organization=self.organization, model=model, ids=[params.get(field)], field=field
            )
