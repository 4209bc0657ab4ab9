"""``GET /api/v1/planning/call-sheet``: who is called where and when on a local day.

Managers read drafts and every active booking, with every phone; a crew member reads the
published shifts and the bookings people were told about, with his or her own phone only,
unless the organization shares crew contacts. A foreign venue is a 404.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.planning.models import Shift
from tests.conftest import Scenario, assert_error
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db
SHEET = "/api/v1/planning/call-sheet"


@pytest.fixture
def day(world: World) -> dict[str, Shift]:
    """On 24 March: a published 18:00 show (Ana accepted, Bruno proposed, one seat open),
    a draft 09:00 get-in (Chloé accepted); on the 25th, a show that is not on the sheet."""
    for artist, phone in zip(world.own.artists, ("06 11", "06 22", "06 33"), strict=True):
        artist.phone = phone
        artist.save(update_fields=["phone"])
    show = make_shift(world.own, local(24, 18), headcount=3, status="published")
    assign(show, world.own.ana, "accepted")
    assign(show, world.own.bruno, "proposed")
    get_in = make_shift(world.own, local(24, 9), headcount=1)
    assign(get_in, world.own.chloe, "accepted")
    make_shift(world.own, local(25, 18), status="published")
    return {"show": show, "get_in": get_in}


def test_a_manager_reads_every_call_of_the_day_with_phones_and_open_seats(
    scenario: Scenario, world: World, day: dict[str, Shift]
) -> None:
    response = scenario.client("manager").get(SHEET, {"date": "2026-03-24"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["day"] == "2026-03-24"
    assert body["contacts_shown"] is True
    (venue,) = body["venues"]
    assert venue["name"] == world.own.venue.name
    rows = [(r["call_time"], r["name"], r["status"], r["phone"]) for r in venue["rows"]]
    assert rows == [
        ("09:00", world.own.chloe.full_name, "accepted", "06 33"),
        ("18:00", world.own.ana.full_name, "accepted", "06 11"),
        ("18:00", world.own.bruno.full_name, "proposed", "06 22"),
        ("18:00", "", None, None),  # the third seat, still open
    ]
    assert venue["rows"][0]["shift_status"] == "draft"
    assert venue["rows"][1]["role_name"] == world.own.role.name
    assert venue["rows"][1]["end_time"] == "23:00"


def test_a_tech_reads_published_calls_and_only_his_own_phone(
    scenario: Scenario, world: World, day: dict[str, Shift]
) -> None:
    body = scenario.client("tech").get(SHEET, {"date": "2026-03-24"}).json()

    assert body["contacts_shown"] is False
    rows = [(r["name"], r["phone"]) for r in body["venues"][0]["rows"]]
    # No draft get-in; Bruno's proposal was never sent: his seat reads as open.
    assert rows == [(world.own.ana.full_name, "06 11"), ("", None), ("", None)]


def test_shared_contacts_show_every_phone_to_the_crew(
    scenario: Scenario, world: World, day: dict[str, Shift]
) -> None:
    assign(day["show"], world.own.chloe, "invited")
    scenario.organization.crew_contacts_visible = True
    scenario.organization.save(update_fields=["crew_contacts_visible"])

    body = scenario.client("tech").get(SHEET, {"date": "2026-03-24"}).json()

    phones = [r["phone"] for r in body["venues"][0]["rows"] if r["name"]]
    assert phones == ["06 11", "06 33"]
    assert body["contacts_shown"] is True


def test_one_venue_and_a_day_without_calls(
    scenario: Scenario, world: World, day: dict[str, Shift]
) -> None:
    client = scenario.client("manager")
    own = client.get(SHEET, {"date": "2026-03-24", "venue": str(world.own.venue.pk)}).json()
    empty = client.get(SHEET, {"date": "2026-03-26"}).json()

    assert len(own["venues"]) == 1
    assert empty["venues"] == []


def test_cancelled_shifts_are_left_out(
    scenario: Scenario, world: World, day: dict[str, Shift]
) -> None:
    Shift.objects.filter(pk=day["get_in"].pk).update(status="cancelled")

    rows = scenario.client("manager").get(SHEET, {"date": "2026-03-24"}).json()["venues"][0]
    assert {r["call_time"] for r in rows["rows"]} == {"18:00"}


def test_bad_input_tenancy_and_roles(scenario: Scenario, world: World) -> None:
    manager = scenario.client("manager")
    for query, field in (
        ({}, "date"),
        ({"date": "24/03/2026"}, "date"),
        ({"date": "2026-03-24", "venue": "nope"}, "venue"),
    ):
        assert field in assert_error(manager.get(SHEET, query), 400)["fields"]  # type: ignore[operator]
    foreign = {"date": "2026-03-24", "venue": str(world.foreign.venue.pk)}
    assert_error(manager.get(SHEET, foreign), 404)
    assert_error(scenario.client("anonymous").get(SHEET, {"date": "2026-03-24"}), 401)


def test_the_sheet_costs_a_fixed_number_of_queries(
    scenario: Scenario, world: World, day: dict[str, Shift], django_assert_num_queries: Any
) -> None:
    for hour in (10, 12, 14):
        assign(make_shift(world.own, local(24, hour), hours=1.5), world.own.bruno, "accepted")
    client = scenario.client("manager")

    # 1 the user of the access token with the membership and its organization (one query),
    # 2 the shifts with venue, role and mission, 3 their bookings with the artists.
    with django_assert_num_queries(3):
        response = client.get(SHEET, {"date": "2026-03-24"})

    assert len(response.json()["venues"][0]["rows"]) == 4 + 3 * 2  # each: Bruno, an open seat
