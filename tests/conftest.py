"""The shared multi-role scenario.

``scenario`` holds one organization with one user per role (owner, admin, manager,
tech), an *outsider* organization with its own owner, and API clients for each of them
plus an anonymous one. Every API test module uses it to prove the role matrix (the
lowest denied role gets 403) and tenancy (the outsider gets 404).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.core.throttling import FAILOVER_CACHE
from apps.orgs.auth import issue_tokens
from apps.orgs.models import MemberRole, Membership, Organization, User
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ROLES = (MemberRole.OWNER, MemberRole.ADMIN, MemberRole.MANAGER, MemberRole.TECH)


def api_client_for(user: User, membership: Membership) -> APIClient:
    """A client authenticated with a real access token for that membership."""
    client = APIClient()
    tokens = issue_tokens(user, membership)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.access}")
    return client


@dataclass
class Scenario:
    organization: Organization
    users: dict[str, User]
    memberships: dict[str, Membership]
    outsider_organization: Organization
    outsider: User
    outsider_membership: Membership
    clients: dict[str, APIClient] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        """``owner``, ``admin``, ``manager``, ``tech``, ``outsider`` or ``anonymous``."""
        return self.clients[role]

    @property
    def owner(self) -> User:
        return self.users[MemberRole.OWNER]

    @property
    def admin(self) -> User:
        return self.users[MemberRole.ADMIN]

    @property
    def manager(self) -> User:
        return self.users[MemberRole.MANAGER]

    @property
    def tech(self) -> User:
        return self.users[MemberRole.TECH]


def build_scenario() -> Scenario:
    organization = OrganizationFactory(name="Les Nuits Sonores", slug="nuits-sonores")
    users: dict[str, User] = {}
    memberships: dict[str, Membership] = {}
    for role in ROLES:
        user = UserFactory(email=f"{role}@nuits.test", full_name=f"{role.title()} Nuits")
        memberships[role] = MembershipFactory(organization=organization, user=user, role=role)
        users[role] = user
    outsider_org = OrganizationFactory(name="Théâtre Voisin", slug="theatre-voisin")
    outsider = UserFactory(email="owner@voisin.test", full_name="Outsider Owner")
    outsider_membership = MembershipFactory(
        organization=outsider_org, user=outsider, role=MemberRole.OWNER
    )
    scenario = Scenario(
        organization=organization,
        users=users,
        memberships=memberships,
        outsider_organization=outsider_org,
        outsider=outsider,
        outsider_membership=outsider_membership,
    )
    for role in ROLES:
        scenario.clients[role] = api_client_for(users[role], memberships[role])
    scenario.clients["outsider"] = api_client_for(outsider, outsider_membership)
    scenario.clients["anonymous"] = APIClient()
    return scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium for the browser tests of every directory (``tests/web/conftest.py``)."""
    from tests.web.conftest import launch_browser

    yield from launch_browser()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    FAILOVER_CACHE.reset()
    yield
    cache.clear()
    FAILOVER_CACHE.reset()


def assert_error(response: object, status: int, code: str | None = None) -> dict[str, object]:
    """Assert the documented error shape and return its body."""
    assert response.status_code == status, (
        response.status_code,
        getattr(response, "content", b"")[:500],
    )  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert body["status"] == status
    assert isinstance(body["message"], str)
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body  # type: ignore[no-any-return]


def side_effects(callbacks: list[Any]) -> list[Any]:
    """On-commit callbacks other than the cache-revision bumps every audited write adds."""
    return [c for c in callbacks if "bump_after_commit" not in getattr(c, "__qualname__", "")]
