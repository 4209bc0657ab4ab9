"""Demo data: the organization and its users; other apps plug their own steps in.

Each step is idempotent, so ``seed_demo`` can run on every start of the quick start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TextIO

from django.db import transaction

from apps.core.db import analyze
from apps.orgs.models import MemberRole, Membership, Organization, User

DEMO_PASSWORD = "demo-password-2026"
DEMO_ORG_SLUG = "demo"
DEMO_USERS = [
    (MemberRole.OWNER, "owner@demo.test", "Olivia Owner"),
    (MemberRole.ADMIN, "admin@demo.test", "Adam Admin"),
    (MemberRole.MANAGER, "manager@demo.test", "Manon Manager"),
    (MemberRole.TECH, "tech@demo.test", "Théo Tech"),
]
# Dotted paths of ``step(context)`` callables, run in order after the organization exists.
EXTENSIONS: list[str] = [
    "apps.crew.demo.seed_crew",
    "apps.planning.demo.seed_planning",
]


@dataclass
class DemoContext:
    organization: Organization
    users: dict[str, User]
    size: str
    stdout: TextIO | Any
    logins: list[tuple[str, str]] = field(default_factory=list)


def _demo_user(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_organization() -> tuple[Organization, dict[str, User]]:
    organization, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG,
        defaults={"name": "Demo Productions", "timezone": "Europe/Paris", "language": "fr"},
    )
    users: dict[str, User] = {}
    for role, email, full_name in DEMO_USERS:
        user = _demo_user(email, full_name)
        Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role}
        )
        users[role] = user
    return organization, users


def run_seed(*, size: str = "normal", stdout: TextIO | Any = None) -> DemoContext:
    organization, users = seed_organization()
    context = DemoContext(organization=organization, users=users, size=size, stdout=stdout)
    context.logins = [(role, email) for role, email, _ in DEMO_USERS]
    for dotted in EXTENSIONS:
        module_name, _, attr = dotted.rpartition(".")
        step: Callable[[DemoContext], None] = getattr(import_module(module_name), attr)
        step(context)
    analyze()  # the demo is a bulk load: plan its queries with real row counts at once
    return context
