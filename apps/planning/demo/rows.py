"""Rows of the demo: catalog rows (reused by name) and the month's unsaved projects,
missions, staffing plans and shifts, with which shifts are published or cancelled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from apps.crew.models import Skill
from apps.orgs.models import Organization
from apps.planning.catalog.services.templates import shift_from_template
from apps.planning.demo.month import (
    DAY_KINDS,
    PUBLISHED_WEEKS,
    ROLES,
    TEMPLATES,
    MissionPlan,
    ProjectPlan,
    Size,
    venue_specs,
)
from apps.planning.models import (
    Mission,
    MissionRole,
    Project,
    ProjectStatus,
    Role,
    Shift,
    ShiftStatus,
    ShiftTemplate,
    Venue,
)

# --- Catalog rows --------------------------------------------------------------------


def _named(
    model: type[models.Model], organization: Organization, rows: list[Any]
) -> dict[str, Any]:
    """Rows by name, reusing those that exist (names are unique ignoring case)."""
    stored: Iterable[Any] = model._default_manager.filter(organization=organization)
    existing = {row.name.lower(): row for row in stored}
    missing = [row for row in rows if row.name.lower() not in existing]
    model._default_manager.bulk_create(missing)
    existing.update({row.name.lower(): row for row in missing})
    return {row.name: existing[row.name.lower()] for row in rows}


def ensure_skills(organization: Organization) -> dict[str, Skill]:
    names = sorted({skill for skill, _ in ROLES.values()})
    return _named(Skill, organization, [Skill(organization=organization, name=n) for n in names])


def ensure_roles(organization: Organization, skills: dict[str, Skill]) -> dict[str, Role]:
    rows = [Role(organization=organization, name=name, color=c) for name, (_, c) in ROLES.items()]
    roles = _named(Role, organization, rows)
    links = [
        Role.required_skills.through(role_id=roles[name].pk, skill_id=skills[skill].pk)
        for name, (skill, _) in ROLES.items()
    ]
    Role.required_skills.through.objects.bulk_create(links, ignore_conflicts=True)
    return roles


def ensure_venues(organization: Organization, size: Size) -> dict[str, Venue]:
    rows = [
        Venue(organization=organization, name=n, city=c, capacity=cap, address=a)
        for n, c, cap, a in venue_specs(size)
    ]
    return _named(Venue, organization, rows)


def ensure_templates(
    organization: Organization, roles: dict[str, Role]
) -> dict[str, ShiftTemplate]:
    existing = {t.name: t for t in ShiftTemplate.objects.filter(organization=organization)}
    missing = [
        ShiftTemplate(
            organization=organization,
            name=spec.name,
            role=roles[spec.role],
            start_time=spec.start,
            end_time=spec.end,
            headcount=spec.headcount,
            max_headcount=spec.max_headcount,
            break_minutes=spec.break_minutes,
        )
        for spec in TEMPLATES.values()
        if spec.name not in existing
    ]
    ShiftTemplate.objects.bulk_create(missing)
    return existing | {t.name: t for t in missing}


# --- Projects, missions and shifts ---------------------------------------------------


@dataclass
class Built:
    projects: list[Project] = field(default_factory=list)
    missions: list[Mission] = field(default_factory=list)
    staffing: list[MissionRole] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)


def _mission_shifts(
    mission: Mission, plan: MissionPlan, templates: dict[str, ShiftTemplate], zone: ZoneInfo
) -> list[Shift]:
    shifts = []
    for day, kind in plan.days:
        for name in DAY_KINDS[kind]:
            template = templates[name]
            shifts.append(shift_from_template(template, mission, day, zone))
    return shifts


def _staffing(mission: Mission, shifts: Iterable[Shift]) -> list[MissionRole]:
    """The plan asks, per role, for the largest head count of any one of its shifts."""
    needs: dict[UUID, int] = defaultdict(int)
    for shift in shifts:
        needs[shift.role_id] = max(needs[shift.role_id], shift.headcount)
    return [
        MissionRole(
            organization_id=mission.organization_id, mission=mission, role_id=r, headcount=n
        )
        for r, n in needs.items()
    ]


def build_month(
    organization: Organization,
    plans: list[ProjectPlan],
    venues: dict[str, Venue],
    templates: dict[str, ShiftTemplate],
) -> Built:
    zone = ZoneInfo(organization.timezone)
    built = Built()
    for plan in plans:
        project = Project(
            organization=organization,
            name=plan.name,
            client=plan.client,
            status=plan.status,
            color=plan.color,
            description=plan.description,
        )
        built.projects.append(project)
        for mission_plan in plan.missions:
            mission = Mission(
                organization=organization,
                project=project,
                venue=venues[mission_plan.venue],
                name=mission_plan.name,
            )
            shifts = _mission_shifts(mission, mission_plan, templates, zone)
            mission.start_at = min(s.start_at for s in shifts) - timedelta(hours=1)
            mission.end_at = max(s.end_at for s in shifts) + timedelta(hours=1)
            built.missions.append(mission)
            built.staffing += _staffing(mission, shifts)
            built.shifts += shifts
        _date_project(project, [m for m in built.missions if m.project is project], zone, plan)
    return built


def _date_project(
    project: Project, missions: list[Mission], zone: ZoneInfo, plan: ProjectPlan
) -> None:
    """Dates span the missions; the idle projects sit in the future or the past."""
    today = timezone.localdate(timezone=zone)
    if missions:
        project.start_date = min(m.start_at for m in missions).astimezone(zone).date()
        project.end_date = max(m.end_at for m in missions).astimezone(zone).date()
    elif plan.status == ProjectStatus.DRAFT:
        project.start_date = today + timedelta(days=150)
        project.end_date = project.start_date + timedelta(days=45)
    else:
        project.start_date = date(today.year - 1, 12, 5)
        project.end_date = project.start_date + timedelta(days=3)


def cancel_one_shift(built: Built, monday: date, zone: ZoneInfo) -> None:
    """One published set-up shift of the second week was cancelled."""
    for shift in built.shifts:
        local_day = shift.start_at.astimezone(zone).date()
        is_video_set_up = shift.template is not None and shift.template.name == "Set-up — Video"
        if is_video_set_up and local_day >= monday + timedelta(days=8):
            shift.status = ShiftStatus.CANCELLED
            shift.notes = "Cancelled: the video wall was not rented."
            return


def publish_first_weeks(built: Built, monday: date, zone: ZoneInfo, now: datetime) -> None:
    limit = monday + timedelta(days=7 * PUBLISHED_WEEKS)
    for shift in built.shifts:
        if shift.status == ShiftStatus.DRAFT and shift.start_at.astimezone(zone).date() < limit:
            shift.status = ShiftStatus.PUBLISHED
            shift.published_at = now
