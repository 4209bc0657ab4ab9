"""Which organization a request acts for.

The active organization travels in the access token (claim ``org``) or, for browser
sessions, in the session (``org_id``). Without either, the user's oldest membership is
used. One query, with the organization joined.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.orgs.models import Membership

SESSION_ORG_KEY = "org_id"
ORG_CLAIM = "org"


def _as_uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def token_org_id(request: Any) -> str | None:
    """The access token's ``org`` claim; a malformed one is a 401, never a 400 or a 500."""
    token = getattr(request, "auth", None)
    if token is None or not hasattr(token, "get"):
        return None
    org = token.get(ORG_CLAIM)
    if org in (None, ""):
        return None
    org_id = _as_uuid(org)
    if org_id is None:
        raise InvalidToken("The token's organization claim is malformed.")
    return org_id


def requested_org_id(request: Any) -> str | None:
    org_id = token_org_id(request)
    if org_id is not None:
        return org_id
    session = getattr(request, "session", None)
    if session is not None:
        value = session.get(SESSION_ORG_KEY)
        return _as_uuid(value) if value else None
    return None


def resolve_membership(request: HttpRequest | Any) -> Membership | None:
    """The caller's membership in the active organization, or ``None``."""
    memberships = Membership.objects.select_related("organization").filter(
        user_id=request.user.pk  # type: ignore[misc]
    )
    org_id = requested_org_id(request)
    if org_id:
        membership = memberships.filter(organization_id=org_id).first()
    else:
        membership = memberships.order_by("created_at").first()
    if membership is not None:
        # The user is already loaded by authentication: share it rather than query it again.
        membership.user = request.user  # type: ignore[assignment]
    return membership
