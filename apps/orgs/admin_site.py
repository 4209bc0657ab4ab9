"""The admin site: platform staff, and the owners and admins of an organization.

Django's site admits ``is_staff`` users only. Here an active user who is owner or admin
of at least one organization is admitted too (and may log in on the admin's own form),
so an organization's staff run its back office without a superuser flipping flags. What
they may do there comes from their role (``apps.orgs.backends``), on their
organizations' rows only (``apps.core.admin.TenantAdmin``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest

from apps.orgs.models import MemberRole, Membership

ADMIN_ROLES = (MemberRole.OWNER, MemberRole.ADMIN)


def runs_an_organization(user: Any) -> bool:
    """Active, and owner or admin of some organization."""
    if not (user.is_active and user.is_authenticated):
        return False
    return Membership.objects.filter(user_id=user.pk, role__in=ADMIN_ROLES).exists()


def may_use_admin(user: Any) -> bool:
    return bool(user.is_active and (user.is_staff or runs_an_organization(user)))


class OrganizationAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, open to organization owners and admins too."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not may_use_admin(user):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class CrewAdminSite(AdminSite):
    site_header = "Crew planning — back office"
    site_title = "Crew planning"
    login_form = OrganizationAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        cached = getattr(request, "_may_use_admin", None)
        if cached is None:
            cached = may_use_admin(request.user)
            request._may_use_admin = cached  # type: ignore[attr-defined]
        return bool(cached)
