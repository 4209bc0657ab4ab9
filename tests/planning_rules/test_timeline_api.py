"""``GET /api/v1/planning/timeline``: one compact payload for the planning board."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from apps.core.revisions import bump_organization_revision
from apps.planning.schedule import timeline as timeline_module
from tests.conftest import Scenario, assert_error
from tests.factories import MissionRoleFactory, RoleFactory, VenueFactory, timeline_shifts
from tests.planning_rules.world import World

URL = "/api/v1/planning/timeline"
MONTH = {"from": "2025-03-01", "to": "2025-04-01"}


def test_the_board_holds_shifts_assignments_badges_and_names(
    scenario: Scenario, world: World
) -> None:
    artist = world.artist(first_name="Léa", last_name="Martin")
    friday = world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    saturday = world.shift("2025-03-15 07:00", "2025-03-15 12:00", headcount=2, max_headcount=3)
    seat = world.assign(saturday, artist, status="invited")
    world.assign(saturday, world.artist(), status="declined")

    response = scenario.client("tech").get(URL, MONTH)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["range"] == {"from": "2025-02-28T23:00:00Z", "to": "2025-03-31T22:00:00Z"}
    assert body["timezone"] == "Europe/Paris"
    # On the wire a shift is a list of the items ``shift_fields`` names (no repeated keys).
    assert body["shift_fields"] == [
        "id", "mission", "role", "start_at", "end_at", "status", "headcount",
        "max_headcount", "break_minutes", "conflicts", "crew", "v",
    ]  # fmt: skip
    assert body["shifts"][1][:3] == [str(saturday.pk), 0, 0]
    first, second = timeline_shifts(body)
    assert first["id"] == str(friday.shift_id)
    assert second == {
        "id": str(saturday.pk),
        "mission": 0,
        "role": 0,
        "start_at": "2025-03-15T06:00Z",
        "end_at": "2025-03-15T11:00Z",
        "status": "draft",
        "headcount": 2,
        "max_headcount": 3,
        "break_minutes": 30,
        "conflicts": [0],
        "crew": [[str(seat.pk), 0, "invited", False, "manual", version_of(scenario, seat)]],
        "v": version_of(scenario, saturday),
    }
    assert first["conflicts"] == second["conflicts"]
    assert body["conflicts"] == [
        {
            "type": "hard",
            "rule": "min_rest",
            "message": "Léa Martin : amplitude de 19 h (ven. 14 mars 17:00–23:30 "
            "(Rigger, Transbordeur), sam. 15 mars 07:00–12:00 (Rigger, Transbordeur)), "
            "au-delà des 13 h qui laissent 11 h de repos quotidien.",
            "artist": 0,
        }
    ]
    # A tech reads no rate: no cost, no currency, no cap.
    assert body["artists"] == [{"id": str(artist.pk), "name": "Léa Martin"}]
    assert "weekly_cap_hours" not in body
    assert body["venues"] == [{"id": str(world.venue.pk), "name": "Transbordeur"}]
    assert body["projects"] == [
        {"id": str(world.project.pk), "name": "Nuits Sonores", "color": "#ff6600"}
    ]
    assert body["roles"] == [{"id": str(world.role.pk), "name": "Rigger"}]
    assert body["missions"] == [
        {
            "id": str(world.mission.pk),
            "name": world.mission.name,
            "project_id": str(world.project.pk),
            "venue_id": str(world.venue.pk),
        }
    ]


def version_of(scenario: Scenario, row: Any) -> str:
    """The opaque part of the row's ``ETag`` as its own endpoint answers it."""
    kind = "shifts" if hasattr(row, "headcount") else "assignments"
    response = scenario.client("manager").get(f"/api/v1/planning/{kind}/{row.pk}")
    etag = str(response.headers["ETag"])
    assert etag.startswith('W/"'), etag
    return etag[3:-1]


def test_a_version_read_on_the_board_is_a_valid_if_match_until_someone_else_writes(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    MissionRoleFactory(mission=world.mission, role=world.role, headcount=4)
    artist = world.artist()
    seat = world.book(artist, "2025-03-14 17:00", "2025-03-14 23:30")
    manager = scenario.client("manager")
    board = manager.get(URL, MONTH).json()
    (shift,) = timeline_shifts(board)
    seat_version = shift["crew"][0][5]
    path = f"/api/v1/planning/shifts/{shift['id']}"

    with django_capture_on_commit_callbacks(execute=True):  # the board's cache moves on
        first = manager.patch(
            path, {"headcount": 2}, format="json", HTTP_IF_MATCH=f'W/"{shift["v"]}"'
        )
        second = manager.patch(
            path, {"headcount": 3}, format="json", HTTP_IF_MATCH=f'W/"{shift["v"]}"'
        )
        locked = manager.patch(
            f"/api/v1/planning/assignments/{seat.pk}",
            {"locked": True},
            format="json",
            HTTP_IF_MATCH=f'W/"{seat_version}"',
        )

    assert first.status_code == 200, first.content
    assert_error(second, 412, "precondition_failed")
    assert locked.status_code == 200, locked.content
    # The board read again carries the new versions.
    (again,) = timeline_shifts(manager.get(URL, MONTH).json())
    assert again["v"] != shift["v"]
    assert again["v"] == version_of(scenario, seat.shift)
    assert again["crew"][0][5] == str(locked.headers["ETag"])[3:-1] != seat_version


def test_a_manager_reads_each_seats_cost_the_currency_and_the_weekly_cap(
    scenario: Scenario, world: World
) -> None:
    hourly = world.artist(first_name="Hugo", hourly_rate=Decimal("20.00"))
    daily = world.artist(
        first_name="Inès", day_rate=Decimal("250.00"), half_day_rate=None, hourly_rate=None
    )
    unpriced = world.artist(first_name="Jade", day_rate=None, half_day_rate=None, hourly_rate=None)
    shift = world.shift("2025-03-14 09:00", "2025-03-14 15:30", break_minutes=30)
    for artist in (hourly, daily, unpriced):
        world.assign(shift, artist)

    body = scenario.client("manager").get(URL, MONTH).json()

    costs = {body["artists"][seat[1]]["name"]: seat[6] for seat in timeline_shifts(body)[0]["crew"]}
    # 6 paid hours: 6 × 20 at the hourly rate, one day at the day rate, nothing without a rate.
    assert costs == {hourly.full_name: 120.0, daily.full_name: 250.0, unpriced.full_name: None}
    assert {artist["currency"] for artist in body["artists"]} == {"EUR"}
    assert body["weekly_cap_hours"] == 48


def test_the_board_is_gzipped_when_the_client_accepts_it(scenario: Scenario, world: World) -> None:
    build_board(world, 40)
    client = scenario.client("tech")

    plain = client.get(URL, MONTH)
    packed = client.get(URL, MONTH, HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 2  # ids and names compress
    assert all("Accept-Encoding" in answer["Vary"] for answer in (plain, packed))


def test_the_gzipped_board_is_compressed_once_per_revision(
    scenario: Scenario, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_board(world, 40)
    client = scenario.client("tech")
    compressions: list[int] = []
    real = timeline_module.gzipped
    monkeypatch.setattr(
        timeline_module, "gzipped", lambda body: compressions.append(len(body)) or real(body)
    )

    first = client.get(URL, MONTH, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    again = client.get(URL, MONTH, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(URL, MONTH)

    assert (first["X-Cache"], again["X-Cache"], plain["X-Cache"]) == ("MISS", "HIT", "HIT")
    assert len(compressions) == 1  # the reload is served the compressed body as cached
    assert again.content == first.content
    assert json.loads(gzip.decompress(again.content)) == plain.json()

    world.shift("2025-03-20 09:00", "2025-03-20 12:00")  # a write (not through a service:
    bump_organization_revision(world.organization.pk)  # so the revision is bumped here)
    after = client.get(URL, MONTH, HTTP_ACCEPT_ENCODING="gzip")
    assert after["X-Cache"] == "MISS"
    assert len(compressions) == 2
    assert (
        len(timeline_shifts(json.loads(gzip.decompress(after.content))))
        == len(timeline_shifts(plain.json())) + 1
    )


def build_board(world: World, shifts: int) -> None:
    """``shifts`` shifts over a month, two artists each, some of them conflicting."""
    crew = [world.artist() for _ in range(6)]
    for index in range(shifts):
        day, slot = divmod(index, 2)
        start = "08:00" if slot == 0 else "15:00"
        end = "12:00" if slot == 0 else "21:00"
        shift = world.shift(f"2025-03-{day + 1:02d} {start}", f"2025-03-{day + 1:02d} {end}")
        for artist in (crew[(index * 2) % 6], crew[(index * 2 + 1) % 6]):
            world.assign(shift, artist)


@pytest.mark.parametrize("shifts", [3, 40])
def test_the_board_costs_the_same_queries_for_3_and_40_shifts(
    scenario: Scenario, world: World, shifts: int, django_assert_num_queries: Any
) -> None:
    build_board(world, shifts)
    call_command("check_conflicts", fix=True, stdout=StringIO())  # as the writes keep them

    # 1 the token's user with its membership (one query); 2 shifts, 3 active assignments
    # around the range, 4 the stored conflicts' state, 5 the stored conflicts; names of
    # 6 artists, 7 venues, 8 missions, 9 projects, 10 roles.
    with django_assert_num_queries(10):
        response = scenario.client("tech").get(URL, MONTH)

    assert len(timeline_shifts(response.json())) == shifts
    assert sum(len(shift["crew"]) for shift in timeline_shifts(response.json())) == 2 * shifts


def test_cancelled_shifts_show_only_when_the_status_filter_asks(
    scenario: Scenario, world: World
) -> None:
    world.shift("2025-03-14 08:00", "2025-03-14 12:00", status="cancelled")
    live = world.shift("2025-03-15 08:00", "2025-03-15 12:00", status="published")
    client = scenario.client("tech")

    default = timeline_shifts(client.get(URL, MONTH).json())
    cancelled = timeline_shifts(client.get(URL, {**MONTH, "status": "cancelled"}).json())
    published = timeline_shifts(client.get(URL, {**MONTH, "status": "published,draft"}).json())

    assert [shift["id"] for shift in default] == [str(live.pk)]
    assert [shift["status"] for shift in cancelled] == ["cancelled"]
    assert [shift["id"] for shift in published] == [str(live.pk)]


def test_the_board_filters_by_venue_role_project_and_artist(
    scenario: Scenario, world: World
) -> None:
    artist = world.artist()
    mine = world.book(artist, "2025-03-14 08:00", "2025-03-14 12:00")
    other_venue = VenueFactory(organization=world.organization)
    other_role = RoleFactory(organization=world.organization)
    elsewhere = world.shift("2025-03-15 08:00", "2025-03-15 12:00", venue=other_venue)
    other_job = world.shift("2025-03-16 08:00", "2025-03-16 12:00", role=other_role)
    client = scenario.client("tech")

    def ids(**params: str) -> list[str]:
        return [
            shift["id"] for shift in timeline_shifts(client.get(URL, {**MONTH, **params}).json())
        ]

    assert ids(venue=str(other_venue.pk)) == [str(elsewhere.pk)]
    assert ids(role=str(other_role.pk)) == [str(other_job.pk)]
    assert ids(artist=str(artist.pk)) == [str(mine.shift_id)]
    assert len(ids(project=str(world.project.pk))) == 3


def test_every_member_reads_the_board_and_the_outsider_only_their_own(
    scenario: Scenario, world: World
) -> None:
    world.shift("2025-03-14 08:00", "2025-03-14 12:00")

    for role in ("owner", "admin", "manager", "tech"):
        assert len(timeline_shifts(scenario.client(role).get(URL, MONTH).json())) == 1
    assert timeline_shifts(scenario.client("outsider").get(URL, MONTH).json()) == []
    assert_error(scenario.client("anonymous").get(URL, MONTH), 401)


@pytest.mark.parametrize("field", ["project", "venue", "role", "artist"])
def test_a_foreign_filter_is_a_404_naming_it(scenario: Scenario, world: World, field: str) -> None:
    ours = {
        "project": world.project.pk,
        "venue": world.venue.pk,
        "role": world.role.pk,
        "artist": world.artist().pk,
    }[field]

    error = assert_error(
        scenario.client("outsider").get(URL, {**MONTH, field: str(ours)}), 404, "not_found"
    )

    assert list(error["fields"]) == [field]  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-03-01"}, "to"),
        ({"to": "2025-03-01"}, "from"),
        ({"from": "2025-01-01", "to": "2025-04-01"}, "to"),
        ({**MONTH, "status": "archived"}, "status"),
        ({**MONTH, "venue": "nope"}, "venue"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(
    scenario: Scenario, params: dict[str, str], field: str
) -> None:
    error = assert_error(scenario.client("tech").get(URL, params), 400, "invalid")

    assert field in error["fields"]  # type: ignore[operator]
