"""Serializers of the shift and assignment API.

Input serializers check types and take ids from the caller's organization only
(``TenantPrimaryKeyRelatedField``: a foreign id is a 404 naming the field); the rules
that need the database (staffing plan, mission window, transitions, conflicts) live in
``apps.planning.schedule.services``. Output serializers only read what the selectors
joined.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rest_framework import serializers

from apps.core.fields import TenantPrimaryKeyRelatedField
from apps.core.planned import PlannedRepresentation
from apps.core.schema import ConflictSerializer
from apps.crew.models import Artist
from apps.planning.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    Role,
    Shift,
    ShiftStatus,
    ShiftTemplate,
    Venue,
)
from apps.planning.schedule.services.bulk import BulkShiftAction

MAX_HEADCOUNT = 1000
# The most shifts one bulk action takes (each goes through its own service, audited).
MAX_BULK_SHIFTS = 500
MINUTES_PER_DAY = 24 * 60
# How far a copy reaches, either way: a year, leap day included.
MAX_COPY_DAYS = 366


class OverrideReasonMixin(serializers.Serializer[Any]):
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Admins only: why a hard rule (other than double_booking) may be broken.",
    )

    def validate_override_reason(self, value: str) -> str | None:
        return value.strip() or None


class FrozenFieldsMixin(serializers.Serializer[Any]):
    """Refuses, naming them, fields that a PATCH cannot change (rather than ignoring them)."""

    frozen_fields: dict[str, str] = {}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = getattr(self, "initial_data", {}) or {}
        errors = {name: [why] for name, why in self.frozen_fields.items() if name in given}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- Shifts ---------------------------------------------------------------------------


class ShiftSerializer(PlannedRepresentation, serializers.ModelSerializer[Shift]):
    mission_id = serializers.UUIDField(read_only=True)
    project_id = serializers.UUIDField(source="mission.project_id", read_only=True)
    venue_id = serializers.UUIDField(read_only=True)
    role_id = serializers.UUIDField(read_only=True)
    template_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Shift
        fields: tuple[str, ...] = (
            "id",
            "mission_id",
            "project_id",
            "venue_id",
            "role_id",
            "template_id",
            "start_at",
            "end_at",
            "headcount",
            "max_headcount",
            "break_minutes",
            "status",
            "notes",
            "published_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class LocalDateTimeField(serializers.DateTimeField):
    """An instant; one given without an offset is wall-clock time in the organization's zone.

    A wall-clock time the zone skips (02:30 on a spring-forward night) or reads twice (02:30
    on a fall-back night) is refused with a 400 that says so, instead of being moved an
    hour or guessed: the caller resends it with an explicit offset.
    """

    def enforce_timezone(self, value: datetime) -> datetime:
        organization = self.context.get("organization")
        if value.tzinfo is not None or organization is None:
            return super().enforce_timezone(value)
        zone = ZoneInfo(organization.timezone)
        first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
        shown = f"{value:%H:%M} on {value:%Y-%m-%d}"
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
            raise serializers.ValidationError(
                f"{shown} does not exist in {zone.key}: the clocks skip that hour "
                "(daylight saving). Give another time.",
                code="nonexistent_local_time",
            )
        if first.utcoffset() != second.utcoffset():
            raise serializers.ValidationError(
                f"{shown} happens twice in {zone.key} (the clocks go back): give it with "
                f"its offset, {first.isoformat()} or {second.isoformat()}.",
                code="ambiguous_local_time",
            )
        return first


class ShiftWriteSerializer(FrozenFieldsMixin, OverrideReasonMixin):
    """Create (all required fields) or PATCH (``partial=True``) a shift."""

    frozen_fields = {
        "status": "Change the status with POST /planning/shifts/{id}/status.",
        "published_at": "Set by publication.",
    }

    mission_id = TenantPrimaryKeyRelatedField(model=Mission, source="mission")
    role_id = TenantPrimaryKeyRelatedField(model=Role, source="role")
    venue_id = TenantPrimaryKeyRelatedField(
        model=Venue,
        source="venue",
        required=False,
        help_text="Optional: the venue is the mission's; a different one is refused.",
    )
    template_id = TenantPrimaryKeyRelatedField(
        model=ShiftTemplate, source="template", required=False, allow_null=True
    )
    start_at = LocalDateTimeField(
        help_text="With an offset, or wall-clock time in the organization's zone (refused "
        "when that time does not exist or happens twice on a daylight-saving night)."
    )
    end_at = LocalDateTimeField(help_text="After start_at; may be the next day.")
    headcount = serializers.IntegerField(min_value=1, max_value=MAX_HEADCOUNT, default=1)
    max_headcount = serializers.IntegerField(
        min_value=1,
        max_value=MAX_HEADCOUNT,
        required=False,
        help_text="Hard capacity, at least headcount; defaults to headcount.",
    )
    break_minutes = serializers.IntegerField(min_value=0, max_value=MINUTES_PER_DAY, default=0)
    notes = serializers.CharField(allow_blank=True, default="", max_length=5000)


class ShiftCopySerializer(serializers.Serializer[Any]):
    shift_ids = TenantPrimaryKeyRelatedField(
        model=Shift, many=True, source="shifts", help_text="The shifts to copy (max 500)."
    )
    days = serializers.IntegerField(
        min_value=-MAX_COPY_DAYS,
        max_value=MAX_COPY_DAYS,
        default=7,
        help_text=f"Calendar days later, or earlier when negative (7: next week, -7: the week "
        f"before); from -{MAX_COPY_DAYS} to {MAX_COPY_DAYS}, not 0.",
    )

    def validate_shift_ids(self, value: list[Any]) -> list[Any]:
        if not value or len(value) > 500:
            raise serializers.ValidationError("Give between 1 and 500 shifts.")
        return value

    def validate_days(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError(
                "Must not be 0: a number of days later (positive) or earlier (negative)."
            )
        return value


class ShiftBulkSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[(a.value, a.value) for a in BulkShiftAction],
        help_text="cancel (drafts or published), restore (cancelled), delete (drafts only).",
    )
    shift_ids = TenantPrimaryKeyRelatedField(
        model=Shift,
        many=True,
        source="shifts",
        help_text=f"The selection (1 to {MAX_BULK_SHIFTS}); another organization's id is a 404.",
    )

    def validate_shift_ids(self, value: list[Any]) -> list[Any]:
        if not value or len(value) > MAX_BULK_SHIFTS:
            raise serializers.ValidationError(f"Give between 1 and {MAX_BULK_SHIFTS} shifts.")
        return list({shift.pk: shift for shift in value}.values())


class ShiftBulkResultSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    shift_ids = serializers.ListField(
        child=serializers.UUIDField(), help_text="Every shift of the selection, by start."
    )


class ShiftCopySkipSerializer(serializers.Serializer[Any]):
    shift_id = serializers.UUIDField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ShiftCopyResultSerializer(serializers.Serializer[Any]):
    created = serializers.ListField(child=serializers.UUIDField())
    skipped = ShiftCopySkipSerializer(many=True)


class ShiftCopyPlanSerializer(serializers.Serializer[Any]):
    """A copy the preview would create: from which shift, and its times."""

    shift_id = serializers.UUIDField(source="source.pk", help_text="The shift copied.")
    start_at = serializers.DateTimeField(source="copy.start_at")
    end_at = serializers.DateTimeField(source="copy.end_at")


class ShiftCopyPreviewSerializer(serializers.Serializer[Any]):
    created = ShiftCopyPlanSerializer(
        many=True, source="copied", help_text="The copies the copy would create, by start."
    )
    skipped = ShiftCopySkipSerializer(many=True)


class ShiftStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ShiftStatus.choices)


class ShiftWriteResultSerializer(serializers.Serializer[Any]):
    shift = ShiftSerializer()
    conflicts = ConflictSerializer(many=True)


# --- Assignments ----------------------------------------------------------------------


class AssignmentSerializer(PlannedRepresentation, serializers.ModelSerializer[Assignment]):
    shift_id = serializers.UUIDField(read_only=True)
    artist_id = serializers.UUIDField(read_only=True)
    project_id = serializers.UUIDField(source="shift.mission.project_id", read_only=True)
    created_by_id = serializers.UUIDField(read_only=True, allow_null=True)
    auto_assign_job_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = (
            "id",
            "shift_id",
            "artist_id",
            "project_id",
            "status",
            "locked",
            "source",
            "start_at",
            "end_at",
            "note",
            "status_changed_at",
            "created_by_id",
            "auto_assign_job_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class AssignmentCreateSerializer(OverrideReasonMixin):
    shift_id = TenantPrimaryKeyRelatedField(model=Shift, source="shift")
    artist_id = TenantPrimaryKeyRelatedField(model=Artist, source="artist")
    status = serializers.ChoiceField(
        choices=[AssignmentStatus.PROPOSED],
        default=AssignmentStatus.PROPOSED,
        help_text="A new assignment starts as proposed; invite it with POST .../status.",
    )
    locked = serializers.BooleanField(default=False)
    note = serializers.CharField(allow_blank=True, default="", max_length=300)


class AssignmentMoveSerializer(OverrideReasonMixin):
    shift_id = TenantPrimaryKeyRelatedField(
        model=Shift, source="shift", help_text="The shift the person moves to."
    )


class AssignmentUpdateSerializer(FrozenFieldsMixin, serializers.Serializer[Any]):
    frozen_fields = {
        "status": "Change the status with POST /planning/assignments/{id}/status.",
        "shift_id": "Cancel this assignment and create another one.",
        "artist_id": "Cancel this assignment and create another one.",
    }

    locked = serializers.BooleanField(required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=300)


class AssignmentStatusSerializer(OverrideReasonMixin):
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)


class AssignmentWriteResultSerializer(serializers.Serializer[Any]):
    assignment = AssignmentSerializer()
    conflicts = ConflictSerializer(many=True)
