"""Input and output serializers of the planning catalog API.

Input serializers only check shapes and resolve ids inside the caller's organization
(a foreign or unknown id is a 404 naming the field, as in the path); the rules that
depend on stored state (date order after a partial update, name uniqueness, status
transitions, shifts inside a mission's window) live in ``apps.planning.catalog.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import Model
from django.utils.translation import gettext
from rest_framework import serializers

from apps.core.datetimes import InstantField
from apps.core.errors import NotFound
from apps.core.fields import LocalTimeField, TenantPrimaryKeyRelatedField, planning_date_field
from apps.core.schema import ConflictSerializer
from apps.crew.models import Skill
from apps.orgs.models import Organization
from apps.planning.catalog.services import (
    MAX_BULK_MISSIONS,
    PROJECT_FIELDS,
    VENUE_FIELDS,
    MissionDraft,
    StaffingLine,
    template_minutes,
)
from apps.planning.models import (
    Mission,
    MissionRole,
    Project,
    ProjectStatus,
    Role,
    ShiftTemplate,
    Venue,
)
from apps.planning.schedule.serializers import ShiftSerializer

COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
COLOR_HELP = "Colour as #rrggbb."


def color_field() -> serializers.RegexField:
    return serializers.RegexField(
        COLOR_PATTERN,
        required=False,
        allow_blank=True,
        help_text=COLOR_HELP,
        error_messages={"invalid": "Enter a colour as #rrggbb."},
    )


def resolve_ids(
    model: type[Model], organization: Organization, ids_by_path: dict[str, UUID]
) -> dict[UUID, Any]:
    """Load every id of ``ids_by_path`` in one query; 404 naming the first unknown path."""
    rows = {
        row.pk: row
        for row in model._default_manager.filter(
            organization=organization, pk__in=set(ids_by_path.values())
        )
    }
    for path, pk in ids_by_path.items():
        if pk not in rows:
            raise NotFound.for_field(path)
    return rows


def staffing_lines(
    organization: Organization, lines: Iterable[dict[str, Any]], prefix: str
) -> list[StaffingLine]:
    """Turn validated ``{"role_id", "headcount"}`` dicts into lines with roles loaded."""
    lines = list(lines)
    paths = {f"{prefix}{index}.role_id": line["role_id"] for index, line in enumerate(lines)}
    roles = resolve_ids(Role, organization, paths)
    return [
        StaffingLine(role=roles[line["role_id"]], headcount=line["headcount"]) for line in lines
    ]


# --- Projects ------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer[Project]):
    mission_count = serializers.SerializerMethodField(
        help_text="Number of missions in the project."
    )

    class Meta:
        model = Project
        fields = (*PROJECT_FIELDS, "mission_count", "created_at", "updated_at")
        read_only_fields = fields

    def get_mission_count(self, project: Project) -> int:
        return int(getattr(project, "mission_count", 0))


class ProjectWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    client = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    start_date = planning_date_field(required=False, allow_null=True)
    end_date = planning_date_field(
        required=False, allow_null=True, help_text="On or after start_date."
    )
    color = color_field()
    description = serializers.CharField(required=False, allow_blank=True)

    def validate_color(self, value: str) -> str:
        return value.lower()


# --- Venues and roles ----------------------------------------------------------------


class VenueSerializer(serializers.ModelSerializer[Venue]):
    class Meta:
        model = Venue
        fields = (*VENUE_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators: list[Any] = []  # name uniqueness is the service's (409, not 400)
        extra_kwargs = {"name": {"help_text": "Unique in the organization, ignoring case."}}


class SkillSummarySerializer(serializers.ModelSerializer[Skill]):
    class Meta:
        model = Skill
        fields = ("id", "name")
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer[Role]):
    required_skill_ids = TenantPrimaryKeyRelatedField(
        model=Skill,
        many=True,
        source="required_skills",
        required=False,
        help_text="Skills an artist needs for this role; replaces the whole set.",
    )
    required_skills = SkillSummarySerializer(many=True, read_only=True)
    color = color_field()

    class Meta:
        model = Role
        fields = (
            "id",
            "name",
            "description",
            "color",
            "required_skill_ids",
            "required_skills",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")
        validators: list[Any] = []
        extra_kwargs = {"name": {"help_text": "Unique in the organization, ignoring case."}}

    def validate_color(self, value: str) -> str:
        return value.lower()


# --- Missions ------------------------------------------------------------------------


class StaffingLineSerializer(serializers.Serializer[Any]):
    """One line of a staffing plan: both fields, always.

    A ``PATCH`` makes DRF skip missing fields all the way down; a staffing line is replaced
    whole, never patched, so a line without its role or head count is refused as on ``POST``.
    """

    role_id = serializers.UUIDField(help_text="A role of the organization.")
    headcount = serializers.IntegerField(min_value=1, max_value=1000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = {
            name: [gettext("This field is required.")]
            for name in ("role_id", "headcount")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class StaffingLineOutSerializer(serializers.ModelSerializer[MissionRole]):
    role_id = serializers.UUIDField(read_only=True)
    role_name = serializers.CharField(source="role.name", read_only=True)

    class Meta:
        model = MissionRole
        fields = ("role_id", "role_name", "headcount")
        read_only_fields = fields


class MissionSerializer(serializers.ModelSerializer[Mission]):
    project_id = serializers.UUIDField(read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    venue_id = serializers.UUIDField(read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    staffing = StaffingLineOutSerializer(many=True, read_only=True)

    class Meta:
        model = Mission
        fields = (
            "id",
            "project_id",
            "project_name",
            "venue_id",
            "venue_name",
            "name",
            "start_at",
            "end_at",
            "notes",
            "staffing",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class MissionWriteSerializer(serializers.Serializer[Any]):
    """``staffing``, when given, replaces the whole staffing plan."""

    project_id = TenantPrimaryKeyRelatedField(model=Project, source="project")
    venue_id = TenantPrimaryKeyRelatedField(model=Venue, source="venue")
    name = serializers.CharField(max_length=200)
    start_at = InstantField()
    end_at = InstantField(help_text="After start_at.")
    notes = serializers.CharField(required=False, allow_blank=True)
    staffing = StaffingLineSerializer(many=True, required=False)

    def validate_staffing(self, value: list[dict[str, Any]]) -> list[StaffingLine]:
        return staffing_lines(self.context["organization"], value, "staffing.")


class MissionBulkItemSerializer(serializers.Serializer[Any]):
    venue_id = serializers.UUIDField(help_text="A venue of the organization.")
    name = serializers.CharField(max_length=200)
    start_at = InstantField()
    end_at = InstantField(help_text="After start_at.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    staffing = StaffingLineSerializer(many=True, required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start_at"] >= attrs["end_at"]:
            raise serializers.ValidationError({"end_at": "must be after start_at."})
        return attrs


class MissionBulkSerializer(serializers.Serializer[Any]):
    """All or nothing: every item is checked and every error is reported by index."""

    items = MissionBulkItemSerializer(many=True)

    def validate_items(self, items: list[dict[str, Any]]) -> list[MissionDraft]:
        if not 1 <= len(items) <= MAX_BULK_MISSIONS:
            raise serializers.ValidationError(f"Give 1 to {MAX_BULK_MISSIONS} missions.")
        organization = self.context["organization"]
        venue_paths = {f"items.{i}.venue_id": item["venue_id"] for i, item in enumerate(items)}
        venues = resolve_ids(Venue, organization, venue_paths)
        return [
            MissionDraft(
                name=item["name"],
                venue=venues[item["venue_id"]],
                start_at=item["start_at"],
                end_at=item["end_at"],
                notes=item["notes"],
                staffing=staffing_lines(organization, item["staffing"], f"items.{i}.staffing."),
            )
            for i, item in enumerate(items)
        ]


class MissionBulkResultSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    items = MissionSerializer(many=True)


class MissionDuplicateSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(
        min_value=-366,
        max_value=366,
        help_text="Local calendar days to move the copy by; wall-clock times are kept.",
    )
    name = serializers.CharField(
        max_length=200, required=False, help_text="Defaults to the original's name."
    )


# A shift as a copy or an instantiation made it: without its project and timestamps.
class ShiftSummarySerializer(ShiftSerializer):
    class Meta(ShiftSerializer.Meta):
        fields = tuple(
            name
            for name in ShiftSerializer.Meta.fields
            if name not in ("project_id", "published_at", "created_at", "updated_at")
        )
        read_only_fields = fields


class MissionDuplicateResultSerializer(serializers.Serializer[Any]):
    mission = MissionSerializer()
    shifts = ShiftSummarySerializer(many=True, help_text="Copied shifts, as drafts.")


# --- Shift templates -----------------------------------------------------------------


class ShiftTemplateSerializer(serializers.ModelSerializer[ShiftTemplate]):
    role_id = TenantPrimaryKeyRelatedField(model=Role, source="role")
    role_name = serializers.CharField(source="role.name", read_only=True)
    start_time = LocalTimeField(help_text="Local wall-clock time in the org's zone.")
    end_time = LocalTimeField(help_text="Earlier than start_time: the next day.")
    headcount = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    max_headcount = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, help_text="At least headcount."
    )
    break_minutes = serializers.IntegerField(min_value=0, max_value=720, required=False)
    duration_minutes = serializers.SerializerMethodField(
        help_text="Nominal length; a daylight-saving night adds or removes an hour."
    )
    crosses_midnight = serializers.SerializerMethodField()

    class Meta:
        model = ShiftTemplate
        fields = (
            "id",
            "name",
            "role_id",
            "role_name",
            "start_time",
            "end_time",
            "headcount",
            "max_headcount",
            "break_minutes",
            "duration_minutes",
            "crosses_midnight",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")
        validators: list[Any] = []

    def get_duration_minutes(self, template: ShiftTemplate) -> int:
        return template_minutes(template)

    def get_crosses_midnight(self, template: ShiftTemplate) -> bool:
        return bool(template.end_time < template.start_time)


class InstantiateSerializer(serializers.Serializer[Any]):
    mission_id = TenantPrimaryKeyRelatedField(model=Mission, source="mission")
    dates = serializers.ListField(
        child=planning_date_field(),
        min_length=1,
        max_length=366,
        help_text="Local dates (organization's zone) on which the shift starts.",
    )

    def validate_dates(self, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each date may appear once.")
        return value


class InstantiateResultSerializer(serializers.Serializer[Any]):
    shifts = ShiftSummarySerializer(many=True)


class InstantiateProblemSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=["outside_mission_window", "already_instantiated"])
    message = serializers.CharField()


class InstantiatePreviewShiftSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    start_local = serializers.CharField(help_text="Wall-clock start, YYYY-MM-DDTHH:MM.")
    end_local = serializers.CharField(help_text="Wall-clock end, YYYY-MM-DDTHH:MM.")
    problem = InstantiateProblemSerializer(
        allow_null=True, help_text="Why this date would refuse the whole write; else null."
    )


class InstantiatePreviewSerializer(serializers.Serializer[Any]):
    shifts = InstantiatePreviewShiftSerializer(many=True)
    conflicts = ConflictSerializer(many=True, help_text="Rule conflicts of the new shifts.")
    blocked = serializers.BooleanField(
        help_text="Whether instantiate would refuse: a date's problem or a blocking conflict."
    )
