"""Input that used to answer 500: each case answers a 4xx in the documented error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import Scenario, assert_error
from tests.publication.conftest import World, local, make_shift

pytestmark = pytest.mark.django_db

DEEP = ("[" * 1000 + "]" * 1000).encode()
DEEP_OBJECT = ('{"a":' * 1000 + "1" + "}" * 1000).encode()


def _post_raw(client: Any, path: str, body: bytes) -> Any:
    return client.generic("POST", path, body, content_type="application/json")


# --- Deeply nested JSON ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("anonymous", "/api/v1/auth/login"),
        ("anonymous", "/api/v1/auth/signup"),
        ("anonymous", "/api/v1/auth/reset/request"),
        ("manager", "/api/v1/projects"),
        ("manager", "/api/v1/planning/conflicts/preview"),
        ("manager", "/api/v1/planning/publish/preview"),
        ("manager", "/api/v1/planning/auto-assign/start"),
        ("tech", "/api/v1/availabilities"),
    ],
)
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_400_before_parsing(
    scenario: Scenario, role: str, path: str, body: bytes
) -> None:
    response = _post_raw(scenario.client(role), path, body)

    assert_error(response, 400, "invalid_json")


def test_json_nested_within_the_limit_still_parses(scenario: Scenario) -> None:
    body = b'{"email": "x@y.test", "password": "p", "extra": [[[[["brackets in \\"[[[\\""]]]]]}'

    response = _post_raw(scenario.client("anonymous"), "/api/v1/auth/login", body)

    assert_error(response, 401, "invalid_credentials")


def test_brackets_inside_strings_do_not_count_as_depth(scenario: Scenario) -> None:
    body = ('{"email": "x@y.test", "password": "' + "[" * 5000 + '"}').encode()

    response = _post_raw(scenario.client("anonymous"), "/api/v1/auth/login", body)

    assert_error(response, 401, "invalid_credentials")


# --- Bodies over the documented limit --------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
@pytest.mark.parametrize(
    ("role", "path"),
    [("anonymous", "/api/v1/auth/login"), ("manager", "/api/v1/projects")],
)
def test_a_body_over_the_limit_is_a_413(scenario: Scenario, role: str, path: str) -> None:
    body = ('{"name": "' + "x" * 20_000 + '"}').encode()

    response = _post_raw(scenario.client(role), path, body)

    assert_error(response, 413, "payload_too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_form_post_over_the_limit_is_a_413(scenario: Scenario) -> None:
    response = scenario.client("anonymous").post(
        "/app/login", {"email": "x@y.test", "password": "x" * 20_000}
    )

    assert_error(response, 413, "payload_too_large")


# --- NUL bytes ---------------------------------------------------------------------------


def test_a_nul_byte_in_the_calendar_token_is_a_404(scenario: Scenario) -> None:
    response = scenario.client("anonymous").get("/api/v1/calendar/%00.ics")

    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/artists?search=a%00b",
        "/api/v1/projects?search=%00",
        "/api/v1/audit?entity_id=%00",
        "/api/v1/missions?ordering=%00",
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_a_400_naming_it(scenario: Scenario, path: str) -> None:
    response = scenario.client("admin").get(path)

    body = assert_error(response, 400, "invalid")
    assert body["fields"]  # names the parameter


# --- Datetimes: offsets PostgreSQL refuses, years whose arithmetic overflows ------------

FAR_OFFSET = "2026-03-01T00:00:00+20:00"


@pytest.mark.parametrize(
    ("role", "path", "param"),
    [
        *[
            (role, path, param)
            for role, path in [
                ("tech", "/api/v1/availabilities"),
                ("tech", "/api/v1/missions"),
                ("tech", "/api/v1/planning/assignments"),
                ("tech", "/api/v1/planning/shifts"),
                ("tech", "/api/v1/plannings"),
                ("admin", "/api/v1/audit"),
            ]
            for param in ("from", "to")
        ],
        ("tech", "/api/v1/me/assignments", "from"),
    ],
)
def test_a_utc_offset_beyond_15_59_is_a_400_naming_the_parameter(
    scenario: Scenario, world: World, role: str, path: str, param: str
) -> None:
    response = scenario.client(role).get(path, {param: FAR_OFFSET})

    body = assert_error(response, 400, "invalid")
    assert param in body["fields"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("tech", "/api/v1/planning/shifts"),
        ("admin", "/api/v1/audit"),
        ("tech", "/api/v1/me/assignments"),
    ],
)
def test_a_filter_with_a_supported_offset_is_normalized_to_utc(
    scenario: Scenario, world: World, role: str, path: str
) -> None:
    response = scenario.client(role).get(path, {"from": "2026-03-01T00:00:00+14:00"})

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z"),
        ("9999-12-30T00:00:00Z", "9999-12-31T23:59:59Z"),
        ("0001-01-01T00:00:00", "0001-01-02T00:00:00"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/planning/timeline", "/api/v1/planning/conflicts"])
def test_a_range_at_the_ends_of_the_calendar_is_a_400(
    scenario: Scenario, world: World, path: str, start: str, end: str
) -> None:
    response = scenario.client("manager").get(path, {"from": start, "to": end})

    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) & {"from", "to"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T04:00:00Z"),
        ("9999-12-31T18:00:00Z", "9999-12-31T23:00:00Z"),
    ],
)
def test_a_preview_shift_at_the_ends_of_the_calendar_is_a_400(
    scenario: Scenario, world: World, start: str, end: str
) -> None:
    plan = world.own
    body = {
        "shifts": [
            {
                "ref": "far",
                "mission_id": str(plan.mission.pk),
                "role_id": str(plan.role.pk),
                "start_at": start,
                "end_at": end,
            }
        ],
        "assignments": [{"shift_ref": "far", "artist_id": str(plan.ana.pk)}],
    }

    response = scenario.client("manager").post(
        "/api/v1/planning/conflicts/preview", body, format="json"
    )

    assert "start_at" in str(assert_error(response, 400, "invalid")["fields"])


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-08T00:00:00Z"),
        ("9999-12-24T00:00:00Z", "9999-12-31T23:00:00Z"),
        ("2026-03-01T00:00:00+20:00", "2026-03-08T00:00:00Z"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/planning/publish/preview", "/api/v1/planning/publish"])
def test_a_publish_range_at_the_ends_of_the_calendar_is_a_400(
    scenario: Scenario, world: World, path: str, start: str, end: str
) -> None:
    response = scenario.client("manager").post(path, {"from": start, "to": end}, format="json")

    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) & {"from", "to"}  # type: ignore[arg-type]


def test_an_offset_filter_is_read_as_the_same_instant_in_utc(
    scenario: Scenario, world: World
) -> None:
    shift = make_shift(world.own, local(24, 18))  # 17:00-22:00 UTC

    def listed(since: str) -> list[str]:
        response = scenario.client("tech").get("/api/v1/planning/shifts", {"from": since})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert listed("2026-03-25T11:59:00+14:00") == [str(shift.pk)]  # 21:59 UTC
    assert listed("2026-03-25T12:00:00+14:00") == []  # 22:00 UTC, the shift's end


def test_a_publish_range_is_bounded_in_length(scenario: Scenario, world: World) -> None:
    response = scenario.client("manager").post(
        "/api/v1/planning/publish/preview",
        {"from": "2026-01-01T00:00:00Z", "to": "2999-12-31T00:00:00Z"},
        format="json",
    )

    assert "to" in assert_error(response, 400, "invalid")["fields"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "start", ["0001-01-01T08:00:00Z", "9999-12-31T08:00:00Z", "2026-03-24T08:00:00+20:00"]
)
def test_a_mission_or_an_absence_outside_the_supported_instants_is_refused(
    scenario: Scenario, world: World, start: str
) -> None:
    plan = world.own
    window = {"start_at": start, "end_at": "2026-03-24T12:00:00Z"}
    mission = scenario.client("manager").post(
        "/api/v1/missions",
        {"project_id": str(plan.project.pk), "venue_id": str(plan.venue.pk), "name": "x"} | window,
        format="json",
    )
    absence = scenario.client("tech").post(
        "/api/v1/availabilities",
        {"artist_id": str(plan.ana.pk), "kind": "unavailable", "reason": "x"} | window,
        format="json",
    )

    assert "start_at" in assert_error(mission, 400, "invalid")["fields"]  # type: ignore[operator]
    assert "start_at" in assert_error(absence, 400, "invalid")["fields"]  # type: ignore[operator]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_project_date_outside_the_supported_years_is_refused(
    scenario: Scenario, day: str
) -> None:
    response = scenario.client("manager").post(
        "/api/v1/projects", {"name": "Far", "start_date": day}, format="json"
    )

    assert "start_date" in assert_error(response, 400, "invalid")["fields"]  # type: ignore[operator]


@pytest.mark.django_db
@pytest.mark.parametrize("line", [{}, {"role_id": None}, {"headcount": 2}])
def test_an_incomplete_staffing_line_on_patch_is_a_400_naming_it(
    scenario: Scenario, line: dict[str, object]
) -> None:
    from tests.factories import MissionFactory

    mission = MissionFactory(project__organization=scenario.organization)
    response = scenario.client("manager").patch(
        f"/api/v1/missions/{mission.pk}", {"staffing": [line]}, format="json"
    )
    body = assert_error(response, 400)
    assert any(name.startswith("staffing") for name in body["fields"])
