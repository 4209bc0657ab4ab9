"""Waivers: an admin's override is stored, shown, lets publication through, and is voided
when the conflict changes (DESIGN.md "Rules and conflicts", "Publication")."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.core.errors import HardConflictError
from apps.planning.models import Assignment, ConflictWaiver
from apps.planning.publication.services import (
    PublicationScope,
    planning_publish,
    planning_publish_preview,
)
from apps.planning.rules import conflicts as checks
from apps.planning.rules.services import rule_update
from apps.planning.schedule import services as schedule
from tests.conftest import Scenario
from tests.factories import MissionRoleFactory, timeline_shifts
from tests.planning_rules.facts import at
from tests.planning_rules.world import World

MONTH = {"start": at("2025-03-01 00:00"), "end": at("2025-04-01 00:00")}
REASON = "Tour: compensatory rest on Saturday, agreed with the technician."


def in_range(world: World, rule: str = "min_rest") -> list[dict[str, Any]]:
    found = checks.conflicts_in_range(organization=world.organization, **MONTH)
    return [conflict for conflict in found if conflict["rule"] == rule]


def long_day(world: World, scenario: Scenario) -> tuple[Any, Assignment, Assignment]:
    """A get-in 08:00–14:00 stored, then the show 18:00–23:30 booked by an admin over the
    duty period of 15 h 30, with a reason."""
    artist = world.artist()
    get_in = world.book(artist, "2025-03-14 08:00", "2025-03-14 14:00", break_minutes=0)
    show = world.shift("2025-03-14 18:00", "2025-03-14 23:30", break_minutes=0)
    result = schedule.assignment_create(
        organization=world.organization,
        actor=scenario.admin,
        membership=scenario.memberships["admin"],
        shift=show,
        artist=artist,
        override_reason=REASON,
    )
    return artist, get_in, result.obj


def test_an_override_is_stored_on_the_assignment_and_audited(
    world: World, scenario: Scenario
) -> None:
    _, _, show = long_day(world, scenario)

    [waiver] = ConflictWaiver.objects.all()
    assert (waiver.assignment_id, waiver.rule, waiver.reason) == (show.pk, "min_rest", REASON)
    assert waiver.waived_by == scenario.admin
    assert waiver.voided_at is None
    entry = AuditEntry.objects.get(action=AuditAction.CONFLICT_WAIVE)
    assert entry.reason == REASON
    assert entry.after["rule"] == "min_rest"
    assert entry.after["assignment"] == str(show.pk)


def test_a_waived_conflict_stays_listed_marked_with_who_when_and_why(
    world: World, scenario: Scenario
) -> None:
    _, get_in, show = long_day(world, scenario)

    [conflict] = in_range(world)

    assert (conflict["rule"], conflict["type"]) == ("min_rest", "hard")
    assert conflict["details"]["assignment_ids"] == [str(get_in.pk), str(show.pk)]
    assert conflict["waived"]["by"] == scenario.admin.email
    assert conflict["waived"]["reason"] == REASON
    assert conflict["waived"]["at"].endswith("Z")


def test_the_board_draws_the_waived_conflict_with_its_mark(
    world: World, scenario: Scenario
) -> None:
    long_day(world, scenario)

    response = scenario.client("tech").get(
        "/api/v1/planning/timeline",
        {"from": "2025-03-14T00:00:00+01:00", "to": "2025-03-15T00:00:00+01:00"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    badges = [body["conflicts"][at] for shift in timeline_shifts(body) for at in shift["conflicts"]]
    assert len(badges) == 2  # both shifts of the duty period
    assert all(badge["waived"]["reason"] == REASON for badge in badges)


def test_a_waiver_survives_a_change_that_leaves_the_conflict_as_it_was(
    world: World, scenario: Scenario
) -> None:
    artist, _, _ = long_day(world, scenario)
    world.book(artist, "2025-03-20 08:00", "2025-03-20 12:00")  # another day, 5 days later
    world.venue.name = "Le Transbordeur"
    world.venue.save()

    [conflict] = in_range(world)

    assert conflict["waived"]["reason"] == REASON
    assert "Le Transbordeur" in conflict["message"]


def test_another_shift_joining_the_duty_period_voids_the_waiver_and_says_so(
    world: World, scenario: Scenario
) -> None:
    artist, _, _ = long_day(world, scenario)
    world.book(artist, "2025-03-15 00:00", "2025-03-15 02:00")  # the load-out joins it

    [conflict] = in_range(world)

    assert "waived" not in conflict
    assert conflict["waiver_voided"]["reason"] == REASON
    assert conflict["message"].endswith("The waiver given on this conflict no longer applies.")
    assert len(conflict["details"]["assignment_ids"]) == 3


def test_moving_a_shift_voids_the_old_waiver_and_an_override_gives_a_new_one(
    world: World, scenario: Scenario
) -> None:
    _, get_in, _ = long_day(world, scenario)
    MissionRoleFactory(mission=world.mission, role=world.role)
    with pytest.raises(HardConflictError):
        schedule.shift_update(
            shift=get_in.shift,
            actor=scenario.admin,
            membership=scenario.memberships["admin"],
            data={"start_at": at("2025-03-14 07:00")},
        )

    schedule.shift_update(
        shift=get_in.shift,
        actor=scenario.admin,
        membership=scenario.memberships["admin"],
        data={"start_at": at("2025-03-14 07:00")},
        override_reason="Earlier get-in, same agreement.",
    )

    old, new = ConflictWaiver.objects.order_by("waived_at", "created_at")
    assert old.voided_at is not None
    assert (new.voided_at, new.reason) == (None, "Earlier get-in, same agreement.")
    assert AuditEntry.objects.filter(action=AuditAction.CONFLICT_WAIVER_VOID).count() == 1
    [conflict] = in_range(world)
    assert conflict["waived"]["reason"] == "Earlier get-in, same agreement."
    assert conflict["details"]["span_minutes"] == 16 * 60 + 30


def test_new_parameters_of_the_rule_void_its_waivers(world: World, scenario: Scenario) -> None:
    long_day(world, scenario)

    rule_update(
        organization=world.organization,
        actor=scenario.admin,
        code="min_rest",
        params={"min_rest_hours": 10},
    )

    [conflict] = in_range(world)
    assert "waived" not in conflict  # 15 h 30 is still more than 14 h, but not the same
    assert ConflictWaiver.objects.get().voided_at is not None
    assert AuditEntry.objects.get(action=AuditAction.CONFLICT_WAIVER_VOID).reason


def test_a_waived_conflict_does_not_refuse_the_next_status_of_the_assignment(
    world: World, scenario: Scenario
) -> None:
    _, _, show = long_day(world, scenario)

    result = schedule.assignment_set_status(
        assignment=show,
        actor=scenario.manager,
        membership=scenario.memberships["manager"],
        status="invited",
    )

    assert result.obj.status == "invited"
    assert [c["waived"]["reason"] for c in result.conflicts] == [REASON]


def test_publication_goes_through_a_waived_conflict_and_lists_it_apart(
    world: World, scenario: Scenario
) -> None:
    long_day(world, scenario)
    scope = PublicationScope(project_id=world.project.pk)

    preview = planning_publish_preview(organization=world.organization, scope=scope)
    result = planning_publish(organization=world.organization, actor=scenario.manager, scope=scope)

    assert preview.conflicts == []
    assert [c["rule"] for c in preview.waived_conflicts] == ["min_rest"]
    assert result.changed is True


def test_publication_is_refused_while_the_conflict_is_not_waived(
    world: World, scenario: Scenario
) -> None:
    artist, _, _ = long_day(world, scenario)
    world.book(artist, "2025-03-15 00:00", "2025-03-15 02:00")  # voids the waiver
    scope = PublicationScope(project_id=world.project.pk)

    with pytest.raises(HardConflictError) as refused:
        planning_publish(organization=world.organization, actor=scenario.manager, scope=scope)

    assert [c["rule"] for c in refused.value.conflicts] == ["min_rest"]
    preview = planning_publish_preview(organization=world.organization, scope=scope)
    assert [c["rule"] for c in preview.conflicts] == ["min_rest"]
    assert preview.waived_conflicts == []


def test_the_publish_preview_api_lists_waived_conflicts_apart(
    world: World, scenario: Scenario
) -> None:
    long_day(world, scenario)

    response = scenario.client("manager").post(
        "/api/v1/planning/publish/preview", {"project_id": str(world.project.pk)}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["conflicts"] == []
    assert body["waived_conflicts"][0]["waived"]["reason"] == REASON


def test_an_override_of_the_maximum_head_count_is_waived_for_the_shift_as_it_stands(
    world: World, scenario: Scenario
) -> None:
    shift = world.shift("2025-03-20 08:00", "2025-03-20 12:00", headcount=1, max_headcount=1)
    world.assign(shift, world.artist())
    extra = world.artist()

    schedule.assignment_create(
        organization=world.organization,
        actor=scenario.owner,
        membership=scenario.memberships["owner"],
        shift=shift,
        artist=extra,
        override_reason="A trainee shadows the rigger.",
    )

    [conflict] = in_range(world, "capacity_hard")
    assert conflict["waived"]["reason"] == "A trainee shadows the rigger."
    world.assign(shift, world.artist())  # a third person: another conflict
    [conflict] = in_range(world, "capacity_hard")
    assert "waived" not in conflict
    assert conflict["waiver_voided"]["reason"] == "A trainee shadows the rigger."
