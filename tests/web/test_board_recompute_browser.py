"""A rule change recomputed in a job, seen on the board by a French manager on a laptop.

While the job waits, the board says its conflicts are being recomputed (the badges shown
were checked by the read itself); once the job is done, the board reloaded says nothing of
the kind. It used to keep saying so, from the cache, until the next write in its week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from apps.orgs.models import MemberRole
from apps.planning.rules import tasks
from apps.planning.rules.services import rule_update
from apps.planning.rules.stored import recompute_organization
from tests.factories import (
    PASSWORD,
    ArtistFactory,
    AssignmentFactory,
    MembershipFactory,
    MissionFactory,
    OrganizationFactory,
    ShiftFactory,
    UserFactory,
)
from tests.web.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2030, 6, 12, tzinfo=PARIS)  # a Wednesday
RECOMPUTING = "conflits en cours de recalcul après un changement de règle"


@override_settings(CONFLICTS_SYNC_RECOMPUTE_LIMIT=0)  # every recompute goes to a job
def test_the_board_stops_saying_recomputing_once_the_job_is_done(
    live_server: Any, page: Any, monkeypatch: Any
) -> None:
    organization = OrganizationFactory(name="Festival du Rhône", language="fr")
    manager = UserFactory(email="regie@rhone.test", full_name="Régie Rhône")
    MembershipFactory(organization=organization, user=manager, role=MemberRole.MANAGER)
    admin = UserFactory(email="admin@rhone.test")
    MembershipFactory(organization=organization, user=admin, role=MemberRole.ADMIN)
    mission = MissionFactory(organization=organization, start_at=DAY, end_at=DAY + timedelta(3))
    artist = ArtistFactory(organization=organization, first_name="Inès", last_name="Moreau")
    for start, end in ((8, 14), (18, 23)):  # a split day: one duty period of 15 h
        shift = ShiftFactory(
            mission=mission,
            start_at=DAY + timedelta(hours=start),
            end_at=DAY + timedelta(hours=end),
            status="published",
        )
        AssignmentFactory(shift=shift, artist=artist)
    recompute_organization(organization)
    held: list[str] = []  # the job, queued but not yet run by a worker
    monkeypatch.setattr(tasks.recompute_conflicts, "delay", held.append)

    rule_update(
        organization=organization, actor=admin, code="min_rest", params={"min_rest_hours": 8}
    )
    assert held == [str(organization.pk)]

    page.set_viewport_size({"width": 1280, "height": 720})
    log_in(page, live_server.url, manager.email, PASSWORD)
    page.wait_for_url("**/app/timeline**")
    board = f"{live_server.url}/app/timeline?view=week&date={DAY.date()}"
    page.goto(board)
    page.wait_for_selector("#board[data-ready=true]")
    assert RECOMPUTING in page.inner_text("#board-status")
    screenshot(page, "board-recomputing")

    tasks.recompute_conflicts(*held)  # the worker runs it
    page.reload()
    page.wait_for_selector("#board[data-ready=true]")

    status = page.inner_text("#board-status")
    assert "2 créneaux affichés" in status
    assert RECOMPUTING not in status
    screenshot(page, "board-recomputed")
