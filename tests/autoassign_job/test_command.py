"""``manage.py autoassign``: the same job, run in-process, with a progress bar and a summary."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.planning.models import Assignment, AutoAssignJob
from tests.autoassign_job.conftest import Planning
from tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("autoassign", *args, stdout=out)
    return out.getvalue()


def test_it_fills_a_project_and_prints_the_summary(scenario: Scenario, planning: Planning) -> None:
    output = run(
        "--org",
        scenario.organization.slug,
        "--project",
        str(planning.project.pk),
        "--time-limit",
        "2",
        "--actor",
        scenario.manager.email,
    )

    job = AutoAssignJob.objects.get()
    assert job.status == "succeeded"
    assert job.created_by == scenario.manager
    assert "100%" in output
    assert "filled 6 seat(s): 6/6 slots; coverage 0.0% -> 100.0%" in output
    assert Assignment.objects.filter(auto_assign_job=job).count() == 6


def test_a_dry_run_over_a_range_writes_nothing_and_lists_unfilled_shifts(
    scenario: Scenario, planning: Planning
) -> None:
    for artist in planning.artists[1:]:
        artist.is_active = False
        artist.save()
    day = planning.shifts[0].start_at.date().isoformat()

    output = run(
        "--org",
        scenario.organization.slug,
        "--from",
        day,
        "--to",
        day,
        "--dry-run",
        "--time-limit",
        "1",
    )

    assert "would fill 1 seat(s): 1/2 slots" in output
    assert f"unfilled {planning.shifts[0].pk}: 1 missing" in output
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nope", "--project", "00000000-0000-0000-0000-000000000000"], "No organization"),
        (["--org", "nuits-sonores", "--project", "not-an-id"], "not an id"),
        (["--org", "nuits-sonores", "--from", "2026-01-01"], "--from needs --to"),
        (
            ["--org", "nuits-sonores", "--project", "{project}", "--actor", "tech@nuits.test"],
            "not a manager",
        ),
        (
            ["--org", "nuits-sonores", "--project", "{project}", "--time-limit", "0"],
            "between 1 and 120",
        ),
    ],
)
def test_bad_arguments_stop_with_a_clear_message(
    scenario: Scenario, planning: Planning, args: list[str], message: str
) -> None:
    args = [str(planning.project.pk) if arg == "{project}" else arg for arg in args]

    with pytest.raises(CommandError, match=message):
        run(*args)

    assert not AutoAssignJob.objects.exists()
