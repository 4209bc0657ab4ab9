"""Waivers: an admin's override of a hard rule, stored on the assignments it concerns.

``waivers_settle`` runs at the end of a write that checked conflicts, in its transaction:

1. Waivers the write's conflicts name as no longer holding (``waiver_voided``: the shift
   moved, another assignment joined the duty period, the rule's parameters changed) are
   voided (``voided_at``), each audited as ``conflict.waiver_void``.
2. When an admin overrode hard conflicts with a reason, each of them, as stored now, gets
   a waiver on the written assignment it involves (rule, fingerprint, who, when, why),
   audited as ``conflict.waive`` with the reason. ``double_booking`` never gets one (the
   override was refused before).

``waivers_void_for_rule`` voids every live waiver of a rule whose parameters changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import record
from apps.orgs.models import Organization, User
from apps.planning.models import ConflictWaiver
from apps.planning.rules import conflicts as checks
from apps.planning.rules.facts import Conflict
from apps.planning.rules.report import NEVER_WAIVED, is_blocking, waiver_dict

ConflictDict = dict[str, Any]
VOID_REASON = "The conflict changed since it was waived."


def waivers_settle(
    *,
    organization: Organization,
    actor: User | None,
    conflicts: list[ConflictDict],
    override_reason: str | None,
    assignment_ids: Iterable[Any],
) -> list[ConflictDict]:
    """Void stale waivers, store the override as waivers; the conflicts as they now stand.

    Runs inside the write's transaction (the audit requires it), with no savepoint of its
    own: a write without stale waivers or override costs no query here.
    """
    stale = {c["waiver_voided"]["id"] for c in conflicts if "waiver_voided" in c}
    if stale:
        _void(organization=organization, actor=actor, ids=stale, reason=VOID_REASON)
    reason = (override_reason or "").strip()
    if not reason or not any(is_blocking(conflict) for conflict in conflicts):
        return conflicts
    written = {str(pk) for pk in assignment_ids}
    found = checks.detect_stored(organization=organization, assignment_ids=written)
    created = _waive(organization=organization, actor=actor, reason=reason, found=found, on=written)
    return [_marked(conflict, created) for conflict in conflicts]


def _waive(
    *,
    organization: Organization,
    actor: User | None,
    reason: str,
    found: list[Conflict],
    on: Collection[str],
) -> dict[str, ConflictWaiver]:
    """One waiver per hard conflict, on the first written assignment it involves."""
    author = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    created: dict[str, ConflictWaiver] = {}
    for conflict in found:
        if conflict.type != "hard" or conflict.rule in NEVER_WAIVED:
            continue
        anchor = next((key for key in conflict.assignment_keys if key in on), None)
        if anchor is None:
            continue
        waiver, _ = ConflictWaiver.objects.get_or_create(
            organization=organization,
            assignment_id=anchor,
            rule=conflict.rule,
            fingerprint=conflict.fingerprint(),
            voided_at=None,
            defaults={
                "reason": reason,
                "waived_by": author,
                "waived_by_label": author.email if author is not None else "system",
                "waived_at": now,
            },
        )
        created.setdefault(conflict.rule, waiver)
    for waiver in created.values():
        record(
            organization=organization,
            actor=actor,
            action=AuditAction.CONFLICT_WAIVE,
            entity=waiver,
            after={**waiver_dict(waiver), "rule": waiver.rule, "assignment": anchor_id(waiver)},
            reason=reason,
        )
    return created


def anchor_id(waiver: ConflictWaiver) -> str:
    return str(waiver.assignment_id)


def _marked(conflict: ConflictDict, created: dict[str, ConflictWaiver]) -> ConflictDict:
    waiver = created.get(conflict.get("rule", ""))
    if waiver is None or not is_blocking(conflict):
        return conflict
    return {**conflict, "waived": waiver_dict(waiver)}


def _void(
    *, organization: Organization, actor: User | None, ids: Collection[str], reason: str
) -> int:
    rows = list(
        ConflictWaiver.objects.select_for_update().filter(
            organization=organization, id__in=list(ids), voided_at__isnull=True
        )
    )
    if not rows:
        return 0
    now = timezone.now()
    ConflictWaiver.objects.filter(pk__in=[row.pk for row in rows]).update(
        voided_at=now, updated_at=now
    )
    for row in rows:
        record(
            organization=organization,
            actor=actor,
            action=AuditAction.CONFLICT_WAIVER_VOID,
            entity=row,
            before={**waiver_dict(row), "rule": row.rule, "assignment": anchor_id(row)},
            after={"voided_at": now},
            reason=reason,
        )
    return len(rows)


@transaction.atomic
def waivers_void_for_rule(*, organization: Organization, actor: User | None, code: str) -> int:
    """Void every live waiver of a rule whose parameters changed (they no longer hold)."""
    ids = ConflictWaiver.objects.filter(
        organization=organization, rule=code, voided_at__isnull=True
    ).values_list("id", flat=True)
    wanted = [str(pk) for pk in ids]
    if not wanted:
        return 0
    reason = "The rule's parameters changed since it was waived."
    return _void(organization=organization, actor=actor, ids=wanted, reason=reason)
