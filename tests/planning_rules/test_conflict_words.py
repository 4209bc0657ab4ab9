"""Conflict messages people can act on: who, which shifts (role, venue, local time), the
figures; in the user's language, else the organization's; never a raw rule code."""

from __future__ import annotations

import re

from django.utils import translation

from apps.orgs.models import User
from apps.planning.rules.messages import TEMPLATES, WORDS
from apps.planning.rules.wording import MONTHS, WEEKDAYS
from tests.conftest import Scenario
from tests.planning_rules.world import World

LIST = "/api/v1/planning/conflicts"
DAY = {"from": "2026-12-17T00:00:00", "to": "2026-12-19T00:00:00"}


def split_day(world: World) -> object:
    """Thursday 17 December 2026 (Paris, UTC+1): get-in 08:00–14:00, show 18:00–23:30."""
    artist = world.artist(first_name="Inès", last_name="Moreau")
    world.mission.start_at = world.mission.start_at.replace(year=2026, month=12, day=1)
    world.mission.end_at = world.mission.end_at.replace(year=2026, month=12, day=31)
    world.mission.save()
    world.book(artist, "2026-12-17 08:00", "2026-12-17 14:00", break_minutes=0)
    world.book(artist, "2026-12-17 18:00", "2026-12-17 23:30", break_minutes=0)
    return artist


def test_a_french_user_reads_the_conflict_in_french_with_local_times(
    scenario: Scenario, world: World
) -> None:
    split_day(world)
    assert scenario.organization.language == "fr"

    response = scenario.client("tech").get(LIST, DAY)

    assert response.status_code == 200, response.content
    [conflict] = response.json()["conflicts"]
    assert conflict["rule"] == "min_rest"  # the code stays machine-readable
    assert conflict["message"] == (
        "Inès Moreau : amplitude de 15 h 30 (jeu. 17 déc. 08:00–14:00 (Rigger, Transbordeur), "
        "jeu. 17 déc. 18:00–23:30 (Rigger, Transbordeur)), au-delà des 13 h qui laissent "
        "11 h de repos quotidien."
    )
    assert conflict["details"]["span_minutes"] == 930
    assert conflict["details"]["max_span_minutes"] == 780
    assert "07:00" not in conflict["message"]  # 08:00 in Paris is 07:00 UTC


def test_a_user_who_chose_english_reads_english_in_a_french_organization(
    scenario: Scenario, world: World
) -> None:
    split_day(world)
    User.objects.filter(pk=scenario.tech.pk).update(language="en")

    response = scenario.client("tech").get(LIST, DAY)

    [conflict] = response.json()["conflicts"]
    assert conflict["message"].startswith(
        "Inès Moreau: duty period of 15 h 30 (Thu 17 Dec 08:00–14:00 (Rigger, Transbordeur), "
    )


def test_an_english_organization_speaks_english_to_users_without_a_choice(
    scenario: Scenario, world: World
) -> None:
    split_day(world)
    scenario.organization.language = "en"
    scenario.organization.save()

    [conflict] = scenario.client("tech").get(LIST, DAY).json()["conflicts"]

    assert conflict["message"].endswith("longer than the 13 h that leave 11 h of daily rest.")


def test_a_refusal_names_the_artist_and_the_other_shift_in_the_users_language(
    scenario: Scenario, world: World
) -> None:
    artist = split_day(world)
    late = world.shift("2026-12-17 23:00", "2026-12-18 02:00")

    response = scenario.client("manager").post(
        "/api/v1/planning/assignments",
        {"shift_id": str(late.pk), "artist_id": str(artist.pk)},  # type: ignore[attr-defined]
        format="json",
    )

    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["message"] == "La modification enfreint une règle bloquante du planning."
    messages = [c["message"] for c in error["conflicts"]]
    assert (
        "Inès Moreau : deux réservations qui se chevauchent, jeu. 17 déc. 23:00 – ven. 18 déc. "
        "02:00 (Rigger, Transbordeur) et jeu. 17 déc. 18:00–23:30 (Rigger, Transbordeur)."
    ) in messages
    assert not any(re.search(r"\(\w+_\w+\)|\+00:00|T\d\d:", message) for message in messages)


def test_every_message_and_word_has_a_french_translation() -> None:
    texts = [*TEMPLATES.values(), WORDS["artist"], *WEEKDAYS, *MONTHS]  # shift_at: same
    with translation.override("fr"):
        untranslated = [text for text in texts if translation.gettext(text) == text]
    assert untranslated == []
