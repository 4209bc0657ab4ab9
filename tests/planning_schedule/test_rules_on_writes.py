"""Planning rules on shift and assignment writes: hard ones refuse, soft ones are reported.

Hard conflicts answer 409 with the conflicts and write nothing; an admin (or owner) may
override any hard rule but ``double_booking`` by giving a reason, which is audited with
the write; a manager giving a reason is refused with 403.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Assignment
from tests.conftest import Scenario, assert_error
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    AvailabilityFactory,
    RuleSettingFactory,
)
from tests.planning_schedule.conftest import (
    ASSIGNMENTS,
    SHIFTS,
    Plans,
    at,
    audit_entries,
    iso,
    make_shift,
    rules_of,
)

pytestmark = pytest.mark.django_db


def book(client: Any, shift: Any, artist: Any, **extra: Any) -> Any:
    body = {"shift_id": str(shift.pk), "artist_id": str(artist.pk), **extra}
    return client.post(ASSIGNMENTS, body, format="json")


def hard_setups(plan: Plans, scenario: Scenario) -> dict[str, Any]:
    """For each hard rule: (shift, artist) whose booking breaks it, and only it."""
    own = plan.own

    def double_booking() -> tuple[Any, Any]:
        AssignmentFactory(shift=make_shift(own, day=3, hour=8), artist=own.artist)
        return make_shift(own, day=3, hour=10), own.artist

    def min_rest() -> tuple[Any, Any]:
        AssignmentFactory(shift=make_shift(own, day=3, hour=6), artist=own.artist)  # to 11:00
        return make_shift(own, day=3, hour=17), own.artist  # 6 h of rest

    def absence() -> tuple[Any, Any]:
        AvailabilityFactory(
            artist=own.artist, start_at=at(3, 0), end_at=at(4, 0), kind="unavailable"
        )
        return make_shift(own, day=3), own.artist

    def missing_skill() -> tuple[Any, Any]:
        return make_shift(own, day=3), ArtistFactory(organization=scenario.organization)

    def capacity_hard() -> tuple[Any, Any]:
        shift = make_shift(own, day=3, headcount=1, max_headcount=1)
        AssignmentFactory(shift=shift, artist=own.other_artist)
        return shift, own.artist

    return {
        "double_booking": double_booking,
        "min_rest": min_rest,
        "absence": absence,
        "missing_skill": missing_skill,
        "capacity_hard": capacity_hard,
    }


HARD_RULES = ["double_booking", "min_rest", "absence", "missing_skill", "capacity_hard"]
OVERRIDABLE = [rule for rule in HARD_RULES if rule != "double_booking"]


@pytest.mark.parametrize("rule", HARD_RULES)
def test_a_hard_rule_refuses_the_booking_with_its_conflict(
    scenario: Scenario, plan: Plans, rule: str
) -> None:
    shift, artist = hard_setups(plan, scenario)[rule]()
    before = Assignment.objects.count()

    response = book(scenario.client("manager"), shift, artist)

    body = assert_error(response, 409, "hard_conflict")
    assert rule in rules_of(body["conflicts"], "hard"), body["conflicts"]
    assert Assignment.objects.count() == before
    assert not AuditEntry.objects.filter(action=AuditAction.ASSIGNMENT_CREATE).exists()


@pytest.mark.parametrize("rule", OVERRIDABLE)
@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_admin_overrides_a_hard_rule_with_an_audited_reason(
    scenario: Scenario, plan: Plans, rule: str, role: str
) -> None:
    shift, artist = hard_setups(plan, scenario)[rule]()

    response = book(scenario.client(role), shift, artist, override_reason="Agreed with crew.")

    assert response.status_code == 201, response.content
    assert rule in rules_of(response.json()["conflicts"], "hard")
    entry = audit_entries(response.json()["assignment"]["id"], "assignment.create")[0]
    assert entry.reason == "Agreed with crew."
    assert rule in {c["rule"] for c in entry.after["overridden_conflicts"]}


def test_a_double_booking_is_never_overridden(scenario: Scenario, plan: Plans) -> None:
    shift, artist = hard_setups(plan, scenario)["double_booking"]()

    response = book(scenario.client("owner"), shift, artist, override_reason="Please.")

    body = assert_error(response, 409, "hard_conflict")
    assert "double_booking" in rules_of(body["conflicts"])
    assert Assignment.objects.filter(shift=shift).count() == 0


def test_a_manager_giving_a_reason_is_refused(scenario: Scenario, plan: Plans) -> None:
    shift, artist = hard_setups(plan, scenario)["min_rest"]()

    response = book(scenario.client("manager"), shift, artist, override_reason="Trust me.")

    assert_error(response, 403)
    assert Assignment.objects.filter(shift=shift).count() == 0


def test_a_blank_reason_is_no_override(scenario: Scenario, plan: Plans) -> None:
    shift, artist = hard_setups(plan, scenario)["min_rest"]()

    response = book(scenario.client("admin"), shift, artist, override_reason="   ")

    assert_error(response, 409, "hard_conflict")


# --- Soft rules ---------------------------------------------------------------------------


def soft_setups(plan: Plans, scenario: Scenario) -> dict[str, Any]:
    own = plan.own
    organization = scenario.organization

    def weekly_hours() -> tuple[Any, Any]:
        RuleSettingFactory(
            organization=organization, code="weekly_hours", severity="soft", params={"max_hours": 8}
        )
        AssignmentFactory(shift=make_shift(own, day=0), artist=own.artist)  # Monday, 5 h
        return make_shift(own, day=1), own.artist  # Tuesday, 5 h: 10 h in the week

    def daily_hours() -> tuple[Any, Any]:
        RuleSettingFactory(
            organization=organization, code="daily_hours", severity="soft", params={"max_hours": 4}
        )
        return make_shift(own, day=3), own.artist

    def outside_availability() -> tuple[Any, Any]:
        AvailabilityFactory(
            artist=own.artist, start_at=at(10, 0), end_at=at(11, 0), kind="available"
        )
        return make_shift(own, day=3), own.artist

    def capacity_soft() -> tuple[Any, Any]:
        shift = make_shift(own, day=3, headcount=1, max_headcount=2)
        AssignmentFactory(shift=shift, artist=own.other_artist)
        return shift, own.artist

    def missing_break() -> tuple[Any, Any]:
        return make_shift(own, day=3, hours=8, break_minutes=0), own.artist

    def pending_absence() -> tuple[Any, Any]:
        AvailabilityFactory(
            artist=own.artist,
            start_at=at(3, 0),
            end_at=at(4, 0),
            kind="unavailable",
            status="pending",
        )
        return make_shift(own, day=3), own.artist

    return {
        "weekly_hours": weekly_hours,
        "daily_hours": daily_hours,
        "outside_availability": outside_availability,
        "capacity_soft": capacity_soft,
        "missing_break": missing_break,
        "pending_absence": pending_absence,
    }


SOFT_RULES = [
    "weekly_hours",
    "daily_hours",
    "outside_availability",
    "capacity_soft",
    "missing_break",
    "pending_absence",
]


@pytest.mark.parametrize("rule", SOFT_RULES)
def test_a_soft_rule_is_reported_without_refusing(
    scenario: Scenario, plan: Plans, rule: str
) -> None:
    shift, artist = soft_setups(plan, scenario)[rule]()

    response = book(scenario.client("manager"), shift, artist)

    assert response.status_code == 201, response.content
    conflicts = response.json()["conflicts"]
    assert rule in rules_of(conflicts, "soft"), conflicts
    assert rules_of(conflicts, "hard") == set()
    entry = audit_entries(response.json()["assignment"]["id"], "assignment.create")[0]
    assert entry.reason == ""


def test_a_long_shift_without_break_is_reported_on_the_shift(
    scenario: Scenario, plan: Plans
) -> None:
    body = {
        "mission_id": str(plan.own.mission.pk),
        "role_id": str(plan.own.role.pk),
        "start_at": iso(at(2, 8)),
        "end_at": iso(at(2, 17)),
    }

    response = scenario.client("manager").post(SHIFTS, body, format="json")

    assert response.status_code == 201, response.content
    assert rules_of(response.json()["conflicts"]) == {"missing_break"}


# --- Status changes and shift edits re-check -----------------------------------------------


def test_accepting_after_an_absence_was_approved_is_refused(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=3)
    assignment = AssignmentFactory(shift=shift, artist=plan.own.artist, status="invited")
    AvailabilityFactory(
        artist=plan.own.artist, start_at=at(3, 0), end_at=at(4, 0), kind="unavailable"
    )
    url = f"{ASSIGNMENTS}/{assignment.pk}/status"

    refused = scenario.client("manager").post(url, {"status": "accepted"}, format="json")
    forced = scenario.client("admin").post(
        url, {"status": "accepted", "override_reason": "Absence moved."}, format="json"
    )

    assert "absence" in rules_of(assert_error(refused, 409, "hard_conflict")["conflicts"])
    assert forced.status_code == 200, forced.content
    assert forced.json()["assignment"]["status"] == "accepted"
    entry = audit_entries(assignment.pk, "assignment.status")[0]
    assert (entry.before["status"], entry.after["status"], entry.reason) == (
        "invited",
        "accepted",
        "Absence moved.",
    )


def test_cancelling_is_never_blocked_by_rules(scenario: Scenario, plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)
    assignment = AssignmentFactory(shift=shift, artist=plan.own.artist, status="accepted")
    AvailabilityFactory(
        artist=plan.own.artist, start_at=at(3, 0), end_at=at(4, 0), kind="unavailable"
    )

    response = scenario.client("manager").post(
        f"{ASSIGNMENTS}/{assignment.pk}/status", {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["conflicts"] == []


def test_lowering_a_shifts_cap_below_its_crew_needs_an_admin(
    scenario: Scenario, plan: Plans
) -> None:
    shift = make_shift(plan.own, day=3, headcount=2, max_headcount=2)
    AssignmentFactory(shift=shift, artist=plan.own.artist)
    AssignmentFactory(shift=shift, artist=plan.own.other_artist)
    url = f"{SHIFTS}/{shift.pk}"
    change = {"headcount": 1, "max_headcount": 1}

    refused = scenario.client("manager").patch(url, change, format="json")
    forced = scenario.client("admin").patch(
        url, {**change, "override_reason": "Budget cut; one leaves."}, format="json"
    )

    assert "capacity_hard" in rules_of(assert_error(refused, 409, "hard_conflict")["conflicts"])
    assert forced.status_code == 200, forced.content
    assert "capacity_hard" in rules_of(forced.json()["conflicts"], "hard")
    entry = audit_entries(shift.pk, "shift.update")[0]
    assert entry.reason == "Budget cut; one leaves."
    assert (entry.before["max_headcount"], entry.after["max_headcount"]) == (2, 1)


def test_moving_a_shift_re_checks_the_rest_of_its_crew(scenario: Scenario, plan: Plans) -> None:
    earlier = make_shift(plan.own, day=3, hour=6)  # 06:00-11:00
    AssignmentFactory(shift=earlier, artist=plan.own.artist, status="accepted")
    later = make_shift(plan.own, day=4, hour=8)
    AssignmentFactory(shift=later, artist=plan.own.artist, status="accepted")

    response = scenario.client("manager").patch(
        f"{SHIFTS}/{later.pk}",
        {"start_at": iso(at(3, 16)), "end_at": iso(at(3, 21))},
        format="json",
    )

    body = assert_error(response, 409, "hard_conflict")
    assert "min_rest" in rules_of(body["conflicts"])
    later.refresh_from_db()
    assert later.start_at == at(4, 8)
