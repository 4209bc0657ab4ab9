"""Serializers of the publication area: invitations, versions, reports' inputs and outputs.

Input serializers only validate and resolve ids within the caller's organization
(``TenantPrimaryKeyRelatedField``: a foreign id is a 404 naming the field); output
serializers only render. None of them saves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rest_framework import serializers

from apps.core.datetimes import InstantField, check_range
from apps.core.fields import TenantPrimaryKeyRelatedField, planning_date_field
from apps.core.schema import ConflictSerializer
from apps.planning.models import (
    Assignment,
    Invitation,
    PlanningVersion,
    Project,
    Shift,
    ShiftStatus,
    Venue,
)

MAX_REPORT_DAYS = 366
# A publication by range covers at most a year: a longer scope is a project scope.
MAX_PUBLISH_RANGE = timedelta(days=366)
# The most shifts a board selection publishes at once.
MAX_SELECTED_SHIFTS = 500


# --- Invitations ---------------------------------------------------------------------


class InvitationCreateSerializer(serializers.Serializer[Any]):
    assignment_id = TenantPrimaryKeyRelatedField(
        model=Assignment,
        help_text="A proposed assignment (or an invited one whose last "
        "invitation was revoked or has expired).",
    )


class InvitationAssignmentSerializer(serializers.ModelSerializer[Assignment]):
    shift_id = serializers.UUIDField(read_only=True)
    artist_id = serializers.UUIDField(read_only=True)
    artist_name = serializers.CharField(source="artist.full_name", read_only=True)

    class Meta:
        model = Assignment
        fields = ("id", "status", "shift_id", "artist_id", "artist_name", "start_at", "end_at")
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    """An invitation as managers see it; the token is never shown (only the e-mail has it)."""

    assignment = InvitationAssignmentSerializer(read_only=True)
    created_by = serializers.UUIDField(source="created_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = (
            "id",
            "status",
            "assignment",
            "expires_at",
            "sent_at",
            "answered_at",
            "created_at",
            "created_by",
        )
        read_only_fields = fields


class PublicInvitationSerializer(serializers.ModelSerializer[Invitation]):
    """What the public answer returns: the outcome, nothing about other people."""

    assignment_id = serializers.UUIDField(read_only=True)
    assignment_status = serializers.CharField(source="assignment.status", read_only=True)

    class Meta:
        model = Invitation
        fields = ("id", "status", "answered_at", "assignment_id", "assignment_status")
        read_only_fields = fields


class InvitationAnswerSerializer(serializers.Serializer[Any]):
    invitation = PublicInvitationSerializer()
    conflicts = ConflictSerializer(many=True, help_text="Soft conflicts, for information.")


# --- Publication ---------------------------------------------------------------------


class PublishInputSerializer(serializers.Serializer[Any]):
    """A project, a ``from``/``to`` range or a selection of shifts (``shift_ids``: the
    board's bulk publish); ``venue_id`` narrows any of them."""

    project_id = TenantPrimaryKeyRelatedField(model=Project, required=False, allow_null=True)
    venue_id = TenantPrimaryKeyRelatedField(model=Venue, required=False, allow_null=True)
    # ``from`` is a Python keyword: declared through the class namespace.
    locals()["from"] = InstantField(required=False, allow_null=True)
    to = InstantField(required=False, allow_null=True)
    shift_ids = TenantPrimaryKeyRelatedField(
        model=Shift,
        many=True,
        required=False,
        help_text=f"A selection of shifts (1 to {MAX_SELECTED_SHIFTS}), none of them cancelled.",
    )

    def validate_shift_ids(self, value: list[Shift]) -> list[Shift]:
        if not value or len(value) > MAX_SELECTED_SHIFTS:
            raise serializers.ValidationError(f"Give 1 to {MAX_SELECTED_SHIFTS} shifts.")
        cancelled = sorted(
            str(shift.pk) for shift in value if shift.status == ShiftStatus.CANCELLED
        )
        if cancelled:
            raise serializers.ValidationError(
                f"Cancelled shifts cannot be published: {', '.join(cancelled)}."
            )
        return list({shift.pk: shift for shift in value}.values())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        project = attrs.get("project_id")
        if attrs.get("shift_ids"):
            if project is not None or start is not None or end is not None:
                raise serializers.ValidationError(
                    {"shift_ids": "Give shift_ids alone, without a project or a range."}
                )
            return attrs
        if project is None and (start is None or end is None):
            raise serializers.ValidationError(
                {"project_id": "Give a project_id, both from and to, or shift_ids."}
            )
        if project is not None and (start is not None or end is not None):
            raise serializers.ValidationError(
                {"project_id": "Give a project_id or a range, not both."}
            )
        check_range(start, end, max_length=MAX_PUBLISH_RANGE)
        return attrs


class PlanningVersionSerializer(serializers.ModelSerializer[PlanningVersion]):
    published_by = serializers.UUIDField(source="published_by_id", read_only=True, allow_null=True)

    class Meta:
        model = PlanningVersion
        fields: tuple[str, ...] = (
            "id",
            "number",
            "scope",
            "scope_key",
            "published_by",
            "published_at",
            "summary",
        )
        read_only_fields = fields


class PlanningVersionDetailSerializer(PlanningVersionSerializer):
    class Meta(PlanningVersionSerializer.Meta):
        fields = (*PlanningVersionSerializer.Meta.fields, "diff", "snapshot")
        read_only_fields: tuple[str, ...] = fields


class PublishResultSerializer(serializers.Serializer[Any]):
    changed = serializers.BooleanField(help_text="False when nothing changed: no new version.")
    version = PlanningVersionDetailSerializer(
        allow_null=True, help_text="The new version, or the scope's latest when nothing changed."
    )


# --- Calendar --------------------------------------------------------------------------


class CalendarTokenSerializer(serializers.Serializer[Any]):
    artist = serializers.UUIDField()
    calendar_url = serializers.URLField()


# --- Reports ---------------------------------------------------------------------------


class DateRangeQuerySerializer(serializers.Serializer[Any]):
    """Local dates (organization zone), both included; at most a year and a day."""

    locals()["from"] = planning_date_field(required=False)
    to = planning_date_field(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None:
            if end < start:
                raise serializers.ValidationError({"to": "must not be before from."})
            if end - start > timedelta(days=MAX_REPORT_DAYS):
                raise serializers.ValidationError(
                    {"to": f"The range is limited to {MAX_REPORT_DAYS} days."}
                )
        return attrs


class ExportQuerySerializer(DateRangeQuerySerializer):
    project = TenantPrimaryKeyRelatedField(model=Project, required=False, allow_null=True)
    venue = TenantPrimaryKeyRelatedField(model=Venue, required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        has_range = attrs.get("from") is not None and attrs.get("to") is not None
        if attrs.get("project") is None and not has_range:
            raise serializers.ValidationError({"from": "Give a project, or both from and to."})
        return attrs


class WeekHoursSerializer(serializers.Serializer[Any]):
    week = serializers.CharField(help_text="Local ISO week, e.g. 2026-W13.")
    week_start = serializers.DateField()
    hours = serializers.FloatField()
    shifts = serializers.IntegerField()


class IntermittentThresholdSerializer(serializers.Serializer[Any]):
    hours_12_months = serializers.FloatField()
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    threshold = serializers.IntegerField()
    reached = serializers.BooleanField()


class ArtistHoursSerializer(serializers.Serializer[Any]):
    artist = serializers.UUIDField()
    locals()["from"] = serializers.DateField()
    to = serializers.DateField()
    timezone = serializers.CharField()
    weeks = WeekHoursSerializer(many=True)
    total_hours = serializers.FloatField()
    shifts = serializers.IntegerField()
    intermittent_threshold = IntermittentThresholdSerializer(
        allow_null=True, help_text="Intermittents only; null for other employment types."
    )


class CostLineSerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    assignments = serializers.IntegerField()
    hours = serializers.FloatField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class RoleCostSerializer(CostLineSerializer):
    role = serializers.UUIDField()
    role_name = serializers.CharField()


class ArtistCostSerializer(CostLineSerializer):
    artist = serializers.UUIDField()
    artist_name = serializers.CharField()


class CurrencyAmountSerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class UnstaffedSerializer(serializers.Serializer[Any]):
    role = serializers.UUIDField()
    role_name = serializers.CharField()
    missing_slots = serializers.IntegerField()
    currency = serializers.CharField()
    estimate = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Null when nobody with a rate was ever booked on this role.",
    )


class ProjectCostSerializer(serializers.Serializer[Any]):
    project = serializers.UUIDField()
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    totals = CurrencyAmountSerializer(many=True)
    by_role = RoleCostSerializer(many=True)
    by_artist = ArtistCostSerializer(many=True)
    assignments = serializers.IntegerField()
    unpriced_assignments = serializers.IntegerField()
    unstaffed = UnstaffedSerializer(many=True)
    unstaffed_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    estimated_total = serializers.DecimalField(max_digits=14, decimal_places=2)
