"""Planning e-mails, sent by Celery after the transaction that asked for them commits.

Tasks take ids, load, and call a service; they retry only transient delivery errors
(SMTP, network, timeouts) with exponential backoff. Anything else is a bug and fails
loudly. Redelivery is harmless: an invitation already stamped ``sent_at``, or no longer
pending, is not sent again; a schedule e-mail is rebuilt from the frozen version.
"""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.utils import timezone

from apps.crew.models import Artist
from apps.planning.models import Invitation, InvitationStatus, PlanningVersion
from apps.planning.publication import reminders, tokens
from apps.planning.publication.crew_invitations import invitation_digest_send
from apps.planning.publication.invitations import (
    INVITATION_RELATED,
    invitation_email,
    invitation_mark_sent,
)
from apps.planning.publication.services import schedule_changed_email

TRANSIENT_ERRORS = (SMTPException, ConnectionError, TimeoutError)
# Up to six retries of a transient error, backing off exponentially (jittered, 10 min at most).
RETRY_TRANSIENT: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_invitation_email(self: object, invitation_id: str) -> bool:
    """Send the invitation's e-mail once; returns whether it was sent now."""
    invitation = (
        Invitation.objects.select_related(*INVITATION_RELATED)
        .filter(pk=invitation_id, status=InvitationStatus.PENDING, sent_at__isnull=True)
        .first()
    )
    if invitation is None or not invitation.assignment.artist.email:
        return False
    invitation_email(invitation, tokens.make_token(invitation)).send()
    return invitation_mark_sent(invitation_id=invitation.pk)


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_schedule_changed_email(
    self: object, version_id: str, artist_id: str, skip_assignment_ids: list[str] | None = None
) -> bool:
    """Tell one artist what a publication changed for him or her (bar the new invitations)."""
    version = PlanningVersion.objects.select_related("organization").filter(pk=version_id).first()
    if version is None:
        return False
    artist = Artist.objects.filter(pk=artist_id, organization_id=version.organization_id).first()
    if artist is None:
        return False
    message = schedule_changed_email(
        version=version, artist=artist, skip_assignment_ids=frozenset(skip_assignment_ids or ())
    )
    if message is None:
        return False
    message.send()
    return True


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_invitation_digest(
    self: object, artist_id: str, invitation_ids: list[str], key: str
) -> bool:
    """One e-mail listing an artist's invitations, sent once under ``key``."""
    return invitation_digest_send(artist_id=artist_id, invitation_ids=invitation_ids, key=key)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def send_invitation_reminders() -> int:
    """Beat: remind the unanswered invitations that are due (idempotent)."""
    return reminders.invitation_reminders_send(now=timezone.now())


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def send_manager_digests() -> int:
    """Beat: the managers' daily digest, once a local day per manager (idempotent)."""
    return reminders.manager_digests_send(now=timezone.now())


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def send_shift_reminders() -> int:
    """Beat: the crew's day-before reminder, once per artist and day (idempotent)."""
    return reminders.shift_reminders_send(now=timezone.now())
