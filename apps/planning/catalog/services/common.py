"""Helpers shared by the catalog services (internal to this package)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import ProtectedError

from apps.audit.actions import AuditAction
from apps.audit.services import build_entry, record, record_many, snapshot
from apps.core.errors import ConflictError
from apps.core.integrity import constraint_errors
from apps.core.tenancy import require_in_organization
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


@dataclass(frozen=True)
class CatalogWrites:
    """An entity's three writes, for the clients that drive them alike (API, admin).

    ``create(organization=, actor=, **fields)``, ``update(organization=, actor=, <item>=,
    data=)``, ``delete(organization=, actor=, <item>=)``: ``item`` names the keyword that
    hands them the object.
    """

    create: Callable[..., models.Model]
    update: Callable[..., models.Model]
    delete: Callable[..., None]
    item: str


def _name_taken(label: str) -> ConflictError:
    message = f"Another {label} of this organization already has this name."
    return ConflictError(message, code="name_taken", fields={"name": [message]})


def save_with_unique_name(obj: Venue | Role, *, label: str) -> None:
    """Save ``obj`` whose name is unique per organization regardless of case (409 if not).

    The query gives the friendly answer; the savepoint catches the concurrent writer that
    slipped between the query and the insert, recognized by its constraint name.
    """
    siblings = type(obj)._default_manager.filter(
        organization_id=obj.organization_id, name__iexact=obj.name
    )
    if siblings.exclude(pk=obj.pk).exists():
        raise _name_taken(label)
    with constraint_errors({type(obj).name_constraint(): lambda: _name_taken(label)}):
        obj.save()


def delete_unless_used(
    obj: models.Model,
    *,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    before: dict[str, Any],
    code: str,
    message: str,
) -> None:
    """Delete a row of ``organization``, audited with its last state ``before``.

    A foreign row is a 404 naming it; rows that must outlive it and still point at it
    (``PROTECT``) make it a 409 ``code``, and the audit entry goes with the rollback.
    """
    require_in_organization(obj, organization, obj._meta.model_name or "")
    record(organization=organization, actor=actor, action=action, entity=obj, before=before)
    try:
        obj.delete()
    except ProtectedError as exc:
        raise ConflictError(message, code=code) from exc


def record_shift_creations(
    organization: Organization, actor: User | None, shifts: Sequence[Shift], *, reason: str
) -> None:
    record_many(
        [
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.SHIFT_CREATE,
                entity=shift,
                after=snapshot(shift, SHIFT_FIELDS),
                reason=reason,
            )
            for shift in shifts
        ]
    )
