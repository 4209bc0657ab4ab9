"""The join page behind the e-mailed link: sign up, log in, or confirm; and every bad link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from apps.orgs import onboarding
from apps.orgs.models import Membership, OrganizationInvitation, User
from tests.conftest import Scenario
from tests.factories import PASSWORD, ArtistFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Spotlight-rigging-2026"


def invitation_for(
    scenario: Scenario, email: str, artist: Artist | None = None
) -> OrganizationInvitation:
    return onboarding.organization_invitation_create(
        organization=scenario.organization,
        actor=scenario.memberships["admin"],
        email=email,
        role="tech",
        artist=artist,
    )


def browser_client() -> Client:
    """CSRF checks on, with the cookie and field a browser would send."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = get_random_string(32)
    return client


def post(client: Client, invitation: OrganizationInvitation, token: str, **fields: str) -> Any:
    data = {"token": token, "csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields}
    return client.post(f"/join/{invitation.pk}", data)


def text(response: Any) -> str:
    return response.content.decode()  # type: ignore[no-any-return]


def state_written() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def test_a_newcomer_sets_a_password_joins_and_is_linked_to_his_artist(scenario: Scenario) -> None:
    artist = ArtistFactory(
        organization=scenario.organization, first_name="Zoé", last_name="Roux", email="zoe@x.test"
    )
    invitation = invitation_for(scenario, "zoe@x.test", artist)
    token = onboarding.make_token(invitation)
    client = browser_client()

    page = client.get(f"/join/{invitation.pk}", {"token": token})
    joined = post(
        client,
        invitation,
        token,
        full_name="Zoé Roux",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )

    assert page.status_code == 200
    assert "Choisissez votre mot de passe" in text(page)
    assert 'value="Zoé Roux"' in text(page)
    assert joined.status_code == 302
    assert joined["Location"] == "/app/me"
    user = User.objects.get(email="zoe@x.test")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user, organization=scenario.organization).role == "tech"
    artist.refresh_from_db()
    assert artist.user == user
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("accepted", user)
    actions = set(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert {"membership.create", "artist.update", "org_invitation.accept"} <= actions
    assert client.get("/app/me").status_code == 200  # logged in


def test_an_existing_account_logs_in_to_accept(scenario: Scenario) -> None:
    person = UserFactory(email="known@x.test")
    invitation = invitation_for(scenario, "known@x.test")
    token = onboarding.make_token(invitation)
    client = browser_client()

    page = client.get(f"/join/{invitation.pk}", {"token": token})
    wrong = post(client, invitation, token, password="not-the-password")
    assert not Membership.objects.filter(user=person, organization=scenario.organization).exists()
    right = post(client, invitation, token, password=PASSWORD)

    assert "connectez-vous pour accepter" in text(page)
    assert wrong.status_code == 400
    assert "Mot de passe incorrect." in text(wrong)
    assert right.status_code == 302
    assert Membership.objects.get(user=person, organization=scenario.organization).role == "tech"


def test_the_invited_account_signed_in_just_confirms(scenario: Scenario) -> None:
    invitation = invitation_for(scenario, "owner@voisin.test")
    token = onboarding.make_token(invitation)
    client = browser_client()
    client.force_login(scenario.outsider)

    page = client.get(f"/join/{invitation.pk}", {"token": token})
    joined = post(client, invitation, token)

    assert "Rejoindre</button>" in text(page)
    assert joined.status_code == 302
    assert scenario.outsider.memberships.count() == 2


def test_someone_else_signed_in_is_asked_for_the_invited_accounts_password(
    scenario: Scenario,
) -> None:
    invitation = invitation_for(scenario, "newcomer@x.test")
    client = browser_client()
    client.force_login(scenario.outsider)

    response = post(client, invitation, onboarding.make_token(invitation))  # no password

    assert response.status_code == 400
    assert not User.objects.filter(email="newcomer@x.test").exists()
    assert scenario.outsider.memberships.count() == 1


def test_a_forged_link_writes_nothing(scenario: Scenario) -> None:
    invitation = invitation_for(scenario, "zoe@x.test")
    forged = onboarding.make_token(invitation)[:-3] + "abc"
    other = invitation_for(scenario, "other@x.test")
    before = state_written()
    client = browser_client()

    for token in (forged, onboarding.make_token(other), ""):
        page = client.get(f"/join/{invitation.pk}", {"token": token})
        sent = post(
            client,
            invitation,
            token,
            full_name="Zoé",
            password=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        )
        assert page.status_code == sent.status_code == 400
        assert "Lien invalide" in text(sent)
        assert "zoe@x.test" not in text(sent)

    assert state_written() == before
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_expired_link_writes_nothing(scenario: Scenario) -> None:
    invitation = invitation_for(scenario, "zoe@x.test")
    token = onboarding.make_token(invitation)
    OrganizationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    before = state_written()
    client = browser_client()

    page = client.get(f"/join/{invitation.pk}", {"token": token})
    sent = post(
        client, invitation, token, full_name="Zoé", password=NEW_PASSWORD, password2=NEW_PASSWORD
    )

    assert page.status_code == sent.status_code == 410
    assert "Ce lien a expiré" in text(sent)
    assert state_written() == before


def test_a_used_or_withdrawn_link_says_so(scenario: Scenario) -> None:
    used = invitation_for(scenario, "zoe@x.test")
    used_token = onboarding.make_token(used)
    post(
        browser_client(),
        used,
        used_token,
        full_name="Zoé",
        password=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    withdrawn = invitation_for(scenario, "paul@x.test")
    onboarding.organization_invitation_revoke(invitation=withdrawn, actor=scenario.admin)

    again = browser_client().get(f"/join/{used.pk}", {"token": used_token})
    gone = browser_client().get(
        f"/join/{withdrawn.pk}", {"token": onboarding.make_token(withdrawn)}
    )

    assert again.status_code == 409
    assert "Invitation déjà acceptée" in text(again)
    assert gone.status_code == 409
    assert "Invitation retirée" in text(gone)


def test_a_weak_or_mismatched_password_is_explained_and_writes_nothing(scenario: Scenario) -> None:
    invitation = invitation_for(scenario, "zoe@x.test")
    token = onboarding.make_token(invitation)
    before = state_written()
    client = browser_client()

    weak = post(
        client, invitation, token, full_name="Zoé", password="12345678", password2="12345678"
    )
    differ = post(
        client,
        invitation,
        token,
        full_name="Zoé",
        password=NEW_PASSWORD,
        password2="other-pass-2026",
    )

    assert weak.status_code == differ.status_code == 400
    assert 'data-field="password"' in text(weak)
    assert 'data-field="password2"' in text(differ)
    assert state_written() == before


def test_the_join_form_keeps_its_csrf_check(scenario: Scenario) -> None:
    invitation = invitation_for(scenario, "zoe@x.test")

    response = Client(enforce_csrf_checks=True).post(
        f"/join/{invitation.pk}",
        {
            "token": onboarding.make_token(invitation),
            "full_name": "Z",
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 403
    assert not User.objects.filter(email="zoe@x.test").exists()


def test_an_unknown_invitation_is_a_404_page() -> None:
    response = Client().get("/join/00000000-0000-0000-0000-000000000000", {"token": "x"})
    assert response.status_code == 404
    assert "Invitation not found" in text(response)
