"""What a publication would change, computed without writing anything.

The board shows it before the manager confirms: the diff against the last version of
the same scope (draft shifts counted as published and the proposed assignments to be
invited counted as invited, as publishing would make them), who would be notified or
invited ("Équipe concernée"), the same diff as readable changes (local times, venue and
role, the people each concerns: see ``readable``), the hard conflicts that would refuse
it, and apart from them the hard conflicts an admin waived (listed, not blocking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.orgs.models import Organization
from apps.planning.models import AssignmentStatus, PlanningVersion, ShiftStatus
from apps.planning.publication.services.diff import artists_to_notify, diff_snapshots, summarize
from apps.planning.publication.services.readable import readable_changes
from apps.planning.publication.services.scope import (
    PublicationScope,
    scope_hard_conflicts_split,
    take_snapshot,
)
from apps.planning.timezones import organization_zone


def _as_invited(
    *, organization: Organization, scope: PublicationScope, snap: dict[str, Any]
) -> int:
    """Mark in ``snap`` the proposed assignments publishing would invite; how many."""
    from apps.planning.publication.crew_invitations import proposed_to_invite

    ids = {
        str(pk)
        for pk in proposed_to_invite(
            organization=organization,
            scope=scope,
            shift_statuses=(ShiftStatus.DRAFT, ShiftStatus.PUBLISHED),
        ).values_list("id", flat=True)
    }
    for entry in snap["assignments"]:
        if entry["id"] in ids:
            entry["status"] = AssignmentStatus.INVITED.value
    return len(ids)


@dataclass(frozen=True)
class PublicationPreview:
    conflicts: list[dict[str, Any]]
    diff: dict[str, Any]
    summary: dict[str, int]
    affected_artists: list[dict[str, str]]
    previous_number: int | None
    waived_conflicts: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


def planning_publish_preview(
    *, organization: Organization, scope: PublicationScope
) -> PublicationPreview:
    snap = take_snapshot(organization=organization, scope=scope)
    drafts = 0
    for shift in snap["shifts"]:
        if shift["status"] == "draft":
            shift["status"] = "published"
            drafts += 1
    invited = _as_invited(organization=organization, scope=scope, snap=snap)
    previous = (
        PlanningVersion.objects.filter(organization=organization, scope_key=scope.key)
        .order_by("-number")
        .only("number", "snapshot")
        .first()
    )
    old = previous.snapshot if previous else {}
    diff = diff_snapshots(old, snap)
    names = {row["artist"]: row["artist_name"] for row in snap["assignments"]}
    affected = [
        {"id": artist_id, "name": names.get(artist_id, "")}
        for artist_id in artists_to_notify(diff, snap)
    ]
    blocking, waived = scope_hard_conflicts_split(organization=organization, scope=scope)
    return PublicationPreview(
        conflicts=blocking,
        waived_conflicts=waived,
        diff=diff,
        changes=readable_changes(
            old=old, new=snap, diff=diff, zone=organization_zone(organization)
        ),
        summary={**summarize(snap, diff, drafts), "invitations_to_send": invited},
        affected_artists=sorted(affected, key=lambda a: a["name"]),
        previous_number=previous.number if previous else None,
    )
