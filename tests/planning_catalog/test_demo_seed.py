"""``seed_demo`` builds a valid, current planning month, and a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.orgs.demo import DemoContext, run_seed
from apps.planning.demo import seed_planning
from apps.planning.models import (
    Assignment,
    AssignmentStatus,
    Mission,
    MissionRole,
    Project,
    Shift,
    ShiftStatus,
    ShiftTemplate,
)
from apps.planning.timezones import week_start
from tests.factories import OrganizationFactory, ProjectFactory

ACTIVE = ("proposed", "invited", "accepted")


def overlapping_active_pairs(organization_id: object) -> int:
    """Pairs of active assignments of one artist that overlap, counted by PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM planning_assignment a
            JOIN planning_assignment b
              ON a.artist_id = b.artist_id AND a.id < b.id
             AND a.start_at < b.end_at AND b.start_at < a.end_at
            WHERE a.organization_id = %s
              AND a.status = ANY(%s) AND b.status = ANY(%s)
            """,
            [organization_id, list(ACTIVE), list(ACTIVE)],
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_seed_demo_builds_a_current_month_and_is_idempotent() -> None:
    context = run_seed(size="normal")
    organization = context.organization
    counts = {
        model: model.objects.filter(organization=organization).count()
        for model in (Project, Mission, MissionRole, Shift, Assignment, ShiftTemplate)
    }
    assert counts[Shift] >= 150
    assert counts[Assignment] >= 200

    run_seed(size="normal")

    assert counts == {
        model: model.objects.filter(organization=organization).count() for model in counts
    }
    assert (
        AuditEntry.objects.filter(organization=organization, action=AuditAction.DEMO_SEED).count()
        == 1
    )
    assert overlapping_active_pairs(organization.pk) == 0

    statuses = set(
        Assignment.objects.filter(organization=organization).values_list("status", flat=True)
    )
    assert statuses == set(AssignmentStatus.values)
    shift_statuses = set(
        Shift.objects.filter(organization=organization).values_list("status", flat=True)
    )
    assert shift_statuses == set(ShiftStatus.values)
    assert set(
        Project.objects.filter(organization=organization).values_list("status", flat=True)
    ) == {
        "draft",
        "active",
        "archived",
    }


@pytest.mark.django_db
def test_the_seeded_month_is_consistent() -> None:
    organization = run_seed(size="normal").organization
    zone = ZoneInfo(organization.timezone)
    monday = week_start(timezone.localdate(timezone=zone))
    shifts = Shift.objects.filter(organization=organization).select_related("mission")
    staffed = {
        (line.mission_id, line.role_id)
        for line in MissionRole.objects.filter(organization=organization)
    }
    for shift in shifts:
        mission = shift.mission
        assert mission.start_at <= shift.start_at < shift.end_at <= mission.end_at
        assert shift.venue_id == mission.venue_id
        assert (mission.pk, shift.role_id) in staffed
    first = min(s.start_at for s in shifts).astimezone(zone).date()
    assert first >= monday
    assert first < monday + timedelta(days=7)

    assignments = Assignment.objects.filter(organization=organization).select_related("shift")
    for assignment in assignments:
        assert (assignment.start_at, assignment.end_at) == (
            assignment.shift.start_at,
            assignment.shift.end_at,
        )
        if assignment.shift.status == ShiftStatus.CANCELLED:
            assert assignment.status == AssignmentStatus.CANCELLED


@pytest.mark.django_db
def test_the_seed_shows_deliberate_conflicts() -> None:
    organization = run_seed(size="normal").organization
    active = Assignment.objects.filter(organization=organization, status__in=ACTIVE)
    long_days = [
        a for a in active.select_related("shift") if a.end_at - a.start_at > timedelta(hours=12)
    ]
    assert long_days, "a > 12 h shift is staffed (soft daily_hours)"
    assert active.filter(note="Outside declared window.").exists()
    short = active.get(note="Short rest (demo).")
    assert short.status == AssignmentStatus.PROPOSED
    previous = (
        active.filter(artist=short.artist, end_at__lte=short.start_at).order_by("-end_at").first()
    )
    assert previous is not None
    assert short.start_at - previous.end_at < timedelta(hours=11)


@pytest.mark.django_db
def test_the_planning_step_works_alone_and_skips_an_organization_with_projects() -> None:
    lonely = OrganizationFactory()
    context = DemoContext(organization=lonely, users={}, size="normal", stdout=None)
    seed_planning(context)
    assert Shift.objects.filter(organization=lonely).count() >= 150
    assert not Assignment.objects.filter(organization=lonely).exists()  # no crew, no staffing

    busy = OrganizationFactory()
    ProjectFactory(organization=busy)
    seed_planning(DemoContext(organization=busy, users={}, size="normal", stdout=None))
    assert Project.objects.filter(organization=busy).count() == 1
