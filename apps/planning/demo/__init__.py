"""Demo planning for ``seed_demo``: a realistic, always-current month of work.

The month starts on the Monday of the current week in the organization's zone, so the
demo never looks stale. Normal size: a tour, a festival and a theatre run at six venues,
about 250 shifts made from shift templates (load-in, set-up, show, load-out crossing
midnight) and a few hundred assignments in every status. ``--size large`` builds a busy
month for measurements: 16 venues, ten tours, two festivals, three theatre runs, 3,000+
shifts and 6,000+ assignments for the ~300 artists of the large crew.

How it stays valid and repeatable:

- Everything derives from ``random.Random(SEED)`` and the size: the same database state
  gives the same plan (the dates follow the current week).
- The staffing is greedy in chronological order: each slot takes the least-loaded free
  artist with the role's skill. "Free" means no overlap with the artist's active
  assignments (PostgreSQL refuses overlaps anyway), 11 h of rest around every shift,
  at most 44 h in a local week, no absence (approved or pending), and inside the
  artist's declared windows if any. Per-artist sorted intervals are kept in memory.
- Then a few conflicts are added on purpose, so the demo shows what the rules catch:
  a 13.5 h festival day (soft ``daily_hours``), assignments outside declared windows
  (soft ``outside_availability``) and one short rest as a *proposed* assignment (hard
  ``min_rest``). They all sit in the draft weeks, so the first two weeks can be
  published as they are.
- Shifts of the first two weeks are published, later ones are drafts, one is cancelled.
  Assignments of published shifts are mostly accepted, some invited or proposed; some
  artists declined or were cancelled before someone else took the slot.
- Idempotent: if the organization already has projects, the step does nothing. Rows are
  bulk-created in batches inside one transaction, with one ``demo.seed`` audit entry.

The skills come from the crew step (it runs first); missing ones are created by name so
this step also works alone (then without artists, it plans shifts but staffs none).
"""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import record
from apps.orgs.demo import DemoContext
from apps.planning.demo.month import BATCH, ROLES, SEED, SIZES, month_plan
from apps.planning.demo.rows import (
    Built,
    build_month,
    cancel_one_shift,
    ensure_roles,
    ensure_skills,
    ensure_templates,
    ensure_venues,
    publish_first_weeks,
)
from apps.planning.demo.staffing import Staffer, add_deliberate_conflicts, load_candidates
from apps.planning.models import Assignment, Mission, MissionRole, Project, Shift, ShiftStatus
from apps.planning.timezones import week_start


def _save(built: Built, assignments: list[Assignment]) -> None:
    Project.objects.bulk_create(built.projects)
    Mission.objects.bulk_create(built.missions, batch_size=BATCH)
    MissionRole.objects.bulk_create(built.staffing, batch_size=BATCH)
    Shift.objects.bulk_create(built.shifts, batch_size=BATCH)
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)


def _say(context: DemoContext, message: str) -> None:
    if context.stdout is not None:
        context.stdout.write(message)


@transaction.atomic
def seed_planning(context: DemoContext) -> None:
    """Build the demo month in ``context.organization``; nothing if it has projects."""
    organization = context.organization
    if Project.objects.filter(organization=organization).exists():
        _say(context, "Planning: the organization already has projects; nothing to do.")
        return
    size = SIZES["large" if context.size == "large" else "normal"]
    zone = ZoneInfo(organization.timezone)
    today = timezone.localdate(timezone=zone)
    # The normal month starts this week; the large one covers the whole calendar month.
    monday = week_start(today.replace(day=1) if context.size == "large" else today)
    skills = ensure_skills(organization)
    roles = ensure_roles(organization, skills)
    templates = ensure_templates(organization, roles)
    built = build_month(
        organization, month_plan(monday, size), ensure_venues(organization, size), templates
    )
    now = timezone.now()
    cancel_one_shift(built, monday, zone)
    publish_first_weeks(built, monday, zone, now)
    staffer = Staffer(
        organization=organization,
        monday=monday,
        zone=zone,
        artists=load_candidates(organization),
        rng=random.Random(f"{SEED}-{context.size}"),  # noqa: S311 - demo data
        created_by=context.users.get("manager"),
        skill_of_role={roles[name].pk: skills[skill].pk for name, (skill, _) in ROLES.items()},
        now=now,
    )
    staffer.staff(built.shifts)
    drafts = [s for s in built.shifts if s.status == ShiftStatus.DRAFT]
    deliberate = add_deliberate_conflicts(staffer, drafts)
    _save(built, staffer.assignments)
    _record(context, built, staffer.assignments, deliberate)


def _record(
    context: DemoContext, built: Built, assignments: list[Assignment], deliberate: int
) -> None:
    counts = {
        "projects": len(built.projects),
        "missions": len(built.missions),
        "shifts": len(built.shifts),
        "assignments": len(assignments),
        "deliberate_conflicts": deliberate,
    }
    record(
        organization=context.organization,
        actor=context.users.get("owner"),
        action=AuditAction.DEMO_SEED,
        entity_type="planning.project",
        after=counts,
        reason="seed_demo",
    )
    _say(context, "Planning: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".")
