"""Shift templates and their instantiation in local time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from apps.audit.actions import AuditAction
from apps.audit.services import record, save_audited, snapshot, update_audited
from apps.core.errors import ConflictError, ValidationFailed
from apps.core.tenancy import require_in_organization
from apps.orgs.models import Organization, User
from apps.planning.catalog.services.common import (
    CatalogWrites,
    record_shift_creations,
)
from apps.planning.models import Mission, MissionRole, Role, Shift, ShiftStatus, ShiftTemplate
from apps.planning.rules.conflicts import ConflictPayload, ProposedShift, check_proposal
from apps.planning.rules.report import is_blocking
from apps.planning.timezones import local_span, organization_zone

TEMPLATE_FIELDS = (
    "id",
    "name",
    "role",
    "start_time",
    "end_time",
    "headcount",
    "max_headcount",
    "break_minutes",
)


def _validate_template(template: ShiftTemplate) -> None:
    if template.start_time == template.end_time:
        raise ValidationFailed.for_field("end_time", "must differ from start_time.")
    if template.headcount < 1:
        raise ValidationFailed.for_field("headcount", "must be at least 1.")
    if template.max_headcount < template.headcount:
        raise ValidationFailed.for_field("max_headcount", "must be at least headcount.")
    if template.break_minutes >= template_minutes(template):
        raise ValidationFailed.for_field("break_minutes", "must be shorter than the shift.")


def template_minutes(template: ShiftTemplate) -> int:
    """Nominal length in minutes (a day without a clock change); crossing midnight counts."""
    start = template.start_time.hour * 60 + template.start_time.minute
    end = template.end_time.hour * 60 + template.end_time.minute
    return (end - start) % (24 * 60)


@transaction.atomic
def shift_template_create(
    *,
    organization: Organization,
    actor: User | None,
    name: str,
    role: Role,
    start_time: Any,
    end_time: Any,
    headcount: int = 1,
    max_headcount: int | None = None,
    break_minutes: int = 0,
) -> ShiftTemplate:
    require_in_organization(role, organization, "role_id")
    template = ShiftTemplate(
        organization=organization,
        name=name,
        role=role,
        start_time=start_time,
        end_time=end_time,
        headcount=headcount,
        max_headcount=headcount if max_headcount is None else max_headcount,
        break_minutes=break_minutes,
    )
    _validate_template(template)
    return save_audited(
        template,
        fields=TEMPLATE_FIELDS,
        organization=organization,
        actor=actor,
        action=AuditAction.SHIFT_TEMPLATE_CREATE,
    )


@transaction.atomic
def shift_template_update(
    *,
    organization: Organization,
    actor: User | None,
    template: ShiftTemplate,
    data: Mapping[str, Any],
) -> ShiftTemplate:
    """Shifts already made from the template keep their times; only new ones change."""
    template = ShiftTemplate.objects.select_for_update().get(
        pk=template.pk, organization=organization
    )

    def check(template: ShiftTemplate) -> None:
        require_in_organization(template.role, organization, "role_id")
        _validate_template(template)

    names = ("name", "role", "start_time", "end_time", "headcount", "max_headcount")
    return update_audited(
        template,
        data,
        fields=TEMPLATE_FIELDS,
        editable=(*names, "break_minutes"),
        check=check,
        organization=organization,
        actor=actor,
        action=AuditAction.SHIFT_TEMPLATE_UPDATE,
    )


@transaction.atomic
def shift_template_delete(
    *, organization: Organization, actor: User | None, template: ShiftTemplate
) -> None:
    """Shifts made from the template stay; they only lose the link to it."""
    require_in_organization(template, organization, "template")
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.SHIFT_TEMPLATE_DELETE,
        entity=template,
        before=snapshot(template, TEMPLATE_FIELDS),
    )
    template.delete()


def shift_from_template(template: ShiftTemplate, mission: Mission, day: date, zone: Any) -> Shift:
    """An unsaved draft shift of ``template`` on the local ``day`` of ``mission``."""
    start_at, end_at = local_span(day, template.start_time, template.end_time, zone)
    return Shift(
        organization_id=mission.organization_id,
        mission=mission,
        venue_id=mission.venue_id,
        role_id=template.role_id,
        template=template,
        start_at=start_at,
        end_at=end_at,
        headcount=template.headcount,
        max_headcount=template.max_headcount,
        break_minutes=template.break_minutes,
        status=ShiftStatus.DRAFT,
    )


def _outside_window(shift: Shift, mission: Mission) -> bool:
    return shift.start_at < mission.start_at or shift.end_at > mission.end_at


def _template_shifts(
    template: ShiftTemplate, mission: Mission, dates: Sequence[date], zone: Any
) -> list[Shift]:
    """Draft shifts of ``template`` on ``dates``; 400 naming ``dates`` outside the mission."""
    shifts = [shift_from_template(template, mission, day, zone) for day in dates]
    outside = [
        f"{day.isoformat()}: the shift falls outside the mission's window."
        for day, shift in zip(dates, shifts, strict=True)
        if _outside_window(shift, mission)
    ]
    if outside:
        raise ValidationFailed(outside[0], code="outside_mission_window", fields={"dates": outside})
    return shifts


def _require_role_staffed(template: ShiftTemplate, mission: Mission) -> None:
    if not MissionRole.objects.filter(mission=mission, role_id=template.role_id).exists():
        message = "The mission's staffing plan does not include the template's role."
        raise ValidationFailed(message, code="role_not_staffed", fields={"mission_id": [message]})


def _instantiated_starts(
    template: ShiftTemplate, mission: Mission, shifts: Sequence[Shift]
) -> set[Any]:
    """Starts among ``shifts`` where the template already has a (not cancelled) shift."""
    return set(
        Shift.objects.filter(mission=mission, template=template)
        .exclude(status=ShiftStatus.CANCELLED)
        .filter(start_at__in=[s.start_at for s in shifts])
        .values_list("start_at", flat=True)
    )


def _require_not_instantiated(template: ShiftTemplate, shifts: Sequence[Shift], zone: Any) -> None:
    """Instantiating twice on one date is almost always a double click: refuse it.

    The message gives the start in the organization's zone, as the board shows it."""
    taken = sorted(_instantiated_starts(template, shifts[0].mission, shifts))
    if taken:
        local = taken[0].astimezone(zone)
        message = f"The template already has a shift starting on {local:%Y-%m-%d at %H:%M}."
        raise ConflictError(message, code="already_instantiated", fields={"dates": [message]})


def _checked_dates(dates: Sequence[date]) -> list[date]:
    if not dates or len(set(dates)) != len(dates):
        raise ValidationFailed.for_field("dates", "Give distinct dates, at least one.")
    return sorted(dates)


@transaction.atomic
def shift_template_instantiate(
    *,
    organization: Organization,
    actor: User | None,
    template: ShiftTemplate,
    mission: Mission,
    dates: Sequence[date],
) -> list[Shift]:
    """Create the template's draft shifts in ``mission`` on each local date of ``dates``.

    Times are the template's wall-clock times in the organization's zone on each date
    (see ``apps.planning.timezones`` for daylight-saving gaps and repeats). The mission
    row is locked, so its window cannot change while the shifts are checked against it.
    """
    require_in_organization(template, organization, "template")
    require_in_organization(mission, organization, "mission_id")
    days = _checked_dates(dates)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    _require_role_staffed(template, mission)
    zone = organization_zone(organization)
    shifts = _template_shifts(template, mission, days, zone)
    _require_not_instantiated(template, shifts, zone)
    Shift.objects.bulk_create(shifts)
    record_shift_creations(organization, actor, shifts, reason=f"template {template.pk}")
    return shifts


@dataclass(frozen=True)
class InstantiatePreview:
    """What ``shift_template_instantiate`` would do with the same input, nothing written."""

    shifts: list[dict[str, Any]]
    conflicts: list[ConflictPayload]
    blocked: bool


def shift_template_instantiate_preview(
    *,
    organization: Organization,
    template: ShiftTemplate,
    mission: Mission,
    dates: Sequence[date],
) -> InstantiatePreview:
    """The shifts applying ``template`` on ``dates`` would create, each date's refusal and
    the rule conflicts of the others, so the manager sees everything before confirming.

    The same checks as ``shift_template_instantiate`` (which refuses on the first), all
    collected per date: outside the mission's window, already instantiated. A bad input
    (repeated dates, a role the mission does not staff) is the same 400. ``blocked`` says
    whether the write would be refused: a refused date, or a blocking hard conflict.
    """
    require_in_organization(template, organization, "template")
    require_in_organization(mission, organization, "mission_id")
    days = _checked_dates(dates)
    _require_role_staffed(template, mission)
    zone = organization_zone(organization)
    shifts = [shift_from_template(template, mission, day, zone) for day in days]
    taken = _instantiated_starts(template, mission, shifts)
    rows: list[dict[str, Any]] = []
    proposed: list[ProposedShift] = []
    for day, shift in zip(days, shifts, strict=True):
        problem = None
        if _outside_window(shift, mission):
            problem = {
                "code": "outside_mission_window",
                "message": gettext("The shift falls outside the mission's window."),
            }
        elif shift.start_at in taken:
            problem = {
                "code": "already_instantiated",
                "message": gettext("The template already has a shift starting then."),
            }
        else:
            proposed.append(_proposed(shift, ref=day.isoformat()))
        rows.append(_preview_row(day, shift, zone, problem))
    conflicts = check_proposal(organization=organization, shifts=proposed) if proposed else []
    blocked = any(row["problem"] for row in rows) or any(is_blocking(c) for c in conflicts)
    return InstantiatePreview(shifts=rows, conflicts=conflicts, blocked=blocked)


def _proposed(shift: Shift, *, ref: str) -> ProposedShift:
    return ProposedShift(
        mission_id=shift.mission_id,
        role_id=shift.role_id,
        start_at=shift.start_at,
        end_at=shift.end_at,
        headcount=shift.headcount,
        max_headcount=shift.max_headcount,
        break_minutes=shift.break_minutes,
        ref=ref,
    )


def _preview_row(
    day: date, shift: Shift, zone: Any, problem: dict[str, str] | None
) -> dict[str, Any]:
    return {
        "date": day,
        "start_at": shift.start_at,
        "end_at": shift.end_at,
        "start_local": shift.start_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "end_local": shift.end_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "problem": problem,
    }


TEMPLATE_WRITES = CatalogWrites(
    shift_template_create, shift_template_update, shift_template_delete, "template"
)
