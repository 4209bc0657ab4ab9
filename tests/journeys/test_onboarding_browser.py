"""Onboarding on a phone, from the e-mail to /app/me (real Chromium, 390×844).

A manager gives an artist a login from the artist's record (the API); the message leaves
after commit; its link opens in a fresh context; the artist chooses a password and lands
on his or her crew page, linked to the record. The join form keeps its CSRF check (a
successful post logs the browser in), so this context uses the site's own origin.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from apps.crew.models import Artist
from apps.orgs.models import Membership, User
from tests.conftest import Scenario
from tests.factories import PASSWORD as ACCOUNT_PASSWORD
from tests.factories import ArtistFactory
from tests.journeys.conftest import links_in_last_message, record_timing
from tests.web.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "zoe.roux@crew.test"
PASSWORD = "Spotlight-rigging-2026"


@pytest.fixture
def zoe(scenario: Scenario) -> Artist:
    return ArtistFactory(  # type: ignore[no-any-return]
        organization=scenario.organization, first_name="Zoé", last_name="Roux", email=EMAIL
    )


def invite_login(scenario: Scenario, artist: Artist) -> str:
    response = scenario.client("manager").post(f"/api/v1/artists/{artist.pk}/invite-login")
    assert response.status_code == 202, response.content
    (link,) = [url for url in links_in_last_message(EMAIL) if "/join/" in url]
    return link


def test_an_artist_joins_from_the_emailed_link_and_lands_on_his_page(
    public_site: str, phone_app: Any, scenario: Scenario, zoe: Artist
) -> None:
    link = invite_login(scenario, zoe)
    assert link.startswith(f"{public_site}/join/")

    started = time.perf_counter()
    phone_app.goto(link)
    assert phone_app.input_value("#full_name") == "Zoé Roux"
    phone_app.fill("#password", PASSWORD)
    phone_app.fill("#password2", PASSWORD)
    screenshot(phone_app, "journey-join-phone")
    phone_app.get_by_role("button", name="Créer mon compte et rejoindre").tap()
    phone_app.wait_for_url(re.compile(r".*/app/me$"))
    phone_app.wait_for_selector("body[data-ready=true]")
    record_timing("phone: join e-mail link opened → /app/me", time.perf_counter() - started)

    assert phone_app.locator("#calendar-url").is_visible()  # the crew record is linked
    screenshot(phone_app, "journey-joined-me-phone")
    user = User.objects.get(email=EMAIL)
    assert Membership.objects.get(user=user, organization=scenario.organization).role == "tech"
    zoe.refresh_from_db()
    assert zoe.user_id == user.pk
    assert phone_app.failed == []


def test_a_forged_join_link_shows_why_and_writes_nothing(
    public_site: str, phone_app: Any, scenario: Scenario, zoe: Artist
) -> None:
    link = invite_login(scenario, zoe)
    users = User.objects.count()

    response = phone_app.goto(link.replace("token=", "token=forged"))

    assert response.status == 400
    phone_app.get_by_role("heading", name="Lien invalide").wait_for()
    assert phone_app.locator("form").count() == 0
    assert User.objects.count() == users
    assert not Membership.objects.filter(user__email=EMAIL).exists()


def test_someone_with_an_account_logs_in_from_the_emailed_link_and_joins(
    public_site: str, phone_app: Any, scenario: Scenario
) -> None:
    """The outsider's owner already has an account: invited as tech, he logs in to accept."""
    response = scenario.client("admin").post(
        "/api/v1/orgs/members", {"email": scenario.outsider.email, "role": "tech"}, format="json"
    )
    assert response.status_code == 202
    (link,) = [u for u in links_in_last_message(scenario.outsider.email) if "/join/" in u]

    phone_app.goto(link)
    phone_app.fill("#password", ACCOUNT_PASSWORD)
    phone_app.get_by_role("button", name="Me connecter et rejoindre").tap()
    phone_app.wait_for_url(re.compile(r".*/app/me$"))

    assert (
        Membership.objects.get(user=scenario.outsider, organization=scenario.organization).role
        == "tech"
    )
    # The session acts for the organization just joined.
    assert phone_app.eval_on_selector("#org-select", "s => s.value") == str(
        scenario.organization.pk
    )
