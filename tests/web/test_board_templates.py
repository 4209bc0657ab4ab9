"""Applying a shift template to several days from the board (issue 13, item 3), in Chromium.

The manager picks the template, the mission and days of the week shown; the preview shows
each day's shift in local time and why a day would refuse the whole write, "Confirmer"
stays disabled until nothing blocks, and confirming creates the shifts as drafts.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.planning.models import Shift
from tests.factories import (
    MissionFactory,
    MissionRoleFactory,
    ProjectFactory,
    RoleFactory,
    ShiftTemplateFactory,
    VenueFactory,
)
from tests.web.test_board_views import demo, manager, open_board  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_template_applied_to_two_days_after_a_blocked_preview(
    live_server: Any,
    manager: Any,  # noqa: F811
    demo: Any,  # noqa: F811
) -> None:
    organization = demo.organization
    zone = organization.tzinfo
    today = timezone.now().astimezone(zone).date()
    monday = today + timedelta(days=42 - today.weekday())
    days = [(monday + timedelta(days=n)).isoformat() for n in range(4)]
    role = RoleFactory(organization=organization, name="Régisseur son")
    mission = MissionFactory(
        project=ProjectFactory(organization=organization, name="Festival d'été"),
        venue=VenueFactory(organization=organization, name="Théâtre antique"),
        start_at=datetime.combine(monday, time(0), tzinfo=zone),
        end_at=datetime.combine(monday + timedelta(days=3), time(0), tzinfo=zone),
    )
    MissionRoleFactory(mission=mission, role=role)
    template = ShiftTemplateFactory(
        organization=organization, role=role, name="Balances", start_time="14:00", end_time="17:00"
    )
    open_board(manager, live_server.url, f"view=week&date={days[0]}&project={mission.project_id}")
    before = Shift.objects.filter(mission=mission).count()

    manager.click("#apply-template")
    manager.wait_for_selector("#template-select")
    manager.select_option("#template-select", str(template.pk))
    manager.select_option("#template-mission", str(mission.pk))
    # The mission ends on Wednesday night: Thursday is refused.
    manager.check(f"input[name=day][value='{days[1]}']")
    manager.check(f"input[name=day][value='{days[3]}']")
    manager.click("#preview-template")
    manager.wait_for_selector("#confirm-template")

    assert "14:00–17:00" in manager.inner_text(f"li[data-date='{days[1]}']")
    assert "sort de la période de la mission" in manager.inner_text(f"li[data-date='{days[3]}']")
    assert manager.is_disabled("#confirm-template")
    assert Shift.objects.filter(mission=mission).count() == before  # nothing written

    manager.uncheck(f"input[name=day][value='{days[3]}']")
    manager.check(f"input[name=day][value='{days[2]}']")
    manager.click("#preview-template")
    manager.wait_for_selector("#confirm-template:not([disabled])")
    manager.click("#confirm-template")
    manager.wait_for_function("!document.getElementById('dialog').open")

    created = Shift.objects.filter(mission=mission, template=template)
    assert created.count() == 2
    assert {s.status for s in created} == {"draft"}
    assert sorted(s.start_at.astimezone(zone).isoformat()[:16] for s in created) == [
        f"{days[1]}T14:00",
        f"{days[2]}T14:00",
    ]
