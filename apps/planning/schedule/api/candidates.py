"""``GET /api/v1/planning/shifts/{id}/candidates``: who could work a shift, best fit first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.errors import NotFound, ValidationFailed
from apps.core.examples import response_example
from apps.core.schema import ConflictSerializer
from apps.orgs.models import MemberRole
from apps.planning.models import Shift
from apps.planning.schedule.candidates import shift_candidates


class CandidateSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    fits = serializers.BooleanField(
        help_text="No hard conflict: the assignment would be accepted (same check as a preview)."
    )
    free = serializers.BooleanField(
        help_text="No hard conflict on time: double booking, daily rest (duty periods), absence."
    )
    skilled = serializers.BooleanField(help_text="Has every skill the shift's role requires.")
    hours_this_week = serializers.FloatField(
        help_text="Hours of active assignments this local week."
    )
    conflicts = ConflictSerializer(
        many=True, help_text="What assigning this person would cause, as a preview says it."
    )


class CandidateListSerializer(serializers.Serializer[Any]):
    results = CandidateSerializer(many=True)


CANDIDATES_EXAMPLE = response_example(
    "Candidates",
    {
        "results": [
            {
                "id": "0c6f3d2a-8f0e-4d8a-9c43-2d8d2f1b7a10",
                "name": "Camille Durand",
                "fits": True,
                "free": True,
                "skilled": True,
                "hours_this_week": 12.5,
                "conflicts": [],
            },
            {
                "id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "name": "Léa Martin",
                "fits": False,
                "free": True,
                "skilled": False,
                "hours_this_week": 0.0,
                "conflicts": [
                    {
                        "type": "hard",
                        "rule": "missing_skill",
                        "message": "Léa Martin lacks a skill the role requires: rigging.",
                        "details": {"missing_skills": ["rigging"]},
                    }
                ],
            },
        ]
    },
)


class ShiftCandidatesView(TenantAPIView):
    """Artists for a shift, best fit first, for the board's "assign" list (managers)."""

    read_role = MemberRole.MANAGER
    serializer_class = CandidateListSerializer

    def safely_get_queryset(self) -> QuerySet[Any]:
        return Shift.objects.select_related("role", "organization")

    @extend_schema(
        tags=["planning"],
        summary="Artists for a shift, ranked by fit (no hard conflict, fewest soft, skills, hours)",
        parameters=[
            OpenApiParameter("limit", int, description="How many (1-200, default 30)."),
            OpenApiParameter(
                "qualified", bool, description="Only those with the role's skills (default no)."
            ),
        ],
        responses={200: CandidateListSerializer},
        examples=[CANDIDATES_EXAMPLE],
    )
    def get(self, request: Request, pk: str) -> Response:
        shift = self.get_queryset().filter(pk=pk).first()
        if shift is None:
            raise NotFound()
        try:
            limit = min(max(int(request.query_params.get("limit", 30)), 1), 200)
        except ValueError:
            raise ValidationFailed.for_field("limit", "A whole number from 1 to 200.") from None
        qualified = request.query_params.get("qualified", "false").lower()
        if qualified not in ("true", "false", "1", "0"):
            raise ValidationFailed.for_field("qualified", "true or false.")
        candidates = shift_candidates(
            shift=shift, limit=limit, qualified_only=qualified in ("true", "1")
        )
        return Response({"results": CandidateSerializer(candidates, many=True).data})
