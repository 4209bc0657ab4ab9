"""Crew journeys on a phone (390×844): take an open shift from the crew page; accept one
shift of several from the one invitation e-mail a publication sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from apps.planning.models import Assignment, Invitation
from apps.planning.publication.services import PublicationScope, planning_publish
from tests.factories import (
    PASSWORD,
    ArtistFactory,
    AssignmentFactory,
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


def crew(email: str) -> tuple[Any, Any, Any, Any]:
    """A tech linked to a qualified artist, and a mission and role he may work."""
    tech = UserFactory(email=email, full_name="Théo Tech")
    organization = MembershipFactory(user=tech, role="tech").organization
    skill = SkillFactory(organization=organization, name="rigging")
    artist = ArtistFactory(organization=organization, user=tech, skills=[skill])
    venue = VenueFactory(organization=organization, name="Olympia", address="28 bd des Capucines")
    mission = MissionFactory(project__organization=organization, venue=venue, name="Concerts")
    role = RoleFactory(organization=organization, name="Rigger", required_skills=[skill])
    return tech, artist, mission, role


def test_a_tech_takes_an_open_shift_from_his_phone(live_server: Any, phone: Any) -> None:
    tech, artist, mission, role = crew("theo@crew.test")
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


def test_one_shift_of_the_invitation_e_mail_is_accepted_from_a_phone(
    live_server: Any, phone: Any, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url
    _, artist, mission, role = crew("ines@crew.test")
    shifts = [
        ShiftFactory(
            mission=mission,
            role=role,
            start_at=mission.start_at + timedelta(days=day, hours=2),
            end_at=mission.start_at + timedelta(days=day, hours=7),
        )
        for day in (0, 1, 2)
    ]
    for shift in shifts:
        AssignmentFactory(shift=shift, artist=artist)
    mail.outbox.clear()

    planning_publish(
        organization=artist.organization,
        actor=None,
        scope=PublicationScope(project_id=mission.project_id),
    )

    assert len(mail.outbox) == 1
    accept_links = re.findall(r"Accepter : (\S+)", mail.outbox[0].body)
    assert len(accept_links) == 3
    phone.goto(accept_links[1])
    phone.get_by_role("button", name=re.compile("Accepter")).click()
    phone.get_by_text("Merci").first.wait_for()
    screenshot(phone, "invitation-digest-accept-phone")

    statuses = dict(Invitation.objects.values_list("assignment__shift_id", "status"))
    assert [statuses[shift.pk] for shift in shifts] == ["pending", "accepted", "pending"]
