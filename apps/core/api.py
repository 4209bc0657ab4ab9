"""The one base for every tenant API: organization resolution and queryset scoping.

Every view inherits ``TenantAPIView`` (directly or through
``TenantViewSet``). It resolves the active organization and the caller's membership
once per request and filters every queryset on that organization. Subclasses implement
``safely_get_queryset``; defining ``get_queryset`` is refused at class creation, so a
view cannot forget the tenant filter (the pattern of PostHog's
``TeamAndOrgViewSetMixin``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import generics, mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.core.permissions import HasRequiredRole, IsOrganizationMember, default_required_role
from apps.orgs.models import MemberRole, Membership, Organization
from apps.orgs.tenancy import resolve_membership, token_org_id


class TenantAPIView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Resolves ``request.organization`` and ``request.membership`` and scopes querysets.

    ``read_role`` / ``write_role`` set the minimum role for safe and unsafe methods;
    ``action_roles`` overrides them per viewset action (``{"approve": MemberRole.MANAGER}``).
    """

    permission_classes = [IsAuthenticated, IsOrganizationMember, HasRequiredRole]
    read_role: ClassVar[MemberRole] = MemberRole.TECH
    write_role: ClassVar[MemberRole] = MemberRole.MANAGER
    action_roles: ClassVar[dict[str, MemberRole]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset; implement safely_get_queryset "
                "so the organization filter cannot be bypassed."
            )

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Authentication runs lazily on request.user; resolve tenancy before permissions.
        request.membership = None  # type: ignore[attr-defined]
        request.organization = None  # type: ignore[attr-defined]
        if request.user and request.user.is_authenticated:
            membership = resolve_membership(request)
            if membership is None and token_org_id(request) is not None:
                # The member was removed (or the organization deleted) since the token
                # was issued: the token no longer stands for anyone here.
                raise InvalidToken("Your membership of this organization has ended.")
            request.membership = membership  # type: ignore[attr-defined]
            request.organization = membership.organization if membership else None  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)

    # ``getattr``: schema generation (``swagger_fake_view``) builds views without ``initial``,
    # so there is no organization; querysets built on ``None`` are empty, not an error.
    @property
    def organization(self) -> Organization:
        return getattr(self.request, "organization", None)  # type: ignore[return-value]

    @property
    def membership(self) -> Membership:
        return getattr(self.request, "membership", None)  # type: ignore[return-value]

    def required_role(self, request: Request) -> MemberRole:
        action = getattr(self, "action", None)
        if action and action in self.action_roles:
            return self.action_roles[action]
        is_read = default_required_role(request.method or "GET") == MemberRole.TECH
        return self.read_role if is_read else self.write_role

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.safely_get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request org
            return queryset.none()
        return queryset.filter(organization=self.organization)

    def safely_get_queryset(self) -> QuerySet[Any]:
        """Return the base queryset; the organization filter is applied on top of it."""
        model: type[Model] | None = getattr(getattr(self, "queryset", None), "model", None)
        if model is None:
            raise NotImplementedError("Implement safely_get_queryset or set queryset.")
        return model._default_manager.all()

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["organization"] = getattr(self.request, "organization", None)
        context["membership"] = getattr(self.request, "membership", None)
        return context


class TenantViewSet(viewsets.ViewSetMixin, TenantAPIView):
    """Base of resource viewsets; add the DRF mixins a resource needs."""


class TenantReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    pass
