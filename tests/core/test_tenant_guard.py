"""The tenant guard itself, and a walk over every URL of the project.

Tenancy is structural: an API view derives from ``TenantAPIView`` (which scopes its
queryset, re-checks the object it returns and always runs the role checks) or says why it
serves no organization's data with ``@tenant_exempt``. Nothing else is accepted, so a new
endpoint cannot forget the guard. The admin is guarded by ``TenantAdmin``
(``test_admin_tenancy``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import mixins
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.core.api import TenantAPIView, TenantViewSet, tenant_exempt
from apps.crew.models import Skill
from tests.conftest import Scenario, assert_error
from tests.factories import SkillFactory


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _routes() -> list[tuple[str, Callable[..., Any]]]:
    return [(route, view) for route, view in _walk(get_resolver().url_patterns)]


def _is_tenant_view(view: Callable[..., Any]) -> bool:
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return isinstance(cls, type) and issubclass(cls, TenantAPIView)


def _exempt_reason(view: Callable[..., Any]) -> str:
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return getattr(view, "tenant_exempt_reason", "") or getattr(cls, "tenant_exempt_reason", "")


def test_every_view_outside_the_admin_is_tenant_scoped_or_says_why_not() -> None:
    unguarded = [
        route
        for route, view in _routes()
        if not route.startswith("admin/") and not _is_tenant_view(view) and not _exempt_reason(view)
    ]
    assert unguarded == []


def test_the_api_is_mostly_tenant_views_and_the_exemptions_are_the_known_ones() -> None:
    api = [(route, view) for route, view in _routes() if route.startswith("api/v1/")]
    exempt = sorted(route for route, view in api if not _is_tenant_view(view))
    assert sum(_is_tenant_view(view) for _, view in api) > 50
    assert exempt == [
        "api/v1/auth/login",
        "api/v1/auth/logout",
        "api/v1/auth/me",
        "api/v1/auth/refresh",
        "api/v1/auth/reset/confirm",
        "api/v1/auth/reset/request",
        "api/v1/auth/signup",
        "api/v1/auth/switch-org",
        "api/v1/calendar/<str:token>.ics",
        "api/v1/health",
        "api/v1/invitations/<uuid:pk>/accept",
        "api/v1/invitations/<uuid:pk>/decline",
    ]


def test_tenant_exempt_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        tenant_exempt("  ")


@pytest.mark.parametrize("method", ["get_queryset", "get_object", "get_permissions"])
def test_a_view_cannot_override_what_the_guard_owns(method: str) -> None:
    with pytest.raises(TypeError, match=method):
        type("Sneaky", (TenantAPIView,), {method: lambda self: None})


class _LeakySkillView(mixins.RetrieveModelMixin, TenantViewSet):
    """Tries both escapes a view could attempt: everyone's rows and no permission checks."""

    permission_classes = [AllowAny]
    serializer_class = None

    def safely_get_queryset(self) -> QuerySet[Skill]:
        return Skill.objects.all()

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from rest_framework.response import Response

        return Response({"id": str(self.get_object().pk)})


def _retrieve(user: Any, pk: Any) -> Any:
    request = APIRequestFactory().get(f"/skills/{pk}")
    if user is not None:
        force_authenticate(request, user=user)
    response = _LeakySkillView.as_view({"get": "retrieve"})(request, pk=pk)
    response.render()
    response.json = lambda: json.loads(response.content)
    return response


def test_the_guard_scopes_a_view_that_asks_for_every_row(scenario: Scenario) -> None:
    own = SkillFactory(organization=scenario.organization)
    foreign = SkillFactory(organization=scenario.outsider_organization)

    assert _retrieve(scenario.tech, own.pk).data == {"id": str(own.pk)}
    assert_error(_retrieve(scenario.tech, foreign.pk), 404, "not_found")


def test_the_guard_keeps_the_tenant_checks_when_a_view_allows_anyone(scenario: Scenario) -> None:
    own = SkillFactory(organization=scenario.organization)

    assert_error(_retrieve(None, own.pk), 401)
