"""Permission classes, each doing one thing.

``IsOrganizationMember`` needs the membership resolved by ``TenantAPIMixin``;
``HasRequiredRole`` compares it with the role the view asks for this request.
"""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from apps.orgs.models import MemberRole


class IsOrganizationMember(BasePermission):
    message = "You are not a member of this organization."

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request, "membership", None) is not None


class HasRequiredRole(BasePermission):
    """The member's role is at least ``view.required_role(request)``."""

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        required: str = view.required_role(request)
        return membership.has_role(required)


def default_required_role(method: str) -> MemberRole:
    return MemberRole.TECH if method in SAFE_METHODS else MemberRole.MANAGER
