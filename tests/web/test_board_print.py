"""Printing and exporting from the board (issue 13, item 7), in real Chromium on the demo.

From the board filtered on a venue, "Feuille de service" opens the day's call sheet (who,
role, call time in local time, phone) with a print stylesheet that leaves the page's
chrome out; "Exporter en CSV" downloads the range shown as CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import screenshot
from tests.web.test_board_publish import build_tour
from tests.web.test_board_views import demo, manager, open_board  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_call_sheet_of_the_day_shown_lists_who_when_and_their_phone(
    live_server: Any,
    manager: Any,  # noqa: F811
    demo: Any,  # noqa: F811
) -> None:
    tour = build_tour(demo.organization)
    tour.ana.phone = "+33 6 12 34 56 78"
    tour.ana.save(update_fields=["phone"])
    venue = tour.moved.venue_id
    open_board(manager, live_server.url, f"view=day&date={tour.day.isoformat()}&venue={venue}")

    manager.click("#call-sheet-link")
    manager.wait_for_selector("#call-sheet[data-ready=true]")

    assert f"date={tour.day.isoformat()}" in manager.url
    assert manager.locator(".call-sheet-venue h2").all_inner_texts() == ["Salle Rameau"]
    rows = [
        [cell.strip() for cell in row.split("\t")]
        for row in manager.locator(".call-sheet-table tbody tr").all_inner_texts()
    ]
    assert [row[:3] for row in rows] == [
        ["19:00–23:30", "Ana Tour", "Régisseur plateau"],
        ["19:00–23:30", "Bruno Tour", "Régisseur plateau"],
        ["19:00–23:30", "Chloé Tour", "Régisseur plateau"],
    ]
    assert rows[0][-1] == "+33 6 12 34 56 78"
    assert rows[1][-1] == "—"
    screenshot(manager, "call-sheet")
    # Printed, the sheet is alone on the page: no top bar, no form.
    manager.emulate_media(media="print")
    assert not manager.is_visible(".topbar")
    assert not manager.is_visible("#call-sheet-form")
    assert manager.is_visible(".call-sheet-table")


def test_the_csv_button_downloads_the_range_shown(
    live_server: Any,
    manager: Any,  # noqa: F811
    demo: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    tour = build_tour(demo.organization)
    venue = tour.moved.venue_id
    open_board(manager, live_server.url, f"view=week&date={tour.day.isoformat()}&venue={venue}")

    with manager.expect_download() as download:
        manager.click("#export-csv")
    path = tmp_path / "planning.csv"
    download.value.save_as(path)

    assert download.value.suggested_filename == "planning.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [
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
    moved = [row for row in rows[1:] if row[0] == tour.day.isoformat()]
    assert {row[7] for row in moved} == {"Ana Tour", "Bruno Tour", "Chloé Tour"}
    assert {row[1] for row in moved} == {"19:00"}
    assert {row[5] for row in rows[1:]} == {"Salle Rameau"}
