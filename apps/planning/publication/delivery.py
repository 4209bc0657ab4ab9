"""Send a follow-up e-mail exactly once: a ``SentMessage`` row under a unique key.

Every message of the crew follow-ups (grouped invitations, reminders, digests) has a key
that names it completely (``invitation_reminder:<artist>:<invitations and rounds>``,
``manager_digest:<user>:<local date>``, ...). ``send_once`` inserts the row, sends, and
audits in *one* transaction:

- a second run of the same job (beat firing twice, a redelivered task) blocks on the
  first's uncommitted insert, then finds the key taken and sends nothing;
- a failed send (SMTP down) rolls the row back, so the next run tries again;
- a worker dying between the SMTP handover and the commit is the one window where a
  message may leave twice: at-least-once there, rather than silently lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.core.integrity import violated_constraint
from apps.crew.models import Artist
from apps.orgs.models import Organization, User
from apps.planning.models import SentMessage

KEY_CONSTRAINT = "planning_sent_message_key_unique"
MESSAGE_FIELDS = ("id", "key", "kind", "recipient", "artist", "user", "subject", "payload")


def digest_of(parts: Iterable[Any]) -> str:
    """A short stable fingerprint of a message's contents, for its key."""
    text = ",".join(sorted(str(part) for part in parts))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _claim(row: SentMessage) -> bool:
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError as exc:
        if violated_constraint(exc) == KEY_CONSTRAINT:
            return False
        raise
    return True


@transaction.atomic
def send_once(
    *,
    organization: Organization,
    key: str,
    kind: str,
    message: EmailMultiAlternatives,
    now: datetime,
    artist: Artist | None = None,
    user: User | None = None,
    payload: dict[str, Any] | None = None,
) -> SentMessage | None:
    """Send ``message`` unless a message with ``key`` was sent; the row when sent now."""
    row = SentMessage(
        organization=organization,
        key=key,
        kind=kind,
        recipient=message.to[0],
        artist=artist,
        user=user,
        subject=message.subject[:300],
        payload=payload or {},
        sent_at=now,
    )
    if not _claim(row):
        return None
    message.send()
    record(
        organization=organization,
        actor=None,
        action=AuditAction.MESSAGE_SEND,
        entity=row,
        after=snapshot(row, MESSAGE_FIELDS),
    )
    return row
