"""Signed links: the token an e-mailed link carries, so its reader acts without logging in.

A token is ``django.core.signing.dumps`` of a small dict of strings with the feature's salt
and ``settings.INVITES_SECRET`` as key (Django falls back to ``SECRET_KEY`` when it is
empty). Nothing is stored: the feature binds a token to its row by what the payload holds
(an id and the row's nonce). Expiry is the signature's age against the feature's TTL, or
the row's own ``expires_at``, whichever comes first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing


def _key() -> str | None:
    return settings.INVITES_SECRET or None


def sign(payload: dict[str, str], *, salt: str) -> str:
    """A fresh token for ``payload`` (each call gives another, equally valid)."""
    return signing.dumps(payload, key=_key(), salt=salt, compress=False)


def unsign(token: str, *, salt: str) -> Any:
    """The payload of ``token`` whatever its age; ``signing.BadSignature`` when forged."""
    return signing.loads(token, key=_key(), salt=salt, max_age=None)


def has_expired(
    token: str, *, salt: str, ttl_seconds: int, expires_at: datetime, now: datetime
) -> bool:
    """True when the row is past ``expires_at`` or the signature is older than the TTL.

    Call only once the token's signature and binding were accepted.
    """
    if expires_at <= now:
        return True
    try:
        signing.loads(token, key=_key(), salt=salt, max_age=ttl_seconds)
    except signing.SignatureExpired:
        return True
    return False
