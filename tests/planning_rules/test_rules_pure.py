"""The rules as pure code: each rule of the catalog on hand-built facts (no database)."""

from __future__ import annotations

from uuid import uuid4

from apps.planning.rules import catalog
from apps.planning.rules.facts import ArtistFact, Focus
from tests.planning_rules.facts import Plan, at, by_rule, rules_with, window


def test_it_reports_overlapping_assignments_as_a_hard_double_booking() -> None:
    plan = Plan()
    artist = plan.artist()
    first = plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")
    second = plan.book(artist, "2025-03-14 20:00", "2025-03-15 02:00")

    [conflict] = by_rule(plan.check(), "double_booking")

    assert conflict.type == "hard"
    assert conflict.message == (
        "The artist is booked twice: Fri 14 Mar 20:00 – Sat 15 Mar 02:00 overlaps "
        "Fri 14 Mar 18:00–23:00."
    )
    details = conflict.as_dict()["details"]
    assert details["assignment_id"] == str(second.key)
    assert details["other_assignment_id"] == str(first.key)
    assert details["artist_id"] == str(artist)
    assert details["other_shift_id"] == str(first.shift_key)


def test_double_booking_cannot_be_disabled_or_softened_by_an_organization() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")
    plan.book(artist, "2025-03-14 20:00", "2025-03-14 22:00")
    tuned = catalog.resolve([catalog.RuleOverride("double_booking", "soft", False, {})])

    [conflict] = by_rule(plan.check(tuned), "double_booking")

    assert tuned["double_booking"].severity == "hard"
    assert conflict.type == "hard"


def test_a_short_night_joins_two_days_into_one_duty_period_across_midnight() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-03-14 15:00", "2025-03-14 23:30")
    plan.book(artist, "2025-03-15 07:00", "2025-03-15 12:00")

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.type == "hard"
    assert conflict.message == (
        "The artist: duty period of 21 h (Fri 14 Mar 15:00–23:30, Sat 15 Mar 07:00–12:00), "
        "longer than the 13 h that leave 11 h of daily rest."
    )
    assert conflict.details["span_minutes"] == 21 * 60
    assert conflict.details["max_span_minutes"] == 13 * 60
    assert conflict.details["min_rest_hours"] == 11


def test_min_rest_accepts_exactly_the_minimum() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-03-14 12:00", "2025-03-14 20:00")
    plan.book(artist, "2025-03-15 07:00", "2025-03-15 12:00")

    assert by_rule(plan.check(), "min_rest") == []


def test_min_rest_measures_from_the_latest_end_so_far_not_the_previous_shift() -> None:
    plan = Plan()
    artist = plan.artist()
    long_day = plan.book(artist, "2025-03-14 10:00", "2025-03-14 20:00")
    nested = plan.book(artist, "2025-03-14 11:00", "2025-03-14 12:00")  # a double booking
    next_morning = plan.book(artist, "2025-03-15 06:00", "2025-03-15 08:00")

    [rest] = by_rule(plan.check(), "min_rest")

    assert rest.details["assignment_id"] == next_morning.key
    assert rest.details["assignment_ids"] == [long_day.key, nested.key, next_morning.key]
    assert rest.details["span_minutes"] == 22 * 60
    assert len(by_rule(plan.check(), "double_booking")) == 1


def test_min_rest_follows_the_organization_parameters_and_severity() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-03-14 15:00", "2025-03-14 23:30")
    plan.book(artist, "2025-03-15 07:00", "2025-03-15 12:00")

    assert (
        by_rule(plan.check(rules_with("min_rest", params={"min_rest_hours": 7})), "min_rest") == []
    )
    [soft] = by_rule(plan.check(rules_with("min_rest", severity="soft")), "min_rest")
    assert soft.type == "soft"
    assert by_rule(plan.check(rules_with("min_rest", enabled=False)), "min_rest") == []


def test_an_approved_absence_overlapping_the_shift_is_hard() -> None:
    plan = Plan()
    artist = plan.artist(absences=(window("2025-03-15 00:00", "2025-03-16 00:00"),))
    booked = plan.book(artist, "2025-03-14 20:00", "2025-03-15 01:00")

    [conflict] = plan.check()

    assert (conflict.rule, conflict.type) == ("absence", "hard")
    assert conflict.details["assignment_id"] == booked.key
    assert conflict.message.startswith(
        "The artist has an approved absence (Sat 15 Mar 00:00 – Sun 16 Mar 00:00) during"
    )


def test_an_absence_that_ends_when_the_shift_starts_does_not_overlap() -> None:
    plan = Plan()
    artist = plan.artist(absences=(window("2025-03-14 08:00", "2025-03-14 20:00"),))
    plan.book(artist, "2025-03-14 20:00", "2025-03-14 23:00")

    assert plan.check() == []


def test_a_pending_absence_is_only_a_soft_warning() -> None:
    plan = Plan()
    artist = plan.artist(pending_absences=(window("2025-03-14 12:00", "2025-03-14 21:00"),))
    plan.book(artist, "2025-03-14 20:00", "2025-03-14 23:00")

    [conflict] = plan.check()

    assert (conflict.rule, conflict.type) == ("pending_absence", "soft")
    assert conflict.message.startswith(
        "The artist has an absence request still pending (Fri 14 Mar 12:00–21:00)"
    )


def test_an_artist_lacking_a_required_skill_is_named_the_missing_skills() -> None:
    rigging, lighting = uuid4(), uuid4()
    plan = Plan()
    plan.skill_names = {rigging: "Rigging", lighting: "Lighting"}
    skilled = plan.artist(skill_ids=frozenset({rigging, lighting}))
    half = plan.artist(skill_ids=frozenset({rigging}))
    plan.book(skilled, "2025-03-14 08:00", "2025-03-14 12:00", skills=[rigging, lighting])
    short = plan.book(half, "2025-03-14 08:00", "2025-03-14 12:00", skills=[rigging, lighting])

    [conflict] = plan.check()

    assert (conflict.rule, conflict.type) == ("missing_skill", "hard")
    assert conflict.message == (
        "The artist lacks a skill required for Fri 14 Mar 08:00–12:00: Lighting."
    )
    assert conflict.details["assignment_id"] == short.key
    assert conflict.as_dict()["details"]["missing_skill_ids"] == [str(lighting)]


def test_capacity_above_the_maximum_is_hard_and_above_the_target_is_soft() -> None:
    plan = Plan()
    over = plan.book(plan.artist(), "2025-03-14 08:00", "2025-03-14 12:00", max_headcount=2)
    for _ in range(2):
        plan.assignments.append(
            type(over)(uuid4(), over.shift_key, plan.artist(), over.start_at, over.end_at)
        )
    target = plan.book(plan.artist(), "2025-03-15 08:00", "2025-03-15 12:00", headcount=1)
    plan.assignments.append(
        type(target)(uuid4(), target.shift_key, plan.artist(), target.start_at, target.end_at)
    )

    conflicts = plan.check()

    [hard] = by_rule(conflicts, "capacity_hard")
    [soft] = by_rule(conflicts, "capacity_soft")
    assert (hard.type, hard.details["shift_id"], hard.details["assigned"]) == (
        "hard",
        over.shift_key,
        3,
    )
    assert hard.message == "Head count of 3 on Fri 14 Mar 08:00–12:00, for at most 2."
    assert (soft.type, soft.details["shift_id"]) == ("soft", target.shift_key)
    assert soft.message == "Head count of 2 on Sat 15 Mar 08:00–12:00, planned for 1."


def test_weekly_hours_count_local_weeks_and_real_hours_across_the_dst_change() -> None:
    plan = Plan()
    artist = plan.artist()
    for day in range(24, 29):  # Mon 24 – Fri 28 March 2025: 5 × 9 h = 45 h
        plan.book(artist, f"2025-03-{day} 08:00", f"2025-03-{day} 17:00")
    # Clocks jump from 02:00 to 03:00 that night: 22:00 → 04:00 is 5 real hours.
    night = plan.book(artist, "2025-03-29 22:00", "2025-03-30 04:00")

    [conflict] = by_rule(plan.check(), "weekly_hours")

    assert conflict.type == "soft"
    assert conflict.message == (
        "The artist: 50 h of work in the week of Mon 24 Mar (maximum 48 h)."
    )
    assert conflict.details["hours"] == 50.0
    assert conflict.details["assignment_id"] == night.key
    assert len(conflict.details["assignment_ids"]) == 6


def test_a_shift_starting_monday_just_after_midnight_local_counts_in_the_new_week() -> None:
    plan = Plan()
    artist = plan.artist()
    for day in range(24, 29):
        plan.book(artist, f"2025-03-{day} 08:00", f"2025-03-{day} 17:00")
    # Monday 31 March 00:30 in Paris is still Sunday 30 March (22:30) in UTC.
    plan.book(artist, "2025-03-31 00:30", "2025-03-31 06:30")

    assert at("2025-03-31 00:30").weekday() == 6
    assert by_rule(plan.check(), "weekly_hours") == []


def test_hours_are_counted_without_the_break() -> None:
    plan = Plan()
    artist = plan.artist()
    for day in range(24, 30):  # six 9 h shifts with a one-hour break: 48 h worked
        plan.book(artist, f"2025-03-{day} 08:00", f"2025-03-{day} 17:00", break_minutes=60)

    assert by_rule(plan.check(), "weekly_hours") == []
    assert by_rule(plan.check(rules_with("weekly_hours", params={"max_hours": 47})), "weekly_hours")


def test_daily_hours_count_the_work_of_a_duty_period_not_of_a_calendar_day() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-03-13 22:00", "2025-03-14 06:00")  # Thursday's night
    plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")  # 12 h later: a new period
    plan.book(artist, "2025-03-15 19:00", "2025-03-15 23:30")  # 20 h later: a new period
    ten_to_two = plan.book(artist, "2025-03-16 00:00", "2025-03-16 02:00", break_minutes=0)
    # Sun 16 00:00 joins Sat's show (a 30 min break): 6 h 30 of work in that period.
    assert by_rule(plan.check(), "daily_hours") == []

    plan.book(artist, "2025-03-16 02:30", "2025-03-16 09:00")  # 6 h 30 more: 13 h in total
    [conflict] = by_rule(plan.check(), "daily_hours")

    assert conflict.message == (
        "The artist: 13 h of work in the duty period Sat 15 Mar 19:00 – Sun 16 Mar 09:00 "
        "(maximum 12 h)."
    )
    assert conflict.details["work_minutes"] == 13 * 60
    assert conflict.details["duty_start"] == at("2025-03-15 19:00")
    assert ten_to_two.key in conflict.details["assignment_ids"]
    assert by_rule(plan.check(rules_with("daily_hours", enabled=False)), "daily_hours") == []


def test_outside_availability_only_flags_artists_who_declared_windows() -> None:
    plan = Plan()
    silent = plan.artist()
    declared = plan.artist(
        declares_windows=True,
        available_windows=(window("2025-03-14 08:00", "2025-03-14 20:00"),),
    )
    plan.book(silent, "2025-03-14 18:00", "2025-03-14 23:00")
    inside = plan.book(declared, "2025-03-14 09:00", "2025-03-14 13:00")
    outside = plan.book(declared, "2025-03-15 18:00", "2025-03-15 23:00")

    conflicts = by_rule(plan.check(), "outside_availability")

    assert [conflict.details["assignment_id"] for conflict in conflicts] == [outside.key]
    assert inside.key not in {c.details["assignment_id"] for c in conflicts}
    assert conflicts[0].type == "soft"


def test_a_shift_spanning_two_touching_declared_windows_is_inside_them() -> None:
    plan = Plan()
    artist = plan.artist(
        declares_windows=True,
        available_windows=(
            window("2025-03-14 08:00", "2025-03-14 20:00"),
            window("2025-03-14 20:00", "2025-03-15 08:00"),
        ),
    )
    plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")

    assert plan.check() == []


def test_an_artist_with_windows_elsewhere_only_is_outside_them() -> None:
    plan = Plan()
    artist = plan.artist(declares_windows=True, available_windows=())
    plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")

    assert [c.rule for c in plan.check()] == ["outside_availability"]


def test_a_long_shift_without_its_break_is_a_soft_conflict() -> None:
    plan = Plan()
    artist = plan.artist()
    long = plan.book(artist, "2025-03-14 08:00", "2025-03-14 16:00", break_minutes=10)
    plan.book(artist, "2025-03-16 08:00", "2025-03-16 14:00")  # exactly 6 h: fine
    plan.book(artist, "2025-03-18 08:00", "2025-03-18 16:00", break_minutes=20)

    [conflict] = plan.check()

    assert (conflict.rule, conflict.type) == ("missing_break", "soft")
    assert conflict.details["shift_id"] == long.shift_key
    assert conflict.message == (
        "The 8 h shift Fri 14 Mar 08:00–16:00 has a 10 min break (at least 20 min after 6 h)."
    )


def test_only_conflicts_touching_the_focus_are_reported() -> None:
    plan = Plan()
    artist, other = plan.artist(), plan.artist()
    plan.book(other, "2025-03-14 18:00", "2025-03-14 23:00")
    plan.book(other, "2025-03-14 20:00", "2025-03-14 22:00")
    mine = plan.book(artist, "2025-03-14 18:00", "2025-03-14 23:00")
    plan.book(artist, "2025-03-15 06:00", "2025-03-15 12:00")

    focused = plan.check(focus=Focus(assignments=frozenset({mine.key})))

    assert [conflict.rule for conflict in focused] == ["min_rest"]
    assert mine.key in focused[0].details["assignment_ids"]


def test_conflicts_come_out_in_time_order_whatever_the_input_order() -> None:
    plan = Plan()
    artist = plan.artist(absences=(window("2025-03-01 00:00", "2025-03-31 00:00"),))
    plan.book(artist, "2025-03-20 08:00", "2025-03-20 12:00")
    plan.book(artist, "2025-03-10 08:00", "2025-03-10 12:00")

    starts = [conflict.at for conflict in plan.check()]

    assert starts == sorted(starts)
    assert len(starts) == 2


def test_an_artist_unknown_to_the_facts_is_checked_with_no_skills() -> None:
    plan = Plan()
    stranger = uuid4()
    booked = plan.book(stranger, "2025-03-14 08:00", "2025-03-14 12:00", skills=[uuid4()])

    [conflict] = plan.check()

    assert conflict.rule == "missing_skill"
    assert conflict.details["artist_id"] == stranger
    assert isinstance(plan.artists.get(booked.artist_id, ArtistFact(stranger)), ArtistFact)
