"""The public page behind an invitation link: read the shift, then accept or decline.

``GET /invitations/{id}?token=…`` only *shows* (mail scanners and link previews open
links; a GET must never answer for the crew member). The two buttons are plain
``<form method="post">`` posting the signed token to ``/invitations/{id}/accept`` or
``/decline``; the same services as the API answer, and
every refusal is explained in plain words with the matching HTTP status (400 invalid
link, 404, 409 already answered / withdrawn / conflict, 410 expired, 429 throttled).
The page speaks the organization's language (French or English); before the invitation
is known, the browser's.

The two posts are exempt from Django's CSRF check, and only they: the page sends no
referrer (``<meta name="referrer" content="no-referrer">``), so phones post with
``Origin: null``, which the check refuses. The check protects a *session* from being used
by another site; these posts read no session and no cookie, and what authorises them is
the signed, single-use token in the form, which a forging site cannot know. The answer
is a one-time action on one invitation (a second post only says "already answered").
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.core.api import tenant_exempt
from apps.core.errors import ApplicationError, HardConflictError
from apps.core.throttling import SimpleRateThrottle
from apps.planning.models import Invitation
from apps.planning.publication.invitations import (
    invitation_answer,
    invitation_check_link,
    invitation_get_unscoped,
    shift_details,
)

TEMPLATE = "invitations/page.html"
LANGUAGES = ("fr", "en")


class InvitationPageThrottle(SimpleRateThrottle):
    """The API's ``invitation`` rate, per client address, for the page's form posts."""

    scope = "invitation"
    cache_format = "throttle_invitation_page_%(ident)s"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"ident": self.get_ident(request)}


def _language(request: HttpRequest, invitation: Invitation | None) -> str:
    if invitation is not None:
        return invitation.organization.language
    requested = translation.get_language_from_request(request) or "en"
    return requested[:2] if requested[:2] in LANGUAGES else "en"


def _page(
    request: HttpRequest,
    *,
    state: str,
    status: int,
    invitation: Invitation | None = None,
    token: str = "",
    extra: dict[str, Any] | None = None,
    language: str | None = None,
) -> HttpResponse:
    """Render the one template; shift details only once the token proved the link."""
    language = language or _language(request, invitation)
    with translation.override(language):
        context: dict[str, Any] = {"lang": language, "state": state, "token": token}
        if invitation is not None:
            context["invitation"] = invitation
            context["organization"] = invitation.organization.name
            context["artist_name"] = invitation.assignment.artist.full_name
            context["shift"] = shift_details(invitation.assignment.shift, invitation.organization)
        context.update(extra or {})
        return render(request, TEMPLATE, context, status=status)


def _error_page(
    request: HttpRequest, exc: ApplicationError, invitation: Invitation | None
) -> HttpResponse:
    """An application error as a page; a refused token shows nothing of the shift."""
    state = exc.code if exc.status_code != 404 else "not_found"
    shown = None if state in ("invalid_token", "not_found") else invitation
    extra: dict[str, Any] = {}
    if isinstance(exc, HardConflictError):
        extra["conflicts"] = [conflict.get("message", "") for conflict in exc.conflicts]
    if invitation is not None:
        extra["answered"] = invitation.status
    return _page(
        request,
        state=state,
        status=exc.status_code,
        invitation=shown,
        extra=extra,
        language=_language(request, invitation),
    )


def _load(pk: UUID) -> Invitation | None:
    try:
        return invitation_get_unscoped(invitation_id=pk)
    except ApplicationError:
        return None


@tenant_exempt("the signed invitation token is the credential")
@never_cache
@require_GET
def invitation_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Show the shift and the two buttons, or why the link no longer works."""
    token = request.GET.get("token", "")
    invitation = _load(pk)
    if invitation is None:
        return _page(request, state="not_found", status=404)
    try:
        invitation_check_link(invitation=invitation, token=token)
    except ApplicationError as exc:
        return _error_page(request, exc, invitation)
    answer = request.GET.get("answer", "")
    extra = {"answer": answer if answer in ("accept", "decline") else ""}
    return _page(request, state="form", status=200, invitation=invitation, token=token, extra=extra)


def _answer(request: HttpRequest, pk: UUID, *, accept: bool) -> HttpResponse:
    # DRF's throttle reads only ``META`` and the cache, which a Django request has too.
    if not InvitationPageThrottle().allow_request(cast(Any, request), cast(Any, None)):
        return _page(request, state="throttled", status=429)
    token = request.POST.get("token", "")
    try:
        result = invitation_answer(invitation_id=pk, token=token, accept=accept)
    except ApplicationError as exc:
        return _error_page(request, exc, _load(pk))
    invitation = invitation_get_unscoped(invitation_id=result.invitation.pk)
    return _page(
        request,
        state="accepted" if accept else "declined",
        status=200,
        invitation=invitation,
    )


@tenant_exempt("the signed invitation token is the credential")
@csrf_exempt  # the signed token authorises the answer; see the module docstring
@never_cache
@require_POST
def invitation_accept(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _answer(request, pk, accept=True)


@tenant_exempt("the signed invitation token is the credential")
@csrf_exempt  # the signed token authorises the answer; see the module docstring
@never_cache
@require_POST
def invitation_decline(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _answer(request, pk, accept=False)
