"""/api/v1/artists/{id}/rates: private rate profiles, read by managers and the artist."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from tests.conftest import Scenario, assert_error
from tests.crew.conftest import WRITERS, last_audit
from tests.factories import ArtistFactory

VALID = {"day_rate": "320.00", "half_day_rate": "190.50", "hourly_rate": "40", "currency": "CHF"}


def rates_url(artist: Artist) -> str:
    return f"/api/v1/artists/{artist.pk}/rates"


def test_managers_and_above_read_anyones_rates(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization, day_rate=250, hourly_rate=31.25)

    for role in WRITERS:
        response = scenario.client(role).get(rates_url(artist))

        assert response.json() == {
            "artist_id": str(artist.pk),
            "day_rate": "250.00",
            "half_day_rate": None,
            "hourly_rate": "31.25",
            "currency": "EUR",
        }


def test_a_tech_reads_his_own_rates_only(scenario: Scenario, tech_artist: Artist) -> None:
    other = ArtistFactory(organization=scenario.organization)
    tech = scenario.client("tech")

    assert tech.get(rates_url(tech_artist)).json()["day_rate"] == "210.00"
    assert_error(tech.get(rates_url(other)), 403, "permission_denied")


def test_a_tech_without_a_linked_artist_reads_no_rates(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)

    assert_error(scenario.client("tech").get(rates_url(artist)), 403, "permission_denied")


@pytest.mark.parametrize("role", WRITERS)
def test_managers_and_above_replace_the_profile_and_it_is_audited(
    scenario: Scenario, role: str
) -> None:
    artist = ArtistFactory(organization=scenario.organization, day_rate=250)

    response = scenario.client(role).put(rates_url(artist), VALID)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "artist_id": str(artist.pk),
        "day_rate": "320.00",
        "half_day_rate": "190.50",
        "hourly_rate": "40.00",
        "currency": "CHF",
    }
    entry = last_audit(artist)
    assert entry.action == "artist.rates_update"
    assert entry.actor == scenario.users[role]
    assert entry.before == {
        "day_rate": "250.00",
        "half_day_rate": None,
        "hourly_rate": None,
        "currency": "EUR",
    }
    assert entry.after["currency"] == "CHF"


def test_a_rate_left_out_is_cleared(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization, day_rate=250, hourly_rate=30)

    response = scenario.client("manager").put(
        rates_url(artist), {"day_rate": "260", "currency": "EUR"}
    )

    assert response.json()["hourly_rate"] is None
    artist.refresh_from_db()
    assert (artist.day_rate, artist.hourly_rate) == (260, None)


def test_a_tech_may_not_edit_rates_not_even_his_own(
    scenario: Scenario, tech_artist: Artist
) -> None:
    response = scenario.client("tech").put(rates_url(tech_artist), VALID)

    assert_error(response, 403, "permission_denied")
    tech_artist.refresh_from_db()
    assert tech_artist.day_rate == 210
    assert not AuditEntry.objects.exists()


def test_anonymous_gets_401(scenario: Scenario) -> None:
    artist = ArtistFactory(organization=scenario.organization)

    assert_error(scenario.client("anonymous").get(rates_url(artist)), 401)
    assert_error(scenario.client("anonymous").put(rates_url(artist), VALID), 401)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"day_rate": "-1"}, "day_rate"),
        ({"half_day_rate": "12.345"}, "half_day_rate"),
        ({"hourly_rate": "100000.01"}, "hourly_rate"),
        ({"day_rate": "lots"}, "day_rate"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "ZZZ"}, "currency"),
        ({"currency": "eur"}, "currency"),
        ({"currency": None}, "currency"),
    ],
)
def test_a_bad_rate_or_currency_is_a_400_naming_the_field(
    scenario: Scenario, change: dict[str, Any], field: str
) -> None:
    artist = ArtistFactory(organization=scenario.organization, day_rate=250)

    response = scenario.client("manager").put(rates_url(artist), {**VALID, **change})

    assert field in assert_error(response, 400, "invalid")["fields"]
    artist.refresh_from_db()
    assert (artist.day_rate, artist.currency) == (250, "EUR")
