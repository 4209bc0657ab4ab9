"""``/api/v1/planning/shifts`` and ``/api/v1/planning/assignments``.

Thin views: an input serializer, one service or selector, an output serializer. Every
write answers the object with its conflicts (``{"shift": ..., "conflicts": [...]}``);
a hard conflict is a 409 with the conflicts, unless an admin overrides it with a reason.
Reading needs the tech role, writing the manager role, overriding the admin role.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantViewSet
from apps.core.examples import request_example, response_example
from apps.core.filters import TenantObjectFilter, TimeRangeFilterSet
from apps.core.revisions import CachedListMixin
from apps.crew.models import Artist
from apps.planning.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Mission,
    Project,
    Role,
    Shift,
    ShiftStatus,
    Venue,
)
from apps.planning.schedule import selectors, services
from apps.planning.schedule.serializers import (
    AssignmentCreateSerializer,
    AssignmentMoveSerializer,
    AssignmentSerializer,
    AssignmentStatusSerializer,
    AssignmentUpdateSerializer,
    AssignmentWriteResultSerializer,
    ShiftBulkResultSerializer,
    ShiftBulkSerializer,
    ShiftCopyPreviewSerializer,
    ShiftCopyResultSerializer,
    ShiftCopySerializer,
    ShiftSerializer,
    ShiftStatusSerializer,
    ShiftWriteResultSerializer,
    ShiftWriteSerializer,
)

SHIFT_TAG = "planning: shifts"
ASSIGNMENT_TAG = "planning: assignments"

_SHIFT_ID = "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10"
_OTHER_SHIFT_ID = "6c1d4a0f-2e8b-4d62-8b66-2a1c9f3b8d21"
_THIRD_SHIFT_ID = "7d2e5b10-3f9c-4e73-9c77-3b2d0a4c9e32"
_SKIPPED_COPY = {
    "shift_id": _OTHER_SHIFT_ID,
    "code": "invalid",
    "reason": "must not be after the mission ends.",
}
_COPY_RESULT = {"created": [_THIRD_SHIFT_ID], "skipped": [_SKIPPED_COPY]}
_COPY_PREVIEW = {
    "created": [
        {
            "shift_id": _SHIFT_ID,
            "start_at": "2026-07-07T16:00:00Z",
            "end_at": "2026-07-07T23:00:00Z",
        }
    ],
    "skipped": [{**_SKIPPED_COPY, "reason": "must not be before the mission starts."}],
}
_NOT_DRAFTS = f"Not drafts (only drafts are deleted): {_OTHER_SHIFT_ID}."
_CONFLICT_EXAMPLE = {
    "type": "soft",
    "rule": "missing_break",
    "message": "A shift of 7 h needs a 20 min break.",
    "details": {"shift_id": _SHIFT_ID, "minutes": 0, "required_minutes": 20},
}
_SHIFT_EXAMPLE = {
    "id": _SHIFT_ID,
    "mission_id": "0c6d9c1e-7a25-4e0e-9d55-4f5a3c0d9b01",
    "project_id": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
    "venue_id": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a02",
    "role_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
    "template_id": None,
    "start_at": "2026-07-14T16:00:00Z",
    "end_at": "2026-07-14T23:00:00Z",
    "headcount": 2,
    "max_headcount": 3,
    "break_minutes": 0,
    "status": "draft",
    "notes": "Load-in by the stage door.",
    "published_at": None,
    "created_at": "2026-06-01T09:00:00Z",
    "updated_at": "2026-06-01T09:00:00Z",
}
_ASSIGNMENT_EXAMPLE = {
    "id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04",
    "shift_id": _SHIFT_ID,
    "artist_id": "2f3e4d5c-6b7a-4981-8c7d-6e5f4a3b2c05",
    "project_id": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
    "status": "proposed",
    "locked": False,
    "source": "manual",
    "start_at": "2026-07-14T16:00:00Z",
    "end_at": "2026-07-14T23:00:00Z",
    "note": "",
    "status_changed_at": "2026-06-01T09:05:00Z",
    "created_by_id": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a06",
    "auto_assign_job_id": None,
    "created_at": "2026-06-01T09:05:00Z",
    "updated_at": "2026-06-01T09:05:00Z",
}


def _shift_answer(name: str, **changes: Any) -> OpenApiExample:
    return response_example(
        name, {"shift": {**_SHIFT_EXAMPLE, **changes}, "conflicts": [_CONFLICT_EXAMPLE]}
    )


def _assignment_answer(name: str, **changes: Any) -> OpenApiExample:
    return response_example(
        name, {"assignment": {**_ASSIGNMENT_EXAMPLE, **changes}, "conflicts": []}
    )


class ShiftFilter(TimeRangeFilterSet):
    project = TenantObjectFilter(model=Project, field_name="mission__project")
    mission = TenantObjectFilter(model=Mission, field_name="mission")
    venue = TenantObjectFilter(model=Venue, field_name="venue")
    role = TenantObjectFilter(model=Role, field_name="role")
    status = django_filters.ChoiceFilter(choices=ShiftStatus.choices)

    class Meta:
        model = Shift
        fields = ("project", "mission", "venue", "role", "status")


class AssignmentFilter(TimeRangeFilterSet):
    artist = TenantObjectFilter(model=Artist, field_name="artist")
    shift = TenantObjectFilter(model=Shift, field_name="shift")
    project = TenantObjectFilter(model=Project, field_name="shift__mission__project")
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices)
    locked = django_filters.BooleanFilter()
    source = django_filters.ChoiceFilter(choices=AssignmentSource.choices)

    class Meta:
        model = Assignment
        fields = ("artist", "shift", "project", "status", "locked", "source")


class ScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """What both resources share: the input helper and the acting user."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ("start_at", "end_at", "created_at")
    ordering = ("start_at", "id")
    result_key: ClassVar[str]

    # A write answers {<result_key>: the object as saved, "conflicts": [...]}.
    def answer(self, result: services.WriteResult[Any], code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_serializer_class()(result.obj).data
        return Response({self.result_key: obj, "conflicts": result.conflicts}, status=code)


@extend_schema_view(
    list=extend_schema(summary="Shifts (filter by time range, project, mission, venue, role)"),
    retrieve=extend_schema(summary="One shift"),
)
@extend_schema(tags=[SHIFT_TAG])
class ShiftViewSet(CachedListMixin, ScheduleViewSet):
    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter
    result_key = "shift"
    cache_namespace = "shifts"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.shift_list(organization=self.organization)

    def cache_range(self) -> tuple[datetime, datetime] | None:
        """``from`` and ``to`` as the filters read them: a week's list stays cached through
        writes in other weeks (``apps.core.revisions``). Without both, any write."""
        filters = ShiftFilter(
            self.request.query_params, queryset=Shift.objects.none(), request=self.request
        )
        if not filters.is_valid():
            return None
        start, end = filters.form.cleaned_data.get("from"), filters.form.cleaned_data.get("to")
        if start is None or end is None or end <= start:
            return None
        return start, end

    @extend_schema(
        summary="Create a shift in a mission (manager; admin to override a hard rule)",
        request=ShiftWriteSerializer,
        responses={201: ShiftWriteResultSerializer},
        examples=[
            request_example(
                "Evening shift",
                {
                    "mission_id": _SHIFT_EXAMPLE["mission_id"],
                    "role_id": _SHIFT_EXAMPLE["role_id"],
                    "start_at": "2026-07-14T16:00:00Z",
                    "end_at": "2026-07-14T23:00:00Z",
                    "headcount": 2,
                    "max_headcount": 3,
                    "notes": "Load-in by the stage door.",
                },
            ),
            _shift_answer("Created, with a soft conflict"),
        ],
    )
    def create(self, request: Request) -> Response:
        data = self.validated(ShiftWriteSerializer)
        reason = data.pop("override_reason", None)
        result = services.shift_create(
            organization=self.organization,
            actor=self.actor,
            membership=self.membership,
            data=data,
            override_reason=reason,
        )
        return self.answer(result, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a shift; moving it moves and re-checks its assignments",
        request=ShiftWriteSerializer,
        responses={200: ShiftWriteResultSerializer},
        examples=[
            request_example(
                "Start one hour later",
                {"start_at": "2026-07-14T17:00:00Z", "end_at": "2026-07-15T00:00:00Z"},
            ),
            _shift_answer("Moved", start_at="2026-07-14T17:00:00Z", end_at="2026-07-15T00:00:00Z"),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = self.validated(ShiftWriteSerializer, partial=True)
        reason = data.pop("override_reason", None)
        result = services.shift_update(
            shift=self.get_object(),
            actor=self.actor,
            membership=self.membership,
            data=data,
            override_reason=reason,
        )
        return self.answer(result)

    @extend_schema(
        summary="Delete a shift made by mistake (refused once accepted or invited: cancel it)",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.shift_delete(shift=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Change a shift's status (draft → published → cancelled)",
        request=ShiftStatusSerializer,
        responses={200: ShiftWriteResultSerializer},
        examples=[
            request_example("Publish", {"status": "published"}),
            _shift_answer("Published", status="published", published_at="2026-06-02T10:00:00Z"),
        ],
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        data = self.validated(ShiftStatusSerializer)
        result = services.shift_set_status(
            shift=self.get_object(), actor=self.actor, status=data["status"]
        )
        return self.answer(result)

    @extend_schema(
        summary="Cancel a shift and its active assignments",
        request=None,
        responses={200: ShiftWriteResultSerializer},
        examples=[
            request_example("No body", {}),
            response_example(
                "Cancelled", {"shift": {**_SHIFT_EXAMPLE, "status": "cancelled"}, "conflicts": []}
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        result = services.shift_cancel(shift=self.get_object(), actor=self.actor)
        return self.answer(result)

    @extend_schema(
        summary=(
            "Copy shifts some days later or earlier (next week by default) as drafts without "
            "crew; a copy outside its mission or refused by a rule is skipped with the reason"
        ),
        description="Each copy keeps its shift's wall-clock times in the organization's zone "
        "(an 18:00 shift stays an 18:00 shift across a daylight-saving change). `days` is "
        "negative for an earlier date; 0 is a 400 naming `days`. Cancelled shifts are left "
        "out. `POST /planning/shifts/copy/preview` answers what this would do, writing nothing.",
        request=ShiftCopySerializer,
        responses={201: ShiftCopyResultSerializer},
        examples=[
            request_example("Next week", {"shift_ids": [_SHIFT_ID, _OTHER_SHIFT_ID], "days": 7}),
            request_example("The week before", {"shift_ids": [_SHIFT_ID], "days": -7}),
            response_example("One copied, one skipped", _COPY_RESULT, 201),
        ],
    )
    @action(detail=False, methods=["post"], url_path="copy")
    def copy_shifts(self, request: Request) -> Response:
        result = self._copy(services.shifts_copy)
        body = {"created": [shift.pk for shift in result.created], "skipped": result.skipped}
        return Response(ShiftCopyResultSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Preview a copy of shifts: what it would create and skip, nothing written",
        description="The same body, role and checks as `POST /planning/shifts/copy` (the copy "
        "itself runs in a transaction rolled back): `created` lists each copy it would make "
        "(the shift copied and the copy's times), `skipped` the copies it would refuse, with "
        "the reason. No shift, audit entry or e-mail is left behind.",
        request=ShiftCopySerializer,
        responses={200: ShiftCopyPreviewSerializer},
        examples=[
            request_example(
                "The week before", {"shift_ids": [_SHIFT_ID, _OTHER_SHIFT_ID], "days": -7}
            ),
            response_example("One to create, one skipped", _COPY_PREVIEW),
        ],
    )
    @action(detail=False, methods=["post"], url_path="copy/preview")
    def copy_shifts_preview(self, request: Request) -> Response:
        result = self._copy(services.shifts_copy_preview)
        return Response(ShiftCopyPreviewSerializer(result).data)

    def _copy(self, copy: Callable[..., services.CopyResult]) -> services.CopyResult:
        """The copy (or its preview) of the shifts and days the body names."""
        data = self.validated(ShiftCopySerializer)
        return copy(
            organization=self.organization,
            actor=self.actor,
            membership=self.membership,
            shifts=data["shifts"],
            days=data["days"],
        )

    @extend_schema(
        summary=(
            "Restore a cancelled shift as a draft, with the conflicts it now has (its bookings "
            "stay cancelled; 409 when its project is archived)"
        ),
        request=None,
        responses={200: ShiftWriteResultSerializer},
        examples=[_shift_answer("Restored", status="draft")],
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        result = services.shift_restore(shift=self.get_object(), actor=self.actor)
        return self.answer(result)

    @extend_schema(
        summary=(
            "Cancel, restore or delete a selection of shifts at once: all or nothing "
            "(400 naming the shifts the action does not apply to; 404 for another "
            "organization's id; a refusal on one rolls back all and names it)"
        ),
        request=ShiftBulkSerializer,
        responses={200: ShiftBulkResultSerializer},
        examples=[
            request_example(
                "Cancel three shifts",
                {
                    "action": "cancel",
                    "shift_ids": [_SHIFT_ID, _OTHER_SHIFT_ID, _THIRD_SHIFT_ID],
                },
            ),
            request_example("Delete a draft", {"action": "delete", "shift_ids": [_SHIFT_ID]}),
            response_example(
                "Cancelled",
                {"action": "cancel", "shift_ids": [_SHIFT_ID, _OTHER_SHIFT_ID, _THIRD_SHIFT_ID]},
            ),
            response_example(
                "Not drafts",
                {
                    "error": {
                        "status": 400,
                        "code": "invalid_selection",
                        "message": _NOT_DRAFTS,
                        "fields": {"shift_ids": [_NOT_DRAFTS]},
                    }
                },
                400,
            ),
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request: Request) -> Response:
        data = self.validated(ShiftBulkSerializer)
        done = services.shifts_bulk(
            organization=self.organization,
            shifts=data["shifts"],
            action=services.BulkShiftAction(data["action"]),
            actor=self.actor,
        )
        body = {"action": data["action"], "shift_ids": done}
        return Response(ShiftBulkResultSerializer(body).data)


@extend_schema_view(
    list=extend_schema(summary="Assignments (filter by artist, shift, project, time range)"),
    retrieve=extend_schema(summary="One assignment"),
)
@extend_schema(tags=[ASSIGNMENT_TAG])
class AssignmentViewSet(ScheduleViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    result_key = "assignment"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.assignment_list(organization=self.organization)

    @extend_schema(
        summary="Assign an artist to a shift (manager; admin to override a hard rule)",
        request=AssignmentCreateSerializer,
        responses={201: AssignmentWriteResultSerializer},
        examples=[
            request_example(
                "Propose",
                {
                    "shift_id": _SHIFT_ID,
                    "artist_id": _ASSIGNMENT_EXAMPLE["artist_id"],
                    "note": "Knows the venue.",
                },
            ),
            request_example(
                "Admin override of min_rest",
                {
                    "shift_id": _SHIFT_ID,
                    "artist_id": _ASSIGNMENT_EXAMPLE["artist_id"],
                    "override_reason": "Agreed with the crew member; travel day after.",
                },
            ),
            _assignment_answer("Proposed"),
        ],
    )
    def create(self, request: Request) -> Response:
        data = self.validated(AssignmentCreateSerializer)
        result = services.assignment_create(
            organization=self.organization,
            actor=self.actor,
            membership=self.membership,
            shift=data["shift"],
            artist=data["artist"],
            status=data["status"],
            locked=data["locked"],
            note=data["note"],
            override_reason=data.get("override_reason"),
        )
        return self.answer(result, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an assignment's note or lock",
        request=AssignmentUpdateSerializer,
        responses={200: AssignmentWriteResultSerializer},
        examples=[
            request_example("Lock", {"locked": True}),
            _assignment_answer("Locked", locked=True),
        ],
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = self.validated(AssignmentUpdateSerializer, partial=True)
        result = services.assignment_update(
            assignment=self.get_object(), actor=self.actor, data=data
        )
        return self.answer(result)

    @extend_schema(
        summary=(
            "Move a person to another shift: this booking cancelled, a proposed one made "
            "there, in one transaction (409 with the conflicts, nothing changed, when refused)"
        ),
        request=AssignmentMoveSerializer,
        responses={201: AssignmentWriteResultSerializer},
        examples=[
            request_example("To another shift", {"shift_id": _SHIFT_ID}),
            _assignment_answer("Moved", status="proposed"),
        ],
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        data = self.validated(AssignmentMoveSerializer)
        result = services.assignment_move(
            assignment=self.get_object(),
            actor=self.actor,
            membership=self.membership,
            shift=data["shift"],
            override_reason=data.get("override_reason"),
        )
        return self.answer(result, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Delete a mistaken assignment (refused when accepted or invited: cancel it)",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.assignment_delete(assignment=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Change an assignment's status (proposed → invited → accepted | declined)",
        request=AssignmentStatusSerializer,
        responses={200: AssignmentWriteResultSerializer},
        examples=[
            request_example("Invite", {"status": "invited"}),
            request_example("Cancel", {"status": "cancelled"}),
            _assignment_answer("Invited", status="invited"),
        ],
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        data = self.validated(AssignmentStatusSerializer)
        result = services.assignment_set_status(
            assignment=self.get_object(),
            actor=self.actor,
            membership=self.membership,
            status=data["status"],
            override_reason=data.get("override_reason"),
        )
        return self.answer(result)

    @extend_schema(
        summary="Lock an assignment: auto-assign never moves it",
        request=None,
        responses={200: AssignmentWriteResultSerializer},
        examples=[
            request_example("No body", {}),
            _assignment_answer("Locked", locked=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk: str | None = None) -> Response:
        return self._set_locked(locked=True)

    @extend_schema(
        summary="Unlock an assignment",
        request=None,
        responses={200: AssignmentWriteResultSerializer},
        examples=[
            request_example("No body", {}),
            _assignment_answer("Unlocked"),
        ],
    )
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        return self._set_locked(locked=False)

    def _set_locked(self, *, locked: bool) -> Response:
        result = services.assignment_set_locked(
            assignment=self.get_object(), actor=self.actor, locked=locked
        )
        return self.answer(result)
