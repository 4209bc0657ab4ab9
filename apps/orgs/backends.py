"""Django permissions that follow the membership role, not hand-granted groups.

An organization's owners and admins run its back office: the admin site lets them in
(``apps.orgs.admin_site``) and this backend gives them the model permissions their role
implies, so nobody has to grant Django permissions by hand. The permissions are global
flags ("may change artists"); *which* rows stay the business of the tenant-restricted
admins (``apps.core.admin.TenantAdmin``), which show only the organizations where the
user's role reaches each admin's ``min_role``.

What each role implies (the highest role the user holds in any organization):

- ``manager``: the crew and the planning (view, add, change, delete);
- ``admin`` and ``owner``: that, plus the organization (view, change), its members
  (view, change, delete: the membership policy still applies in the form; adding is
  inviting, through the API), its invitations to join (view), the accounts of its
  members (view) and the audit trail (view).

Platform matters stay with superusers: users (add, change, delete), groups and
permissions, refresh tokens, login attempts. ``tech`` implies nothing in the admin.
Hand-granted permissions (``ModelBackend``) still add to these.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from apps.orgs.models import ROLE_RANK, MemberRole, Membership

ALL_ACTIONS = ("view", "add", "change", "delete")
PLANNING_APPS = ("crew", "planning")
ADMIN_EXTRA: dict[str, tuple[str, ...]] = {
    "orgs.organization": ("view", "change"),
    "orgs.membership": ALL_ACTIONS,
    "orgs.organizationinvitation": ("view",),
    "orgs.user": ("view",),
    "audit.auditentry": ("view",),
}
CACHE_ATTRIBUTE = "_membership_role_perm_cache"


def _model_perms(label: str, actions: tuple[str, ...]) -> set[str]:
    app_label, model_name = label.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


@cache
def role_permissions(role: str) -> frozenset[str]:
    """The ``app_label.codename`` permissions a role implies (see the module docstring)."""
    rank = ROLE_RANK.get(role, 0)
    perms: set[str] = set()
    if rank >= ROLE_RANK[MemberRole.MANAGER]:
        for app_label in PLANNING_APPS:
            for model in apps.get_app_config(app_label).get_models():
                perms |= _model_perms(model._meta.label_lower, ALL_ACTIONS)
    if rank >= ROLE_RANK[MemberRole.ADMIN]:
        for label, actions in ADMIN_EXTRA.items():
            perms |= _model_perms(label, actions)
    return frozenset(perms)


def highest_role(user_obj: Any) -> str | None:
    """The user's most powerful membership role, in any organization (one query)."""
    roles = Membership.objects.filter(user_id=user_obj.pk).values_list("role", flat=True)
    return max(roles, key=lambda role: ROLE_RANK.get(role, 0), default=None)


class MembershipRoleBackend(BaseBackend):
    """Answers ``has_perm`` from the membership role; never authenticates anyone."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, CACHE_ATTRIBUTE):
            role = highest_role(user_obj)
            setattr(user_obj, CACHE_ATTRIBUTE, role_permissions(role) if role else frozenset())
        return set(getattr(user_obj, CACHE_ATTRIBUTE))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))
