"""Reports: the CSV export, an artist's hours, a project's labour cost (hand-made cases)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from apps.crew.models import Artist
from apps.planning.publication.reports import RateProfile, slot_cost
from tests.conftest import Scenario, assert_error
from tests.factories import ShiftFactory
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/planning/export.csv"


def _hours_url(artist: Artist) -> str:
    return f"/api/v1/artists/{artist.pk}/hours"


def _cost_url(project: Any) -> str:
    return f"/api/v1/projects/{project.pk}/cost"


def _rows(response: Any) -> list[dict[str, str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- CSV export ----------------------------------------------------------------------


def test_the_export_has_one_row_per_active_assignment_in_local_time(
    scenario: Scenario, world: World
) -> None:
    night = make_shift(world.own, local(27, 22), hours=6, status="published")
    assign(night, world.own.ana, "accepted")
    assign(night, world.own.chloe, "invited")
    assign(night, world.own.bruno, "declined")
    evening = make_shift(world.own, local(24, 18))
    assign(evening, world.own.bruno, "proposed")
    assign(make_shift(world.own, local(25, 18)), world.own.bruno, "cancelled")

    response = scenario.client("manager").get(EXPORT, {"from": "2026-03-23", "to": "2026-03-29"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="planning.csv"'
    rows = _rows(response)
    assert list(rows[0]) == [
        "date",
        "start",
        "end",
        "project",
        "mission",
        "venue",
        "role",
        "artist",
        "status",
        "shift_status",
    ]
    assert [(r["date"], r["start"], r["end"], r["artist"], r["status"]) for r in rows] == [
        ("2026-03-24", "18:00", "23:00", "Bruno Berger", "proposed"),
        ("2026-03-27", "22:00", "2026-03-28 04:00", "Ana Arnaud", "accepted"),
        ("2026-03-27", "22:00", "2026-03-28 04:00", "Chloé Clément", "invited"),
    ]
    assert rows[1]["venue"] == "Olympia own"
    assert rows[1]["mission"] == "Concerts own"
    assert rows[1]["project"] == "Printemps own"
    assert rows[1]["role"] == "Rigger own"
    assert rows[1]["shift_status"] == "published"


def test_the_export_filters_by_project_venue_and_days(scenario: Scenario, world: World) -> None:
    assign(make_shift(world.own, local(24, 18)), world.own.ana, "accepted")
    assign(make_shift(world.own, local(30, 18)), world.own.bruno, "accepted")
    client = scenario.client("admin")

    by_project = _rows(client.get(EXPORT, {"project": str(world.own.project.pk)}))
    one_day = _rows(client.get(EXPORT, {"from": "2026-03-30", "to": "2026-03-30"}))
    by_venue = _rows(
        client.get(
            EXPORT,
            {
                "project": str(world.own.project.pk),
                "venue": str(world.own.venue.pk),
                "to": "2026-03-25",
            },
        )
    )

    assert [r["artist"] for r in by_project] == ["Ana Arnaud", "Bruno Berger"]
    assert [r["artist"] for r in one_day] == ["Bruno Berger"]
    assert [r["artist"] for r in by_venue] == ["Ana Arnaud"]


def test_the_export_needs_a_project_or_a_range(scenario: Scenario, world: World) -> None:
    client = scenario.client("manager")

    assert "from" in assert_error(client.get(EXPORT), 400, "invalid")["fields"]  # type: ignore[operator]
    body = assert_error(client.get(EXPORT, {"from": "2026-03-30", "to": "2026-03-01"}), 400)
    assert "to" in body["fields"]  # type: ignore[operator]
    body = assert_error(client.get(EXPORT, {"from": "someday", "to": "2026-03-01"}), 400)
    assert "from" in body["fields"]  # type: ignore[operator]


def test_the_export_is_for_managers_of_the_organization(scenario: Scenario, world: World) -> None:
    query = {"project": str(world.own.project.pk)}

    assert_error(scenario.client("tech").get(EXPORT, query), 403, "permission_denied")
    assert_error(scenario.client("anonymous").get(EXPORT, query), 401)
    body = assert_error(scenario.client("outsider").get(EXPORT, query), 404, "not_found")
    assert "project" in body["fields"]  # type: ignore[operator]
    venue = {"from": "2026-03-23", "to": "2026-03-29", "venue": str(world.own.venue.pk)}
    body = assert_error(scenario.client("outsider").get(EXPORT, venue), 404, "not_found")
    assert "venue" in body["fields"]  # type: ignore[operator]


def test_the_export_costs_a_fixed_number_of_queries(
    scenario: Scenario, world: World, django_assert_num_queries: Any
) -> None:
    for day in range(24, 30):
        assign(make_shift(world.own, local(day, 18)), world.own.artists[day % 3], "accepted")

    # 1 the user with the membership (one query), 2 the project of the query string, 3 the
    # rows joined.
    with django_assert_num_queries(3):
        response = scenario.client("manager").get(EXPORT, {"project": str(world.own.project.pk)})

    assert len(_rows(response)) == 6


# --- Hours ---------------------------------------------------------------------------


class Hours:
    """Ana's accepted work around the spring clock change (Europe/Paris, 29 March 2026)."""

    def __init__(self, world: World) -> None:
        plan, ana = world.own, world.own.ana
        assign(make_shift(plan, local(24, 18), hours=5), ana, "accepted")  # 5 h
        midnight = make_shift(plan, local(27, 22), hours=6, break_minutes=30)  # 5.5 h
        assign(midnight, ana, "accepted")
        dst = make_shift(plan, local(28, 22), hours=6)  # 22:00 CET → 05:00 CEST: 6 h
        assign(dst, ana, "accepted")
        assign(make_shift(plan, local(30, 10), hours=8, break_minutes=60), ana, "accepted")  # 7 h
        assign(make_shift(plan, local(31, 10), hours=8), ana, "invited")  # not worked yet
        assign(make_shift(plan, local(25, 8), status="cancelled"), ana, "accepted")
        assign(make_shift(plan, local(26, 8)), world.own.bruno, "accepted")  # someone else


def test_hours_are_counted_by_local_week_on_the_day_shifts_start(
    scenario: Scenario, world: World
) -> None:
    Hours(world)

    response = scenario.client("manager").get(
        _hours_url(world.own.ana), {"from": "2026-03-23", "to": "2026-04-05"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["timezone"] == "Europe/Paris"
    assert body["weeks"] == [
        {"week": "2026-W13", "week_start": "2026-03-23", "hours": 16.5, "shifts": 3},
        {"week": "2026-W14", "week_start": "2026-03-30", "hours": 7.0, "shifts": 1},
    ]
    assert (body["total_hours"], body["shifts"]) == (23.5, 4)


def test_a_night_across_midnight_belongs_to_its_first_day(scenario: Scenario, world: World) -> None:
    Hours(world)
    client = scenario.client("manager")

    saturday = client.get(_hours_url(world.own.ana), {"from": "2026-03-28", "to": "2026-03-28"})
    sunday = client.get(_hours_url(world.own.ana), {"from": "2026-03-29", "to": "2026-03-29"})

    # Friday's 22:00–04:00 is not Saturday's; Saturday's night over the clock change is
    # 6 real hours although the wall clock shows 22:00–05:00.
    assert (saturday.json()["total_hours"], saturday.json()["shifts"]) == (6.0, 1)
    assert (sunday.json()["total_hours"], sunday.json()["shifts"]) == (0.0, 0)


def test_intermittents_see_their_rolling_twelve_months(scenario: Scenario, world: World) -> None:
    Hours(world)  # 23.5 h in March 2026
    ana = world.own.ana
    for day in range(40):  # 40 × 12 h in autumn 2025 = 480 h
        start = datetime(2025, 9, 1, 8, tzinfo=UTC) + timedelta(days=day)
        assign(
            ShiftFactory(
                mission=world.own.mission,
                role=world.own.role,
                start_at=start,
                end_at=start + timedelta(hours=12),
            ),
            ana,
            "accepted",
        )
    before_window = datetime(2025, 3, 31, 18, tzinfo=UTC)  # 20:00 local, the day before
    assign(
        ShiftFactory(
            mission=world.own.mission,
            role=world.own.role,
            start_at=before_window,
            end_at=before_window + timedelta(hours=10),
        ),
        ana,
        "accepted",
    )
    client = scenario.client("tech")  # Ana herself
    query = {"from": "2026-03-01", "to": "2026-03-31"}

    below = client.get(_hours_url(ana), query).json()["intermittent_threshold"]
    assign(make_shift(world.own, local(20, 8), hours=4), ana, "accepted")
    reached = client.get(_hours_url(ana), query).json()["intermittent_threshold"]

    assert below["hours_12_months"] == 503.5
    assert below["threshold"] == 507
    assert below["reached"] is False
    assert below["window_end"] == "2026-03-31T22:00:00Z"
    assert below["window_start"] == "2025-03-31T22:00:00Z"
    assert (reached["hours_12_months"], reached["reached"]) == (507.5, True)


def test_other_employment_types_have_no_threshold(scenario: Scenario, world: World) -> None:
    world.own.bruno.employment_type = "freelance"
    world.own.bruno.save(update_fields=["employment_type"])

    body = scenario.client("manager").get(_hours_url(world.own.bruno)).json()

    assert body["intermittent_threshold"] is None
    assert body["from"][-2:] == "01"  # defaults to the month of today


def test_a_tech_reads_only_his_or_her_own_hours(scenario: Scenario, world: World) -> None:
    Hours(world)
    tech = scenario.client("tech")

    assert tech.get(_hours_url(world.own.ana)).status_code == 200
    assert_error(tech.get(_hours_url(world.own.bruno)), 403, "permission_denied")


def test_hours_tenancy_and_authentication(scenario: Scenario, world: World) -> None:
    assert_error(scenario.client("outsider").get(_hours_url(world.own.ana)), 404, "not_found")
    assert_error(scenario.client("manager").get(_hours_url(world.foreign.ana)), 404, "not_found")
    assert_error(scenario.client("anonymous").get(_hours_url(world.own.ana)), 401)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ({"from": "March", "to": "2026-03-01"}, "from"),
        ({"from": "2024-01-01", "to": "2026-03-01"}, "to"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_field(
    scenario: Scenario, world: World, query: dict[str, str], field: str
) -> None:
    response = scenario.client("manager").get(_hours_url(world.own.ana), query)

    assert field in assert_error(response, 400, "invalid")["fields"]  # type: ignore[operator]


# --- Cost ----------------------------------------------------------------------------


def _rates(artist: Artist, **rates: Any) -> None:
    for name in ("hourly_rate", "half_day_rate", "day_rate"):
        setattr(artist, name, rates.get(name))
    artist.save()


class Costs:
    """Ana hourly 30; Bruno half-day 150 / day 250; Chloé day 300 only."""

    def __init__(self, world: World) -> None:
        plan = world.own
        _rates(plan.ana, hourly_rate=Decimal(30), day_rate=Decimal(250))
        _rates(plan.bruno, half_day_rate=Decimal(150), day_rate=Decimal(250))
        _rates(plan.chloe, day_rate=Decimal(300))
        c1 = make_shift(plan, local(24, 18), hours=5, headcount=2)  # 5 h
        assign(c1, plan.bruno, "accepted")  # half day: 150
        assign(c1, plan.ana, "proposed")  # 30 × 5 = 150
        assign(c1, plan.chloe, "declined")  # not counted
        c2 = make_shift(plan, local(25, 8), hours=12, break_minutes=60, headcount=3)  # 11 h
        assign(c2, plan.chloe, "invited")  # 2 started days × 300 = 600
        assign(c2, plan.bruno, "accepted")  # 2 × 250 = 500; one slot open
        cancelled = make_shift(plan, local(26, 8), status="cancelled", headcount=3)
        assign(cancelled, plan.bruno, "cancelled")
        make_shift(plan, local(27, 10), hours=6, headcount=1, max_headcount=1)  # one slot open


def test_the_cost_of_a_project_follows_the_documented_rule(
    scenario: Scenario, world: World
) -> None:
    Costs(world)

    response = scenario.client("manager").get(_cost_url(world.own.project))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["currency"] == "EUR"
    assert body["total"] == "1400.00"
    assert body["totals"] == [{"currency": "EUR", "amount": "1400.00"}]
    assert body["assignments"] == 4
    assert body["unpriced_assignments"] == 0
    assert body["by_role"] == [
        {
            "role": str(world.own.role.pk),
            "role_name": "Rigger own",
            "currency": "EUR",
            "assignments": 4,
            "hours": 32.0,
            "amount": "1400.00",
        }
    ]
    assert [
        (a["artist_name"], a["assignments"], a["hours"], a["amount"]) for a in body["by_artist"]
    ] == [
        ("Ana Arnaud", 1, 5.0, "150.00"),
        ("Bruno Berger", 2, 16.0, "650.00"),
        ("Chloé Clément", 1, 11.0, "600.00"),
    ]
    # Open slots: 11 h on C2 → mean(330, 500, 600) = 476.67; 6 h → mean(180, 250, 300) = 243.33.
    assert body["unstaffed"] == [
        {
            "role": str(world.own.role.pk),
            "role_name": "Rigger own",
            "missing_slots": 2,
            "currency": "EUR",
            "estimate": "720.00",
        }
    ]
    assert body["unstaffed_total"] == "720.00"
    assert body["estimated_total"] == "2120.00"


def test_artists_without_rates_are_counted_as_unpriced(scenario: Scenario, world: World) -> None:
    _rates(world.own.ana)
    assign(make_shift(world.own, local(24, 18), headcount=1), world.own.ana, "accepted")

    body = scenario.client("manager").get(_cost_url(world.own.project)).json()

    assert (body["total"], body["unpriced_assignments"], body["by_artist"]) == ("0.00", 1, [])


@pytest.mark.parametrize(
    ("rates", "hours", "expected"),
    [
        ({"hourly_rate": "20"}, 7.5, "150.00"),
        ({"half_day_rate": "150", "day_rate": "250"}, 5, "150.00"),
        ({"half_day_rate": "150", "day_rate": "250"}, 5.25, "250.00"),
        ({"day_rate": "250"}, 10, "250.00"),
        ({"day_rate": "250"}, 10.5, "500.00"),
        ({"half_day_rate": "150"}, 7, "300.00"),
        ({}, 8, None),
    ],
)
def test_the_pricing_rule(rates: dict[str, str], hours: float, expected: str | None) -> None:
    profile = RateProfile(
        *(
            Decimal(rates[k]) if k in rates else None
            for k in ("hourly_rate", "half_day_rate", "day_rate")
        )
    )

    cost = slot_cost(profile, int(hours * 60))

    assert (str(cost) if cost is not None else None) == expected


def test_costs_are_for_managers_of_the_organization(scenario: Scenario, world: World) -> None:
    assert_error(
        scenario.client("tech").get(_cost_url(world.own.project)), 403, "permission_denied"
    )
    assert_error(scenario.client("outsider").get(_cost_url(world.own.project)), 404, "not_found")
    assert_error(scenario.client("manager").get(_cost_url(world.foreign.project)), 404)
    assert_error(scenario.client("anonymous").get(_cost_url(world.own.project)), 401)
