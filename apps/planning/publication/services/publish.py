"""``planning_publish``: refuse, publish drafts, freeze a version, notify after commit.

See the package's docstring for the contract; this module holds the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.core.errors import HardConflictError
from apps.crew.models import Artist
from apps.orgs.models import Organization, User
from apps.planning.models import (
    Invitation,
    PlanningVersion,
    Shift,
    ShiftStatus,
)
from apps.planning.publication.services.diff import (
    changes_by_artist,
    diff_is_empty,
    diff_snapshots,
    summarize,
)
from apps.planning.publication.services.scope import (
    PublicationScope,
    scope_hard_conflicts,
    shifts_to_publish,
    take_snapshot,
    utc_iso,
)


@dataclass(frozen=True)
class PublicationResult:
    """``version`` is the new version, or the scope's latest when nothing changed."""

    version: PlanningVersion | None
    changed: bool


def _lock_organization(organization: Organization) -> None:
    """Serializes the organization's publications (numbering, snapshot, diff)."""
    Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk").get()


def _publish_drafts(*, organization: Organization, scope: PublicationScope) -> list[str]:
    now = timezone.now()
    drafts = shifts_to_publish(organization=organization, scope=scope).filter(
        status=ShiftStatus.DRAFT
    )
    ids = [str(pk) for pk in drafts.values_list("id", flat=True)]
    Shift.objects.filter(pk__in=ids).update(
        status=ShiftStatus.PUBLISHED, published_at=now, updated_at=now
    )
    return ids


def _next_number(organization: Organization) -> int:
    latest = PlanningVersion.objects.filter(organization=organization).aggregate(n=Max("number"))
    return int(latest["n"] or 0) + 1


def _covered_period(snap: dict[str, Any], scope: PublicationScope) -> dict[str, str | None]:
    """The period a version covers: the range, or its shifts' span (for the list filters)."""
    if scope.start and scope.end:
        return {"period_start": utc_iso(scope.start), "period_end": utc_iso(scope.end)}
    starts = [entry["start_at"] for entry in snap["shifts"]]
    ends = [entry["end_at"] for entry in snap["shifts"]]
    return {"period_start": min(starts, default=None), "period_end": max(ends, default=None)}


@transaction.atomic
def planning_publish(
    *, organization: Organization, actor: User | None, scope: PublicationScope
) -> PublicationResult:
    """Publish a scope: refuse on hard conflicts, freeze a version, notify after commit."""
    _lock_organization(organization)
    hard = scope_hard_conflicts(organization=organization, scope=scope)
    if hard:
        message = gettext(
            "Hard conflicts remain in the scope: resolve them, or have an admin waive them, "
            "before publishing."
        )
        raise HardConflictError(hard, message)
    published = _publish_drafts(organization=organization, scope=scope)
    invited = _invite_the_crew(organization=organization, actor=actor, scope=scope)
    snap = take_snapshot(organization=organization, scope=scope)
    previous = (
        PlanningVersion.objects.filter(organization=organization, scope_key=scope.key)
        .order_by("-number")
        .first()
    )
    diff = diff_snapshots(previous.snapshot if previous else {}, snap)
    if diff_is_empty(diff) and not published:
        return PublicationResult(version=previous, changed=False)
    changed = _changed_beyond_invitations(diff, snap, invited)
    notified = _reachable(organization=organization, artist_ids=changed)
    version = PlanningVersion.objects.create(
        organization=organization,
        number=_next_number(organization),
        scope={**scope.as_json(), **_covered_period(snap, scope)},
        scope_key=scope.key,
        published_by=actor if actor is not None and actor.is_authenticated else None,
        published_at=timezone.now(),
        snapshot=snap,
        diff=diff,
        summary={
            **summarize(snap, diff, len(published)),
            "artists_changed": len(changed),
            "artists_notified": len(notified),
            "invitations_sent": len(invited),
            "artists_invited": len({str(i.assignment.artist_id) for i in invited}),
        },
    )
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.PLANNING_PUBLISH,
        entity=version,
        after={
            **snapshot(version, ("id", "number", "scope", "scope_key", "summary")),
            "published_shift_ids": published,
            "changed_artist_ids": changed,
            "notified_artist_ids": notified,
            "invited_assignment_ids": sorted(str(i.assignment_id) for i in invited),
        },
    )
    _enqueue_notifications(
        organization=organization,
        version=version,
        artist_ids=notified,
        skip=sorted(str(i.assignment_id) for i in invited),
    )
    return PublicationResult(version=version, changed=True)


def _invite_the_crew(
    *, organization: Organization, actor: User | None, scope: PublicationScope
) -> list[Invitation]:
    """Invite the scope's proposed assignments, one e-mail per person (``crew_invitations``)."""
    from apps.planning.publication.crew_invitations import invite_proposed_in_scope

    return invite_proposed_in_scope(organization=organization, actor=actor, scope=scope)


def _changed_beyond_invitations(
    diff: dict[str, Any], snap: dict[str, Any], invited: list[Invitation]
) -> list[str]:
    """Artists with a visible change other than being invited now (that has its own e-mail)."""
    new = {str(invitation.assignment_id) for invitation in invited}
    return sorted(
        artist_id
        for artist_id, items in changes_by_artist(diff=diff, snap=snap).items()
        if any(str(item["assignment"]["id"]) not in new for item in items)
    )


def _reachable(*, organization: Organization, artist_ids: list[str]) -> list[str]:
    """The artists among ``artist_ids`` who have an e-mail address (one query), sorted."""
    rows = (
        Artist.objects.filter(organization=organization, pk__in=artist_ids)
        .exclude(email="")
        .values_list("id", flat=True)
    )
    return sorted(str(pk) for pk in rows)


def _enqueue_notifications(
    *, organization: Organization, version: PlanningVersion, artist_ids: list[str], skip: list[str]
) -> None:
    """One e-mail task per artist, each leaving only once the publication commits.

    ``skip``: the assignments invited by this publication (their own e-mail lists them).
    """
    from apps.planning.publication.tasks import send_schedule_changed_email

    for artist_id in artist_ids:
        transaction.on_commit(
            partial(send_schedule_changed_email.delay, str(version.pk), artist_id, skip)
        )
