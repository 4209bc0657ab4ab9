"""Input and output of the auto-assign API.

The scope takes ids of the organization only: a foreign or unknown id answers 404 naming
the field (``scope.project_id``, ``scope.shift_ids``), checked in one query per field
whatever the number of ids.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.schema import ConflictSerializer
from apps.core.tenancy import require_ids_in_organization
from apps.planning.autoassign.build import Scope
from apps.planning.autoassign.services import DEFAULT_TIME_LIMIT, JobOptions
from apps.planning.models import AutoAssignJob, JobStatus, Mission, Project, Shift

SCOPE_KINDS = ("project_id", "mission_id", "from", "shift_ids")
MAX_RANGE = timedelta(days=366)
MAX_SHIFT_IDS = 2000
MAX_TIME_LIMIT = 120
IDEMPOTENCY_KEY_MAX_LENGTH = 200


class ScopeSerializer(serializers.Serializer[Any]):
    """Exactly one of: a project, a mission, a ``from``/``to`` range, a list of shift ids."""

    project_id = serializers.UUIDField(required=False)
    mission_id = serializers.UUIDField(required=False)
    to = serializers.DateTimeField(required=False, help_text="End of the range (exclusive).")
    shift_ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_empty=False,
        max_length=MAX_SHIFT_IDS,
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # ``from`` is a Python keyword: it cannot be declared as a class attribute.
        fields["from"] = serializers.DateTimeField(
            required=False, help_text="Start of the range; shifts overlapping it are staffed."
        )
        return fields

    def validate_project_id(self, value: Any) -> Any:
        require_ids_in_organization(
            organization=self.context["organization"],
            model=Project,
            ids=[value],
            field="scope.project_id",
        )
        return value

    def validate_mission_id(self, value: Any) -> Any:
        require_ids_in_organization(
            organization=self.context["organization"],
            model=Mission,
            ids=[value],
            field="scope.mission_id",
        )
        return value

    def validate_shift_ids(self, value: list[Any]) -> list[Any]:
        require_ids_in_organization(
            organization=self.context["organization"],
            model=Shift,
            ids=value,
            field="scope.shift_ids",
        )
        return list(dict.fromkeys(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if (start is None) != (end is None):
            missing = "to" if end is None else "from"
            raise serializers.ValidationError({missing: ["Give both from and to."]})
        if start is not None and end is not None:
            if end <= start:
                raise serializers.ValidationError({"to": ["Must be after from."]})
            if end - start > MAX_RANGE:
                raise serializers.ValidationError({"to": ["The range may span 366 days at most."]})
        return attrs


class OptionsSerializer(serializers.Serializer[Any]):
    time_limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        default=DEFAULT_TIME_LIMIT,
        help_text="Seconds the engine may search (1 to 120).",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Keep the proposal in the job; write it with apply."
    )
    replace_proposed = serializers.BooleanField(
        default=False,
        help_text="Earlier unlocked auto proposals in scope may be cancelled and re-planned.",
    )
    seed = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )


class AutoAssignStartSerializer(serializers.Serializer[Any]):
    scope = ScopeSerializer()
    options = OptionsSerializer(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [kind for kind in SCOPE_KINDS if attrs["scope"].get(kind) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"scope": ["Give exactly one of project_id, mission_id, from/to, shift_ids."]}
            )
        return attrs

    def scope_value(self) -> Scope:
        scope = self.validated_data["scope"]
        return Scope(
            project_id=scope.get("project_id"),
            mission_id=scope.get("mission_id"),
            start=scope.get("from"),
            end=scope.get("to"),
            shift_ids=tuple(scope.get("shift_ids") or ()),
        )

    def options_value(self) -> JobOptions:
        options = self.validated_data.get("options") or {}
        return JobOptions(
            time_limit=options.get("time_limit", DEFAULT_TIME_LIMIT),
            dry_run=options.get("dry_run", False),
            replace_proposed=options.get("replace_proposed", False),
            seed=options.get("seed"),
        )


class UnfilledSerializer(serializers.Serializer[Any]):
    shift_id = serializers.UUIDField()
    missing = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class ProposalPairSerializer(serializers.Serializer[Any]):
    shift_id = serializers.UUIDField()
    artist_id = serializers.UUIDField()


class TimingsSerializer(serializers.Serializer[Any]):
    queued_at = serializers.DateTimeField()
    enqueued_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.FloatField(allow_null=True, help_text="From start to finish.")


class AutoAssignJobSummarySerializer(serializers.ModelSerializer[AutoAssignJob]):
    """A job without its result lists (for the list endpoint)."""

    status = serializers.ChoiceField(choices=JobStatus.choices)
    created_by = serializers.EmailField(source="created_by.email", read_only=True, allow_null=True)
    timings = serializers.SerializerMethodField()

    class Meta:
        model = AutoAssignJob
        fields: tuple[str, ...] = (
            "id",
            "status",
            "scope",
            "options",
            "progress",
            "coverage_before",
            "coverage_after",
            "slots_total",
            "slots_filled",
            "error",
            "attempts",
            "applied_at",
            "created_by",
            "timings",
        )
        read_only_fields: tuple[str, ...] = fields

    @extend_schema_field(TimingsSerializer)
    def get_timings(self, job: AutoAssignJob) -> dict[str, Any]:
        seconds = (
            round((job.finished_at - job.started_at).total_seconds(), 3)
            if job.finished_at and job.started_at
            else None
        )
        return TimingsSerializer(
            {
                "queued_at": job.created_at,
                "enqueued_at": job.enqueued_at,
                "started_at": job.started_at,
                "finished_at": job.finished_at,
                "seconds": seconds,
            }
        ).data


class AutoAssignJobSerializer(AutoAssignJobSummarySerializer):
    """A job with what it could not fill, the conflicts it met and a dry run's proposal."""

    created = serializers.SerializerMethodField(help_text="Assignments this job wrote.")
    unfilled = serializers.SerializerMethodField()
    conflicts = serializers.SerializerMethodField(
        help_text="Conflicts encountered when writing: those pairs were skipped."
    )
    proposal = serializers.SerializerMethodField(
        help_text="A dry run's pairs (null otherwise); apply writes them."
    )

    class Meta(AutoAssignJobSummarySerializer.Meta):
        fields = (
            *AutoAssignJobSummarySerializer.Meta.fields,
            "created",
            "unfilled",
            "conflicts",
            "proposal",
        )
        read_only_fields = fields

    def _result(self, job: AutoAssignJob) -> dict[str, Any]:
        return job.result if job.status != JobStatus.RUNNING and job.result else {}

    def get_created(self, job: AutoAssignJob) -> int:
        return int(self._result(job).get("created") or 0)

    @extend_schema_field(UnfilledSerializer(many=True))
    def get_unfilled(self, job: AutoAssignJob) -> list[dict[str, Any]]:
        return list(self._result(job).get("unfilled") or [])

    @extend_schema_field(ConflictSerializer(many=True))
    def get_conflicts(self, job: AutoAssignJob) -> list[dict[str, Any]]:
        return list(self._result(job).get("conflicts") or [])

    @extend_schema_field(ProposalPairSerializer(many=True, allow_null=True))
    def get_proposal(self, job: AutoAssignJob) -> list[dict[str, Any]] | None:
        result = self._result(job)
        return list(result["proposal"]) if "proposal" in result else None


class AutoAssignApplySerializer(serializers.Serializer[Any]):
    """What apply answers: the job, how many assignments it wrote, their soft conflicts."""

    job = AutoAssignJobSerializer()
    created = serializers.IntegerField()
    conflicts = ConflictSerializer(many=True)
