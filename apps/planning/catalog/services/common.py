"""Helpers shared by the catalog services (internal to this package)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models
from django.db.models import ProtectedError

from apps.audit.models import AuditEntry
from apps.audit.services import json_safe, record_many, snapshot
from apps.core.errors import Conflict
from apps.core.integrity import constraint_errors
from apps.orgs.models import Organization, User
from apps.planning.models import Role, Shift, Venue

SHIFT_FIELDS = (
    "id",
    "mission",
    "venue",
    "role",
    "template",
    "start_at",
    "end_at",
    "headcount",
    "max_headcount",
    "break_minutes",
    "status",
)


def _name_taken(label: str) -> Conflict:
    message = f"Another {label} of this organization already has this name."
    return Conflict(message, code="name_taken", fields={"name": [message]})


def save_with_unique_name(obj: Venue | Role, *, constraint: str, label: str) -> None:
    """Save ``obj`` whose name is unique per organization regardless of case (409 if not).

    The query gives the friendly answer; the savepoint catches the concurrent writer that
    slipped between the query and the insert, recognized by its constraint name.
    """
    siblings = type(obj)._default_manager.filter(
        organization_id=obj.organization_id, name__iexact=obj.name
    )
    if siblings.exclude(pk=obj.pk).exists():
        raise _name_taken(label)
    with constraint_errors({constraint: lambda: _name_taken(label)}):
        obj.save()


def delete_unless_used(obj: models.Model, *, code: str, message: str) -> None:
    """Delete, or 409 if rows that must outlive it still point at it (``PROTECT``)."""
    try:
        obj.delete()
    except ProtectedError as exc:
        raise Conflict(message, code=code) from exc


def apply_fields(obj: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in data:
            setattr(obj, name, data[name])


def audit_entry(
    *,
    organization: Organization,
    actor: User | None,
    action: str,
    entity: models.Model,
    after: dict[str, Any],
    reason: str = "",
) -> AuditEntry:
    """An unsaved entry for ``record_many`` (batch writes: bulk, duplicate, instantiate)."""
    authenticated = actor is not None and actor.is_authenticated
    return AuditEntry(
        organization=organization,
        actor=actor if authenticated else None,
        actor_label=actor.email if actor is not None and authenticated else "system",
        action=action,
        entity_type=entity._meta.label_lower,
        entity_id=str(entity.pk),
        after=json_safe(after),
        reason=reason,
    )


def record_shift_creations(
    organization: Organization, actor: User | None, shifts: Sequence[Shift], *, reason: str
) -> None:
    record_many(
        [
            audit_entry(
                organization=organization,
                actor=actor,
                action="shift.create",
                entity=shift,
                after=snapshot(shift, SHIFT_FIELDS),
                reason=reason,
            )
            for shift in shifts
        ]
    )
