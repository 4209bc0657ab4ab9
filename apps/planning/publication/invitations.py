"""Invitations: a crew member is asked, by e-mail, to accept or decline an assignment.

Life cycle (each step audited in the transaction of the change):

- ``invitation_create`` (manager): a *proposed* assignment on a *published* shift (a
  draft is refused, 409 ``shift_not_published``: nobody accepts what is not published)
  becomes *invited* through the schedule service (so the rules are checked as for any
  status change) and a pending invitation with a fresh nonce is stored. Re-inviting an
  *invited* assignment is allowed only when its last invitation was revoked or has
  expired; an expired pending one is retired first (status ``revoked``, audited as
  ``invitation.expire``) because the database allows one pending invitation per assignment.
- ``invitation_answer`` (anyone holding the link): checks, in this order, that the
  invitation exists (404), that the token is ours and bound to it (400 ``invalid_token``),
  that it is still pending (409 ``already_answered`` / ``revoked``) and not expired (410
  ``expired``); accepting re-checks the planning rules *now* (409 ``hard_conflict``), so
  an absence approved or a shift accepted since the invitation blocks it. A refused
  answer writes nothing and leaves the invitation pending.
- ``invitation_revoke`` (manager): the invitation is revoked and the assignment goes
  back to *proposed* (a direct guarded update: the schedule service's transition table
  has no ``invited → proposed`` edge, which only revocation may take).

The e-mail leaves through ``transaction.on_commit`` (a rolled-back invitation sends
nothing) and a Celery task, which stamps ``sent_at`` with ``invitation_mark_sent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import formats, timezone, translation

from apps.audit.actions import AuditAction
from apps.audit.services import (
    build_entry,
    record,
    record_many,
    set_audited,
    snapshot,
    stamp_sent_once,
)
from apps.core.emails import templated_email
from apps.core.errors import ConflictError, Gone, NotFound, ValidationFailed
from apps.orgs.models import Membership, Organization, User
from apps.planning.models import (
    Assignment,
    AssignmentStatus,
    Invitation,
    InvitationStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.publication import tokens
from apps.planning.schedule.services import assignment_set_status

INVITATION_FIELDS = (
    "id",
    "assignment",
    "status",
    "expires_at",
    "sent_at",
    "answered_at",
    "created_by",
)
# What the invitation's page and e-mail show, loaded with it.
INVITATION_RELATED = (
    "organization",
    "assignment__artist",
    "assignment__shift__mission",
    "assignment__shift__venue",
    "assignment__shift__role",
)
REVOKED_REASON = "Invitation revoked."
EXPIRED_REASON = "Expired; superseded by a new invitation."


@dataclass(frozen=True)
class AnswerResult:
    """What an answer did: the invitation as saved and the conflicts (soft) it reported."""

    invitation: Invitation
    conflicts: list[dict[str, Any]]


# --- Reads shared by the API, the page and the e-mail --------------------------------


def invitation_get_unscoped(*, invitation_id: UUID | str) -> Invitation:
    """The invitation whatever its organization: only for the token-guarded public answers.

    The token binds the organization, so an id from another tenant gets nothing more than
    "invalid link" from the caller.
    """
    invitation = (
        Invitation.objects.select_related(*INVITATION_RELATED).filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def invitation_link(invitation: Invitation, token: str, answer: str | None = None) -> str:
    """The public page's absolute URL; ``answer`` only preselects the button to confirm."""
    query = {"token": token} if answer is None else {"token": token, "answer": answer}
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/invitations/{invitation.pk}?{urlencode(query)}"


def shift_details(shift: Shift, organization: Organization) -> dict[str, Any]:
    """The shift as people read it: local date and times, venue, mission, role.

    Formatted in the active language (wrap the call in ``translation.override``); a shift
    ending on another local day says so (``end_date``), so a night shift is not misread.
    """
    zone = organization.tzinfo
    start = timezone.localtime(shift.start_at, zone)
    end = timezone.localtime(shift.end_at, zone)
    return {
        "date": formats.date_format(start, "l j F Y"),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "end_date": formats.date_format(end, "l j F Y") if end.date() != start.date() else "",
        "timezone": organization.timezone,
        "venue": shift.venue.name,
        "venue_address": ", ".join(p for p in (shift.venue.address, shift.venue.city) if p),
        "mission": shift.mission.name,
        "role": shift.role.name,
        "notes": shift.notes,
    }


def invitation_email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The invitation e-mail (text and HTML) in the organization's language."""
    organization = invitation.organization
    artist = invitation.assignment.artist
    language = organization.language
    with translation.override(language):
        expires = timezone.localtime(invitation.expires_at, organization.tzinfo)
        context = {
            "organization": organization.name,
            "artist_name": artist.full_name,
            "shift": shift_details(invitation.assignment.shift, organization),
            "page_url": invitation_link(invitation, token),
            "accept_url": invitation_link(invitation, token, "accept"),
            "decline_url": invitation_link(invitation, token, "decline"),
            "expires": formats.date_format(expires, "j F Y H:i"),
        }
    return templated_email(
        template="invitation", context=context, to=artist.email, language=language
    )


# --- Helpers -------------------------------------------------------------------------


def _locked_assignment(*, organization: Organization, assignment_id: Any) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("artist", "shift")
        .filter(organization=organization, pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound.for_field("assignment_id")
    return assignment


def _locked_invitation(invitation_id: Any) -> Invitation | None:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "assignment__artist__user")
        .filter(pk=invitation_id)
        .first()
    )


def _require_invitable(assignment: Assignment) -> None:
    if not assignment.artist.email:
        raise ValidationFailed.for_field(
            "assignment_id", "The artist has no e-mail address to send the invitation to."
        )
    if assignment.shift.status == ShiftStatus.CANCELLED:
        raise ConflictError("The shift is cancelled.", code="shift_cancelled")
    if assignment.shift.status != ShiftStatus.PUBLISHED:
        raise ConflictError(
            "Invitations are sent for published shifts only; publish the planning first.",
            code="shift_not_published",
            extra={"shift_status": assignment.shift.status},
        )
    if assignment.status not in (AssignmentStatus.PROPOSED, AssignmentStatus.INVITED):
        raise ConflictError(
            f"Only a proposed assignment can be invited (this one is {assignment.status}).",
            code="invalid_transition",
            extra={"from": assignment.status, "to": AssignmentStatus.INVITED},
        )


def _retire_expired_pending(assignment: Assignment, *, actor: User, now: datetime) -> None:
    """Make room for a new invitation; a pending one still valid is a 409 instead."""
    pending = Invitation.objects.select_for_update().filter(
        assignment=assignment, status=InvitationStatus.PENDING
    )
    for invitation in pending:
        if invitation.expires_at > now:
            raise ConflictError(
                "This assignment already has a pending invitation; revoke it first.",
                code="already_invited",
            )
        _set_revoked(
            invitation,
            organization=assignment.organization,
            actor=actor,
            action=AuditAction.INVITATION_EXPIRE,
            reason=EXPIRED_REASON,
        )


def _set_revoked(
    invitation: Invitation,
    *,
    organization: Organization,
    actor: User,
    action: AuditAction,
    reason: str = "",
) -> None:
    """Mark a pending invitation revoked, audited as ``action`` (a revocation or an expiry)."""
    set_audited(
        invitation,
        {"status": InvitationStatus.REVOKED},
        fields=INVITATION_FIELDS,
        organization=organization,
        actor=actor,
        action=action,
        reason=reason,
    )


def _answer_actor(invitation: Invitation) -> User | None:
    user = invitation.assignment.artist.user
    return user if user is not None and user.is_active else None


def _record_answer(invitation: Invitation, *, action: AuditAction, before: dict[str, Any]) -> None:
    """Audit an answer as the artist: the linked user, else ``artist:<name>`` with no user."""
    actor = _answer_actor(invitation)
    after = snapshot(invitation, INVITATION_FIELDS)
    if actor is not None:
        record(
            organization=invitation.organization,
            actor=actor,
            action=action,
            entity=invitation,
            before=before,
            after=after,
        )
        return
    record_many(
        [
            build_entry(
                organization=invitation.organization,
                actor=None,
                actor_label=f"artist:{invitation.assignment.artist.full_name}",
                action=action,
                entity=invitation,
                before=before,
                after=after,
            )
        ]
    )


def _require_pending(invitation: Invitation) -> None:
    if invitation.status == InvitationStatus.REVOKED:
        raise ConflictError("This invitation was withdrawn.", code="revoked")
    if invitation.status != InvitationStatus.PENDING:
        raise ConflictError(
            f"This invitation was already answered ({invitation.status}).",
            code="already_answered",
            extra={"invitation_status": invitation.status},
        )


def _require_token(token: str, invitation: Invitation) -> None:
    try:
        tokens.verify_token(token, invitation)
    except tokens.InvalidToken as exc:
        raise ValidationFailed.for_field(
            "token", "This link is invalid.", code="invalid_token"
        ) from exc


def _require_answerable(invitation: Invitation, token: str, *, now: datetime) -> None:
    """The documented order: invalid link (400), answered or withdrawn (409), expired (410)."""
    _require_token(token, invitation)
    _require_pending(invitation)
    if tokens.token_has_expired(token, invitation, now=now):
        raise Gone("This invitation has expired.", code="expired")
    if invitation.assignment.status != AssignmentStatus.INVITED:
        raise ConflictError("This shift is no longer offered to you.", code="revoked")


def invitation_check_link(*, invitation: Invitation, token: str) -> None:
    """The public page's check before the click: an answer's checks, without writing.

    Raises the answer's errors, so the page can explain an invalid, used, withdrawn or
    expired link before anyone presses a button.
    """
    _require_answerable(invitation, token, now=timezone.now())


def _enqueue_invitation_email(invitation_id: UUID) -> None:
    from apps.planning.publication.tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(str(invitation_id)))


# --- Services ------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    actor: User,
    membership: Membership | None,
    assignment_id: UUID,
) -> Invitation:
    """Invite the artist of an assignment; the e-mail leaves after commit."""
    assignment = _locked_assignment(organization=organization, assignment_id=assignment_id)
    _require_invitable(assignment)
    now = timezone.now()
    if assignment.status == AssignmentStatus.PROPOSED:
        assignment_set_status(
            assignment=assignment,
            actor=actor,
            membership=membership,
            status=AssignmentStatus.INVITED,
        )
    _retire_expired_pending(assignment, actor=actor, now=now)
    invitation = tokens.fresh_invitation(
        organization=organization, assignment=assignment, created_by=actor, now=now
    )
    invitation.save(force_insert=True)
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.INVITATION_CREATE,
        entity=invitation,
        after=snapshot(invitation, INVITATION_FIELDS),
    )
    _enqueue_invitation_email(invitation.pk)
    return invitation


@transaction.atomic
def invitation_answer(*, invitation_id: UUID, token: str, accept: bool) -> AnswerResult:
    """Accept or decline through the link; single use, rules re-checked on acceptance."""
    invitation = _locked_invitation(invitation_id)
    if invitation is None:
        raise NotFound("No such invitation.")
    now = timezone.now()
    _require_answerable(invitation, token, now=now)
    assignment = invitation.assignment
    target = AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED
    result = assignment_set_status(
        assignment=assignment, actor=_answer_actor(invitation), membership=None, status=target
    )
    before = snapshot(invitation, INVITATION_FIELDS)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = now
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    assignment.status = result.obj.status
    _record_answer(
        invitation,
        action=AuditAction.INVITATION_ACCEPT if accept else AuditAction.INVITATION_DECLINE,
        before=before,
    )
    return AnswerResult(invitation, result.conflicts)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw a pending invitation; its assignment goes back to proposed."""
    locked = _locked_invitation(invitation.pk)
    if locked is None:  # deleted under our feet: same answer as an unknown id
        raise NotFound("No such invitation.")
    _require_pending(locked)
    _set_revoked(
        locked, organization=locked.organization, actor=actor, action=AuditAction.INVITATION_REVOKE
    )
    _assignment_back_to_proposed(locked.assignment_id, actor=actor)
    return locked


def _assignment_back_to_proposed(assignment_id: UUID, *, actor: User) -> None:
    """``invited → proposed``, only for a revocation; other states are left alone."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.status != AssignmentStatus.INVITED:
        return
    before = snapshot(assignment)
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.INVITED).update(
        status=AssignmentStatus.PROPOSED, status_changed_at=now, updated_at=now
    )
    assignment.refresh_from_db()
    record(
        organization=assignment.organization,
        actor=actor,
        action=AuditAction.ASSIGNMENT_STATUS,
        entity=assignment,
        before=before,
        after=snapshot(assignment),
        reason=REVOKED_REASON,
    )


@transaction.atomic
def invitation_mark_sent(*, invitation_id: UUID | str) -> bool:
    """Stamp ``sent_at`` once (a guarded update: a redelivered task stamps nothing)."""
    return stamp_sent_once(
        Invitation.objects.filter(pk=invitation_id),
        action=AuditAction.INVITATION_SEND,
        fields=INVITATION_FIELDS,
    )


def invitation_answer_as_artist(
    *, organization: Organization, invitation_id: UUID, user: User, accept: bool
) -> AnswerResult:
    """A logged-in crew member answers his or her own invitation from the crew page.

    The session stands in for the link: an invitation of someone else (or of another
    organization) is a 404, and every other check of the link applies unchanged.
    """
    invitation = (
        Invitation.objects.select_related("assignment__artist")
        .filter(pk=invitation_id, organization=organization, assignment__artist__user=user)
        .first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation_answer(
        invitation_id=invitation.pk, token=tokens.make_token(invitation), accept=accept
    )
