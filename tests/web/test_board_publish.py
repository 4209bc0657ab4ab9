"""Publishing you can read, from the board (issue 13, item 6), in real Chromium.

A production manager published a small tour; a shift then moved and a booking was added
that leaves someone too little rest. The publish dialog shows the blocking conflict first, the
changes grouped by person (and, on request, by day) as old → new local times with venue
and role, and "Publier" stays disabled. ``UPDATE_README_IMAGES=1`` refreshes the README's
picture of the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.crew.models import Artist
from apps.planning.models import Assignment, Project, Shift
from apps.planning.publication.services import planning_publish
from apps.planning.publication.services.scope import PublicationScope
from tests.factories import (
    ArtistFactory,
    AssignmentFactory,
    MissionFactory,
    ProjectFactory,
    RoleFactory,
    ShiftFactory,
    VenueFactory,
    written_behind_the_services,
)
from tests.web.test_board_views import (  # noqa: F401
    VIEWPORTS,
    demo,
    manager,
    open_board,
    save_image,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Tour:
    project: Project
    day: date
    moved: Shift
    ana: Artist
    chloe: Artist


def build_tour(organization: Any) -> Tour:
    """A published tour 45 days ahead, then changed behind the last version's back."""
    zone = organization.tzinfo
    day = timezone.now().astimezone(zone).date() + timedelta(days=45)

    def at(offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day + timedelta(days=offset), time(hour, minute), tzinfo=zone)

    project = ProjectFactory(organization=organization, name="Tournée d'automne")
    venue = VenueFactory(organization=organization, name="Salle Rameau")
    mission = MissionFactory(
        project=project, venue=venue, name="Concerts", start_at=at(0, 0), end_at=at(3, 0)
    )
    role = RoleFactory(organization=organization, name="Régisseur plateau")
    people = [
        ArtistFactory(organization=organization, first_name=first, last_name="Tour")
        for first in ("Ana", "Bruno", "Chloé")
    ]
    ana, bruno, chloe = people
    moved = ShiftFactory(mission=mission, role=role, start_at=at(0, 18), end_at=at(0, 23))
    morning = ShiftFactory(mission=mission, role=role, start_at=at(1, 10), end_at=at(1, 14))
    for shift, artist in ((moved, ana), (moved, bruno), (morning, chloe)):
        AssignmentFactory(shift=shift, artist=artist, status="accepted")
    planning_publish(
        organization=organization, actor=None, scope=PublicationScope(project_id=project.pk)
    )
    # Then the show starts an hour later and ends at 23:30, and Chloé joins it: 10 h 30
    # before her 10:00 call the next morning, less than the 11 h of rest (hard).
    Shift.objects.filter(pk=moved.pk).update(start_at=at(0, 19), end_at=at(0, 23, 30))
    Assignment.objects.filter(shift=moved).update(start_at=at(0, 19), end_at=at(0, 23, 30))
    AssignmentFactory(shift=moved, artist=chloe, status="accepted")
    written_behind_the_services(organization)
    return Tour(project=project, day=day, moved=moved, ana=ana, chloe=chloe)


@pytest.mark.parametrize("manager", VIEWPORTS, indirect=True, ids=["1280x720", "1440x900"])
def test_the_publish_dialog_groups_changes_and_blocks_on_a_hard_conflict(
    live_server: Any,
    manager: Any,  # noqa: F811
    demo: Any,  # noqa: F811
) -> None:
    tour = build_tour(demo.organization)
    open_board(
        manager, live_server.url, f"view=week&date={tour.day.isoformat()}&project={tour.project.pk}"
    )

    manager.click("#publish")
    manager.wait_for_selector("#publish-changes .publish-group")

    # The blocking conflict comes first and "Publier" is disabled.
    order = manager.evaluate(
        """() => [...document.querySelectorAll('#publish-blocked, #publish-changes')]
             .map(e => e.id)"""
    )
    assert order == ["publish-blocked", "publish-changes"]
    assert "Chloé Tour" in manager.inner_text("#publish-blocked")
    assert manager.is_disabled("#confirm-publish")

    # By person: Ana's group reads the move as old → new local times, with role and venue.
    ana = manager.locator(f"#publish-changes .publish-group[data-group='{tour.ana.pk}']")
    assert ana.locator("h4").inner_text() == "Ana Tour"
    row = ana.locator(f".publish-change[data-shift='{tour.moved.pk}']").inner_text()
    assert "18:00–23:00 → 19:00–23:30" in row
    assert "Régisseur plateau" in row
    assert "Salle Rameau" in row
    assert row.startswith("modifié · créneau")
    chloe = manager.locator(f"#publish-changes .publish-group[data-group='{tour.chloe.pk}']")
    assert "ajouté · affectation" in chloe.inner_text()
    assert "19:00–23:30" in chloe.inner_text()
    if manager.viewport_size["width"] == 1280:
        save_image(manager, "board-publish.png")

    # By day: one group per local day, the people named on each row.
    manager.click("#publish-changes button[data-grouping=day]")
    days = manager.locator("#publish-changes .publish-group")
    assert days.count() == 1  # the move and Chloé's booking, both on that day
    assert days.nth(0).get_attribute("data-group") == tour.day.isoformat()
    first_day = days.nth(0).inner_text()
    assert "18:00–23:00 → 19:00–23:30" in first_day
    assert "Ana Tour" in first_day
    assert "Bruno Tour" in first_day
    assert manager.locator("#publish-show-all").count() == 0  # nothing hidden
