"""Daily rest as duty periods (DESIGN.md "Rules and conflicts", FORMAT.md "Duty periods").

Consecutive shifts of one artist less than ``min_rest`` apart form one duty period; a duty
period spans at most 24 h − ``min_rest`` (13 h by default). Pure code, no database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from apps.planning.rules import conflicts as checks
from apps.planning.rules.duty import duty_periods
from tests.planning_rules.facts import PARIS, Plan, at, by_rule, rules_with
from tests.planning_rules.world import World

FORMAT_EXAMPLES = [
    # (first shift, second shift, allowed)
    (("2025-06-12 08:00", "2025-06-12 12:00"), ("2025-06-12 13:00", "2025-06-12 18:00"), True),
    (("2025-06-12 18:00", "2025-06-12 23:30"), ("2025-06-12 23:30", "2025-06-13 03:30"), True),
    (("2025-06-12 08:00", "2025-06-12 14:00"), ("2025-06-12 18:00", "2025-06-12 23:30"), False),
    (("2025-06-12 23:30", "2025-06-13 03:30"), ("2025-06-13 10:00", "2025-06-13 14:00"), False),
    (("2025-06-12 23:30", "2025-06-13 03:30"), ("2025-06-13 14:30", "2025-06-13 18:30"), True),
]


@pytest.mark.parametrize(
    ("first", "second", "allowed"),
    FORMAT_EXAMPLES,
    ids=[
        "get-in then rehearsal: 10 h",
        "show then load-out: 9 h 30",
        "get-in then show: 15 h 30",
        "load-out then get-in 6 h 30 later: 14 h 30",
        "load-out then get-in 11 h later: two periods",
    ],
)
def test_the_examples_of_the_format(
    first: tuple[str, str], second: tuple[str, str], allowed: bool
) -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, *first)
    plan.book(artist, *second)

    conflicts = by_rule(plan.check(), "min_rest")

    assert (conflicts == []) is allowed
    if not allowed:
        [conflict] = conflicts
        assert conflict.type == "hard"
        assert len(conflict.details["shift_ids"]) == 2


def test_the_refused_get_in_and_show_name_both_shifts_the_span_and_the_limit() -> None:
    plan = Plan()
    artist = plan.artist()
    get_in = plan.book(artist, "2025-06-12 08:00", "2025-06-12 14:00")
    show = plan.book(artist, "2025-06-12 18:00", "2025-06-12 23:30")

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.message == (
        "The artist: duty period of 15 h 30 (Thu 12 Jun 08:00–14:00, Thu 12 Jun 18:00–23:30), "
        "longer than the 13 h that leave 11 h of daily rest."
    )
    details = conflict.as_dict()["details"]
    assert details["span_minutes"] == 930
    assert details["max_span_minutes"] == 780
    assert details["min_rest_minutes"] == 660
    assert details["assignment_ids"] == [str(get_in.key), str(show.key)]
    assert details["assignment_id"] == str(show.key)  # the shift that goes over the limit
    assert details["duty_start"] == "2025-06-12T06:00:00+00:00"
    assert [entry["shift_id"] for entry in details["shifts"]] == [
        str(get_in.shift_key),
        str(show.shift_key),
    ]


def test_a_chain_of_three_breaks_the_rule_though_every_two_respect_it() -> None:
    plan = Plan()
    artist = plan.artist()
    night = plan.book(artist, "2025-06-12 00:00", "2025-06-12 02:00")
    morning = plan.book(artist, "2025-06-12 08:00", "2025-06-12 12:00")
    afternoon = plan.book(artist, "2025-06-12 13:00", "2025-06-12 15:00")
    for pair in ((night, morning), (morning, afternoon), (night, afternoon)):
        alone = Plan()
        alone.artists = plan.artists
        alone.shifts = plan.shifts
        alone.assignments = list(pair)
        assert by_rule(alone.check(), "min_rest") == [], pair

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.details["span_minutes"] == 15 * 60
    assert conflict.details["assignment_ids"] == [night.key, morning.key, afternoon.key]


def test_a_duty_period_across_midnight_is_one_working_day() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-06-13 16:00", "2025-06-13 23:00")
    plan.book(artist, "2025-06-14 00:00", "2025-06-14 05:30")  # 13 h 30 after 16:00

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.details["span_minutes"] == 13 * 60 + 30
    assert conflict.message.startswith(
        "The artist: duty period of 13 h 30 (Fri 13 Jun 16:00–23:00, Sat 14 Jun 00:00–05:30)"
    )


def test_a_duty_period_across_the_spring_change_is_one_hour_shorter_than_the_clock() -> None:
    plan = Plan()
    artist = plan.artist()
    # Sunday 30 March 2025, Paris: 02:00 becomes 03:00. 15:00 → 04:30 reads 13 h 30,
    # lasts 12 h 30.
    plan.book(artist, "2025-03-29 15:00", "2025-03-29 23:00")
    plan.book(artist, "2025-03-29 23:30", "2025-03-30 04:30")

    assert by_rule(plan.check(), "min_rest") == []


def test_a_duty_period_across_the_autumn_change_is_one_hour_longer_than_the_clock() -> None:
    plan = Plan()
    artist = plan.artist()
    # Sunday 26 October 2025, Paris: 03:00 becomes 02:00. 16:00 → 04:30 reads 12 h 30,
    # lasts 13 h 30.
    plan.book(artist, "2025-10-25 16:00", "2025-10-25 23:00")
    plan.book(artist, "2025-10-25 23:30", "2025-10-26 04:30")

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.details["span_minutes"] == 13 * 60 + 30
    assert "(Sat 25 Oct 16:00–23:00, Sat 25 Oct 23:30 – Sun 26 Oct 04:30)" in conflict.message


def test_a_single_shift_longer_than_the_span_is_refused() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-06-12 08:00", "2025-06-12 22:00")

    [conflict] = by_rule(plan.check(), "min_rest")

    assert conflict.details["span_minutes"] == 14 * 60


def test_the_organization_rest_changes_both_the_grouping_and_the_span() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-06-12 08:00", "2025-06-12 14:00")
    plan.book(artist, "2025-06-12 18:00", "2025-06-12 23:30")  # 4 h apart, 15 h 30 span

    assert (
        by_rule(plan.check(rules_with("min_rest", params={"min_rest_hours": 4})), "min_rest") == []
    )
    [refused] = by_rule(
        plan.check(rules_with("min_rest", params={"min_rest_hours": 9})), "min_rest"
    )
    assert refused.details["max_span_minutes"] == 15 * 60


def test_daily_hours_keep_counting_duty_periods_when_min_rest_is_off() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-06-12 08:00", "2025-06-12 15:00")
    plan.book(artist, "2025-06-12 16:00", "2025-06-12 23:00")

    rules = rules_with("min_rest", enabled=False)

    assert by_rule(plan.check(rules), "min_rest") == []
    [daily] = by_rule(plan.check(rules), "daily_hours")
    assert daily.details["hours"] == 14


def test_duty_periods_are_cut_where_the_rest_is_long_enough() -> None:
    plan = Plan()
    artist = plan.artist()
    booked = [
        plan.book(artist, "2025-06-12 08:00", "2025-06-12 12:00"),
        plan.book(artist, "2025-06-12 10:00", "2025-06-12 20:00"),  # overlap: same period
        plan.book(artist, "2025-06-13 07:00", "2025-06-13 09:00"),  # 11 h after 20:00
    ]

    periods = duty_periods(booked, timedelta(hours=11))

    assert [len(period.assignments) for period in periods] == [2, 1]
    assert periods[0].end_at == at("2025-06-12 20:00")
    assert periods[0].span == timedelta(hours=12)


@pytest.mark.django_db
def test_a_split_day_and_its_load_out_chain_into_one_duty_period_in_a_write_check(
    world: World,
) -> None:
    artist = world.artist()
    world.book(artist, "2025-03-14 08:00", "2025-03-14 12:00", break_minutes=0)
    world.book(artist, "2025-03-14 18:00", "2025-03-14 23:30", break_minutes=0)
    rehearsal = world.shift("2025-03-14 13:00", "2025-03-14 18:00", break_minutes=0)
    load_out = world.shift("2025-03-14 23:30", "2025-03-15 03:30", break_minutes=0)
    proposal = [
        checks.ProposedAssignment(shift_id=shift.pk, artist_id=artist.pk)
        for shift in (rehearsal, load_out)
    ]

    found = checks.conflicts_for_assignments(organization=world.organization, assignments=proposal)

    [rest] = [conflict for conflict in found if conflict["rule"] == "min_rest"]
    assert rest["details"]["span_minutes"] == 19 * 60 + 30
    assert len(rest["details"]["shift_ids"]) == 4


@pytest.mark.django_db
def test_the_range_check_loads_the_whole_chain_even_beyond_a_day_before_the_range(
    world: World,
) -> None:
    artist = world.artist()
    for start, end in (
        ("2025-03-30 20:00", "2025-03-30 22:00"),
        ("2025-03-31 08:00", "2025-03-31 10:00"),
        ("2025-03-31 20:00", "2025-03-31 22:00"),
        ("2025-04-01 08:00", "2025-04-01 10:00"),  # each 10 h after the previous one
    ):
        world.book(artist, start, end, break_minutes=0)

    found = checks.conflicts_in_range(
        organization=world.organization, start=at("2025-04-01 00:00"), end=at("2025-04-02 00:00")
    )

    [rest] = [conflict for conflict in found if conflict["rule"] == "min_rest"]
    assert len(rest["details"]["assignment_ids"]) == 4
    assert rest["details"]["duty_start"] == at("2025-03-30 20:00").isoformat()


def test_the_fingerprint_changes_with_the_conflict_not_with_the_reading() -> None:
    plan = Plan()
    artist = plan.artist()
    plan.book(artist, "2025-06-12 08:00", "2025-06-12 14:00")
    plan.book(artist, "2025-06-12 18:00", "2025-06-12 23:30")
    [conflict] = by_rule(plan.check(), "min_rest")
    reversed_plan = Plan()
    reversed_plan.shifts, reversed_plan.artists = plan.shifts, plan.artists
    reversed_plan.assignments = [
        replace(
            item, start_at=item.start_at.astimezone(PARIS), end_at=item.end_at.astimezone(PARIS)
        )
        for item in reversed(plan.assignments)
    ]
    [same] = by_rule(reversed_plan.check(), "min_rest")
    [other_rest] = by_rule(
        plan.check(rules_with("min_rest", params={"min_rest_hours": 10})), "min_rest"
    )
    plan.book(artist, "2025-06-13 00:00", "2025-06-13 01:00")  # joins the duty period
    [longer] = by_rule(plan.check(), "min_rest")

    assert same.fingerprint() == conflict.fingerprint()
    assert other_rest.fingerprint() != conflict.fingerprint()
    assert longer.fingerprint() != conflict.fingerprint()
