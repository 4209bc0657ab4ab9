"""Services: joining an organization through an e-mailed, signed invitation.

Nobody is added to an organization without saying yes. An admin (or a manager, from an
artist's record, for the ``tech`` role) invites an e-mail address; the answer is the same
whether an account uses it or not, so the invitation reveals nothing. The person follows
the signed link, sets a password (no account yet) or logs in (an account uses the
address), and accepts: only then is the membership created, and the artist record, if
the invitation names one, linked to the account.

Links: ``/join/{id}?token=…``. The token is ``django.core.signing`` of the invitation id
and a nonce stored on the row (``INVITES_SECRET``, another salt than the shift
invitations), so it is bound to one invitation, cannot be forged, and dies when the row
stops being pending (single use). Checks, in this order: unknown (404), invalid link
(400 ``invalid_token``), accepted or withdrawn (409 ``already_accepted`` / ``revoked``),
expired (410 ``expired``). A refused link writes nothing.

Every write is audited in its transaction; the e-mail leaves after commit, from a Celery
task (``apps.orgs.tasks.send_organization_invitation_email``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import formats, timezone, translation

from apps.audit.actions import AuditAction
from apps.audit.services import record, set_audited, snapshot, stamp_sent_once
from apps.core import signed_links
from apps.core.emails import templated_email
from apps.core.errors import ConflictError, Gone, NotFound, PermissionDenied, ValidationFailed
from apps.core.integrity import constraint_errors
from apps.orgs.models import (
    MemberRole,
    Membership,
    Organization,
    OrganizationInvitation,
    OrganizationInvitationStatus,
    User,
)
from apps.orgs.services import (
    EMAIL_CONSTRAINTS,
    MEMBERSHIP_FIELDS,
    PRIVILEGED_ROLES,
    _email_taken,
    _validated_password,
)

SALT = "crewplan.orgs.invitation"
INVITATION_FIELDS = (
    "id",
    "organization",
    "email",
    "role",
    "artist",
    "status",
    "expires_at",
    "sent_at",
    "accepted_at",
    "accepted_by",
    "invited_by",
)
Status = OrganizationInvitationStatus


# --- Tokens and links ----------------------------------------------------------------


def ttl_seconds() -> int:
    return int(settings.ORG_INVITES_TTL_SECONDS)


def make_token(invitation: OrganizationInvitation) -> str:
    payload = {"i": str(invitation.pk), "n": invitation.nonce}
    return signed_links.sign(payload, salt=SALT)


def _token_matches(token: str, invitation: OrganizationInvitation) -> bool:
    try:
        data: Any = signed_links.unsign(token, salt=SALT)
    except signing.BadSignature:
        return False
    return (
        isinstance(data, dict)
        and data.get("i") == str(invitation.pk)
        and data.get("n") == invitation.nonce
    )


def join_link(invitation: OrganizationInvitation, token: str) -> str:
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/join/{invitation.pk}?{urlencode({'token': token})}"


def invitation_email(invitation: OrganizationInvitation, token: str) -> EmailMultiAlternatives:
    """The message, in the organization's language (French or English)."""
    organization = invitation.organization
    language = organization.language
    with translation.override(language):
        expires = timezone.localtime(invitation.expires_at, organization.tzinfo)
        context = {
            "organization": organization.name,
            "role": invitation.role,
            "inviter": (invitation.invited_by.full_name or invitation.invited_by.email)
            if invitation.invited_by
            else "",
            "artist_name": invitation.artist.full_name if invitation.artist else "",
            "join_url": join_link(invitation, token),
            "expires": formats.date_format(expires, "j F Y H:i"),
        }
    return templated_email(
        template="org_invitation", context=context, to=invitation.email, language=language
    )


# --- Reads ---------------------------------------------------------------------------


def invitation_get_unscoped(*, invitation_id: UUID | str) -> OrganizationInvitation:
    """Any organization's invitation: only for the token-guarded join page."""
    invitation = (
        OrganizationInvitation.objects.select_related("organization", "artist", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def invitation_check_link(*, invitation: OrganizationInvitation, token: str) -> None:
    """The join page's check before anything is asked: the acceptance's checks, no write."""
    _require_usable(invitation, token, now=timezone.now())


# --- Checks --------------------------------------------------------------------------


def _already_member() -> ConflictError:
    message = "This person is already a member."
    return ConflictError(message, code="already_member", fields={"email": [message]})


def _require_usable(invitation: OrganizationInvitation, token: str, *, now: datetime) -> None:
    if not token or not _token_matches(token, invitation):
        raise ValidationFailed.for_field("token", "This link is invalid.", code="invalid_token")
    if invitation.status == Status.REVOKED:
        raise ConflictError("This invitation was withdrawn.", code="revoked")
    if invitation.status != Status.PENDING:
        raise ConflictError("This invitation was already accepted.", code="already_accepted")
    if signed_links.has_expired(
        token, salt=SALT, ttl_seconds=ttl_seconds(), expires_at=invitation.expires_at, now=now
    ):
        raise Gone("This invitation has expired.", code="expired")


def _require_may_invite(actor: Membership, role: str) -> None:
    if role in PRIVILEGED_ROLES and actor.role != MemberRole.OWNER:
        raise PermissionDenied("Only an owner can grant the owner or admin role.")


def _require_linkable_artist(organization: Organization, artist: Any) -> None:
    if artist.organization_id != organization.pk:
        raise NotFound.for_field("artist_id")
    if artist.user_id is not None:
        message = "This artist already has a login."
        raise ConflictError(message, code="already_linked", fields={"artist_id": [message]})


def _locked(invitation_id: UUID | str) -> OrganizationInvitation:
    invitation = (
        OrganizationInvitation.objects.select_for_update(of=("self",))
        .select_related("organization", "artist")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def _set_status(
    invitation: OrganizationInvitation,
    *,
    actor: User | None,
    status: str,
    action: AuditAction,
    reason: str = "",
) -> None:
    set_audited(
        invitation,
        {"status": status},
        fields=INVITATION_FIELDS,
        organization=invitation.organization,
        actor=actor,
        action=action,
        reason=reason,
    )


# --- Writes --------------------------------------------------------------------------


@transaction.atomic
def organization_invitation_create(
    *,
    organization: Organization,
    actor: Membership,
    email: str,
    role: str = MemberRole.TECH,
    artist: Any = None,
) -> OrganizationInvitation:
    """Invite an address to join with ``role``; a pending invitation to it is replaced.

    Whether an account uses the address changes nothing in the answer.
    """
    _require_may_invite(actor, role)
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise _already_member()
    if artist is not None:
        _require_linkable_artist(organization, artist)
    pending = OrganizationInvitation.objects.select_for_update().filter(
        organization=organization, email__iexact=email, status=Status.PENDING
    )
    for previous in pending:
        _set_status(
            previous,
            actor=actor.user,
            status=Status.REVOKED,
            action=AuditAction.ORG_INVITATION_REVOKE,
            reason="Superseded by a new invitation.",
        )
    invitation = OrganizationInvitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        artist=artist,
        nonce=secrets.token_urlsafe(24),
        expires_at=timezone.now() + timedelta(seconds=ttl_seconds()),
        invited_by=actor.user,
    )
    record(
        organization=organization,
        actor=actor.user,
        action=AuditAction.ORG_INVITATION_CREATE,
        entity=invitation,
        after=snapshot(invitation, INVITATION_FIELDS),
    )
    _enqueue_email(invitation.pk)
    return invitation


def artist_invite_login(
    *, organization: Organization, actor: Membership, artist: Any
) -> OrganizationInvitation:
    """Give an artist a login: invite his or her e-mail as ``tech``, linked on acceptance."""
    if not artist.email:
        raise ValidationFailed.for_field("email", "The artist has no e-mail address.")
    return organization_invitation_create(
        organization=organization,
        actor=actor,
        email=artist.email,
        role=MemberRole.TECH,
        artist=artist,
    )


def _enqueue_email(invitation_id: UUID) -> None:
    from apps.orgs.tasks import send_organization_invitation_email

    transaction.on_commit(lambda: send_organization_invitation_email.delay(str(invitation_id)))


@transaction.atomic
def organization_invitation_revoke(
    *, invitation: OrganizationInvitation, actor: User
) -> OrganizationInvitation:
    locked = _locked(invitation.pk)
    if locked.status != Status.PENDING:
        raise ConflictError(f"This invitation is {locked.status}.", code="not_pending")
    _set_status(
        locked, actor=actor, status=Status.REVOKED, action=AuditAction.ORG_INVITATION_REVOKE
    )
    return locked


def _link_artist(invitation: OrganizationInvitation, user: User) -> None:
    """Link the named artist to the new member, if nobody took either in the meantime."""
    from apps.crew.models import Artist
    from apps.crew.services.artists import artist_update

    artist = invitation.artist
    if artist is None or artist.user_id is not None:
        return
    if Artist.objects.filter(organization=invitation.organization, user=user).exists():
        return
    artist_update(artist=artist, actor=user, data={"user": user})


@transaction.atomic
def organization_invitation_accept(
    *, invitation_id: UUID | str, token: str, user: User
) -> Membership:
    """``user`` (logged in, or just created) accepts: membership, artist link, audit."""
    invitation = _locked(invitation_id)
    _require_usable(invitation, token, now=timezone.now())
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            "This invitation is for another e-mail address.", code="wrong_account"
        )
    organization = invitation.organization
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            organization=organization, user=user, role=invitation.role
        )
        record(
            organization=organization,
            actor=user,
            action=AuditAction.MEMBERSHIP_CREATE,
            entity=membership,
            after=snapshot(membership, MEMBERSHIP_FIELDS),
            reason="Invitation accepted.",
        )
    _link_artist(invitation, user)
    set_audited(
        invitation,
        {"status": Status.ACCEPTED, "accepted_at": timezone.now(), "accepted_by": user},
        fields=INVITATION_FIELDS,
        organization=organization,
        actor=user,
        action=AuditAction.ORG_INVITATION_ACCEPT,
    )
    return membership


@transaction.atomic
def organization_invitation_signup(
    *, invitation_id: UUID | str, token: str, full_name: str, password: str
) -> Membership:
    """No account uses the address yet: create it with this password, then accept.

    The link is checked before anything is written, so a forged or expired link creates
    no account.
    """
    invitation = _locked(invitation_id)
    _require_usable(invitation, token, now=timezone.now())
    if account_exists(invitation.email):
        message = "An account already uses this e-mail: log in to accept."
        raise ConflictError(message, code="account_exists")
    full_name = full_name.strip()
    if not full_name:
        raise ValidationFailed.for_field("full_name", "Your name is required.")
    user = User(
        email=invitation.email, full_name=full_name, language=invitation.organization.language
    )
    user.set_password(_validated_password(password, user))
    with constraint_errors(dict.fromkeys(EMAIL_CONSTRAINTS, _email_taken)):
        user.save()
    return organization_invitation_accept(invitation_id=invitation.pk, token=token, user=user)


@transaction.atomic
def organization_invitation_mark_sent(*, invitation_id: UUID | str) -> bool:
    """Stamp ``sent_at`` once (a guarded update: a redelivered task stamps nothing)."""
    return stamp_sent_once(
        OrganizationInvitation.objects.filter(pk=invitation_id, status=Status.PENDING),
        action=AuditAction.ORG_INVITATION_SEND,
        fields=INVITATION_FIELDS,
    )
