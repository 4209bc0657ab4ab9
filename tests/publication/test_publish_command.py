"""``manage.py publish_planning``: output, exit status, conflicts, audit."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import PlanningVersion
from tests.conftest import Scenario
from tests.factories import AvailabilityFactory
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("publish_planning", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_publishes_a_project_and_prints_the_version_and_summary(
    scenario: Scenario, world: World
) -> None:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")

    out, _ = _run(
        "--org",
        "nuits-sonores",
        "--project",
        str(world.own.project.pk),
        "--actor",
        scenario.manager.email,
    )

    assert "Published version 1" in out
    assert f"Scope: project={world.own.project.pk}" in out
    assert "shifts_published: 1" in out
    assert "assignments_added: 1" in out
    version = PlanningVersion.objects.get()
    assert version.published_by == scenario.manager
    assert AuditEntry.objects.get(action=AuditAction.PLANNING_PUBLISH).actor == scenario.manager


def test_a_second_run_without_change_says_so(scenario: Scenario, world: World) -> None:
    make_shift(world.own, local(24, 18))
    _run("--org", "nuits-sonores", "--project", str(world.own.project.pk))

    out, _ = _run("--org", "nuits-sonores", "--project", str(world.own.project.pk))

    assert "Nothing changed; no new version (latest version: 1)." in out
    assert PlanningVersion.objects.count() == 1


def test_local_dates_cover_whole_days(scenario: Scenario, world: World) -> None:
    make_shift(world.own, local(24, 18))

    out, _ = _run("--org", "nuits-sonores", "--from", "2026-03-24", "--to", "2026-03-24")

    assert "Scope: from=2026-03-23T23:00:00Z;to=2026-03-24T23:00:00Z" in out
    assert "shifts_published: 1" in out


def test_it_exits_non_zero_and_prints_the_conflicts_when_refused(
    scenario: Scenario, world: World
) -> None:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")
    AvailabilityFactory(
        artist=world.own.ana, start_at=local(24, 12), end_at=local(25, 12), status="approved"
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"Refused: 1 hard conflict\(s\)"):
        call_command(
            "publish_planning",
            "--org",
            "nuits-sonores",
            "--project",
            str(world.own.project.pk),
            stdout=StringIO(),
            stderr=err,
        )

    assert "[absence]" in err.getvalue()
    assert not PlanningVersion.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere", "--from", "2026-03-24", "--to", "2026-03-25"], "No organization"),
        (["--org", "nuits-sonores"], "Give a project_id, or both from and to."),
        (["--org", "nuits-sonores", "--project", "nope"], "Not an id"),
        (["--org", "nuits-sonores", "--from", "soon", "--to", "2026-03-25"], "Not a date"),
    ],
)
def test_bad_arguments_are_command_errors(
    scenario: Scenario, world: World, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_the_actor_must_be_a_manager_of_the_organization(scenario: Scenario, world: World) -> None:
    project = str(world.own.project.pk)

    with pytest.raises(CommandError, match="is not a manager"):
        _run("--org", "nuits-sonores", "--project", project, "--actor", scenario.tech.email)
    with pytest.raises(CommandError, match="is not a member"):
        _run("--org", "nuits-sonores", "--project", project, "--actor", scenario.outsider.email)


def test_a_foreign_project_is_refused(scenario: Scenario, world: World) -> None:
    with pytest.raises(CommandError, match="No such object"):
        _run("--org", "nuits-sonores", "--project", str(world.foreign.project.pk))
