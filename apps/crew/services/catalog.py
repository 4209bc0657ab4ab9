"""Skills and tags: per-organization catalogs whose names are unique, case-insensitively.

Both catalogs behave the same, so one private implementation serves the two sets of
public functions (``skill_*`` and ``tag_*``) that callers use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from apps.audit.actions import AuditAction
from apps.audit.services import record, save_audited, snapshot, update_audited
from apps.core.errors import ConflictError, ValidationFailed
from apps.core.integrity import constraint_errors
from apps.crew.models import Skill, Tag
from apps.orgs.models import Organization, User

CatalogItem = TypeVar("CatalogItem", Skill, Tag)

SKILL_FIELDS = ("id", "name", "description")
TAG_FIELDS = ("id", "name", "color")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _duplicate_name(model: type[Skill] | type[Tag]) -> Callable[[], ConflictError]:
    def build() -> ConflictError:
        message = f"A {model._meta.verbose_name} with this name already exists."
        return ConflictError(message, code="duplicate_name", fields={"name": [message]})

    return build


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed.for_field("name", "This field may not be blank.")
    return cleaned


def _require_unique_name(item: Skill | Tag) -> None:
    """Compare with ``lower()`` in the database, exactly as the unique constraint does."""
    model = type(item)
    taken = (
        model._default_manager.filter(organization_id=item.organization_id)
        .alias(lower_name=Lower("name"))
        .filter(lower_name=Lower(Value(item.name)))
        .exclude(pk=item.pk)
        .exists()
    )
    if taken:
        raise _duplicate_name(model)()


def _require_valid_color(item: Skill | Tag) -> None:
    if isinstance(item, Tag) and item.color and not COLOR.fullmatch(item.color):
        raise ValidationFailed.for_field("color", "Give a colour as #rrggbb.")


def _save(item: CatalogItem) -> CatalogItem:
    item.name = _clean_name(item.name)
    _require_valid_color(item)
    _require_unique_name(item)
    item.full_clean(validate_constraints=False)
    model = type(item)
    with constraint_errors({model.name_constraint(): _duplicate_name(model)}):
        item.save()
    return item


def _action(item: Skill | Tag, verb: str) -> AuditAction:
    return AuditAction(f"{item._meta.model_name}.{verb}")


def _create(item: CatalogItem, *, actor: User, fields: tuple[str, ...]) -> CatalogItem:
    return save_audited(
        item,
        fields=fields,
        organization=item.organization,
        actor=actor,
        action=_action(item, "create"),
        save=_save,
    )


def _update(
    item: CatalogItem, *, actor: User, data: Mapping[str, Any], fields: tuple[str, ...]
) -> CatalogItem:
    item = type(item)._default_manager.select_for_update().get(pk=item.pk)
    return update_audited(
        item,
        data,
        fields=fields,
        editable=(name for name in fields if name != "id"),
        save=_save,
        organization=item.organization,
        actor=actor,
        action=_action(item, "update"),
    )


def _delete(item: Skill | Tag, *, actor: User, fields: tuple[str, ...]) -> None:
    before = snapshot(item, fields)
    before["artist_ids"] = sorted(str(pk) for pk in item.artists.values_list("pk", flat=True))
    record(
        organization=item.organization,
        actor=actor,
        action=_action(item, "delete"),
        entity=item,
        before=before,
    )
    item.delete()


@transaction.atomic
def skill_create(
    *, organization: Organization, actor: User, name: str, description: str = ""
) -> Skill:
    skill = Skill(organization=organization, name=name, description=description)
    return _create(skill, actor=actor, fields=SKILL_FIELDS)


@transaction.atomic
def skill_update(*, skill: Skill, actor: User, data: Mapping[str, Any]) -> Skill:
    """Apply ``name`` and/or ``description`` from ``data``."""
    return _update(skill, actor=actor, data=data, fields=SKILL_FIELDS)


@transaction.atomic
def skill_delete(*, skill: Skill, actor: User) -> None:
    """Artists simply lose the skill; a skill that planning roles require is kept.

    Removing it would silently drop a requirement from those roles and change which
    artists the conflict checks accept, so the planner must edit the roles first.
    """
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    role_names = sorted(skill.roles.values_list("name", flat=True))
    if role_names:
        raise ConflictError(
            f"Roles require this skill: {', '.join(role_names)}. Edit them first.",
            code="skill_in_use",
        )
    _delete(skill, actor=actor, fields=SKILL_FIELDS)


@transaction.atomic
def tag_create(*, organization: Organization, actor: User, name: str, color: str = "") -> Tag:
    tag = Tag(organization=organization, name=name, color=color)
    return _create(tag, actor=actor, fields=TAG_FIELDS)


@transaction.atomic
def tag_update(*, tag: Tag, actor: User, data: Mapping[str, Any]) -> Tag:
    """Apply ``name`` and/or ``color`` from ``data``."""
    return _update(tag, actor=actor, data=data, fields=TAG_FIELDS)


@transaction.atomic
def tag_delete(*, tag: Tag, actor: User) -> None:
    """Artists lose the tag; nothing else depends on tags."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    _delete(tag, actor=actor, fields=TAG_FIELDS)
