"""Onboarding through the API: inviting to join, from the members list or an artist's record.

Nobody becomes a member without accepting; the answer never tells whether an account uses
the address. Role matrix, tenancy (foreign id → 404), audit, the e-mail after commit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from apps.orgs.models import Membership, OrganizationInvitation
from tests.conftest import Scenario, assert_error
from tests.factories import ArtistFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/orgs/members"
INVITATIONS = "/api/v1/orgs/invitations"


def invite(scenario: Scenario, capture: Any, body: dict[str, Any], role: str = "admin") -> Any:
    mail.outbox.clear()
    with capture(execute=True):
        return scenario.client(role).post(MEMBERS, body, format="json")


def strip_ids(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("id", "email", "expires_at", "created_at")}


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 202), ("admin", 202), ("manager", 403), ("tech", 403)]
)
def test_inviting_to_join_needs_an_admin(
    scenario: Scenario, django_capture_on_commit_callbacks: Any, role: str, status: int
) -> None:
    response = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "new@x.test", "role": "tech"}, role
    )

    assert response.status_code == status, response.content
    assert OrganizationInvitation.objects.count() == (1 if status == 202 else 0)
    assert not Membership.objects.filter(user__email="new@x.test").exists()


def test_the_answer_is_the_same_whether_an_account_uses_the_address(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="known@x.test")
    known = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "known@x.test", "role": "tech"}
    )
    known_mail = [m.to for m in mail.outbox]
    unknown = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "unknown@x.test", "role": "tech"}
    )

    assert known.status_code == unknown.status_code == 202
    assert strip_ids(known.json()) == strip_ids(unknown.json())
    assert set(known.json()) == set(unknown.json())
    assert known_mail == [["known@x.test"]]
    assert [m.to for m in mail.outbox] == [["unknown@x.test"]]
    # Nobody joined: the known account is not a member until it accepts.
    assert not Membership.objects.filter(user__email="known@x.test").exists()


def test_the_e_mail_leaves_after_commit_in_the_organizations_language(
    scenario: Scenario, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://planning.example.com"
    response = invite(
        scenario,
        django_capture_on_commit_callbacks,
        {"email": "Lea.Martin@X.test", "role": "manager"},
    )

    invitation = OrganizationInvitation.objects.get(pk=response.json()["id"])
    assert invitation.email == "lea.martin@x.test"
    assert invitation.sent_at is not None
    (message,) = mail.outbox
    assert message.subject == "Rejoignez Les Nuits Sonores sur le planning des équipes"
    assert f"https://planning.example.com/join/{invitation.pk}?token=" in message.body
    assert "Admin Nuits vous invite" in message.body
    assert message.alternatives  # HTML part


def test_an_admin_cannot_invite_an_admin_but_an_owner_can(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    body = {"email": "boss@x.test", "role": "admin"}

    assert_error(invite(scenario, django_capture_on_commit_callbacks, body, "admin"), 403)
    assert invite(scenario, django_capture_on_commit_callbacks, body, "owner").status_code == 202


def test_inviting_a_member_is_a_conflict(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    body = assert_error(
        invite(
            scenario,
            django_capture_on_commit_callbacks,
            {"email": "TECH@nuits.test", "role": "manager"},
        ),
        409,
        "already_member",
    )
    assert list(body["fields"]) == ["email"]


def test_a_new_invitation_replaces_the_pending_one(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    first = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "a@x.test", "role": "tech"}
    )
    second = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "A@x.test", "role": "manager"}
    )

    assert OrganizationInvitation.objects.get(pk=first.json()["id"]).status == "revoked"
    assert OrganizationInvitation.objects.get(pk=second.json()["id"]).status == "pending"
    actions = list(
        AuditEntry.objects.filter(action__startswith="org_invitation").values_list(
            "action", "actor__email"
        )
    )
    assert ("org_invitation.create", "admin@nuits.test") in actions
    assert ("org_invitation.revoke", "admin@nuits.test") in actions


def test_a_foreign_artist_id_is_a_404_naming_the_field(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    foreign = ArtistFactory(organization=scenario.outsider_organization)

    body = assert_error(
        invite(
            scenario,
            django_capture_on_commit_callbacks,
            {"email": "z@x.test", "role": "tech", "artist_id": str(foreign.pk)},
        ),
        404,
    )

    assert list(body["fields"]) == ["artist_id"]
    assert not OrganizationInvitation.objects.exists()


def test_admins_list_and_withdraw_invitations_of_their_organization_only(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    created = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "w@x.test", "role": "tech"}
    ).json()

    listed = scenario.client("admin").get(INVITATIONS).json()["results"]
    assert [row["id"] for row in listed] == [created["id"]]
    assert_error(scenario.client("manager").get(INVITATIONS), 403)
    assert scenario.client("outsider").get(INVITATIONS).json()["results"] == []
    assert_error(scenario.client("outsider").delete(f"{INVITATIONS}/{created['id']}"), 404)

    withdrawn = scenario.client("admin").delete(f"{INVITATIONS}/{created['id']}")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "revoked"
    assert_error(
        scenario.client("admin").delete(f"{INVITATIONS}/{created['id']}"), 409, "not_pending"
    )


# --- From an artist's record -----------------------------------------------------------


def invite_login(scenario: Scenario, capture: Any, artist: Artist, role: str = "manager") -> Any:
    mail.outbox.clear()
    with capture(execute=True):
        return scenario.client(role).post(f"/api/v1/artists/{artist.pk}/invite-login")


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 202), ("admin", 202), ("manager", 202), ("tech", 403)]
)
def test_a_manager_gives_an_artist_a_login_from_the_record(
    scenario: Scenario, django_capture_on_commit_callbacks: Any, role: str, status: int
) -> None:
    artist = ArtistFactory(organization=scenario.organization, first_name="Zoé", last_name="Roux")

    response = invite_login(scenario, django_capture_on_commit_callbacks, artist, role)

    assert response.status_code == status, response.content
    if status == 202:
        body = response.json()
        assert (body["email"], body["role"], body["artist"]) == (
            artist.email,
            "tech",
            str(artist.pk),
        )
        (message,) = mail.outbox
        assert message.to == [artist.email]
        assert "Bonjour Zoé Roux" in message.body
    else:
        assert not OrganizationInvitation.objects.exists()


def test_an_artist_of_another_organization_is_a_404(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    foreign = ArtistFactory(organization=scenario.outsider_organization)

    assert_error(invite_login(scenario, django_capture_on_commit_callbacks, foreign), 404)
    assert mail.outbox == []


def test_an_artist_without_e_mail_or_already_linked_cannot_be_invited(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    without = ArtistFactory(organization=scenario.organization, email="")
    linked = ArtistFactory(organization=scenario.organization, user=scenario.tech)

    body = assert_error(invite_login(scenario, django_capture_on_commit_callbacks, without), 400)
    assert list(body["fields"]) == ["email"]
    assert_error(
        invite_login(scenario, django_capture_on_commit_callbacks, linked), 409, "already_linked"
    )
    assert not OrganizationInvitation.objects.exists()


# --- Duplicate artists -------------------------------------------------------------------


def test_an_artist_with_a_known_e_mail_is_a_409_with_the_existing_id(scenario: Scenario) -> None:
    existing = ArtistFactory(organization=scenario.organization, email="camille@x.test")
    ArtistFactory(organization=scenario.outsider_organization, email="other@x.test")
    client = scenario.client("manager")

    body = assert_error(
        client.post(
            "/api/v1/artists",
            {"first_name": "C", "last_name": "L", "email": "Camille@X.test"},
            format="json",
        ),
        409,
        "duplicate_artist",
    )
    foreign_address = client.post(
        "/api/v1/artists",
        {"first_name": "O", "last_name": "T", "email": "other@x.test"},
        format="json",
    )

    assert body["existing_id"] == str(existing.pk)
    assert list(body["fields"]) == ["email"]
    assert foreign_address.status_code == 201  # another organization's artist is no duplicate
    assert Artist.objects.filter(organization=scenario.organization).count() == 2


def test_an_artist_with_the_same_name_is_created_with_a_warning(scenario: Scenario) -> None:
    existing = ArtistFactory(
        organization=scenario.organization, first_name="Camille", last_name="Lefèvre"
    )
    client = scenario.client("manager")

    namesake = client.post(
        "/api/v1/artists", {"first_name": "camille", "last_name": "LEFÈVRE"}, format="json"
    )
    other = client.post(
        "/api/v1/artists", {"first_name": "Paul", "last_name": "Lefèvre"}, format="json"
    )

    assert namesake.status_code == 201
    (warning,) = namesake.json()["warnings"]
    assert warning["code"] == "same_name"
    assert warning["artist_ids"] == [str(existing.pk)]
    assert other.status_code == 201
    assert other.json()["warnings"] == []


def test_changing_an_artists_e_mail_to_anothers_is_a_409(scenario: Scenario) -> None:
    ArtistFactory(organization=scenario.organization, email="taken@x.test")
    artist = ArtistFactory(organization=scenario.organization, email="mine@x.test")

    assert_error(
        scenario.client("manager").patch(
            f"/api/v1/artists/{artist.pk}", {"email": "taken@x.test"}, format="json"
        ),
        409,
        "duplicate_artist",
    )
    same = scenario.client("manager").patch(
        f"/api/v1/artists/{artist.pk}", {"email": "MINE@x.test"}, format="json"
    )
    assert same.status_code == 200


def test_a_redelivered_e_mail_task_sends_nothing_more(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.orgs.tasks import send_organization_invitation_email

    created = invite(
        scenario, django_capture_on_commit_callbacks, {"email": "r@x.test", "role": "tech"}
    ).json()

    assert send_organization_invitation_email.delay(created["id"]).get() is False
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action=AuditAction.ORG_INVITATION_SEND).count() == 1


def test_the_invitation_list_query_count_does_not_grow(
    scenario: Scenario, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    client = scenario.client("admin")
    invite(scenario, django_capture_on_commit_callbacks, {"email": "q0@x.test", "role": "tech"})
    # the token's user with its membership and organization (one query), count, page of invitations
    with django_assert_num_queries(3):
        assert client.get(INVITATIONS).json()["count"] == 1
    for n in range(1, 6):
        invite(
            scenario, django_capture_on_commit_callbacks, {"email": f"q{n}@x.test", "role": "tech"}
        )
    with django_assert_num_queries(3):
        assert client.get(INVITATIONS).json()["count"] == 6


def test_an_english_organization_invites_in_english(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    scenario.organization.language = "en"
    scenario.organization.save(update_fields=["language"])

    invite(scenario, django_capture_on_commit_callbacks, {"email": "en@x.test", "role": "tech"})

    (message,) = mail.outbox
    assert message.subject == "Join Les Nuits Sonores on the crew planning"
    assert "Admin Nuits invites you to join Les Nuits Sonores" in message.body
    assert message.extra_headers["Content-Language"] == "en"
