"""``POST /projects/{id}/missions/bulk`` (all or nothing) and ``POST /missions/{id}/duplicate``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.planning.models import Mission, MissionRole, Shift
from tests.conftest import Scenario, assert_error
from tests.factories import AssignmentFactory, MissionFactory, ProjectFactory, ShiftFactory
from tests.planning_catalog.conftest import ALL_ROLES, WRITE_ROLES, Catalogs

PARIS_CET = timedelta(hours=1)
PARIS_CEST = timedelta(hours=2)


def bulk_url(catalogs: Catalogs) -> str:
    return f"/api/v1/projects/{catalogs.own.project.pk}/missions/bulk"


def item(catalogs: Catalogs, day: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "venue_id": str(catalogs.own.venue.pk),
        "name": f"Day {day}",
        "start_at": f"2026-05-{day:02d}T08:00:00+02:00",
        "end_at": f"2026-05-{day:02d}T23:00:00+02:00",
        "staffing": [{"role_id": str(catalogs.own.role.pk), "headcount": 2}],
    }
    return body | overrides


def own_mission_count(scenario: Scenario) -> int:
    return Mission.objects.filter(organization=scenario.organization).count()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_for_bulk_creation(scenario: Scenario, catalogs: Catalogs, role: str) -> None:
    response = scenario.client(role).post(bulk_url(catalogs), {"items": [item(catalogs, 4)]})
    if role in WRITE_ROLES:
        assert response.status_code == 201, response.content
    else:
        assert_error(response, 403, "permission_denied")
        assert own_mission_count(scenario) == 1


def test_anonymous_gets_401(scenario: Scenario, catalogs: Catalogs) -> None:
    anonymous = scenario.client("anonymous")
    assert_error(anonymous.post(bulk_url(catalogs), {"items": [item(catalogs, 4)]}), 401)
    duplicate = f"/api/v1/missions/{catalogs.own.mission.pk}/duplicate"
    assert_error(anonymous.post(duplicate, {"days": 1}), 401)


def test_a_batch_creates_every_mission_with_staffing_and_audit(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    items = [item(catalogs, day) for day in (4, 5, 6)]
    response = scenario.client("manager").post(bulk_url(catalogs), {"items": items})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 3
    assert [m["name"] for m in body["items"]] == ["Day 4", "Day 5", "Day 6"]
    assert all(m["project_id"] == str(catalogs.own.project.pk) for m in body["items"])
    created = Mission.objects.filter(name__startswith="Day ")
    assert MissionRole.objects.filter(mission__in=created, headcount=2).count() == 3
    entries = AuditEntry.objects.filter(action=AuditAction.MISSION_CREATE, reason="bulk")
    assert sorted(e.entity_id for e in entries) == sorted(m["id"] for m in body["items"])
    assert all(e.actor == scenario.manager for e in entries)


def test_one_bad_item_refuses_the_whole_batch_with_errors_per_item(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    items = [
        item(catalogs, 4),
        item(catalogs, 5, name=""),
        item(catalogs, 6),
        item(catalogs, 7, end_at="2026-05-07T07:00:00+02:00"),
        item(catalogs, 8, staffing=[{"role_id": str(catalogs.own.role.pk), "headcount": 0}]),
    ]
    response = scenario.client("manager").post(bulk_url(catalogs), {"items": items})

    fields = assert_error(response, 400, "invalid")["fields"]
    assert set(fields) == {  # type: ignore[arg-type]
        "items.1.name",
        "items.3.end_at",
        "items.4.staffing.0.headcount",
    }
    assert own_mission_count(scenario) == 1
    assert not AuditEntry.objects.filter(action=AuditAction.MISSION_CREATE).exists()


def test_a_role_twice_in_an_items_staffing_is_named_by_position(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    line = {"role_id": str(catalogs.own.role.pk), "headcount": 1}
    items = [item(catalogs, 4), item(catalogs, 5, staffing=[line, line])]
    response = scenario.client("manager").post(bulk_url(catalogs), {"items": items})
    assert "items.1.staffing.1.role_id" in assert_error(response, 400)["fields"]  # type: ignore[operator]
    assert own_mission_count(scenario) == 1


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"venue_id": "foreign.venue"}, "items.2.venue_id"),
        ({"staffing": [{"role_id": "foreign.role", "headcount": 1}]}, "items.2.staffing.0.role_id"),
    ],
)
def test_a_foreign_id_in_an_item_is_a_404_naming_it(
    scenario: Scenario, catalogs: Catalogs, overrides: dict[str, Any], path: str
) -> None:
    def foreign(attribute: str) -> str:
        return str(getattr(catalogs.foreign, attribute.split(".")[1]).pk)

    if "venue_id" in overrides:
        overrides = {"venue_id": foreign(overrides["venue_id"])}
    else:
        overrides = {"staffing": [{"role_id": foreign("foreign.role"), "headcount": 1}]}
    items = [item(catalogs, 4), item(catalogs, 5), item(catalogs, 6, **overrides)]
    response = scenario.client("manager").post(bulk_url(catalogs), {"items": items})
    assert path in assert_error(response, 404, "not_found")["fields"]  # type: ignore[operator]
    assert own_mission_count(scenario) == 1


@pytest.mark.parametrize("items", [[], "nope"])
def test_an_empty_or_malformed_batch_is_a_400(
    scenario: Scenario, catalogs: Catalogs, items: Any
) -> None:
    response = scenario.client("manager").post(bulk_url(catalogs), {"items": items})
    assert any(name.startswith("items") for name in assert_error(response, 400)["fields"])  # type: ignore[union-attr]


def test_an_archived_project_refuses_a_batch(scenario: Scenario, catalogs: Catalogs) -> None:
    archived = ProjectFactory(organization=scenario.organization, status="archived")
    url = f"/api/v1/projects/{archived.pk}/missions/bulk"
    response = scenario.client("manager").post(url, {"items": [item(catalogs, 4)]})
    assert_error(response, 409, "project_archived")


# --- Duplicate -----------------------------------------------------------------------


def paris(year: int, month: int, day: int, hour: int, offset: timedelta) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC) - offset


@pytest.fixture
def march_mission(scenario: Scenario, catalogs: Catalogs) -> Mission:
    """A mission of 27-30 March 2026 (summer time starts on the 29th) with three shifts."""
    mission = catalogs.own.mission
    role = catalogs.own.role
    show = ShiftFactory(
        mission=mission,
        role=role,
        status="published",
        notes="Show",
        start_at=paris(2026, 3, 27, 18, PARIS_CET),
        end_at=paris(2026, 3, 27, 23, PARIS_CET),
    )
    AssignmentFactory(shift=show, status="accepted")
    ShiftFactory(
        mission=mission,
        role=role,
        notes="Load-out over the DST night",
        start_at=paris(2026, 3, 28, 22, PARIS_CET),
        end_at=paris(2026, 3, 29, 4, PARIS_CEST),
    )
    ShiftFactory(
        mission=mission,
        role=role,
        status="cancelled",
        notes="Cancelled",
        start_at=paris(2026, 3, 27, 9, PARIS_CET),
        end_at=paris(2026, 3, 27, 12, PARIS_CET),
    )
    return mission


def test_duplicate_keeps_local_wall_clock_times_across_dst(
    scenario: Scenario, march_mission: Mission
) -> None:
    url = f"/api/v1/missions/{march_mission.pk}/duplicate"
    response = scenario.client("manager").post(url, {"days": 1, "name": "Second night"})

    assert response.status_code == 201, response.content
    body = response.json()
    copy = Mission.objects.get(pk=body["mission"]["id"])
    assert copy.name == "Second night"
    shifts = {s.notes: s for s in Shift.objects.filter(mission=copy)}
    assert set(shifts) == {"Show", "Load-out over the DST night"}
    show = shifts["Show"]
    assert (show.start_at, show.end_at) == (
        paris(2026, 3, 28, 18, PARIS_CET),
        paris(2026, 3, 28, 23, PARIS_CET),
    )
    load_out = shifts["Load-out over the DST night"]
    # 22:00 -> 04:00 is 5 real hours over the DST night, 6 the night after.
    assert (load_out.start_at, load_out.end_at) == (
        paris(2026, 3, 29, 22, PARIS_CEST),
        paris(2026, 3, 30, 4, PARIS_CEST),
    )
    assert load_out.end_at - load_out.start_at == timedelta(hours=6)
    assert sorted(s["id"] for s in body["shifts"]) == sorted(str(s.pk) for s in shifts.values())


def test_duplicate_moves_a_week_and_copies_staffing_as_drafts_without_assignments(
    scenario: Scenario, march_mission: Mission, catalogs: Catalogs
) -> None:
    url = f"/api/v1/missions/{march_mission.pk}/duplicate"
    response = scenario.client("manager").post(url, {"days": 7})

    assert response.status_code == 201, response.content
    copy = Mission.objects.get(pk=response.json()["mission"]["id"])
    assert copy.name == march_mission.name
    assert (copy.project, copy.venue) == (march_mission.project, march_mission.venue)
    # 07:00 CET on 27 March is 07:00 CEST on 3 April: one real hour less than 7 x 24 h.
    assert copy.start_at == march_mission.start_at + timedelta(days=7) - timedelta(hours=1)
    assert list(copy.staffing.values_list("role", "headcount")) == [(catalogs.own.role.pk, 4)]
    shifts = Shift.objects.filter(mission=copy)
    assert {s.status for s in shifts} == {"draft"}
    assert {s.venue_id for s in shifts} == {copy.venue_id}
    assert not any(s.assignments.exists() for s in shifts)
    show = shifts.get(notes="Show")
    assert show.start_at == paris(2026, 4, 3, 18, PARIS_CEST)


def test_duplicate_backwards_over_the_autumn_change(scenario: Scenario, catalogs: Catalogs) -> None:
    start = paris(2026, 10, 26, 8, PARIS_CET)
    mission = MissionFactory(
        project=catalogs.own.project,
        venue=catalogs.own.venue,
        start_at=start,
        end_at=start + timedelta(hours=16),
    )
    url = f"/api/v1/missions/{mission.pk}/duplicate"
    response = scenario.client("manager").post(url, {"days": -2})
    copy = Mission.objects.get(pk=response.json()["mission"]["id"])
    assert copy.start_at == paris(2026, 10, 24, 8, PARIS_CEST)


def test_duplicate_is_audited(scenario: Scenario, march_mission: Mission) -> None:
    url = f"/api/v1/missions/{march_mission.pk}/duplicate"
    body = scenario.client("admin").post(url, {"days": 14}).json()
    mission_entry = AuditEntry.objects.get(entity_id=body["mission"]["id"])
    assert mission_entry.action == "mission.duplicate"
    assert mission_entry.after["source_mission_id"] == str(march_mission.pk)
    assert mission_entry.actor == scenario.admin
    shift_entries = AuditEntry.objects.filter(action=AuditAction.SHIFT_CREATE)
    assert sorted(e.entity_id for e in shift_entries) == sorted(s["id"] for s in body["shifts"])


@pytest.mark.parametrize(
    ("body", "field"), [({}, "days"), ({"days": "x"}, "days"), ({"days": 400}, "days")]
)
def test_duplicate_validates_its_input(
    scenario: Scenario, catalogs: Catalogs, body: dict[str, Any], field: str
) -> None:
    url = f"/api/v1/missions/{catalogs.own.mission.pk}/duplicate"
    assert field in assert_error(scenario.client("manager").post(url, body), 400)["fields"]  # type: ignore[operator]
    assert own_mission_count(scenario) == 1


def test_duplicate_into_an_archived_project_is_a_409(
    scenario: Scenario, catalogs: Catalogs
) -> None:
    catalogs.own.project.status = "archived"
    catalogs.own.project.save()
    url = f"/api/v1/missions/{catalogs.own.mission.pk}/duplicate"
    assert_error(scenario.client("manager").post(url, {"days": 1}), 409, "project_archived")
