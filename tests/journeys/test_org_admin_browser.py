"""The demo's owner and admin open /admin/ and edit an artist and a shift (real Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from apps.crew.models import Artist
from apps.orgs.demo import DEMO_PASSWORD, run_seed
from apps.planning.models import Shift
from tests.web.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> Any:
    return run_seed(size="normal")


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def admin_log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def save_and_expect_success(page: Any) -> None:
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_the_demo_owner_and_admin_edit_artists_and_shifts_in_the_admin(
    live_server: Any, desk: Any, demo: Any, who: str
) -> None:
    user = demo.users[who]
    assert not user.is_staff
    assert not user.is_superuser
    organization = demo.organization
    artist = Artist.objects.filter(organization=organization).order_by("last_name").first()
    shift = (
        Shift.objects.filter(organization=organization, status="draft").order_by("start_at").first()
    )
    assert artist is not None
    assert shift is not None

    admin_log_in(desk, live_server.url, user.email)
    assert desk.locator("a[href='/admin/crew/artist/']").count() >= 1
    assert desk.locator("a[href='/admin/planning/shift/']").count() >= 1
    screenshot(desk, f"journey-admin-index-{who}")

    desk.goto(f"{live_server.url}/admin/crew/artist/{artist.pk}/change/")
    desk.fill("#id_phone", f"+33 6 12 34 56 {10 + len(who)}")
    save_and_expect_success(desk)
    desk.goto(f"{live_server.url}/admin/planning/shift/{shift.pk}/change/")
    desk.fill("#id_notes", f"Entrée des artistes ({who})")
    save_and_expect_success(desk)

    artist.refresh_from_db()
    shift.refresh_from_db()
    assert artist.phone == f"+33 6 12 34 56 {10 + len(who)}"
    assert shift.notes == f"Entrée des artistes ({who})"
