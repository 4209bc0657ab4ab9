"""``/api/v1/planning/auto-assign/…``: start, follow, cancel and apply auto-assign jobs.

Starting answers 202 at once: the job row is written in the request's transaction and
published to the broker after commit; a broker that is down leaves it queued for the
sweep, never a hanging request. Reading a job needs the tech role; starting, cancelling
and applying need the manager role.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.errors import ValidationFailed
from apps.core.examples import request_example, response_example
from apps.core.filters import StrictFilterBackend
from apps.planning.autoassign import services
from apps.planning.autoassign.serializers import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    AutoAssignApplySerializer,
    AutoAssignJobSerializer,
    AutoAssignJobSummarySerializer,
    AutoAssignStartSerializer,
)
from apps.planning.models import AutoAssignJob

TAG = "planning: auto-assign"
IDEMPOTENCY_HEADER = "Idempotency-Key"

_JOB_ID = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b00"
_JOB_EXAMPLE: dict[str, Any] = {
    "id": _JOB_ID,
    "status": "succeeded",
    "scope": {
        "project_id": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
        "extent": {"shifts": 42, "start": "2026-07-10T08:00:00Z", "end": "2026-07-14T23:00:00Z"},
    },
    "options": {"time_limit": 10, "dry_run": True, "replace_proposed": False, "seed": None},
    "progress": 1.0,
    "coverage_before": 0.25,
    "coverage_after": 0.96,
    "slots_total": 84,
    "slots_filled": 81,
    "error": "",
    "attempts": 1,
    "applied_at": None,
    "created_by": "manager@example.com",
    "timings": {
        "queued_at": "2026-06-01T09:00:00Z",
        "enqueued_at": "2026-06-01T09:00:00Z",
        "started_at": "2026-06-01T09:00:01Z",
        "finished_at": "2026-06-01T09:00:12Z",
        "seconds": 11.2,
    },
    "created": 0,
    "unfilled": [
        {
            "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
            "missing": 1,
            "reasons": ["no eligible artist is free: 3 blocked by min_rest, 2 by week cap"],
        }
    ],
    "conflicts": [],
    "proposal": [
        {
            "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
            "artist_id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04",
        }
    ],
}
_QUEUED_EXAMPLE = {
    **_JOB_EXAMPLE,
    "status": "queued",
    "progress": 0.0,
    "coverage_before": None,
    "coverage_after": None,
    "slots_total": 0,
    "slots_filled": 0,
    "attempts": 0,
    "timings": {
        "queued_at": "2026-06-01T09:00:00Z",
        "enqueued_at": "2026-06-01T09:00:00Z",
        "started_at": None,
        "finished_at": None,
        "seconds": None,
    },
    "unfilled": [],
    "proposal": None,
}
_DETAIL_ONLY = {"created", "unfilled", "conflicts", "proposal"}
_JOB_PATH = OpenApiParameter(
    "job_id", type=str, location=OpenApiParameter.PATH, description="Job id (UUID)."
)


class _JobView(TenantAPIView):
    """Jobs of the request's organization; another organization's job is a 404."""

    serializer_class: type[serializers.BaseSerializer[Any]] = AutoAssignJobSerializer
    lookup_url_kwarg = "job_id"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return AutoAssignJob.objects.select_related("created_by")


class AutoAssignStartView(_JobView):
    @extend_schema(
        tags=[TAG],
        summary="Start an auto-assign job (manager)",
        description=(
            "Answers 202 with the queued job at once. The same `Idempotency-Key` returns the "
            "same job (200). A job queued or running on an overlapping time span answers "
            "409 `job_running` with that job."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                type=str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="Any unique string (up to 200 characters); retries reuse it.",
            )
        ],
        request=AutoAssignStartSerializer,
        responses={202: AutoAssignJobSerializer, 200: AutoAssignJobSerializer},
        examples=[
            request_example(
                "A project, dry run",
                {
                    "scope": {"project_id": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"},
                    "options": {"time_limit": 10, "dry_run": True},
                },
            ),
            request_example(
                "A time range",
                {"scope": {"from": "2026-07-10T00:00:00Z", "to": "2026-07-15T00:00:00Z"}},
            ),
            response_example("Queued", _QUEUED_EXAMPLE, 202),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = AutoAssignStartSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        try:
            job, created = services.autoassign_job_start(
                organization=self.organization,
                actor=self.membership.user,
                scope=serializer.scope_value(),
                options=serializer.options_value(),
                idempotency_key=_idempotency_key(request),
            )
        except services.JobAlreadyRunning as exc:
            exc.extra["job"] = AutoAssignJobSerializer(exc.job).data
            raise
        answer = Response(
            AutoAssignJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
        answer["Location"] = reverse("autoassign-status", kwargs={"job_id": job.pk})
        return answer


def _idempotency_key(request: Request) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ValidationFailed.for_field(IDEMPOTENCY_HEADER, "At most 200 characters.")
    return key


class AutoAssignStatusView(_JobView):
    @extend_schema(
        tags=[TAG],
        summary="Status of an auto-assign job",
        parameters=[_JOB_PATH],
        responses={200: AutoAssignJobSerializer},
        examples=[response_example("Succeeded dry run", _JOB_EXAMPLE)],
    )
    def get(self, request: Request, job_id: str) -> Response:
        return Response(AutoAssignJobSerializer(self.get_object()).data)


class AutoAssignCancelView(_JobView):
    @extend_schema(
        tags=[TAG],
        summary="Cancel a queued or running job (manager)",
        parameters=[_JOB_PATH],
        request=None,
        responses={200: AutoAssignJobSerializer},
        examples=[
            request_example("No body", {}),
            response_example("Cancelled", {**_QUEUED_EXAMPLE, "status": "cancelled"}),
        ],
    )
    def post(self, request: Request, job_id: str) -> Response:
        job = services.autoassign_job_cancel(job=self.get_object(), actor=self.membership.user)
        return Response(AutoAssignJobSerializer(job).data)


class AutoAssignApplyView(_JobView):
    serializer_class = AutoAssignApplySerializer

    @extend_schema(
        tags=[TAG],
        summary="Write a dry run's proposal, all or nothing (manager)",
        description=(
            "Only a succeeded dry run not applied yet. Every pair is checked again; if the "
            "planning changed in a way that breaks one, 409 `planning_changed` with the "
            "conflicts and nothing is written."
        ),
        parameters=[_JOB_PATH],
        request=None,
        responses={200: AutoAssignApplySerializer},
        examples=[
            request_example("No body", {}),
            response_example(
                "Applied",
                {
                    "job": {**_JOB_EXAMPLE, "applied_at": "2026-06-01T09:05:00Z", "created": 1},
                    "created": 1,
                    "conflicts": [],
                },
            ),
        ],
    )
    def post(self, request: Request, job_id: str) -> Response:
        outcome = services.autoassign_job_apply(job=self.get_object(), actor=self.membership.user)
        body = {"job": outcome.job, "created": outcome.created, "conflicts": outcome.conflicts}
        return Response(AutoAssignApplySerializer(body).data)


class AutoAssignJobListView(mixins.ListModelMixin, _JobView):
    serializer_class = AutoAssignJobSummarySerializer
    filter_backends = [StrictFilterBackend]
    filterset_fields = ("status",)

    def safely_get_queryset(self) -> QuerySet[Any]:
        return (
            AutoAssignJob.objects.select_related("created_by")
            .defer("result")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        tags=[TAG],
        summary="Auto-assign jobs, newest first",
        responses={200: AutoAssignJobSummarySerializer(many=True)},
        examples=[
            response_example(
                "A job",
                {key: value for key, value in _JOB_EXAMPLE.items() if key not in _DETAIL_ONLY},
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return self.list(request)
