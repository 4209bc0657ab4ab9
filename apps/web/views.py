"""Browser pages: session login, the planning board and the crew member's page.

The pages are shells: the server renders the frame and a JSON configuration, the scripts
in ``static/web`` call the same REST API as every client, with the session cookie and
the CSRF token (never a token kept in ``localStorage``). The active organization lives
in the session, as for the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.api import tenant_exempt
from apps.core.tenancy import SESSION_ORG_KEY, resolve_membership
from apps.crew.models import Artist
from apps.orgs.models import MemberRole, Membership
from apps.web.labels import labels_for


def _language(request: HttpRequest, membership: Membership | None) -> str:
    user_language = getattr(request.user, "language", "") or ""
    if user_language:
        return str(user_language)
    if membership is not None:
        return membership.organization.language
    return translation.get_language_from_request(request) or "en"


def _page_config(request: HttpRequest, membership: Membership, language: str) -> dict[str, Any]:
    role = membership.role
    user = membership.user
    artist = Artist.objects.filter(organization=membership.organization, user=user).first()
    memberships = Membership.objects.select_related("organization").filter(user=user)
    return {
        "api": "/api/v1",
        "lang": language,
        "labels": labels_for(language),
        "role": role,
        "canEdit": MemberRole.at_least(role, MemberRole.MANAGER),
        "isAdmin": MemberRole.at_least(role, MemberRole.ADMIN),
        "org": {
            "id": str(membership.organization_id),
            "name": membership.organization.name,
            "timezone": membership.organization.timezone,
        },
        "memberships": [
            {"org": str(m.organization_id), "name": m.organization.name, "role": m.role}
            for m in memberships
        ],
        "user": {"email": request.user.email, "name": getattr(request.user, "full_name", "")},  # type: ignore[union-attr]
        "artistId": str(artist.id) if artist else None,
    }


def _render_app(request: HttpRequest, template: str) -> HttpResponse:
    membership = resolve_membership(request)
    if membership is None:
        return HttpResponseForbidden("You are not a member of any organization.")
    language = _language(request, membership)
    with translation.override(language):
        config = _page_config(request, membership, language)
        return render(request, template, {"config": config, "labels": config["labels"]})


@tenant_exempt("the login form, before any organization")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    language = translation.get_language_from_request(request) or "en"
    labels = labels_for(language)
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("web:home")
    if request.method == "POST":
        user = authenticate(
            request,
            email=request.POST.get("email", "").strip().lower(),
            password=request.POST.get("password", ""),
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            membership = resolve_membership(request)
            if membership is not None:
                request.session[SESSION_ORG_KEY] = str(membership.organization_id)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = reverse("web:home")
            return redirect(next_url)
        error = (
            labels["locked"] if getattr(request, "axes_locked_out", False) else labels["bad_login"]
        )
    status = 429 if getattr(request, "axes_locked_out", False) else (401 if error else 200)
    context = {"labels": labels, "error": error, "next": next_url, "lang": language}
    return render(request, "web/login.html", context, status=status)


@tenant_exempt("ends the session")
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@tenant_exempt("a page shell for the signed-in member; its data comes from the tenant API")
@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    membership = resolve_membership(request)
    if membership is not None and not membership.has_role(MemberRole.MANAGER):
        return redirect("web:me")
    return redirect("web:timeline")


@tenant_exempt("a page shell for the signed-in member; its data comes from the tenant API")
@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    return _render_app(request, "web/timeline.html")


@tenant_exempt("a page shell for the signed-in member; its data comes from the tenant API")
@login_required
@require_GET
def call_sheet(request: HttpRequest) -> HttpResponse:
    """The printable call sheet of a day (``?date=&venue=``), from ``/planning/call-sheet``."""
    return _render_app(request, "web/call_sheet.html")


@tenant_exempt("a page shell for the signed-in member; its data comes from the tenant API")
@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    return _render_app(request, "web/me.html")


@tenant_exempt("chooses the organization; checks the membership itself")
@login_required
@require_POST
def switch_org(request: HttpRequest) -> HttpResponse:
    """Change the session's organization to another of the user's memberships."""
    try:
        organization_id = uuid.UUID(request.POST.get("organization", ""))
    except ValueError:
        return HttpResponse(status=404)
    membership = Membership.objects.filter(
        user_id=request.user.pk,  # type: ignore[misc]
        organization_id=organization_id,
    ).first()
    if membership is None:
        return HttpResponse(status=404)
    request.session[SESSION_ORG_KEY] = str(membership.organization_id)
    return redirect("web:home")
