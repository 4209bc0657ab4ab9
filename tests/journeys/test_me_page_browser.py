"""/app/me in a phone browser: this month's hours, and a calendar link that works as shown."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Scenario
from tests.factories import PASSWORD, ArtistFactory
from tests.journeys.test_me_hours_and_calendar import local, worked
from tests.web.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_crew_page_shows_this_months_hours_and_a_working_calendar_link(
    live_server: Any, phone_app: Any, scenario: Scenario, settings: Any
) -> None:
    settings.SITE_URL = ""  # the request's own address: the live server's
    tz = scenario.organization.tzinfo
    artist = ArtistFactory(organization=scenario.organization, user=scenario.tech)
    today = timezone.localtime(timezone.now(), tz).date()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    worked(artist, local(first, 0, 30, tz=tz), 4)  # 1st 00:30 local: last month in UTC
    worked(artist, local(today, 9, tz=tz), 6)
    worked(artist, local(last, 18, tz=tz), 5)  # upcoming, accepted
    worked(artist, local(last, 6, tz=tz), 2, status="declined")

    log_in(phone_app, live_server.url, scenario.tech.email, PASSWORD)
    phone_app.wait_for_url(re.compile(r".*/app/me"))
    phone_app.wait_for_selector("body[data-ready=true]")

    assert re.search(r"Ce mois-ci\s*:\s*15 h \(3\)", phone_app.inner_text("#hours-month"))
    assert re.search(r"12 derniers mois\s*:\s*15 h", phone_app.inner_text("#hours-12-months"))
    shown = phone_app.inner_text("#calendar-url")
    assert shown.startswith(f"{live_server.url}/api/v1/calendar/"), shown
    feed = phone_app.request.get(shown)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    screenshot(phone_app, "journey-me-phone_app")
    assert [f for f in phone_app.failed if "favicon" in f[1]] == []
