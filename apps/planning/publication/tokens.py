"""Signed invitation tokens: what lets a crew member answer without logging in.

A token is ``django.core.signing.dumps`` of ``{"i": invitation id, "o": organization id,
"n": nonce}`` with the salt below and ``settings.INVITES_SECRET`` as key (Django falls back
to ``SECRET_KEY`` when it is empty, as in the embedded quick start). Nothing is stored:
the nonce on the invitation row is what binds a token to exactly one invitation, so

- a token minted for invitation A (of any organization) says ``i=A``: presented for B it
  is refused as invalid, whatever B's organization;
- a forged or altered token fails the signature;
- a token is single-use because the invitation it binds must still be ``pending``
  (checked by the services under a row lock, not here);
- expiry is enforced twice: the signature's age (``INVITES_TTL_SECONDS``) and the
  invitation's ``expires_at``. The first answers "expired" without a database read; the
  second lets an operator shorten a link's life by editing one row.

Reading a token is split in two steps so the caller can answer in the documented order:
``verify_token`` checks the signature and the binding (400), ``token_has_expired`` then
tells 410 apart, after the caller has looked at the invitation's status (409).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core import signing

from apps.core import signed_links
from apps.orgs.models import Organization, User
from apps.planning.models import Assignment, Invitation

SALT = "crewplan.planning.invitation"


class InvalidToken(Exception):
    """The token is malformed, forged, or bound to another invitation."""


@dataclass(frozen=True)
class TokenPayload:
    invitation_id: str
    organization_id: str
    nonce: str


def ttl_seconds() -> int:
    return int(settings.INVITES_TTL_SECONDS)


def fresh_invitation(
    *,
    organization: Organization,
    assignment: Assignment,
    created_by: User | None,
    now: datetime,
) -> Invitation:
    """An unsaved pending invitation with its own nonce, expiring ``ttl_seconds`` after ``now``."""
    return Invitation(
        organization=organization,
        assignment=assignment,
        nonce=secrets.token_urlsafe(24),
        expires_at=now + timedelta(seconds=ttl_seconds()),
        created_by=created_by,
    )


def make_token(invitation: Invitation) -> str:
    """A fresh signed token for ``invitation`` (each call gives another, equally valid)."""
    payload = {
        "i": str(invitation.pk),
        "o": str(invitation.organization_id),
        "n": invitation.nonce,
    }
    return signed_links.sign(payload, salt=SALT)


def _payload(token: str) -> TokenPayload:
    try:
        data: Any = signed_links.unsign(token, salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidToken("bad signature") from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in "ion"):
        raise InvalidToken("malformed payload")
    return TokenPayload(invitation_id=data["i"], organization_id=data["o"], nonce=data["n"])


def verify_token(token: str, invitation: Invitation) -> None:
    """Raise ``InvalidToken`` unless ``token`` was signed by us for exactly ``invitation``."""
    if not token:
        raise InvalidToken("missing")
    payload = _payload(token)
    try:
        same_id = UUID(payload.invitation_id) == invitation.pk
    except ValueError as exc:
        raise InvalidToken("malformed invitation id") from exc
    if not (
        same_id
        and payload.organization_id == str(invitation.organization_id)
        and payload.nonce == invitation.nonce
    ):
        raise InvalidToken("bound to another invitation")


def token_has_expired(token: str, invitation: Invitation, *, now: datetime) -> bool:
    """True when the signature is older than the TTL or the invitation is past ``expires_at``.

    Call only after ``verify_token`` accepted the token.
    """
    return signed_links.has_expired(
        token, salt=SALT, ttl_seconds=ttl_seconds(), expires_at=invitation.expires_at, now=now
    )
