"""``GET /planning/shifts/{id}/candidates``: who fits a shift, decided by the rule code.

A candidate shown as fitting must pass the preview: the list and the preview run the same
check. Each candidate carries the conflicts it would cause; the unqualified are marked, and
filtered out on request.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from apps.orgs.demo import run_seed
from apps.planning.models import Shift, ShiftStatus
from apps.planning.rules.conflicts import ProposedAssignment, conflicts_for_assignments
from apps.planning.schedule.candidates import shift_candidates
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, AssignmentFactory, AvailabilityFactory
from tests.planning_schedule.conftest import SHIFTS, Plans, make_shift, rules_of

pytestmark = pytest.mark.django_db


def candidates(client: Any, shift: Shift, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"{SHIFTS}/{shift.pk}/candidates?limit=200{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]  # type: ignore[no-any-return]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def test_a_long_duty_period_is_not_shown_as_fitting(scenario: Scenario, plan: Plans) -> None:
    # Ana works 06:00-12:00; the shift runs 14:00-22:00: one duty period of 16 h (limit 13 h).
    AssignmentFactory(shift=make_shift(plan.own, day=1, hour=6, hours=6), artist=plan.own.artist)
    shift = make_shift(plan.own, day=1, hour=14, hours=8)

    rows = by_id(candidates(scenario.client("manager"), shift))

    ana, bruno = rows[str(plan.own.artist.pk)], rows[str(plan.own.other_artist.pk)]
    assert ana["fits"] is False
    assert ana["free"] is False
    assert "min_rest" in rules_of(ana["conflicts"], "hard")
    assert bruno["fits"] is True
    assert bruno["conflicts"] == []


def test_those_who_fit_come_first_and_the_unqualified_are_marked(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=2)
    unqualified = ArtistFactory(organization=scenario.organization, first_name="Zoé")
    absent = ArtistFactory(
        organization=scenario.organization, first_name="Yann", skills=[plan.own.skill]
    )
    AvailabilityFactory(artist=absent, start_at=shift.start_at, end_at=shift.end_at)

    rows = candidates(scenario.client("manager"), shift)

    fitting = [row["fits"] for row in rows]
    assert fitting == sorted(fitting, reverse=True)
    marked = by_id(rows)[str(unqualified.pk)]
    assert marked["skilled"] is False
    assert marked["free"] is True
    assert "missing_skill" in rules_of(marked["conflicts"], "hard")
    assert "absence" in rules_of(by_id(rows)[str(absent.pk)]["conflicts"], "hard")


def test_the_unqualified_can_be_left_out(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=2)
    unqualified = ArtistFactory(organization=scenario.organization)

    rows = by_id(candidates(scenario.client("manager"), shift, "&qualified=true"))

    assert str(unqualified.pk) not in rows
    assert str(plan.own.artist.pk) in rows


def test_a_full_shift_fits_nobody(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=3, headcount=1, max_headcount=1)
    AssignmentFactory(shift=shift, artist=plan.own.artist)

    rows = candidates(scenario.client("manager"), shift)

    assert [row["id"] for row in rows] == [str(plan.own.other_artist.pk)]
    assert "capacity_hard" in rules_of(rows[0]["conflicts"], "hard")
    assert rows[0]["fits"] is False


def test_every_fitting_candidate_passes_the_preview(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=4, hour=14, hours=8)
    for hour in (2, 6, 9, 23):
        artist = ArtistFactory(organization=scenario.organization, skills=[plan.own.skill])
        AssignmentFactory(
            shift=make_shift(plan.own, day=4 if hour < 14 else 3, hour=hour, hours=4),
            artist=artist,
        )
    client = scenario.client("manager")

    rows = candidates(client, shift)

    assert any(row["fits"] for row in rows)
    assert any(not row["fits"] for row in rows)
    for row in rows:
        preview = client.post(
            "/api/v1/planning/conflicts/preview",
            {"assignments": [{"shift_id": str(shift.pk), "artist_id": row["id"]}]},
            format="json",
        )
        assert preview.status_code == 200, preview.content
        hard = rules_of(preview.json()["conflicts"], "hard")
        assert (not hard) == row["fits"], (row["name"], hard, row["conflicts"])


def test_a_bad_qualified_flag_is_a_400_naming_it(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=2)
    response = scenario.client("manager").get(f"{SHIFTS}/{shift.pk}/candidates?qualified=maybe")
    assert "qualified" in assert_error(response, 400)["fields"]


def test_candidates_need_a_manager(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=2)
    assert_error(scenario.client("tech").get(f"{SHIFTS}/{shift.pk}/candidates"), 403)
    assert_error(scenario.client("anonymous").get(f"{SHIFTS}/{shift.pk}/candidates"), 401)


def test_another_organizations_shift_is_a_404(scenario: Scenario, plan: Plans) -> None:
    foreign = make_shift(plan.foreign, day=2)
    response = scenario.client("manager").get(f"{SHIFTS}/{foreign.pk}/candidates")
    assert_error(response, 404, "not_found")


def test_the_candidates_never_list_another_organizations_artists(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=2)
    rows = by_id(candidates(scenario.client("manager"), shift))
    assert str(plan.foreign.artist.pk) not in rows
    assert str(plan.foreign.other_artist.pk) not in rows


@pytest.mark.slow
def test_on_the_demo_no_fitting_candidate_is_refused_by_the_preview() -> None:
    """The festival weeks of the demo, shift by shift: "fits" means the preview agrees."""
    organization = run_seed(size="normal").organization
    every = list(
        Shift.objects.filter(organization=organization)
        .exclude(status=ShiftStatus.CANCELLED)
        .select_related("organization", "role")
        .order_by("start_at")
    )
    shifts = every[:: max(1, len(every) // 100)]
    shown = refused = 0
    for shift in shifts:
        for candidate in shift_candidates(shift=shift, limit=200):
            if not candidate.fits:
                continue
            shown += 1
            found = conflicts_for_assignments(
                organization=organization,
                assignments=[ProposedAssignment(shift_id=shift.pk, artist_id=UUID(candidate.id))],
            )
            refused += any(conflict["type"] == "hard" for conflict in found)
    assert shown > 100
    assert refused == 0


@pytest.mark.slow
def test_the_candidates_benchmark_reports_no_refusal_on_the_demo() -> None:
    from io import StringIO

    from django.core.management import call_command

    run_seed(size="normal")
    out = StringIO()
    call_command("bench_candidates", sample=10, stdout=out)

    assert " 0 refused by the preview" in out.getvalue()
    assert "candidates shown as fitting" in out.getvalue()


def test_the_candidates_benchmark_names_a_missing_organization() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organization 'nowhere'"):
        call_command("bench_candidates", organization="nowhere")
