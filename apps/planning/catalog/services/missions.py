"""Missions and their staffing plans: create (one or a batch), edit, copy, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from apps.audit.actions import AuditAction
from apps.audit.services import apply_fields, build_entry, record, record_many, snapshot
from apps.core.errors import ConflictError, ValidationFailed
from apps.core.tenancy import require_in_organization
from apps.orgs.models import Organization, User
from apps.planning.catalog.selectors import mission_shifts_to_copy
from apps.planning.catalog.services.common import (
    SHIFT_FIELDS,
    CatalogWrites,
    delete_unless_used,
    record_shift_creations,
)
from apps.planning.models import (
    Mission,
    MissionRole,
    Project,
    ProjectStatus,
    Role,
    Shift,
    ShiftStatus,
    Venue,
)
from apps.planning.timezones import organization_zone, shift_by_local_days

MISSION_FIELDS = ("id", "project", "venue", "name", "start_at", "end_at", "notes")
MAX_BULK_MISSIONS = 500


@dataclass(frozen=True)
class StaffingLine:
    """One line of a staffing plan: a role and how many people it needs."""

    role: Role
    headcount: int


@dataclass(frozen=True)
class MissionDraft:
    """A mission to create in bulk (its project is given once for the whole batch)."""

    name: str
    venue: Venue
    start_at: datetime
    end_at: datetime
    notes: str = ""
    staffing: Sequence[StaffingLine] = field(default_factory=tuple)


def _staffing_errors(staffing: Sequence[StaffingLine]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[Any] = set()
    for index, line in enumerate(staffing):
        if line.headcount < 1:
            errors[f"staffing.{index}.headcount"] = ["must be at least 1."]
        if line.role.pk in seen:
            errors[f"staffing.{index}.role_id"] = ["appears twice in the staffing plan."]
        seen.add(line.role.pk)
    return errors


def _mission_errors(
    start_at: datetime, end_at: datetime, staffing: Sequence[StaffingLine]
) -> dict[str, list[str]]:
    """Every problem of a mission's own fields, keyed by field, so a batch reports all."""
    errors = _staffing_errors(staffing)
    if start_at >= end_at:
        errors["end_at"] = ["must be after start_at."]
    return errors


def _raise_if_any(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)


def _require_open_project(project: Project) -> None:
    if project.status == ProjectStatus.ARCHIVED:
        message = "The project is archived; reopen it before adding missions."
        raise ConflictError(message, code="project_archived", fields={"project_id": [message]})


def _mission_snapshot(mission: Mission, staffing: Sequence[StaffingLine]) -> dict[str, Any]:
    lines = [{"role_id": str(line.role.pk), "headcount": line.headcount} for line in staffing]
    return {**snapshot(mission, MISSION_FIELDS), "staffing": lines}


def _current_staffing(mission: Mission) -> list[StaffingLine]:
    rows = MissionRole.objects.filter(mission=mission).select_related("role").order_by("id")
    return [StaffingLine(role=row.role, headcount=row.headcount) for row in rows]


def _staffing_rows(mission: Mission, staffing: Sequence[StaffingLine]) -> list[MissionRole]:
    return [
        MissionRole(
            organization_id=mission.organization_id,
            mission=mission,
            role=line.role,
            headcount=line.headcount,
        )
        for line in staffing
    ]


def _require_mission_tenancy(
    organization: Organization, *, project: Project, venue: Venue, staffing: Sequence[StaffingLine]
) -> None:
    require_in_organization(project, organization, "project_id")
    require_in_organization(venue, organization, "venue_id")
    for line in staffing:
        require_in_organization(line.role, organization, "staffing.role_id")


@transaction.atomic
def mission_create(
    *,
    organization: Organization,
    actor: User | None,
    project: Project,
    venue: Venue,
    name: str,
    start_at: datetime,
    end_at: datetime,
    notes: str = "",
    staffing: Sequence[StaffingLine] = (),
) -> Mission:
    _require_mission_tenancy(organization, project=project, venue=venue, staffing=staffing)
    _raise_if_any(_mission_errors(start_at, end_at, staffing))
    _require_open_project(project)
    mission = Mission(
        organization=organization,
        project=project,
        venue=venue,
        name=name,
        start_at=start_at,
        end_at=end_at,
        notes=notes,
    )
    mission.save()
    MissionRole.objects.bulk_create(_staffing_rows(mission, staffing))
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.MISSION_CREATE,
        entity=mission,
        after=_mission_snapshot(mission, staffing),
    )
    return mission


@transaction.atomic
def mission_bulk_create(
    *,
    organization: Organization,
    actor: User | None,
    project: Project,
    items: Sequence[MissionDraft],
) -> list[Mission]:
    """Create every mission or none; errors name each bad item (``items.3.end_at``)."""
    if not items or len(items) > MAX_BULK_MISSIONS:
        raise ValidationFailed.for_field("items", f"Give 1 to {MAX_BULK_MISSIONS} missions.")
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        require_in_organization(item.venue, organization, f"items.{index}.venue_id")
        for line in item.staffing:
            require_in_organization(line.role, organization, f"items.{index}.staffing.role_id")
        for name, messages in _mission_errors(item.start_at, item.end_at, item.staffing).items():
            errors[f"items.{index}.{name}"] = messages
    _raise_if_any(errors)
    require_in_organization(project, organization, "project")
    _require_open_project(project)
    missions = [
        Mission(
            organization=organization,
            project=project,
            venue=item.venue,
            name=item.name,
            start_at=item.start_at,
            end_at=item.end_at,
            notes=item.notes,
        )
        for item in items
    ]
    Mission.objects.bulk_create(missions)
    rows = [
        row for m, i in zip(missions, items, strict=True) for row in _staffing_rows(m, i.staffing)
    ]
    MissionRole.objects.bulk_create(rows)
    record_many(
        [
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.MISSION_CREATE,
                entity=mission,
                after=_mission_snapshot(mission, item.staffing),
                reason="bulk",
            )
            for mission, item in zip(missions, items, strict=True)
        ]
    )
    return missions


def _require_shifts_fit(mission: Mission, start_at: datetime, end_at: datetime) -> None:
    """A mission's window cannot shrink past one of its (not cancelled) shifts."""
    shifts = Shift.objects.filter(mission=mission).exclude(status=ShiftStatus.CANCELLED)
    outside = shifts.filter(Q(start_at__lt=start_at) | Q(end_at__gt=end_at))
    first = outside.order_by("start_at").values_list("start_at", "end_at").first()
    if first is None:
        return
    field_name = "start_at" if first[0] < start_at else "end_at"
    message = "Shifts of this mission would fall outside its window; move them first."
    raise ConflictError(message, code="shifts_outside_window", fields={field_name: [message]})


def _require_staffed_roles_kept(mission: Mission, staffing: Sequence[StaffingLine]) -> None:
    """A role cannot leave the staffing plan while the mission still has shifts for it."""
    kept = [line.role.pk for line in staffing]
    orphaned = (
        Shift.objects.filter(mission=mission)
        .exclude(status=ShiftStatus.CANCELLED)
        .exclude(role_id__in=kept)
        .values_list("role__name", flat=True)
        .first()
    )
    if orphaned is not None:
        message = f"The mission still has shifts for {orphaned}; cancel them first."
        raise ConflictError(message, code="role_in_use", fields={"staffing": [message]})


def _move_shifts_to_venue(
    *, organization: Organization, actor: User | None, mission: Mission, venue: Venue
) -> None:
    """A shift takes place at its mission's venue: moving the mission moves its shifts."""
    shifts = list(Shift.objects.filter(mission=mission).exclude(venue=venue))
    if not shifts:
        return
    Shift.objects.filter(pk__in=[s.pk for s in shifts]).update(venue=venue)
    entries = []
    for shift in shifts:
        before = snapshot(shift, SHIFT_FIELDS)
        shift.venue = venue
        entry = build_entry(
            organization=organization,
            actor=actor,
            action=AuditAction.SHIFT_UPDATE,
            entity=shift,
            after=snapshot(shift, SHIFT_FIELDS),
            reason="mission moved to another venue",
        )
        entry.before = before
        entries.append(entry)
    record_many(entries)


@transaction.atomic
def mission_update(
    *,
    organization: Organization,
    actor: User | None,
    mission: Mission,
    data: Mapping[str, Any],
    staffing: Sequence[StaffingLine] | None = None,
) -> Mission:
    """Change a mission; ``staffing``, when given, replaces the whole staffing plan."""
    mission = Mission.objects.select_for_update().get(pk=mission.pk, organization=organization)
    current = _current_staffing(mission)
    before = _mission_snapshot(mission, current)
    old_venue_id = mission.venue_id
    apply_fields(mission, data, ("project", "venue", "name", "start_at", "end_at", "notes"))
    new_staffing = current if staffing is None else staffing
    _require_mission_tenancy(
        organization, project=mission.project, venue=mission.venue, staffing=new_staffing
    )
    _raise_if_any(_mission_errors(mission.start_at, mission.end_at, new_staffing))
    if "project" in data:
        _require_open_project(mission.project)
    _require_shifts_fit(mission, mission.start_at, mission.end_at)
    if staffing is not None:
        _require_staffed_roles_kept(mission, staffing)
        MissionRole.objects.filter(mission=mission).delete()
        MissionRole.objects.bulk_create(_staffing_rows(mission, staffing))
    mission.save()
    if mission.venue_id != old_venue_id:
        _move_shifts_to_venue(
            organization=organization, actor=actor, mission=mission, venue=mission.venue
        )
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.MISSION_UPDATE,
        entity=mission,
        before=before,
        after=_mission_snapshot(mission, new_staffing),
    )
    return mission


@transaction.atomic
def mission_delete(*, organization: Organization, actor: User | None, mission: Mission) -> None:
    delete_unless_used(
        mission,
        organization=organization,
        actor=actor,
        action=AuditAction.MISSION_DELETE,
        before=_mission_snapshot(mission, _current_staffing(mission)),
        code="mission_has_shifts",
        message="The mission has shifts; delete or move them first.",
    )


def _copied_shift(shift: Shift, mission: Mission, days: int, zone: ZoneInfo) -> Shift:
    """A draft copy of ``shift`` in ``mission``, ``days`` local days later."""
    start_at = shift_by_local_days(shift.start_at, days, zone)
    end_at = shift_by_local_days(shift.end_at, days, zone)
    if start_at >= end_at:  # only when both ends fall into one daylight-saving gap
        raise ValidationFailed.for_field("days", "A shift would be empty on the new date.")
    return Shift(
        organization_id=mission.organization_id,
        mission=mission,
        venue_id=mission.venue_id,
        role_id=shift.role_id,
        template_id=shift.template_id,
        start_at=start_at,
        end_at=end_at,
        headcount=shift.headcount,
        max_headcount=shift.max_headcount,
        break_minutes=shift.break_minutes,
        status=ShiftStatus.DRAFT,
        notes=shift.notes,
    )


@transaction.atomic
def mission_duplicate(
    *,
    organization: Organization,
    actor: User | None,
    mission: Mission,
    days: int,
    name: str | None = None,
) -> tuple[Mission, list[Shift]]:
    """Copy a mission ``days`` local calendar days later, with its staffing and shifts.

    Times keep their wall-clock value in the organization's zone (an 18:00 show stays at
    18:00 across a daylight-saving change). Copied shifts are drafts without assignments;
    cancelled shifts are not copied.
    """
    require_in_organization(mission, organization, "mission")
    _require_open_project(mission.project)
    zone = organization_zone(organization)
    staffing = _current_staffing(mission)
    copy = Mission(
        organization=organization,
        project_id=mission.project_id,
        venue_id=mission.venue_id,
        name=name or mission.name,
        start_at=shift_by_local_days(mission.start_at, days, zone),
        end_at=shift_by_local_days(mission.end_at, days, zone),
        notes=mission.notes,
    )
    copy.save()
    MissionRole.objects.bulk_create(_staffing_rows(copy, staffing))
    shifts = [_copied_shift(s, copy, days, zone) for s in mission_shifts_to_copy(mission=mission)]
    Shift.objects.bulk_create(shifts)
    after = {**_mission_snapshot(copy, staffing), "source_mission_id": str(mission.pk)}
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.MISSION_DUPLICATE,
        entity=copy,
        after=after,
        reason=f"copy of {mission.pk}, {days:+d} days",
    )
    record_shift_creations(organization, actor, shifts, reason=f"mission copy {copy.pk}")
    return copy, shifts


MISSION_WRITES = CatalogWrites(mission_create, mission_update, mission_delete, "mission")
