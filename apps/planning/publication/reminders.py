"""Follow-ups run by Celery beat: invitation reminders, the managers' digest, the eve reminder.

Each service takes ``now`` (tests pass a fixed instant; the tasks pass the clock) and
returns how many messages it sent. Every message goes through ``delivery.send_once``
under a key that names it completely, so running a service twice, or two workers running
it at once, sends each message once; every send is audited (``message.send``).

- **Invitation reminders** (``invitation_reminders_send``): a pending invitation whose
  last e-mail is older than the organization's ``invitation_reminder_delay_hours``
  (default 48) and that had fewer than ``invitation_reminder_max`` reminders (default 2)
  is reminded, unless it expired or its shift has started. One e-mail per artist lists
  all of his or her due invitations, each with its links; the key holds each
  invitation's reminder round, so round 2 is a new message and round 1 never repeats.
- **Managers' digest** (``manager_digests_send``): once a local day, from
  ``CREW_MANAGER_DIGEST_HOUR`` (default 7), each manager, admin and owner with an e-mail
  address gets the declines of the 24 hours before that hour and the published shifts
  starting within ``CREW_SHORT_STAFFED_HORIZON_HOURS`` (default 72) with fewer accepted
  crew than their headcount. Nothing to say: nothing sent.
- **Day-before reminder** (``shift_reminders_send``): from ``CREW_DAY_BEFORE_REMINDER_HOUR``
  (default 17) on the local eve, each artist with accepted assignments on published
  shifts starting the next local day gets one e-mail with the call times, venues and
  addresses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation

from apps.audit.actions import AuditAction
from apps.audit.services import build_entry, record_many
from apps.core.emails import templated_email
from apps.crew.models import Artist
from apps.orgs.models import MemberRole, Membership, Organization
from apps.planning.models import (
    Assignment,
    AssignmentStatus,
    CrewPolicy,
    Invitation,
    InvitationStatus,
    MessageKind,
    Shift,
    ShiftStatus,
)
from apps.planning.publication.crew_invitations import DIGEST_RELATED, invitation_digest_email
from apps.planning.publication.delivery import digest_of, send_once
from apps.planning.publication.invitations import shift_details
from apps.planning.publication.policy import crew_policy

MANAGER_ROLES = (MemberRole.MANAGER, MemberRole.ADMIN, MemberRole.OWNER)


def _local_midnight(day: date, organization: Organization) -> datetime:
    return datetime.combine(day, time(0), tzinfo=organization.tzinfo)


# --- Invitation reminders ---------------------------------------------------------------


def _due_invitations(*, now: datetime) -> list[Invitation]:
    """Pending, already sent, unexpired invitations of future published shifts."""
    candidates = (
        Invitation.objects.select_related(*DIGEST_RELATED)
        .filter(
            status=InvitationStatus.PENDING,
            sent_at__isnull=False,
            expires_at__gt=now,
            assignment__status=AssignmentStatus.INVITED,
            assignment__shift__status=ShiftStatus.PUBLISHED,
            assignment__shift__start_at__gt=now,
        )
        .exclude(assignment__artist__email="")
        .order_by("organization_id", "created_at", "id")
    )
    policies: dict[Any, CrewPolicy] = {}
    due = []
    for invitation in candidates:
        policy = policies.get(invitation.organization_id)
        if policy is None:
            policy = policies[invitation.organization_id] = crew_policy(invitation.organization)
        last = invitation.last_sent_at or invitation.sent_at
        delay = timedelta(hours=policy.invitation_reminder_delay_hours)
        if (
            last is not None
            and invitation.reminders_sent < policy.invitation_reminder_max
            and last + delay <= now
        ):
            due.append(invitation)
    return due


@transaction.atomic
def _remind_artist(artist: Artist, invitations: Sequence[Invitation], *, now: datetime) -> bool:
    rounds = [f"{i.pk}#{i.reminders_sent + 1}" for i in invitations]
    locked = Invitation.objects.select_for_update().filter(
        pk__in=[i.pk for i in invitations], status=InvitationStatus.PENDING
    )
    if len(locked) != len(invitations):
        return False  # answered since it was read: the next run decides again
    sent = send_once(
        organization=artist.organization,
        key=f"invitation_reminder:{artist.pk}:{digest_of(rounds)}",
        kind=MessageKind.INVITATION_REMINDER,
        message=invitation_digest_email(artist=artist, invitations=invitations, reminder=True),
        now=now,
        artist=artist,
        payload={"rounds": sorted(rounds)},
    )
    if sent is None:
        return False
    entries = []
    for invitation in invitations:
        before = {"reminders_sent": invitation.reminders_sent}
        invitation.reminders_sent += 1
        invitation.last_sent_at = now
        invitation.save(update_fields=["reminders_sent", "last_sent_at", "updated_at"])
        entries.append(
            build_entry(
                organization=artist.organization,
                actor=None,
                action=AuditAction.INVITATION_REMIND,
                entity=invitation,
                before=before,
                after={"reminders_sent": invitation.reminders_sent, "message": str(sent.pk)},
            )
        )
    record_many(entries)
    return True


def invitation_reminders_send(*, now: datetime) -> int:
    """Remind the unanswered invitations that are due (see the module's docstring)."""
    by_artist: dict[Any, list[Invitation]] = defaultdict(list)
    for invitation in _due_invitations(now=now):
        by_artist[invitation.assignment.artist_id].append(invitation)
    sent = 0
    for invitations in by_artist.values():
        sent += _remind_artist(invitations[0].assignment.artist, invitations, now=now)
    return sent


# --- The managers' daily digest ---------------------------------------------------------


def _digest_window(organization: Organization, now: datetime) -> tuple[date, datetime] | None:
    """Today's local date and the digest's instant, once the digest hour has come."""
    local = timezone.localtime(now, organization.tzinfo)
    hour = int(settings.CREW_MANAGER_DIGEST_HOUR)
    if local.hour < hour:
        return None
    return local.date(), datetime.combine(local.date(), time(hour), tzinfo=organization.tzinfo)


def _declines(organization: Organization, start: datetime, end: datetime) -> list[Invitation]:
    return list(
        Invitation.objects.select_related(
            "assignment__artist",
            "assignment__shift__mission",
            "assignment__shift__venue",
            "assignment__shift__role",
        )
        .filter(
            organization=organization,
            status=InvitationStatus.DECLINED,
            answered_at__gte=start,
            answered_at__lt=end,
        )
        .order_by("assignment__start_at", "id")
    )


def short_staffed_shifts(*, organization: Organization, now: datetime) -> list[Shift]:
    """Published shifts starting within the horizon with fewer accepted crew than needed."""
    horizon = timedelta(hours=int(settings.CREW_SHORT_STAFFED_HORIZON_HOURS))
    return list(
        Shift.objects.select_related("mission", "venue", "role")
        .filter(
            organization=organization,
            status=ShiftStatus.PUBLISHED,
            start_at__gt=now,
            start_at__lte=now + horizon,
        )
        .annotate(
            accepted=Count("assignments", filter=Q(assignments__status=AssignmentStatus.ACCEPTED))
        )
        .filter(accepted__lt=F("headcount"))
        .order_by("start_at", "id")
    )


def _digest_context(
    organization: Organization, declines: list[Invitation], short: list[Shift]
) -> dict[str, Any]:
    with translation.override(organization.language):
        return {
            "organization": organization.name,
            "declines": [
                {
                    "artist": invitation.assignment.artist.full_name,
                    "shift": shift_details(invitation.assignment.shift, organization),
                }
                for invitation in declines
            ],
            "short": [
                {
                    "shift": shift_details(shift, organization),
                    "accepted": shift.accepted,  # type: ignore[attr-defined]
                    "headcount": shift.headcount,
                    "missing": shift.headcount - shift.accepted,  # type: ignore[attr-defined]
                }
                for shift in short
            ],
        }


def manager_digests_send(*, now: datetime) -> int:
    """Each organization's digest to its managers, once a local day (see the docstring)."""
    sent = 0
    for organization in Organization.objects.order_by("id"):
        window = _digest_window(organization, now)
        if window is None:
            continue
        today, end = window
        declines = _declines(organization, end - timedelta(hours=24), end)
        short = short_staffed_shifts(organization=organization, now=now)
        if not declines and not short:
            continue
        context = _digest_context(organization, declines, short)
        managers = Membership.objects.select_related("user").filter(
            organization=organization, role__in=MANAGER_ROLES, user__is_active=True
        )
        for membership in managers.exclude(user__email="").order_by("user__email"):
            message = templated_email(
                template="manager_digest",
                context={**context, "date": today.isoformat()},
                to=membership.user.email,
                language=organization.language,
            )
            sent += (
                send_once(
                    organization=organization,
                    key=f"manager_digest:{membership.user_id}:{today.isoformat()}",
                    kind=MessageKind.MANAGER_DIGEST,
                    message=message,
                    now=now,
                    user=membership.user,
                    payload={
                        "declined_invitation_ids": [str(i.pk) for i in declines],
                        "short_shift_ids": [str(s.pk) for s in short],
                    },
                )
                is not None
            )
    return sent


# --- The crew's day-before reminder -----------------------------------------------------


def _tomorrow(organization: Organization, now: datetime) -> date | None:
    local = timezone.localtime(now, organization.tzinfo)
    if local.hour < int(settings.CREW_DAY_BEFORE_REMINDER_HOUR):
        return None
    return local.date() + timedelta(days=1)


def shift_reminders_send(*, now: datetime) -> int:
    """Tell each artist, on the eve, tomorrow's accepted shifts (see the docstring)."""
    sent = 0
    for organization in Organization.objects.order_by("id"):
        tomorrow = _tomorrow(organization, now)
        if tomorrow is None:
            continue
        start = _local_midnight(tomorrow, organization)
        end = _local_midnight(tomorrow + timedelta(days=1), organization)
        rows = (
            Assignment.objects.select_related(
                "artist__organization", "shift__mission", "shift__venue", "shift__role"
            )
            .filter(
                organization=organization,
                status=AssignmentStatus.ACCEPTED,
                shift__status=ShiftStatus.PUBLISHED,
                start_at__gte=start,
                start_at__lt=end,
            )
            .exclude(artist__email="")
            .order_by("start_at", "id")
        )
        by_artist: dict[Any, list[Assignment]] = defaultdict(list)
        for assignment in rows:
            by_artist[assignment.artist_id].append(assignment)
        for assignments in by_artist.values():
            sent += _remind_shifts(organization, assignments, tomorrow, now=now)
    return sent


def _remind_shifts(
    organization: Organization, assignments: list[Assignment], day: date, *, now: datetime
) -> bool:
    artist = assignments[0].artist
    with translation.override(organization.language):
        shifts = [shift_details(a.shift, organization) for a in assignments]
    message = templated_email(
        template="shift_reminder",
        context={
            "organization": organization.name,
            "artist_name": artist.full_name,
            "shifts": shifts,
        },
        to=artist.email,
        language=organization.language,
    )
    row = send_once(
        organization=organization,
        key=f"shift_reminder:{artist.pk}:{day.isoformat()}",
        kind=MessageKind.SHIFT_REMINDER,
        message=message,
        now=now,
        artist=artist,
        payload={"assignment_ids": [str(a.pk) for a in assignments]},
    )
    return row is not None
