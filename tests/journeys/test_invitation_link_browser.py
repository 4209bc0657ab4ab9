"""The e-mailed invitation link on a phone: accept, decline, expired, reused, withdrawn, forged.

Each test starts where the crew member does: a manager invites through the API, the
message leaves after commit, and its link is opened in a fresh phone context that sends
``Origin: null`` and no ``Referer`` (the page's own ``no-referrer`` policy). What the
crew member did is then checked the way the manager sees it: through the API.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from apps.planning.models import Assignment, Invitation
from tests.conftest import Scenario
from tests.factories import ArtistFactory, AssignmentFactory, ShiftFactory
from tests.journeys.conftest import links_in_last_message, posts_of, record_timing
from tests.web.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIST_EMAIL = "bruno.berger@crew.test"


@pytest.fixture
def offer(scenario: Scenario) -> Assignment:
    """A proposed assignment on a published shift in two days, for an artist with e-mail."""
    artist = ArtistFactory(
        organization=scenario.organization,
        first_name="Bruno",
        last_name="Berger",
        email=ARTIST_EMAIL,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    shift = ShiftFactory(
        mission__project__organization=scenario.organization,
        mission__start_at=start - timedelta(days=1),
        mission__venue__name="Olympia",
        start_at=start,
        end_at=start + timedelta(hours=5),
        status="published",
    )
    return AssignmentFactory(shift=shift, artist=artist)  # type: ignore[no-any-return]


def invite_through_the_api(scenario: Scenario, assignment: Assignment) -> dict[str, str]:
    """The manager invites; returns the e-mailed links by answer (``accept``, ``decline``)."""
    response = scenario.client("manager").post(
        "/api/v1/invitations", {"assignment_id": str(assignment.pk)}, format="json"
    )
    assert response.status_code == 201, response.content
    links: dict[str, str] = {}
    for link in links_in_last_message(ARTIST_EMAIL):
        answer = parse_qs(urlparse(link).query).get("answer", [""])[0]
        links[answer or "page"] = link
    assert {"accept", "decline"} <= set(links), links
    return links


def status_seen_by_the_manager(scenario: Scenario, assignment: Assignment) -> str:
    response = scenario.client("manager").get(f"/api/v1/planning/assignments/{assignment.pk}")
    assert response.status_code == 200, response.content
    return str(response.json()["status"])


def assert_posted_like_a_phone(page: Any) -> None:
    posts = posts_of(page)
    assert posts, "the answer was posted"
    for _url, headers in posts:
        assert headers.get("origin") == "null", headers
        assert "referer" not in headers, headers


def test_a_crew_member_accepts_from_the_emailed_link_on_a_phone(
    public_site: str, phone: Any, scenario: Scenario, offer: Assignment
) -> None:
    links = invite_through_the_api(scenario, offer)
    assert links["accept"].startswith(public_site)

    started = time.perf_counter()
    phone.goto(links["accept"])
    phone.get_by_role("button", name="Accepter").tap()
    phone.get_by_role("heading", name="Merci, c’est confirmé !").wait_for()
    record_timing("phone: e-mail link opened → accepted", time.perf_counter() - started)

    screenshot(phone, "journey-invitation-accepted-phone")
    assert_posted_like_a_phone(phone)
    assert phone.failed == []  # no 403, no missing favicon
    assert status_seen_by_the_manager(scenario, offer) == "accepted"
    assert Invitation.objects.get(assignment=offer).status == "accepted"


def test_a_crew_member_declines_from_the_emailed_link_on_a_phone(
    public_site: str, phone: Any, scenario: Scenario, offer: Assignment
) -> None:
    links = invite_through_the_api(scenario, offer)

    phone.goto(links["decline"])
    assert phone.locator("button.decline.chosen").count() == 1
    phone.get_by_role("button", name="Refuser").tap()
    phone.get_by_role("heading", name="C’est noté").wait_for()

    assert_posted_like_a_phone(phone)
    assert status_seen_by_the_manager(scenario, offer) == "declined"


def test_an_expired_link_says_so_and_offers_no_button(
    public_site: str, phone: Any, scenario: Scenario, offer: Assignment
) -> None:
    links = invite_through_the_api(scenario, offer)
    Invitation.objects.filter(assignment=offer).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = phone.goto(links["accept"])

    assert response.status == 410
    phone.get_by_role("heading", name="Ce lien a expiré").wait_for()
    assert phone.locator("button").count() == 0
    screenshot(phone, "journey-invitation-expired-phone")
    assert status_seen_by_the_manager(scenario, offer) == "invited"


def test_a_reused_link_answers_once(
    public_site: str, browser: Any, phone: Any, scenario: Scenario, offer: Assignment
) -> None:
    """Opened twice before answering (two tabs): the second answer is refused, clearly."""
    links = invite_through_the_api(scenario, offer)
    second = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        extra_http_headers={"Origin": "null"},
    )
    other = second.new_page()
    try:
        phone.goto(links["accept"])
        other.goto(links["decline"])

        phone.get_by_role("button", name="Accepter").tap()
        phone.get_by_role("heading", name="Merci, c’est confirmé !").wait_for()
        other.get_by_role("button", name="Refuser").tap()
        other.get_by_role("heading", name="Vous avez déjà répondu").wait_for()
        assert "Vous avez accepté ce service." in other.inner_text("main")

        reopened = other.goto(links["accept"])
        assert reopened.status == 409
        other.get_by_role("heading", name="Vous avez déjà répondu").wait_for()
        assert other.locator("button").count() == 0
    finally:
        second.close()
    assert status_seen_by_the_manager(scenario, offer) == "accepted"


def test_a_withdrawn_or_tampered_link_says_so(
    public_site: str, phone: Any, scenario: Scenario, offer: Assignment
) -> None:
    links = invite_through_the_api(scenario, offer)
    tampered = links["accept"].replace("token=", "token=x")

    phone.goto(tampered)
    phone.get_by_role("heading", name="Lien invalide").wait_for()
    assert "Olympia" not in phone.inner_text("main")

    phone.goto(links["accept"])  # the page is open when the manager withdraws
    invitation = Invitation.objects.get(assignment=offer)
    assert scenario.client("manager").delete(
        f"/api/v1/invitations/{invitation.pk}"
    ).status_code in (
        200,
        204,
    )
    phone.get_by_role("button", name="Accepter").tap()
    phone.get_by_role("heading", name="Invitation retirée").wait_for()
    assert status_seen_by_the_manager(scenario, offer) == "proposed"
