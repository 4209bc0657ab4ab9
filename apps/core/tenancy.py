"""Tenancy: which organization a request acts for, and whether a row belongs to it.

The active organization travels in the access token (claim ``org``) or, for browser
sessions, in the session (``org_id``). Without either, the user's oldest membership is
used. One query, with the organization joined; none when authentication already read
the membership of the token's organization (see ``remember_token_membership``).

Services that receive related objects or ids check them here, so that "missing" and "not
yours" answer the same 404 naming the field, whether the caller is the API, the admin or
a script.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.core.errors import NotFound
from apps.orgs.models import Membership, Organization

SESSION_ORG_KEY = "org_id"
ORG_CLAIM = "org"


def _as_uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def org_claim(token: Any) -> str | None:
    """A token's ``org`` claim as a UUID string, ``None`` without one.

    A malformed one is a 401, never a 400 or a 500.
    """
    org = token.get(ORG_CLAIM)
    if org in (None, ""):
        return None
    org_id = _as_uuid(org)
    if org_id is None:
        raise InvalidToken("The token's organization claim is malformed.")
    return org_id


def token_org_id(request: Any) -> str | None:
    """The access token's ``org`` claim; a malformed one is a 401, never a 400 or a 500."""
    token = getattr(request, "auth", None)
    if token is None or not hasattr(token, "get"):
        return None
    return org_claim(token)


def requested_org_id(request: Any) -> str | None:
    org_id = token_org_id(request)
    if org_id is not None:
        return org_id
    session = getattr(request, "session", None)
    if session is not None:
        value = session.get(SESSION_ORG_KEY)
        return _as_uuid(value) if value else None
    return None


# The membership authentication already read. ``OrgJWTAuthentication`` reads the token's
# user together with his or her membership of the token's organization (one query) and
# leaves that membership on the validated token, which DRF keeps as ``request.auth``: a
# token object is built from the ``Authorization`` header on every request, so the
# membership dies with the request and nothing is cached. ``resolve_membership`` takes it
# (once) only when it is the membership it would have read itself: the request's user,
# in the organization it resolves; otherwise it reads the database as before.
_TOKEN_MEMBERSHIP_ATTR = "_authenticated_membership"


def remember_token_membership(token: Any, membership: Membership) -> None:
    """Hand ``resolve_membership`` the membership authentication read for ``token``."""
    setattr(token, _TOKEN_MEMBERSHIP_ATTR, membership)


def _take_token_membership(request: Any, org_id: str) -> Membership | None:
    """The membership remembered on the request's token, if it is the user's in ``org_id``.

    Taken once: a later resolution in the same request reads the database.
    """
    token = getattr(request, "auth", None)
    membership = getattr(token, _TOKEN_MEMBERSHIP_ATTR, None)
    if membership is None:
        return None
    delattr(token, _TOKEN_MEMBERSHIP_ATTR)
    if (
        not isinstance(membership, Membership)
        or membership.user_id != request.user.pk
        or str(membership.organization_id) != org_id
    ):
        return None
    return membership


def resolve_membership(request: HttpRequest | Any) -> Membership | None:
    """The caller's membership in the active organization, or ``None``."""
    org_id = requested_org_id(request)
    # The token's membership, read with the user by authentication, is the common case:
    # the queryset is built only when it is not there (building it costs more than using it).
    membership = _take_token_membership(request, org_id) if org_id else None
    if membership is None:
        memberships = Membership.objects.select_related("organization").filter(
            user_id=request.user.pk  # type: ignore[misc]
        )
        if org_id:
            membership = memberships.filter(organization_id=org_id).first()
        else:
            membership = memberships.order_by("created_at").first()
    if membership is not None:
        # The user is already loaded by authentication: share it rather than query it again.
        membership.user = request.user  # type: ignore[assignment]
    return membership


def require_in_organization(
    objects: Model | Iterable[Model], organization: Organization, field: str
) -> None:
    """404 naming ``field`` unless every object belongs to the organization (no query)."""
    items = [objects] if isinstance(objects, Model) else objects
    if any(getattr(item, "organization_id", None) != organization.pk for item in items):
        raise NotFound.for_field(field)


def require_ids_in_organization(
    *, organization: Organization, model: type[Model], ids: Collection[Any], field: str
) -> None:
    """404 naming ``field`` unless every id is a ``model`` row of the organization.

    One query for any number of ids; a foreign id and a missing one answer the same.
    """
    wanted = {str(value) for value in ids if value is not None}
    if not wanted:
        return
    found = model._default_manager.filter(organization=organization, pk__in=wanted)
    if found.count() != len(wanted):
        raise NotFound.for_field(field)
