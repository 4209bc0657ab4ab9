"""On a phone (390×844), a tech opens his page, sees an open shift and takes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from apps.planning.models import Assignment
from tests.factories import (
    PASSWORD,
    ArtistFactory,
    MembershipFactory,
    MissionFactory,
    RoleFactory,
    ShiftFactory,
    SkillFactory,
    UserFactory,
    VenueFactory,
)
from tests.web.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_a_tech_takes_an_open_shift_from_his_phone(live_server: Any, phone: Any) -> None:
    tech = UserFactory(email="theo@crew.test", full_name="Théo Tech")
    organization = MembershipFactory(user=tech, role="tech").organization
    skill = SkillFactory(organization=organization, name="rigging")
    artist = ArtistFactory(organization=organization, user=tech, skills=[skill])
    venue = VenueFactory(organization=organization, name="Olympia", address="28 bd des Capucines")
    mission = MissionFactory(project__organization=organization, venue=venue, name="Concerts")
    role = RoleFactory(organization=organization, name="Rigger", required_skills=[skill])
    shift = ShiftFactory(
        mission=mission, role=role, status="published", open_to_crew=True, headcount=1
    )

    log_in(phone, live_server.url, tech.email, PASSWORD)
    phone.wait_for_url(re.compile(r".*/app/me"))
    item = phone.locator(f"[data-open-shift='{shift.pk}']")
    item.wait_for()
    assert "Rigger" in item.inner_text()
    assert "28 bd des Capucines" in item.inner_text()
    button = item.get_by_role("button", name="Prendre ce créneau")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390  # on the screen, no sideways scrolling
    screenshot(phone, "open-shift-phone")
    button.click()
    item.get_by_text("en attente de validation").wait_for()

    claim = Assignment.objects.get(shift=shift)
    assert (claim.artist_id, claim.status, claim.source) == (artist.pk, "proposed", "claim")
