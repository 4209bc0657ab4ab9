"""Detected conflicts as a reader sees them: named, translated, marked when waived.

The pure rules give each conflict its data (``details``) and an English sentence without
names. ``present_conflicts`` loads, for the conflicts found only, the names they need
(artists, and each shift's role and venue) and the waivers of the assignments they
involve, then says every message again in the active language (the user's, or else the
organization's: ``apps.core.api`` activates it) with local times. Two queries for names and one
for waivers, and none when nothing conflicts, so a clean month costs nothing more.

A hard conflict is *waived* when one of its assignments holds a live waiver of the same
rule with the same fingerprint: ``"waived": {"id", "by", "at", "reason"}``. A live waiver
of the same rule with another fingerprint no longer holds: the conflict carries
``"waiver_voided"`` (same keys), and its message says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import translation

from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import ConflictWaiver, Shift
from apps.planning.rules.facts import Conflict, Key
from apps.planning.rules.messages import Labels, ShiftLabel, Speaker, render
from apps.planning.rules.selectors import FastRead, ids_in

WAIVABLE = "hard"
NEVER_WAIVED = frozenset({"double_booking"})


def present_conflicts(
    organization: Organization, conflicts: Sequence[Conflict]
) -> list[dict[str, Any]]:
    """The documented dicts of ``conflicts``, in the same order."""
    if not conflicts:
        return []
    speaker = Speaker(organization.tzinfo, translation.gettext, _labels(organization, conflicts))
    waivers = _live_waivers(organization, conflicts)
    presented = []
    for conflict in conflicts:
        answer = conflict.as_dict()
        answer["message"] = render(conflict, speaker)
        answer.update(_waiver_state(conflict, waivers))
        if "waiver_voided" in answer:
            note = translation.gettext("The waiver given on this conflict no longer applies.")
            answer["message"] = f"{answer['message']} {note}"
        presented.append(answer)
    return presented


def _stored(keys: Iterable[Any]) -> set[str]:
    return {key for key in keys if isinstance(key, str)}


def _shift_keys(conflict: Conflict) -> set[str]:
    details = conflict.details
    keys = {details.get("shift_id"), details.get("other_shift_id")}
    keys |= {entry.get("shift_id") for entry in details.get("shifts", ())}
    return _stored(keys)


def _labels(organization: Organization, conflicts: Sequence[Conflict]) -> Labels:
    artist_ids = _stored(conflict.details.get("artist_id") for conflict in conflicts)
    shift_ids = set().union(*(_shift_keys(conflict) for conflict in conflicts))
    artists: dict[Key, str] = {}
    if artist_ids:
        rows = _ARTIST_NAMES(organization_id=organization.pk, ids=list(artist_ids))
        artists = {pk: f"{first} {last}".strip() for pk, first, last in rows}
    shifts: dict[Key, ShiftLabel] = {}
    if shift_ids:
        named = _SHIFT_NAMES(organization_id=organization.pk, ids=list(shift_ids))
        shifts = {pk: ShiftLabel(role, venue) for pk, role, venue in named}
    return Labels(artists, shifts)


_ARTIST_NAMES = FastRead(
    ("id", "first_name", "last_name"),
    lambda organization_id, ids: Artist.objects.filter(
        ids_in("id", ids), organization_id=organization_id
    ),
)
_SHIFT_NAMES = FastRead(
    ("id", "role__name", "venue__name"),
    lambda organization_id, ids: Shift.objects.filter(
        ids_in("id", ids), organization_id=organization_id
    ),
)


def _live_waivers(
    organization: Organization, conflicts: Sequence[Conflict]
) -> dict[tuple[str, str], list[ConflictWaiver]]:
    """Live waivers of the hard conflicts' assignments, by (assignment id, rule)."""
    assignment_ids = set().union(
        *(_stored(c.assignment_keys) for c in conflicts if c.type == WAIVABLE)
    )
    if not assignment_ids:
        return {}
    rows = ConflictWaiver.objects.filter(
        organization=organization, assignment_id__in=assignment_ids, voided_at__isnull=True
    ).order_by("waived_at", "id")
    found: dict[tuple[str, str], list[ConflictWaiver]] = {}
    for waiver in rows:
        found.setdefault((str(waiver.assignment_id), waiver.rule), []).append(waiver)
    return found


def _waiver_state(
    conflict: Conflict, waivers: dict[tuple[str, str], list[ConflictWaiver]]
) -> dict[str, Any]:
    if conflict.type != WAIVABLE or conflict.rule in NEVER_WAIVED:
        return {}
    held = [
        waiver
        for key in _stored(conflict.assignment_keys)
        for waiver in waivers.get((key, conflict.rule), ())
    ]
    if not held:
        return {}
    fingerprint = conflict.fingerprint()
    for waiver in held:
        if waiver.fingerprint == fingerprint:
            return {"waived": waiver_dict(waiver)}
    return {"waiver_voided": waiver_dict(held[-1])}


def waiver_dict(waiver: ConflictWaiver) -> dict[str, Any]:
    return {
        "id": str(waiver.pk),
        "by": waiver.waived_by_label,
        "at": waiver.waived_at.isoformat().replace("+00:00", "Z"),
        "reason": waiver.reason,
    }


def is_blocking(conflict: dict[str, Any]) -> bool:
    """A hard conflict that no waiver covers: it refuses a write and a publication."""
    return conflict.get("type") == "hard" and not conflict.get("waived")
