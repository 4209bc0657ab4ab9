"""The public page behind the link: ``GET /invitations/{id}`` and its two form posts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from rest_framework.throttling import SimpleRateThrottle

from apps.planning.models import Assignment, Invitation
from apps.planning.publication import tokens
from tests.conftest import Scenario
from tests.factories import AvailabilityFactory
from tests.publication.conftest import INVITATIONS, World, assign, invite, local, make_shift

pytestmark = pytest.mark.django_db


def _invitation(scenario: Scenario, world: World) -> Invitation:
    return invite(scenario, assign(make_shift(world.own, local(24, 18)), world.own.bruno))


def _page(invitation_id: object, token: str, **extra: str) -> object:
    return Client().get(f"/invitations/{invitation_id}", {"token": token, **extra})


def _post(invitation_id: object, verb: str, token: str) -> object:
    """A form post as a phone sends it from the page: no cookie, no Referer, ``Origin: null``.

    CSRF checks are enforced, as in production.
    """
    client = Client(enforce_csrf_checks=True)
    return client.post(f"/invitations/{invitation_id}/{verb}", {"token": token}, HTTP_ORIGIN="null")


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def test_the_page_shows_the_shift_and_two_buttons(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)

    response = _page(invitation.pk, token)

    assert response.status_code == 200  # type: ignore[attr-defined]
    html = _text(response)
    assert '<html lang="fr">' in html
    assert 'name="viewport"' in html
    for expected in (
        "mardi 24 mars 2026",
        "18:00 – 23:00",
        "Olympia own",
        "Concerts own",
        "Rigger own",
        "Bruno Berger",
        "Accepter",
        "Refuser",
    ):
        assert expected in html
    assert html.count('method="post"') == 2
    assert "csrfmiddlewaretoken" not in html  # the signed token is the proof
    assert f'action="/invitations/{invitation.pk}/accept"' in html
    assert f'value="{token}"' in html
    assert "<script" not in html
    invitation.refresh_from_db()
    assert invitation.status == "pending"  # showing the page answers nothing


def test_the_page_speaks_english_for_an_english_organization(
    scenario: Scenario, world: World
) -> None:
    scenario.organization.language = "en"
    scenario.organization.save(update_fields=["language"])
    invitation = _invitation(scenario, world)

    html = _text(_page(invitation.pk, tokens.make_token(invitation), answer="accept"))

    assert "Tuesday 24 March 2026" in html
    assert "You are invited to this shift" in html
    assert "Confirm by pressing “Accept”." in html


def test_accepting_from_the_page_confirms(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _post(invitation.pk, "accept", tokens.make_token(invitation))

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Merci, c’est confirmé" in _text(response)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert Assignment.objects.get(pk=invitation.assignment_id).status == "accepted"


def test_declining_from_the_page(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _post(invitation.pk, "decline", tokens.make_token(invitation))

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Vous avez refusé ce service" in _text(response)
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_the_page_needs_no_cookie_and_sends_no_referrer(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = _page(invitation.pk, tokens.make_token(invitation))

    html = _text(response)
    assert "csrftoken" not in response.cookies  # type: ignore[attr-defined]
    assert "csrfmiddlewaretoken" not in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert '<link rel="icon"' in html


def test_a_post_with_origin_null_and_no_referer_answers(scenario: Scenario, world: World) -> None:
    """The phone's post: the token is the proof, the missing CSRF cookie is no refusal."""
    invitation = _invitation(scenario, world)
    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="null")

    response = client.post(
        f"/invitations/{invitation.pk}/accept", {"token": tokens.make_token(invitation)}
    )

    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_a_post_without_the_token_answers_nothing(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    response = Client(enforce_csrf_checks=True).post(f"/invitations/{invitation.pk}/accept")

    assert response.status_code == 400
    assert "Lien invalide" in _text(response)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_signed_in_pages_still_refuse_a_post_with_origin_null(scenario: Scenario) -> None:
    """Only the token-guarded answers are exempt: a session's forms keep the CSRF check."""
    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="null")
    client.force_login(scenario.manager)
    csrf = get_random_string(32)
    client.cookies["csrftoken"] = csrf

    response = client.post(
        "/app/switch-org",
        {"organization": str(scenario.organization.pk), "csrfmiddlewaretoken": csrf},
    )
    logout = client.post("/app/logout", {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 403
    assert logout.status_code == 403


def test_an_invalid_link_shows_nothing_of_the_shift(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)

    for response in (_page(invitation.pk, "forged"), _post(invitation.pk, "accept", "forged")):
        assert response.status_code == 400  # type: ignore[attr-defined]
        html = _text(response)
        assert "Lien invalide" in html
        assert "Olympia own" not in html
        assert 'method="post"' not in html


def test_an_unknown_invitation_is_a_404_page(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)

    for response in (_page(uuid.uuid4(), token), _post(uuid.uuid4(), "accept", token)):
        assert response.status_code == 404  # type: ignore[attr-defined]
        assert "Invitation not found" in _text(response)
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(f"/invitations/{uuid.uuid4()}")
    assert "Invitation introuvable" in _text(french)


def test_an_expired_link_says_so(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    for response in (_page(invitation.pk, token), _post(invitation.pk, "accept", token)):
        assert response.status_code == 410  # type: ignore[attr-defined]
        assert "Ce lien a expiré" in _text(response)
        assert "Olympia own" in _text(response)


def test_a_used_link_says_it_was_already_answered(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    _post(invitation.pk, "accept", token)

    for response in (_page(invitation.pk, token), _post(invitation.pk, "decline", token)):
        assert response.status_code == 409  # type: ignore[attr-defined]
        html = _text(response)
        assert "Vous avez déjà répondu" in html
        assert "Vous avez accepté ce service." in html
        assert 'method="post"' not in html


def test_a_revoked_invitation_says_it_was_withdrawn(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    scenario.client("manager").delete(f"{INVITATIONS}/{invitation.pk}")

    for response in (_page(invitation.pk, token), _post(invitation.pk, "accept", token)):
        assert response.status_code == 409  # type: ignore[attr-defined]
        assert "Invitation retirée" in _text(response)


def test_a_conflict_at_acceptance_is_explained(scenario: Scenario, world: World) -> None:
    invitation = _invitation(scenario, world)
    AvailabilityFactory(
        artist=world.own.bruno, start_at=local(24, 12), end_at=local(25, 12), status="approved"
    )

    response = _post(invitation.pk, "accept", tokens.make_token(invitation))

    assert response.status_code == 409  # type: ignore[attr-defined]
    html = _text(response)
    assert "Impossible d’accepter ce service" in html
    assert "<li>" in html
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_form_posts_are_throttled(
    scenario: Scenario, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"invitation": "1/min"})
    invitation = _invitation(scenario, world)
    token = tokens.make_token(invitation)
    _post(invitation.pk, "accept", "forged")

    response = _post(invitation.pk, "accept", token)

    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "Too many attempts" in _text(response)  # nothing loaded: the browser's language
    invitation.refresh_from_db()
    assert invitation.status == "pending"
