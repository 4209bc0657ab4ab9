"""Invitations in bulk: at publication, from the board's selection, and resent.

One message per person: every path here groups the new (or unanswered) invitations by
artist and sends each artist *one* e-mail listing all of his or her shifts, each shift
with its own signed accept and decline links (so every shift is answered from the phone,
from the e-mail, one by one).

- ``invite_proposed_in_scope`` (called by ``planning_publish``, after the drafts are
  published and before the snapshot, so the version records them as invited): every
  *proposed* assignment of the scope whose artist has an e-mail address is invited. The
  publication has just refused any hard conflict of the scope, and ``proposed → invited``
  keeps the assignment active, so the rules would answer the same: no per-row check.
  Claims of open shifts waiting for a manager's approval are left alone.
- ``invitations_bulk_create`` (manager, the board's selection): all or nothing. Every id
  must be the organization's (404), every assignment proposed (409
  ``invalid_transition``) on a published shift (409 ``shift_not_published``) with an
  artist who has an e-mail address (400); the rules are checked once for the whole
  selection (409 ``hard_conflict``).
- ``invitations_resend`` (manager): the pending, unexpired invitations of a scope, one
  e-mail per artist, except for the artists who got one within
  ``CREW_RESEND_MIN_INTERVAL_MINUTES`` (throttled per person: reported, not sent).

Each invitation and status change is audited in the transaction; the e-mails leave after
commit through ``send_invitation_digest``, which records a ``SentMessage`` under the
message's key and stamps the invitations (``sent_at`` once, ``last_sent_at`` each time).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation

from apps.audit.actions import AuditAction
from apps.audit.services import build_entry, record_many, snapshot
from apps.core.emails import templated_email
from apps.core.errors import ConflictError, NotFound, ValidationFailed
from apps.crew.models import Artist
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Invitation,
    InvitationStatus,
    MessageKind,
    ShiftStatus,
)
from apps.planning.publication import tokens
from apps.planning.publication.delivery import digest_of, send_once
from apps.planning.publication.invitations import (
    INVITATION_FIELDS,
    INVITATION_RELATED,
    invitation_link,
    shift_details,
)
from apps.planning.publication.services.scope import PublicationScope, shifts_to_publish
from apps.planning.rules.conflicts import ProposedAssignment, conflicts_for_assignments, enforce

# What a digest shows, loaded with each of its invitations (the artist's organization too).
DIGEST_RELATED = (*INVITATION_RELATED, "assignment__artist__organization")
PUBLISHED_REASON = "Invited when the planning was published."
BULK_REASON = "Invited from the board's selection."


@dataclass(frozen=True)
class ResendResult:
    """What a resend did: invitations resent, artists reached, artists throttled."""

    invitations: list[Invitation] = field(default_factory=list)
    artists: list[str] = field(default_factory=list)
    throttled_artists: list[str] = field(default_factory=list)


# --- The one e-mail per person ----------------------------------------------------------


def invitation_digest_email(
    *, artist: Artist, invitations: Sequence[Invitation], reminder: bool = False
) -> EmailMultiAlternatives:
    """One e-mail listing ``invitations`` (same artist), each shift with its own links."""
    organization = artist.organization
    language = organization.language
    with translation.override(language):
        items = []
        for invitation in sorted(invitations, key=lambda i: i.assignment.shift.start_at):
            token = tokens.make_token(invitation)
            expires = timezone.localtime(invitation.expires_at, organization.tzinfo)
            items.append(
                {
                    "shift": shift_details(invitation.assignment.shift, organization),
                    "page_url": invitation_link(invitation, token),
                    "accept_url": invitation_link(invitation, token, "accept"),
                    "decline_url": invitation_link(invitation, token, "decline"),
                    "expires": formats.date_format(expires, "j F Y H:i"),
                }
            )
    context = {
        "organization": organization.name,
        "artist_name": artist.full_name,
        "items": items,
        "count": len(items),
        "reminder": reminder,
    }
    return templated_email(
        template="invitation_digest", context=context, to=artist.email, language=language
    )


def _pending_for_message(artist_id: UUID | str, invitation_ids: Iterable[str]) -> list[Invitation]:
    return list(
        Invitation.objects.select_for_update(of=("self",))
        .select_related(*DIGEST_RELATED)
        .filter(
            pk__in=list(invitation_ids),
            assignment__artist_id=artist_id,
            status=InvitationStatus.PENDING,
            assignment__status=AssignmentStatus.INVITED,
        )
    )


@transaction.atomic
def invitation_digest_send(
    *, artist_id: UUID | str, invitation_ids: Sequence[str], key: str, now: datetime | None = None
) -> bool:
    """Send one artist's grouped invitations once (``key`` names the message).

    Invitations answered or withdrawn since are left out; with none left nothing is sent.
    """
    now = now or timezone.now()
    invitations = _pending_for_message(artist_id, invitation_ids)
    if not invitations:
        return False
    artist = invitations[0].assignment.artist
    if not artist.email:
        return False
    sent = send_once(
        organization=artist.organization,
        key=key,
        kind=MessageKind.INVITATION_DIGEST,
        message=invitation_digest_email(artist=artist, invitations=invitations),
        now=now,
        artist=artist,
        payload={"invitation_ids": sorted(str(i.pk) for i in invitations)},
    )
    if sent is None:
        return False
    _stamp_sent(invitations, now=now)
    return True


def _stamp_sent(invitations: Sequence[Invitation], *, now: datetime) -> None:
    """``sent_at`` once (audited ``invitation.send``), ``last_sent_at`` every time."""
    first = [i for i in invitations if i.sent_at is None]
    Invitation.objects.filter(pk__in=[i.pk for i in first]).update(sent_at=now)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        last_sent_at=now, updated_at=now
    )
    entries = []
    for invitation in first:
        invitation.sent_at = now
        entries.append(
            build_entry(
                organization=invitation.organization,
                actor=None,
                action=AuditAction.INVITATION_SEND,
                entity=invitation,
                after=snapshot(invitation, INVITATION_FIELDS),
            )
        )
    record_many(entries)


def _enqueue_digests(invitations: Sequence[Invitation], *, prefix: str) -> None:
    """One task per artist, after commit; the key makes a redelivered task harmless."""
    from apps.planning.publication.tasks import send_invitation_digest

    by_artist: dict[str, list[str]] = defaultdict(list)
    for invitation in invitations:
        by_artist[str(invitation.assignment.artist_id)].append(str(invitation.pk))
    for artist_id, ids in sorted(by_artist.items()):
        key = f"{prefix}:{artist_id}:{digest_of(ids)}"
        transaction.on_commit(partial(send_invitation_digest.delay, artist_id, sorted(ids), key))


# --- Creating invitations in bulk -------------------------------------------------------


def _invite(
    *,
    organization: Organization,
    actor: User | None,
    assignments: Sequence[Assignment],
    reason: str,
) -> list[Invitation]:
    """``proposed → invited`` and one pending invitation each, for rows locked and checked;
    each artist's digest e-mail leaves after commit."""
    if not assignments:
        return []
    now = timezone.now()
    author = actor if actor is not None and actor.is_authenticated else None
    Assignment.objects.filter(
        pk__in=[a.pk for a in assignments], status=AssignmentStatus.PROPOSED
    ).update(status=AssignmentStatus.INVITED, status_changed_at=now, updated_at=now)
    invitations = [
        tokens.fresh_invitation(
            organization=organization, assignment=assignment, created_by=author, now=now
        )
        for assignment in assignments
    ]
    Invitation.objects.bulk_create(invitations)
    entries = []
    for assignment, invitation in zip(assignments, invitations, strict=True):
        before = snapshot(assignment)
        assignment.status = AssignmentStatus.INVITED
        assignment.status_changed_at = now
        entries.append(
            build_entry(
                organization=organization,
                actor=author,
                action=AuditAction.ASSIGNMENT_STATUS,
                entity=assignment,
                before=before,
                after=snapshot(assignment),
                reason=reason,
            )
        )
        entries.append(
            build_entry(
                organization=organization,
                actor=author,
                action=AuditAction.INVITATION_CREATE,
                entity=invitation,
                after=snapshot(invitation, INVITATION_FIELDS),
                reason=reason,
            )
        )
    record_many(entries)
    _enqueue_digests(invitations, prefix="invitations")
    return invitations


def proposed_to_invite(
    *,
    organization: Organization,
    scope: PublicationScope,
    shift_statuses: Sequence[str] = (ShiftStatus.PUBLISHED,),
) -> QuerySet[Assignment]:
    """The proposed assignments a publication of ``scope`` invites (the preview's too).

    Those of reachable, active artists, on shifts of the scope in ``shift_statuses``;
    claims of open shifts waiting for approval are not invited.
    """
    return (
        Assignment.objects.filter(
            organization=organization,
            shift__in=shifts_to_publish(organization=organization, scope=scope),
            shift__status__in=list(shift_statuses),
            status=AssignmentStatus.PROPOSED,
            artist__is_active=True,
        )
        .exclude(artist__email="")
        .exclude(source=AssignmentSource.CLAIM)
    )


def invite_proposed_in_scope(
    *, organization: Organization, actor: User | None, scope: PublicationScope
) -> list[Invitation]:
    """Invite every reachable proposed assignment of a scope being published (see above).

    Runs inside ``planning_publish``'s transaction; the e-mails leave after its commit.
    """
    assignments = list(
        proposed_to_invite(organization=organization, scope=scope)
        .select_for_update(of=("self",))
        .order_by("start_at", "id")
    )
    return _invite(
        organization=organization, actor=actor, assignments=assignments, reason=PUBLISHED_REASON
    )


def _require_bulk_invitable(assignment: Assignment) -> None:
    if assignment.shift.status != ShiftStatus.PUBLISHED:
        raise ConflictError(
            "Invitations are sent for published shifts only; publish the planning first.",
            code="shift_not_published",
            extra={"assignment_id": str(assignment.pk), "shift_status": assignment.shift.status},
        )
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ConflictError(
            f"Only a proposed assignment can be invited (this one is {assignment.status}).",
            code="invalid_transition",
            extra={"assignment_id": str(assignment.pk), "from": assignment.status},
        )
    if not assignment.artist.email:
        raise ValidationFailed.for_field(
            "assignment_ids", f"{assignment.artist.full_name} has no e-mail address."
        )


@transaction.atomic
def invitations_bulk_create(
    *,
    organization: Organization,
    actor: User,
    membership: Membership | None,
    assignment_ids: Sequence[UUID],
) -> list[Invitation]:
    """Invite the artists of a selection of proposed assignments: all or nothing."""
    wanted = set(assignment_ids)
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .select_related("artist", "shift")
        .filter(organization=organization, pk__in=wanted)
        .order_by("start_at", "id")
    )
    if len(assignments) != len(wanted):
        raise NotFound.for_field("assignment_ids")
    for assignment in assignments:
        _require_bulk_invitable(assignment)
    found = conflicts_for_assignments(
        organization=organization,
        assignments=[
            ProposedAssignment(
                shift_id=a.shift_id, artist_id=a.artist_id, status="invited", id=a.pk
            )
            for a in assignments
        ],
    )
    enforce(found, membership=membership, override_reason=None)
    return _invite(
        organization=organization, actor=actor, assignments=assignments, reason=BULK_REASON
    )


# --- Resending to the unanswered --------------------------------------------------------


def pending_in_scope(
    *, organization: Organization, scope: PublicationScope, now: datetime
) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization,
        status=InvitationStatus.PENDING,
        expires_at__gt=now,
        assignment__status=AssignmentStatus.INVITED,
        assignment__shift__in=shifts_to_publish(organization=organization, scope=scope),
        assignment__shift__status=ShiftStatus.PUBLISHED,
    ).exclude(assignment__artist__email="")


@transaction.atomic
def invitations_resend(
    *, organization: Organization, actor: User, scope: PublicationScope
) -> ResendResult:
    """Send the scope's unanswered invitations again, one e-mail per artist (throttled)."""
    now = timezone.now()
    interval = timedelta(minutes=int(settings.CREW_RESEND_MIN_INTERVAL_MINUTES))
    pending = list(
        pending_in_scope(organization=organization, scope=scope, now=now)
        .select_for_update(of=("self",))
        .select_related("assignment")
        .order_by("created_at", "id")
    )
    by_artist: dict[str, list[Invitation]] = defaultdict(list)
    for invitation in pending:
        by_artist[str(invitation.assignment.artist_id)].append(invitation)
    throttled = sorted(
        artist_id
        for artist_id, rows in by_artist.items()
        if any((i.last_sent_at or i.sent_at or now - interval) > now - interval for i in rows)
    )
    resent = [
        i for artist_id, rows in by_artist.items() if artist_id not in throttled for i in rows
    ]
    Invitation.objects.filter(pk__in=[i.pk for i in resent]).update(last_sent_at=now)
    record_many(
        [
            build_entry(
                organization=organization,
                actor=actor,
                action=AuditAction.INVITATION_RESEND,
                entity=invitation,
                before={"last_sent_at": invitation.last_sent_at},
                after={"last_sent_at": now},
            )
            for invitation in resent
        ]
    )
    _enqueue_digests(resent, prefix=f"resend:{uuid.uuid4()}")
    artists = sorted({str(i.assignment.artist_id) for i in resent})
    return ResendResult(invitations=resent, artists=artists, throttled_artists=throttled)
