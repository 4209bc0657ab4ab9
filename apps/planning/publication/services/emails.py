"""The e-mail telling one artist what a publication changed, in the organization's language."""

from __future__ import annotations

from collections.abc import Collection

from django.core.mail import EmailMultiAlternatives
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime

from apps.core.emails import templated_email
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import (
    PlanningVersion,
    ShiftStatus,
)
from apps.planning.publication.services.calendar import calendar_url
from apps.planning.publication.services.diff import Entry, artist_changes


def _format_instant(value: str | None, organization: Organization) -> dict[str, str]:
    instant = parse_datetime(value or "")
    if instant is None:
        return {"date": "", "time": ""}
    local = timezone.localtime(instant, organization.tzinfo)
    return {"date": formats.date_format(local, "l j F Y"), "time": local.strftime("%H:%M")}


LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "proposed": "proposé",
        "invited": "invitation en attente de votre réponse",
        "accepted": "confirmé",
        "declined": "refusé",
        "cancelled": "annulé",
        "draft": "brouillon",
        "published": "publié",
        "start_at": "Début",
        "end_at": "Fin",
        "venue": "Lieu",
        "role": "Poste",
        "mission": "Mission",
        "status": "Statut",
        "headcount": "Effectif",
        "shift": "Service",
        "artist": "Artiste",
    },
    "en": {
        "proposed": "proposed",
        "invited": "invitation awaiting your answer",
        "accepted": "confirmed",
        "declined": "declined",
        "cancelled": "cancelled",
        "draft": "draft",
        "published": "published",
        "start_at": "Start",
        "end_at": "End",
        "venue": "Venue",
        "role": "Role",
        "mission": "Mission",
        "status": "Status",
        "headcount": "Headcount",
        "shift": "Shift",
        "artist": "Artist",
    },
}
NAMED_FIELDS = ("venue", "role", "mission")


def _readable_change(
    field: str, values: Entry, shift: Entry, organization: Organization, labels: dict[str, str]
) -> Entry:
    """One field's change in words: local times, names, statuses in the reader's language."""
    old, new = values["old"], values["new"]
    if field in ("start_at", "end_at"):
        old = " ".join(_format_instant(old, organization).values())
        new = " ".join(_format_instant(new, organization).values())
    elif field in NAMED_FIELDS:  # the diff keeps ids; the old name is not frozen
        old, new = "", shift.get(f"{field}_name", "")
    elif field == "status":
        old, new = labels.get(old, old), labels.get(new, new)
    return {"field": labels.get(field, field), "old": old, "new": new}


def _readable_item(item: Entry, organization: Organization, language: str) -> Entry:
    """An ``artist_changes`` item with local dates and times, for the e-mail templates."""
    labels = LABELS.get(language, LABELS["en"])
    shift = item["shift"] or {}
    start = _format_instant(shift.get("start_at"), organization)
    end = _format_instant(shift.get("end_at"), organization)
    return {
        "kind": item["kind"],
        "status": labels.get(item["assignment"]["status"], item["assignment"]["status"]),
        "shift_cancelled": shift.get("status") == ShiftStatus.CANCELLED,
        "date": start["date"],
        "start_time": start["time"],
        "end_time": end["time"],
        "end_date": end["date"] if end["date"] != start["date"] else "",
        "venue": shift.get("venue_name", ""),
        "mission": shift.get("mission_name", ""),
        "role": shift.get("role_name", ""),
        "changes": [
            _readable_change(field, values, shift, organization, labels)
            for field, values in item["changes"].items()
            if field not in ("shift", "artist")
        ],
    }


def schedule_changed_email(
    *, version: PlanningVersion, artist: Artist, skip_assignment_ids: Collection[str] = ()
) -> EmailMultiAlternatives | None:
    """The e-mail telling one artist what changed for him or her; ``None`` if nothing did.

    ``skip_assignment_ids``: assignments the publication invited, which the invitation
    e-mail lists (with their links) instead.
    """
    organization = version.organization
    items = [
        item
        for item in artist_changes(diff=version.diff, snap=version.snapshot, artist_id=artist.pk)
        if str(item["assignment"]["id"]) not in skip_assignment_ids
    ]
    if not items or not artist.email:
        return None
    language = organization.language
    with translation.override(language):
        context = {
            "organization": organization.name,
            "artist_name": artist.full_name,
            "version": version.number,
            "items": [_readable_item(item, organization, language) for item in items],
            "calendar_url": calendar_url(artist),
        }
    return templated_email(
        template="schedule_changed", context=context, to=artist.email, language=language
    )
