"""``/join/{id}?token=…``: the page behind an invitation to join an organization.

A GET only shows (mail scanners open links): who is invited, where, with which role, and
the one form that fits: choose a password (no account uses the address), log in (one
does), or confirm (already logged in as that account). The form posts to the same URL
with Django's CSRF token, kept here on purpose: a successful post logs the browser in,
and a forged cross-site post could otherwise log a victim into an account that someone
else set up (login CSRF). Success lands on ``/app/me`` in the organization joined.

A forged, expired, withdrawn or used link shows why, with its status (400, 410, 409,
404), and writes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.api import tenant_exempt
from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.tenancy import SESSION_ORG_KEY
from apps.orgs import onboarding
from apps.orgs.models import OrganizationInvitation, User
from apps.web.labels import labels_for

TEMPLATE = "web/join.html"
LINK_ERRORS = ("invalid_token", "expired", "already_accepted", "revoked", "not_found")
BACKEND = "django.contrib.auth.backends.ModelBackend"
MESSAGES = {  # (English, French)
    "bad_login": ("Wrong password.", "Mot de passe incorrect."),
    "mismatch": ("The two passwords differ.", "Les deux mots de passe diffèrent."),
}


def _say(invitation: OrganizationInvitation, key: str) -> str:
    english, french = MESSAGES[key]
    return french if invitation.organization.language == "fr" else english


def _load(pk: UUID) -> OrganizationInvitation | None:
    try:
        return onboarding.invitation_get_unscoped(invitation_id=pk)
    except ApplicationError:
        return None


def _language(request: HttpRequest, invitation: OrganizationInvitation | None) -> str:
    if invitation is not None:
        return invitation.organization.language
    requested = translation.get_language_from_request(request) or "en"
    return "fr" if requested.startswith("fr") else "en"


def _mode(request: HttpRequest, invitation: OrganizationInvitation) -> str:
    """``confirm`` (logged in as the invited address), ``login`` or ``signup``."""
    user = request.user
    if user.is_authenticated and str(user.email).lower() == invitation.email.lower():  # type: ignore[union-attr]
        return "confirm"
    return "login" if onboarding.account_exists(invitation.email) else "signup"


def _render(
    request: HttpRequest,
    invitation: OrganizationInvitation | None,
    *,
    state: str,
    status: int = 200,
    token: str = "",
    errors: dict[str, list[str]] | None = None,
    full_name: str = "",
) -> HttpResponse:
    language = _language(request, invitation)
    with translation.override(language):
        context: dict[str, Any] = {
            "lang": language,
            "labels": labels_for(language),
            "state": state,
            "token": token,
            "errors": errors or {},
            "full_name": full_name,
            "signed_in_as": getattr(request.user, "email", "") if state != "confirm" else "",
        }
        if invitation is not None and state not in ("invalid_token", "not_found"):
            context["invitation"] = invitation
            context["organization"] = invitation.organization.name
        return render(request, TEMPLATE, context, status=status)


def _answer(request: HttpRequest, invitation: OrganizationInvitation, token: str) -> User:
    """Accept as the mode requires; returns the account to log in."""
    mode = _mode(request, invitation)
    if mode == "confirm":
        user: Any = request.user
    elif mode == "login":
        user = authenticate(
            request, email=invitation.email, password=request.POST.get("password", "")
        )
        if user is None:
            message = _say(invitation, "bad_login")
            raise ValidationFailed.for_field("password", message, code="bad_login")
    else:
        password = request.POST.get("password", "")
        if password != request.POST.get("password2", ""):
            raise ValidationFailed.for_field("password2", _say(invitation, "mismatch"))
        membership = onboarding.organization_invitation_signup(
            invitation_id=invitation.pk,
            token=token,
            full_name=request.POST.get("full_name", ""),
            password=password,
        )
        return membership.user
    onboarding.organization_invitation_accept(invitation_id=invitation.pk, token=token, user=user)
    return user  # type: ignore[no-any-return]


@tenant_exempt("the signed join token is the credential")
@never_cache
@require_http_methods(["GET", "POST"])
def join_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    token = (
        request.POST.get("token", "") if request.method == "POST" else request.GET.get("token", "")
    )
    invitation = _load(pk)
    if invitation is None:
        return _render(request, None, state="not_found", status=404)
    try:
        onboarding.invitation_check_link(invitation=invitation, token=token)
    except ApplicationError as exc:
        return _render(request, invitation, state=exc.code, status=exc.status_code)
    if request.method == "GET":
        return _render(request, invitation, state=_mode(request, invitation), token=token)
    try:
        # Django's own messages (password validators) in the page's language too.
        with translation.override(_language(request, invitation)):
            user = _answer(request, invitation, token)
    except ApplicationError as exc:
        if exc.code in LINK_ERRORS:
            return _render(request, invitation, state=exc.code, status=exc.status_code)
        locked = getattr(request, "axes_locked_out", False)
        return _render(
            request,
            invitation,
            state="locked" if locked else _mode(request, invitation),
            status=429 if locked else exc.status_code,
            token=token,
            errors=exc.fields or {"__all__": [exc.message]},
            full_name=request.POST.get("full_name", ""),
        )
    login(request, user, backend=BACKEND)
    request.session[SESSION_ORG_KEY] = str(invitation.organization_id)
    return redirect("web:me")
