"""The board's days drawn and cached apart: a write redraws the days its rows are on, and a
board put together from cached days is the board drawn afresh, after any writes.

Each local day of a range is drawn (its shifts and their crew) and cached under the day's
revision, which a shift's or an assignment's write bumps for the days its times overlap
(``apps.core.revisions``); the badges and the names are read on every computed board.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.core import revisions
from apps.crew.models import Availability
from apps.planning.models import Assignment
from apps.planning.schedule import names
from apps.planning.schedule import timeline as timeline_module
from apps.planning.schedule.timeline import TimelineQuery, timeline
from tests.conftest import Scenario
from tests.planning_rules.test_stored_conflicts import MONDAY, PRELUDE, Board, steps
from tests.planning_rules.world import World

PARIS_MONDAY = datetime(2025, 3, 9, 23, 0, tzinfo=UTC)  # Monday 10 March, 00:00 in Paris
DAY = timedelta(days=1)


def queries(board: Board) -> dict[str, TimelineQuery]:
    """What planners read: the week (with and without costs), one day, a range cut in the
    middle of days (its first and last days partial), one person's week."""
    week = (PARIS_MONDAY, PARIS_MONDAY + 7 * DAY)
    return {
        "week": TimelineQuery(*week),
        "week with costs": TimelineQuery(*week, costs=True),
        "tuesday": TimelineQuery(PARIS_MONDAY + DAY, PARIS_MONDAY + 2 * DAY),
        "midday to midday": TimelineQuery(
            PARIS_MONDAY + timedelta(days=1, hours=12), PARIS_MONDAY + timedelta(days=4, hours=12)
        ),
        "Ana's week": TimelineQuery(*week, artist_id=board.artists[0].pk),
    }


def afresh(board: Board, query: TimelineQuery) -> dict[str, Any]:
    """The board drawn without the cache: every day read from the database."""
    with mock.patch.object(timeline_module, "day_revisions", return_value=None):
        return timeline(organization=board.world.organization, query=query)


@pytest.fixture
def drawn() -> Iterator[list[list[date]]]:
    """The days each board had to draw (not found in the cache)."""
    wanted: list[list[date]] = []
    real = timeline_module._draw_days

    def spy(organization: Any, query: Any, days: list[date], missing: list[date]) -> Any:
        wanted.append(list(missing))
        return real(organization, query, days, missing)

    with mock.patch.object(timeline_module, "_draw_days", spy):
        yield wanted


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "20")) // 2,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(steps, min_size=2, max_size=14))
def test_a_board_of_cached_days_is_the_board_drawn_afresh_after_any_writes(
    scenario: Scenario, sequence: list[tuple[Any, ...]], django_capture_on_commit_callbacks: Any
) -> None:
    cache.clear()  # revisions of an earlier example's rolled-back writes
    with transaction.atomic():
        board = Board.build(scenario, World.build(scenario.organization))
        call_command("check_conflicts", fix=True, stdout=StringIO())
        organization = board.world.organization
        differences = []
        for number, step in enumerate(PRELUDE + sequence):
            with django_capture_on_commit_callbacks(execute=True):  # the bumps follow commits
                board.run(step)
            for name, query in queries(board).items():
                cached = timeline(organization=organization, query=query)
                if cached != afresh(board, query):
                    differences.append(f"{name} after step {number} {step}")
        event(f"shifts: {min(len(board.shifts), 8)}+")
        transaction.set_rollback(True)
    assert differences == [], sequence


@pytest.mark.django_db
def test_a_write_redraws_only_the_days_its_rows_are_on(
    scenario: Scenario,
    world: World,
    drawn: list[list[date]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    board = Board.build(scenario, world)
    with django_capture_on_commit_callbacks(execute=True):
        for kind, *arguments in PRELUDE:
            getattr(board, f"do_{kind}")(*arguments)
    week = TimelineQuery(PARIS_MONDAY, PARIS_MONDAY + 7 * DAY)
    days = [date(2025, 3, 10) + offset * DAY for offset in range(7)]
    first = timeline(organization=world.organization, query=week)
    again = timeline(organization=world.organization, query=week)

    # Ana booked on Wednesday, 09:00-19:00 in Paris: Wednesday is drawn again, every other
    # day is cached.
    with django_capture_on_commit_callbacks(execute=True):
        board.do_assign(3, 0)
    after = timeline(organization=world.organization, query=week)

    assert drawn == [days, [], [date(2025, 3, 12)]]
    assert again == first
    assert after == afresh(board, week)
    assert after != first


@pytest.mark.django_db
def test_a_night_shift_moved_to_the_next_day_leaves_both_days_drawn_anew(
    scenario: Scenario,
    world: World,
    drawn: list[list[date]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    board = Board.build(scenario, world)
    with django_capture_on_commit_callbacks(execute=True):
        board.do_shift(1, 15, 8, 1, 0)  # Tuesday 21:00 to Wednesday 05:00 in Paris
    week = TimelineQuery(PARIS_MONDAY, PARIS_MONDAY + 7 * DAY)
    wednesday = TimelineQuery(PARIS_MONDAY + 2 * DAY, PARIS_MONDAY + 3 * DAY)
    timeline(organization=world.organization, query=week)
    timeline(organization=world.organization, query=wednesday)

    with django_capture_on_commit_callbacks(execute=True):
        board.do_move(0, 24, 0)  # a day later: Wednesday night
    moved_week = timeline(organization=world.organization, query=week)
    moved_wednesday = timeline(organization=world.organization, query=wednesday)

    # The days the night ran over before (Tuesday, Wednesday) and after (Wednesday,
    # Thursday) drawn again; Wednesday's own board (its first day holds a night that runs
    # into it) too.
    assert drawn[2:] == [
        [date(2025, 3, 11), date(2025, 3, 12), date(2025, 3, 13)],
        [date(2025, 3, 12)],
    ]
    assert moved_week == afresh(board, week)
    assert moved_wednesday == afresh(board, wednesday)
    assert [shift[3] for shift in moved_week["shifts"]] == ["2025-03-12T20:00Z"]
    assert moved_wednesday["shifts"][0][3] == "2025-03-12T20:00Z"


@pytest.mark.django_db
def test_the_week_starts_on_the_organizations_monday(world: World) -> None:
    # The fixtures above rest on it: Monday 10 March 2025, 00:00 in Paris.
    assert str(world.organization.timezone) == "Europe/Paris"
    assert PARIS_MONDAY.astimezone(world.organization.tzinfo).isoformat() == (
        "2025-03-10T00:00:00+01:00"
    )
    assert MONDAY.date() == date(2025, 3, 10)


def test_a_write_bumps_its_days_before_its_weeks(scenario: Scenario) -> None:
    # A read that sees a week's new revision must then see its days' new ones, or it would
    # draw the board from a day older than the board's own key and cache it there.
    bumped: list[str] = []
    real = revisions._bump

    def spy(key: str) -> None:
        bumped.append(key.split(":")[0])
        real(key)

    night = (PARIS_MONDAY + timedelta(hours=20), PARIS_MONDAY + timedelta(hours=28))
    with mock.patch.object(revisions, "_bump", spy):
        revisions.bump_weeks(scenario.organization.pk, [night], scenario.organization.tzinfo)

    # Monday night's two days, then its week and the week before (a day either way).
    assert bumped == [
        "org-day-revision",
        "org-day-revision",
        "org-week-revision",
        "org-week-revision",
        "org-revision",
    ]


WEEK = TimelineQuery(PARIS_MONDAY, PARIS_MONDAY + 7 * DAY)


def read_while_moving(
    board: Board, capture: Any, moves_on: Callable[[list[date], list[date], int], bool]
) -> tuple[dict[str, Any], list[list[date]]]:
    """The week read with Wednesday to draw again (its other days cached), Tuesday's shift
    moved a day on, committed, during each read of the days where ``moves_on(days, missing,
    reads so far)``; the board read and the days each read drew."""
    with capture(execute=True):
        board.do_shift(1, 4, 6, 1, 0)  # Tuesday morning
        board.do_shift(2, 4, 6, 1, 0)  # Wednesday morning
    timeline(organization=board.world.organization, query=WEEK)  # every day cached
    with capture(execute=True):
        board.do_assign(1, 0)  # Wednesday to draw again
    real = timeline_module._draw_days
    calls: list[list[date]] = []

    def meanwhile(organization: Any, query: Any, days: list[date], missing: list[date]) -> Any:
        calls.append(list(missing))
        if moves_on(days, missing, len(calls)):
            with capture(execute=True):
                board.do_move(0, 24, 0)
        return real(organization, query, days, missing)

    with mock.patch.object(timeline_module, "_draw_days", meanwhile):
        return timeline(organization=board.world.organization, query=WEEK), calls


@pytest.mark.django_db
def test_a_write_landing_while_a_day_is_read_has_the_days_it_moved_read_again(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    board = Board.build(scenario, world)

    read, calls = read_while_moving(
        board, django_capture_on_commit_callbacks, lambda days, missing, reads: reads == 1
    )

    ids = [shift[0] for shift in read["shifts"]]
    assert len(ids) == len(set(ids)) == 2
    # Wednesday read, then Tuesday (taken from the cache) and Wednesday again, as they are now.
    assert calls == [[date(2025, 3, 12)], [date(2025, 3, 11), date(2025, 3, 12)]]
    assert read == afresh(board, WEEK)


@pytest.mark.django_db
def test_writes_landing_on_every_reread_give_one_read_of_every_day(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    board = Board.build(scenario, world)

    read, calls = read_while_moving(  # a move at every partial read
        board, django_capture_on_commit_callbacks, lambda days, missing, _: missing != days
    )

    assert len(calls) == timeline_module.REREADS + 2
    assert calls[-1] == [date(2025, 3, 10) + n * DAY for n in range(7)]
    assert read == afresh(board, WEEK)


@pytest.mark.django_db
def test_a_cached_day_naming_an_artist_the_names_no_longer_know_is_read_again(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    board = Board.build(scenario, world)
    with django_capture_on_commit_callbacks(execute=True):
        board.do_shift(1, 4, 6, 2, 0)
        board.do_assign(0, 0)
        board.do_assign(0, 2)
    week = TimelineQuery(PARIS_MONDAY, PARIS_MONDAY + 7 * DAY)
    timeline(organization=world.organization, query=week)
    # Ana deleted, her revision bump not yet made (another process's names read since).
    Assignment.objects.filter(artist=board.artists[0]).delete()
    Availability.objects.filter(artist=board.artists[0]).delete()
    board.artists[0].delete()
    names._kept.clear()

    read = timeline(organization=world.organization, query=week)

    assert [artist["name"] for artist in read["artists"]] == [board.artists[2].full_name]
    assert read == afresh(board, week)
