"""Which organization a request acts for.

The active organization travels in the access token (claim ``org``) or, for browser
sessions, in the session (``org_id``). Without either, the user's oldest membership is
used. One query, with the organization joined.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.orgs.models import Membership

SESSION_ORG_KEY = "org_id"


def requested_org_id(request: Any) -> str | None:
    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "get"):
        org = token.get("org")
        if org:
            return str(org)
    session = getattr(request, "session", None)
    if session is not None:
        value = session.get(SESSION_ORG_KEY)
        return str(value) if value else None
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
