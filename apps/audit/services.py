"""The one way to write an audit entry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import tzinfo
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.audit.signals import recorded
from apps.core.context import current_is_undo, current_request_id
from apps.core.revisions import Span, bump_after_commit
from apps.orgs.models import Organization, User

M = TypeVar("M", bound=models.Model)

# Rows whose snapshots hold their times and whose effect on reads stays near those times:
# a write of only these makes stale the weeks around them, not the whole organization
# (``apps.core.revisions``). Any other entry (a rule setting, an artist, a mission, an
# absence...) makes everything of its organization stale.
TIMED_ENTITIES = frozenset({"planning.shift", "planning.assignment"})

# The reason of an entry written by a request that undid the previous action (``X-Undo``),
# unless the write gives its own (an override's).
UNDO_REASON = "undo"


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


class AuditFields(TypedDict):
    """What an entry says, declared once for ``record`` and ``build_entry``.

    ``entity`` gives the type and id; ``entity_type``/``entity_id`` name it otherwise
    (for example a publication that has no single row).
    """

    organization: Organization
    actor: User | None
    action: AuditAction
    entity: NotRequired[models.Model | None]
    entity_type: NotRequired[str | None]
    entity_id: NotRequired[Any]
    before: NotRequired[dict[str, Any] | None]
    after: NotRequired[dict[str, Any] | None]
    reason: NotRequired[str]


class EntryFields(AuditFields, total=False):
    """``actor_label`` names an actor who has no account (a crew member answering from a link)."""

    actor_label: str | None


def build_entry(**fields: Unpack[EntryFields]) -> AuditEntry:
    """An unsaved entry: the one place an audit row is built (``record``, ``record_many``)."""
    actor = fields["actor"]
    author = actor if actor is not None and actor.is_authenticated else None
    entity = fields.get("entity")
    entity_type = fields.get("entity_type")
    entity_id = fields.get("entity_id")
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity.pk
    before = fields.get("before")
    after = fields.get("after")
    actor_label = fields.get("actor_label") or (author.email if author is not None else "system")
    return AuditEntry(
        organization=fields["organization"],
        actor=author,
        actor_label=actor_label[:254],
        action=fields["action"],
        entity_type=entity_type or "",
        entity_id=str(entity_id or ""),
        before=json_safe(before) if before is not None else None,
        after=json_safe(after) if after is not None else None,
        reason=fields.get("reason") or (UNDO_REASON if current_is_undo() else ""),
        request_id=current_request_id() or "",
    )


def record(**fields: Unpack[AuditFields]) -> AuditEntry:
    """Append one entry; must run inside the transaction of the change."""
    _require_transaction("audit.record")
    return record_many([build_entry(**fields)])[0]


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside the change's transaction")


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Bulk-append prepared entries (for batch writes such as auto-assign)."""
    _require_transaction("audit.record_many")
    request_id = current_request_id() or ""
    for entry in entries:
        entry.request_id = entry.request_id or request_id
    reach: dict[Any, list[Span] | None] = {}
    zones: dict[Any, tzinfo] = {}
    for entry in entries:
        spans = _entry_spans(entry)
        known = reach.get(entry.organization_id, [])
        reach[entry.organization_id] = None if spans is None or known is None else known + spans
        if entry.organization_id not in zones:
            zones[entry.organization_id] = entry.organization.tzinfo
    for organization_id, organization_spans in reach.items():
        bump_after_commit(organization_id, organization_spans, zones[organization_id])
    saved = AuditEntry.objects.bulk_create(entries)
    recorded.send(sender=AuditEntry, entries=saved)
    return saved


def _entry_spans(entry: AuditEntry) -> list[Span] | None:
    """The times before and after of a shift or an assignment; ``None``: reach unknown."""
    if entry.entity_type not in TIMED_ENTITIES:
        return None
    spans: list[Span] = []
    for state in (entry.before, entry.after):
        if state is None:
            continue
        start = parse_datetime(str(state.get("start_at") or ""))
        end = parse_datetime(str(state.get("end_at") or ""))
        if start is None or end is None:
            return None
        spans.append((start, end))
    return spans or None


def apply_fields(obj: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Copy onto ``obj`` the values of ``data`` for the names in ``allowed`` that it has."""
    for name in allowed:
        if name in data:
            setattr(obj, name, data[name])


def save_audited(
    obj: M,
    *,
    fields: Sequence[str] | None,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    before: dict[str, Any] | None = None,
    reason: str = "",
    update_fields: Sequence[str] | None = None,
    save: Callable[[M], object] | None = None,
) -> M:
    """Save ``obj`` and record ``action`` on it, in the caller's transaction.

    ``after`` is the snapshot of ``fields`` (``None``: every field) once saved; ``before`` the
    one the caller took
    before changing the row (``None`` for a new row). ``update_fields`` limits the UPDATE;
    ``save`` replaces the plain save (one that answers a constraint with a 409, say).
    """
    if save is None:
        obj.save(update_fields=update_fields)
    else:
        save(obj)
    record(
        organization=organization,
        actor=actor,
        action=action,
        entity=obj,
        before=before,
        after=snapshot(obj, fields),
        reason=reason,
    )
    return obj


def set_audited(
    obj: M,
    values: Mapping[str, Any],
    *,
    fields: Sequence[str] | None,
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    reason: str = "",
) -> M:
    """Set ``values`` on a row the caller has locked and save just those columns.

    Snapshots ``fields`` before, saves the names of ``values`` (and ``updated_at``) and
    records ``action`` with the state before and after, in the caller's transaction.
    """
    return update_audited(
        obj,
        values,
        fields=fields,
        editable=values,
        organization=organization,
        actor=actor,
        action=action,
        reason=reason,
        update_fields=[*values, "updated_at"],
    )


def update_audited(
    obj: M,
    data: Mapping[str, Any],
    *,
    fields: Sequence[str] | None,
    editable: Iterable[str],
    organization: Organization,
    actor: User | None,
    action: AuditAction,
    check: Callable[[M], object] | None = None,
    save: Callable[[M], object] | None = None,
    reason: str = "",
    update_fields: Sequence[str] | None = None,
) -> M:
    """The one shape of an audited edit of a row the caller has locked.

    Snapshots ``fields``, applies the ``editable`` values of ``data``, lets ``check``
    refuse the result, saves it with ``save`` (or just ``update_fields``) and records
    ``action`` with the state before and after, in the caller's transaction.
    """
    before = snapshot(obj, fields)
    apply_fields(obj, data, editable)
    if check is not None:
        check(obj)
    return save_audited(
        obj,
        fields=fields,
        organization=organization,
        actor=actor,
        action=action,
        before=before,
        reason=reason,
        update_fields=update_fields,
        save=save,
    )


def stamp_sent_once(
    rows: models.QuerySet[Any], *, action: AuditAction, fields: Sequence[str]
) -> bool:
    """Stamp ``sent_at`` on the one row of ``rows`` unless it has one; audited as ``action``.

    A guarded update, so a redelivered task stamps nothing and records nothing. True when
    this call stamped it.
    """
    now = timezone.now()
    if not rows.filter(sent_at__isnull=True).update(sent_at=now, updated_at=now):
        return False
    row = rows.select_related("organization").get()
    record(
        organization=row.organization,
        actor=None,
        action=action,
        entity=row,
        after=snapshot(row, fields),
    )
    return True
