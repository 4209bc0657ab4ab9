"""Roles (positions on a crew) and the skills they require."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import apply_fields, record, snapshot
from apps.core.tenancy import require_in_organization
from apps.crew.models import Skill
from apps.orgs.models import Organization, User
from apps.planning.catalog.services.common import (
    CatalogWrites,
    delete_unless_used,
    save_with_unique_name,
)
from apps.planning.models import Role

ROLE_FIELDS = ("id", "name", "description", "color")


def _role_snapshot(role: Role, skill_ids: Iterable[Any]) -> dict[str, Any]:
    return {**snapshot(role, ROLE_FIELDS), "required_skill_ids": sorted(str(s) for s in skill_ids)}


def _require_skills(organization: Organization, skills: Sequence[Skill]) -> None:
    for skill in skills:
        require_in_organization(skill, organization, "required_skill_ids")


@transaction.atomic
def role_create(
    *,
    organization: Organization,
    actor: User | None,
    name: str,
    required_skills: Sequence[Skill] = (),
    description: str = "",
    color: str = "",
) -> Role:
    _require_skills(organization, required_skills)
    role = Role(organization=organization, name=name, description=description, color=color)
    save_with_unique_name(role, label="role")
    role.required_skills.set(required_skills)
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.ROLE_CREATE,
        entity=role,
        after=_role_snapshot(role, (s.pk for s in required_skills)),
    )
    return role


@transaction.atomic
def role_update(
    *, organization: Organization, actor: User | None, role: Role, data: Mapping[str, Any]
) -> Role:
    """``data["required_skills"]``, when given, replaces the whole set of required skills."""
    role = Role.objects.select_for_update().get(pk=role.pk, organization=organization)
    skill_ids = list(role.required_skills.values_list("id", flat=True))
    before = _role_snapshot(role, skill_ids)
    apply_fields(role, data, ("name", "description", "color"))
    save_with_unique_name(role, label="role")
    if "required_skills" in data:
        _require_skills(organization, data["required_skills"])
        role.required_skills.set(data["required_skills"])
        skill_ids = [skill.pk for skill in data["required_skills"]]
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.ROLE_UPDATE,
        entity=role,
        before=before,
        after=_role_snapshot(role, skill_ids),
    )
    return role


@transaction.atomic
def role_delete(*, organization: Organization, actor: User | None, role: Role) -> None:
    delete_unless_used(
        role,
        organization=organization,
        actor=actor,
        action=AuditAction.ROLE_DELETE,
        before=_role_snapshot(role, role.required_skills.values_list("id", flat=True)),
        code="role_in_use",
        message="Staffing plans, shift templates or shifts use this role.",
    )


ROLE_WRITES = CatalogWrites(role_create, role_update, role_delete, "role")
