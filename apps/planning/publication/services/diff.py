"""Snapshots compared: what a publication changed, and for whom (pure functions).

Snapshots are the JSON stored on ``PlanningVersion``: lists of shift and assignment
entries with ids as strings. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
)

SHIFT_DIFF_FIELDS = ("mission", "venue", "role", "start_at", "end_at", "status", "headcount")
ASSIGNMENT_DIFF_FIELDS = ("shift", "artist", "status")
SNAPSHOT_ASSIGNMENT_STATUSES = (*ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus.DECLINED)
VISIBLE_STATUSES = frozenset({AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED})

Entry = dict[str, Any]


def _by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    return {str(entry["id"]): entry for entry in entries}


def _diff_entries(old: list[Entry], new: list[Entry], fields: Iterable[str]) -> dict[str, Any]:
    """Added and removed entries, and for changed ones each field's old and new value."""
    before, after = _by_id(old), _by_id(new)
    changed = []
    for key, entry in after.items():
        if key not in before:
            continue
        changes = {
            name: {"old": before[key][name], "new": entry[name]}
            for name in fields
            if before[key][name] != entry[name]
        }
        if changes:
            changed.append({"id": key, "changes": changes})
    return {
        "added": [entry for key, entry in after.items() if key not in before],
        "removed": [entry for key, entry in before.items() if key not in after],
        "changed": changed,
    }


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` (``old`` empty for a scope's first version)."""
    return {
        "shifts": _diff_entries(old.get("shifts", []), new["shifts"], SHIFT_DIFF_FIELDS),
        "assignments": _diff_entries(
            old.get("assignments", []), new["assignments"], ASSIGNMENT_DIFF_FIELDS
        ),
    }


def diff_is_empty(diff: dict[str, Any]) -> bool:
    return not any(part[kind] for part in diff.values() for kind in ("added", "removed", "changed"))


def summarize(snap: dict[str, Any], diff: dict[str, Any], published: int) -> dict[str, int]:
    summary = {"shifts": len(snap["shifts"]), "assignments": len(snap["assignments"])}
    summary["shifts_published"] = published
    for part in ("shifts", "assignments"):
        for kind in ("added", "removed", "changed"):
            summary[f"{part}_{kind}"] = len(diff[part][kind])
    return summary


def changes_by_artist(*, diff: dict[str, Any], snap: dict[str, Any]) -> dict[str, list[Entry]]:
    """Each artist's visible changes, in one pass over the diff.

    An item's ``kind`` is ``added`` (newly invited or accepted), ``removed`` (no longer
    booked), ``status`` (the assignment's status changed) or ``shift`` (the booked shift
    changed: times, venue, role, mission, or it was cancelled).
    """
    shifts = _by_id(snap["shifts"])
    removed_shifts = _by_id(diff["shifts"]["removed"])
    current = _by_id(snap["assignments"])
    items: dict[str, list[Entry]] = {}

    def add(kind: str, entry: Entry, shift: Entry | None, change: Entry | None = None) -> None:
        items.setdefault(str(entry["artist"]), []).append(_item(kind, entry, shift, change))

    for entry in diff["assignments"]["added"]:
        if entry["status"] in VISIBLE_STATUSES:
            add("added", entry, shifts.get(str(entry["shift"])))
    for entry in diff["assignments"]["removed"]:
        if entry["status"] in VISIBLE_STATUSES:
            shift_id = str(entry["shift"])
            add("removed", entry, shifts.get(shift_id) or removed_shifts.get(shift_id))
    for change in diff["assignments"]["changed"]:
        entry = current[change["id"]]
        statuses = {entry["status"], change["changes"].get("status", {}).get("old")}
        if statuses & VISIBLE_STATUSES:
            add("status", entry, shifts.get(str(entry["shift"])), change)
    changed_shifts = {change["id"]: change for change in diff["shifts"]["changed"]}
    for entry in current.values():
        change = changed_shifts.get(str(entry["shift"]))
        if change is not None and entry["status"] in VISIBLE_STATUSES:
            add("shift", entry, shifts[change["id"]], change)
    return items


def artist_changes(
    *, diff: dict[str, Any], snap: dict[str, Any], artist_id: UUID | str
) -> list[Entry]:
    """One artist's visible changes (see ``changes_by_artist``)."""
    return changes_by_artist(diff=diff, snap=snap).get(str(artist_id), [])


def _item(kind: str, assignment: Entry, shift: Entry | None, change: Entry | None = None) -> Entry:
    return {
        "kind": kind,
        "assignment": assignment,
        "shift": shift,
        "changes": (change or {}).get("changes", {}),
    }


def artists_to_notify(diff: dict[str, Any], snap: dict[str, Any]) -> list[str]:
    """Ids of the artists with at least one visible change, sorted."""
    return sorted(changes_by_artist(diff=diff, snap=snap))
