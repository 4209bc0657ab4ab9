"""The one way to write an audit entry."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.core.context import current_request_id
from apps.core.revisions import bump_after_commit
from apps.orgs.models import Organization, User


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of an instance's concrete fields (foreign keys as ids)."""
    names = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.attname if field.is_relation else field.name] = getattr(instance, field.attname)
    return json_safe(data)


def json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def build_entry(
    *,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    entity: models.Model | None = None,
    entity_type: str | None = None,
    entity_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor_label: str | None = None,
) -> AuditEntry:
    """An unsaved entry: the one place an audit row is built (``record``, ``record_many``).

    ``entity`` gives the type and id; ``entity_type``/``entity_id`` name it otherwise
    (for example a publication that has no single row). ``actor_label`` names an actor
    who has no account (a crew member answering from a link).
    """
    author = actor if actor is not None and actor.is_authenticated else None
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity.pk
    return AuditEntry(
        organization=organization,
        actor=author,
        actor_label=(actor_label or (author.email if author is not None else "system"))[:254],
        action=action,
        entity_type=entity_type or "",
        entity_id=str(entity_id or ""),
        before=json_safe(before) if before is not None else None,
        after=json_safe(after) if after is not None else None,
        reason=reason,
        request_id=current_request_id() or "",
    )


def record(
    *,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    entity: models.Model | None = None,
    entity_type: str | None = None,
    entity_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry; must run inside the transaction of the change."""
    _require_transaction("audit.record")
    entry = build_entry(
        organization=organization,
        actor=actor,
        action=action,
        entity=entity,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        reason=reason,
    )
    return record_many([entry])[0]


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside the change's transaction")


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Bulk-append prepared entries (for batch writes such as auto-assign)."""
    _require_transaction("audit.record_many")
    request_id = current_request_id() or ""
    for entry in entries:
        entry.request_id = entry.request_id or request_id
    for organization_id in {entry.organization_id for entry in entries}:
        bump_after_commit(organization_id)
    return AuditEntry.objects.bulk_create(entries)
