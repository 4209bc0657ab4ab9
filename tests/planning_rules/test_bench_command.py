"""``manage.py bench_planning`` runs end to end on its synthetic month and reports."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from apps.orgs.models import Organization
from apps.planning.models import Assignment, Shift, StoredConflict
from apps.planning.rules import stored


@pytest.mark.django_db
def test_the_benchmark_measures_the_four_reads_and_writes_and_leaves_the_data_as_it_was() -> None:
    out = StringIO()

    call_command("bench_planning", source="synthetic", size="small", runs=2, stdout=out)
    counts = (Shift.objects.count(), Assignment.objects.count())
    call_command("bench_planning", source="synthetic", size="small", runs=2, stdout=StringIO())

    report = out.getvalue()
    line = r"^([\w-]+) \(.*?\)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+$"
    rows = dict(re.findall(line, report, re.MULTILINE))
    assert rows == {
        # Conflicts found add at most three queries: artists' names, shifts' roles and
        # venues, and the waivers of the hard ones. The reads take the stored conflicts
        # (their state and their rows) where the rules used to run (five queries); a
        # manager's board reads the weekly cap (the rule settings) once more, for the totals.
        # The timeline's requests authenticate in one query (the user and their membership).
        "timeline": "14",
        "timeline-booked": "9",  # the five name lookups kept (schedule.names)
        "timeline-cached": "1",
        "conflicts": "7",
        "write": rows["write"],
        "check": "8",
        "floor": "1",
        "floor-text": "1",
        "floor-orjson": "1",
    }
    assert int(rows["write"]) > 7  # the API write includes the seven of its check
    assert "84 shifts" in report
    assert "timeline / floor (medians)" in report
    assert counts == (Shift.objects.count(), Assignment.objects.count())


@pytest.mark.django_db
def test_the_growth_benchmark_builds_each_scale_and_reads_off_the_exponents() -> None:
    out = StringIO()

    call_command("bench_planning", scale=[1, 2], size="small", runs=1, stdout=out)

    report = out.getvalue()
    assert "1×: 84 shifts, 24 artists" in report
    assert "2×: 168 shifts, 48 artists" in report
    measures = (
        "timeline week cold",
        "timeline week warm",
        "timeline month cold",
        "timeline month warm",
        "conflicts month",
        "write (assignment)",
        "floor-text month",
    )
    for name in measures:
        (row,) = [line for line in report.splitlines() if line.startswith(name)]
        first, second, exponent = row[len(name) :].split()
        assert float(first) > 0
        assert float(second) > 0
        assert exponent == "-" or abs(float(exponent)) < 20
    assert Shift.objects.filter(organization__slug="bench-planning-small-x2").count() == 168
    # Each month's conflicts are stored, as a deployment keeps them: the reads measured are
    # the stored path, not the rules run on every read while a recompute is pending.
    for slug in ("bench-planning-small-x1", "bench-planning-small-x2"):
        organization = Organization.objects.get(slug=slug)
        assert stored.state_of(organization) == stored.FRESH
        assert StoredConflict.objects.filter(organization=organization).count() == len(
            stored.compute_organization(organization).conflicts
        )


def test_a_scale_must_be_positive_factors() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--scale"):
        call_command("bench_planning", "--scale", "0,2", stdout=StringIO())
