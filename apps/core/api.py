"""The one base for every tenant API: organization resolution and queryset scoping.

Every view inherits ``TenantAPIView`` (directly or through
``TenantViewSet``). It resolves the active organization and the caller's membership
once per request and filters every queryset on that organization. Subclasses implement
``safely_get_queryset``; defining ``get_queryset``, ``get_object`` or ``get_permissions``
is refused at class creation, so a view can neither forget the tenant filter nor drop the
role checks (the pattern of PostHog's ``TeamAndOrgViewSetMixin``).

The few views that act outside any organization (login, sign-up, the caller's own
account, an invitation answered from its signed link, the calendar feed, probes) say so
with ``@tenant_exempt("why")``; a test walks every URL and accepts nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import translation
from rest_framework import generics, mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.core.errors import NotFound, PreconditionFailed
from apps.core.permissions import HasRequiredRole, IsOrganizationMember, default_required_role
from apps.core.tenancy import resolve_membership, token_org_id
from apps.core.versions import CONDITIONAL_METHODS, etag_of_body, etag_of_row, matches
from apps.orgs.models import MemberRole, Membership, Organization, User

TENANT_PERMISSIONS = (IsAuthenticated, IsOrganizationMember, HasRequiredRole)
GUARDED_METHODS = ("get_queryset", "get_object", "get_permissions")
ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def tenant_exempt(reason: str) -> Callable[[ViewT], ViewT]:
    """Mark a view that serves no organization's data, with the reason (checked by a test)."""
    if not reason.strip():
        raise ValueError("tenant_exempt needs a reason")

    def mark(view: ViewT) -> ViewT:
        view.tenant_exempt_reason = reason  # type: ignore[attr-defined]
        return view

    return mark


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
        for name in GUARDED_METHODS:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}; implement safely_get_queryset and set "
                    "read_role / write_role / action_roles, so the organization filter and "
                    "the role checks cannot be bypassed."
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
            if membership is not None:
                # Server messages (conflicts) follow the user's language, else the tenant's.
                language = getattr(request.user, "language", "")
                translation.activate(language or membership.organization.language)
        super().initial(request, *args, **kwargs)

    # ``getattr``: schema generation (``swagger_fake_view``) builds views without ``initial``,
    # so there is no organization; querysets built on ``None`` are empty, not an error.
    @property
    def organization(self) -> Organization:
        return getattr(self.request, "organization", None)  # type: ignore[return-value]

    @property
    def membership(self) -> Membership:
        return getattr(self.request, "membership", None)  # type: ignore[return-value]

    @property
    def actor(self) -> User:
        """The authenticated caller (permissions have run, so never anonymous here)."""
        return cast(User, self.request.user)

    def validated(self, serializer_class: type[BaseSerializer[Any]], **kwargs: Any) -> Any:
        """The request body validated by ``serializer_class`` (400 naming the fields)."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def required_role(self, request: Request) -> MemberRole:
        action = getattr(self, "action", None)
        if action and action in self.action_roles:
            return self.action_roles[action]
        is_read = default_required_role(request.method or "GET") == MemberRole.TECH
        return self.read_role if is_read else self.write_role

    def get_permissions(self) -> list[Any]:
        """The tenant checks always run first; ``permission_classes`` can add, not remove."""
        extra = [cls for cls in self.permission_classes if cls not in TENANT_PERMISSIONS]
        return [permission() for permission in (*TENANT_PERMISSIONS, *extra)]

    def get_object(self) -> Any:
        """Looked up in the scoped queryset, and checked again: another tenant's row is a 404.

        A conditional write (``If-Match``) locks the row for the rest of the request and
        refuses a stale version with 412 (see ``apps.core.versions``).
        """
        obj = super().get_object()
        if getattr(obj, "organization_id", None) != getattr(self.organization, "pk", None):
            raise NotFound()
        if_match = self._if_match()
        if if_match is not None:
            obj = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
            current = etag_of_row(obj)
            if not matches(if_match, current):
                raise PreconditionFailed(extra={"current_etag": current})
        return obj

    def _if_match(self) -> str | None:
        request = getattr(self, "request", None)
        if request is None or request.method not in CONDITIONAL_METHODS:
            return None
        value: str | None = request.headers.get("If-Match")
        return value

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # ``initial`` activates the member's language; restore the caller's afterwards.
        with translation.override(translation.get_language()):
            # A conditional write holds its row lock until the write commits: one transaction.
            if request.method in CONDITIONAL_METHODS and "If-Match" in request.headers:
                with transaction.atomic():
                    return super().dispatch(request, *args, **kwargs)
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if 200 <= response.status_code < 300 and not response.has_header("ETag"):
            etag = etag_of_body(getattr(response, "data", None))
            if etag is not None:
                response["ETag"] = etag
        return response

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
