"""A publication's diff as a list of changes a manager can read (pure functions).

The stored diff (``diff_snapshots``) is made for machines: a changed shift is its id and
``{"end_at": {"old": ..., "new": ...}}``. Before publishing, the manager wants to read
"Hugo Bernard · ven. 12 juin · Machiniste, Transbordeur · 18:00–23:00 → 18:00–23:30",
grouped by person or by day. This module turns the two snapshots and their diff into
one entry per change, each carrying what grouping and wording need: the local day and
wall-clock times in the organization's zone, venue and role before and after, and the
people it concerns. Grouping itself is the reader's: an entry names every person it
concerns, so a shift moved with three people booked appears under each of them.

A booking added to (or removed from) a shift that is itself added (or removed) is not a
change of its own: the shift's entry lists its people. Nothing here touches the
database; it runs on the snapshots the preview already loaded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES
from apps.planning.publication.services.diff import Entry

ACTIVE = frozenset(status.value for status in ACTIVE_ASSIGNMENT_STATUSES)
KIND_ORDER = {"removed": 0, "changed": 1, "added": 2}


def readable_changes(
    *, old: dict[str, Any], new: dict[str, Any], diff: dict[str, Any], zone: ZoneInfo
) -> list[Entry]:
    """Every change of ``diff`` (from ``old`` to ``new``), sorted by local day and time."""
    old_shifts = {str(entry["id"]): entry for entry in old.get("shifts", [])}
    new_shifts = {str(entry["id"]): entry for entry in new["shifts"]}
    people_old = _people_by_shift(old.get("assignments", []))
    people_new = _people_by_shift(new["assignments"])
    shift_diff, booking_diff = diff["shifts"], diff["assignments"]
    folded = {str(entry["id"]) for entry in shift_diff["added"] + shift_diff["removed"]}

    changes: list[Entry] = []
    for entry in shift_diff["added"]:
        people = people_new.get(str(entry["id"]), [])
        changes.append(_change("added", "shift", entry, None, _side(entry, zone), people))
    for entry in shift_diff["removed"]:
        people = people_old.get(str(entry["id"]), [])
        changes.append(_change("removed", "shift", entry, _side(entry, zone), None, people))
    for change in shift_diff["changed"]:
        key = change["id"]
        before, after = old_shifts[key], new_shifts[key]
        people = people_new.get(key) or people_old.get(key, [])
        item = _change("changed", "shift", after, _side(before, zone), _side(after, zone), people)
        item["changed_fields"] = sorted(change["changes"])
        changes.append(item)
    changes += _booking_changes(booking_diff, old, new, old_shifts, new_shifts, folded, zone)
    changes.sort(key=_order)
    return changes


def _booking_changes(
    booking_diff: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    old_shifts: dict[str, Entry],
    new_shifts: dict[str, Entry],
    folded: set[str],
    zone: ZoneInfo,
) -> list[Entry]:
    """Bookings added, removed or changed on shifts that are neither added nor removed."""
    changes: list[Entry] = []
    for entry in booking_diff["added"]:
        shift = new_shifts.get(str(entry["shift"]))
        if shift is None or str(entry["shift"]) in folded:
            continue
        side = _side(shift, zone, booking=entry)
        changes.append(_booking("added", entry, shift, None, side))
    for entry in booking_diff["removed"]:
        key = str(entry["shift"])
        shift = new_shifts.get(key) or old_shifts.get(key)
        if shift is None or key in folded:
            continue
        side = _side(shift, zone, booking=entry)
        changes.append(_booking("removed", entry, shift, side, None))
    old_bookings = {str(entry["id"]): entry for entry in old.get("assignments", [])}
    new_bookings = {str(entry["id"]): entry for entry in new["assignments"]}
    for change in booking_diff["changed"]:
        before, after = old_bookings[change["id"]], new_bookings[change["id"]]
        old_shift = old_shifts.get(str(before["shift"])) or new_shifts[str(after["shift"])]
        new_shift = new_shifts[str(after["shift"])]
        item = _booking(
            "changed",
            after,
            new_shift,
            _side(old_shift, zone, booking=before),
            _side(new_shift, zone, booking=after),
        )
        item["changed_fields"] = sorted(change["changes"])
        changes.append(item)
    return changes


def _people_by_shift(assignments: list[Entry]) -> dict[str, list[dict[str, str]]]:
    """The people actively booked on each shift (declined bookings left out)."""
    people: dict[str, list[dict[str, str]]] = {}
    for entry in assignments:
        if entry["status"] in ACTIVE:
            person = {"id": str(entry["artist"]), "name": entry.get("artist_name", "")}
            people.setdefault(str(entry["shift"]), []).append(person)
    return people


def _side(shift: Entry, zone: ZoneInfo, *, booking: Entry | None = None) -> Entry:
    """A shift as it reads on one side of a change, times in the organization's zone."""
    start = _local(shift["start_at"], zone)
    end = _local(shift["end_at"], zone)
    side = {
        "start_at": shift["start_at"],
        "end_at": shift["end_at"],
        "start_local": start.strftime("%Y-%m-%dT%H:%M"),
        "end_local": end.strftime("%Y-%m-%dT%H:%M"),
        "venue_name": shift.get("venue_name", ""),
        "role_name": shift.get("role_name", ""),
        "mission_name": shift.get("mission_name", ""),
        "status": shift["status"],
    }
    if booking is not None:
        side["booking_status"] = booking["status"]
    return side


def _change(
    kind: str,
    subject: str,
    shift: Entry,
    before: Entry | None,
    after: Entry | None,
    people: list[dict[str, str]],
) -> Entry:
    reference = after or before
    assert reference is not None
    return {
        "kind": kind,
        "subject": subject,
        "shift_id": str(shift["id"]),
        "assignment_id": None,
        "day": reference["start_local"][:10],
        "people": people,
        "before": before,
        "after": after,
        "changed_fields": [],
    }


def _booking(
    kind: str, booking: Entry, shift: Entry, before: Entry | None, after: Entry | None
) -> Entry:
    person = {"id": str(booking["artist"]), "name": booking.get("artist_name", "")}
    item = _change(kind, "booking", shift, before, after, [person])
    item["assignment_id"] = str(booking["id"])
    return item


def _local(value: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(value).astimezone(zone)


def _order(change: Entry) -> tuple[str, str, int, str]:
    side = change["after"] or change["before"]
    return (change["day"], side["start_local"], KIND_ORDER[change["kind"]], change["shift_id"])
