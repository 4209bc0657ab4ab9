"""A realistic volume (the bench generator's medium size: ~1,000 shifts, ~2,000
assignments over ten days) is checked in the same fixed number of queries as one row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from apps.orgs.models import Organization
from apps.planning.management.commands._bench_month import FIRST_DAY, SIZES, build_month
from apps.planning.models import Assignment, Shift
from apps.planning.rules import conflicts as checks
from tests.conftest import Scenario


@pytest.fixture
def crowded(scenario: Scenario) -> Organization:
    build_month(organization=scenario.organization, size=SIZES["medium"], first_day=FIRST_DAY)
    return scenario.organization


def canonical(conflict: dict[str, Any]) -> str:
    return json.dumps(conflict, sort_keys=True)


def month_bounds(organization: Organization) -> tuple[datetime, datetime]:
    start = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=organization.tzinfo)
    return start.astimezone(UTC), (start + timedelta(days=10)).astimezone(UTC)


def test_the_range_check_of_2000_assignments_costs_seven_queries_and_says_what_rules_find(
    crowded: Organization, django_assert_num_queries: Any
) -> None:
    start, end = month_bounds(crowded)
    assert Assignment.objects.filter(organization=crowded).count() > 1900
    computed = checks.conflicts_in_range(organization=crowded, start=start, end=end)
    call_command("check_conflicts", fix=True, stdout=StringIO())  # as the writes keep them

    # 1 the stored conflicts' state, 2 the stored conflicts spanning the range, 3 the
    # active assignments and 4 the live shifts they name; for the conflicts found, 5
    # artists' names, 6 shifts' roles and venues, 7 waivers of the hard ones.
    with django_assert_num_queries(7):
        found = checks.conflicts_in_range(organization=crowded, start=start, end=end)

    rules = {conflict["rule"] for conflict in found}
    assert {"min_rest", "missing_skill"} <= rules
    assert all(conflict["type"] in ("hard", "soft") for conflict in found)
    assert sorted(map(canonical, found)) == sorted(map(canonical, computed))


def test_the_range_check_computes_in_eleven_queries_while_nothing_is_stored(
    crowded: Organization, django_assert_num_queries: Any
) -> None:
    start, end = month_bounds(crowded)

    # 1 shifts of the range, 2 active assignments around it, 3 the stored conflicts'
    # state (none), 4 roles' required skills, 5 artists, 6 their skills, 7
    # availabilities, 8 rule settings; for the conflicts found, 9 artists' names, 10
    # shifts' roles and venues, 11 waivers of the hard ones.
    with django_assert_num_queries(11):
        found = checks.conflicts_in_range(organization=crowded, start=start, end=end)

    assert {"min_rest", "missing_skill"} <= {conflict["rule"] for conflict in found}


def test_checking_fifty_proposals_against_that_month_costs_ten_queries(
    crowded: Organization, django_assert_num_queries: Any
) -> None:
    start, end = month_bounds(crowded)
    stored = list(
        Assignment.objects.filter(organization=crowded, start_at__gte=start, end_at__lte=end)
        .order_by("start_at")
        .values_list("id", "shift_id", "artist_id")[:50]
    )
    later = list(Shift.objects.filter(organization=crowded).order_by("-start_at")[:50])
    proposals = [
        checks.ProposedAssignment(shift_id=shift.pk, artist_id=artist_id, status="invited")
        for (_, _, artist_id), shift in zip(stored, later, strict=True)
    ]

    # 1 the proposed shifts, 2 stored assignments around them, 3 roles' skills,
    # 4 artists, 5 skills, 6 availabilities, 7 rule settings; for the conflicts found,
    # 8 artists' names, 9 shifts' roles and venues, 10 waivers of the hard ones.
    with django_assert_num_queries(10):
        found = checks.conflicts_for_assignments(organization=crowded, assignments=proposals)

    assert isinstance(found, list)
    assert {conflict["rule"] for conflict in found} <= {
        "double_booking",
        "min_rest",
        "missing_skill",
        "capacity_hard",
        "capacity_soft",
        "daily_hours",
        "weekly_hours",
        "outside_availability",
        "absence",
        "pending_absence",
        "missing_break",
    }
    assert any(conflict["rule"] == "capacity_soft" for conflict in found)
