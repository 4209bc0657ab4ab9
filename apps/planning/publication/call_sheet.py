"""The call sheet: who is called where and when on one local day, printed for the venue.

A production manager prints it the day before ("feuille de service"): for each venue, the
shifts starting that day in the organization's zone, and on each the people booked with
their role, call time (the shift's local start) and phone. Phones follow the contacts
policy (``apps.crew.policies.may_see_contacts``): managers see every one, a crew member
his or her own, and the others only where the organization shares crew contacts.

Managers see drafts (marked as such) and every active booking; crew members, who only
ever see the published schedule, see published shifts and the bookings they were told
about (invited or accepted). Cancelled shifts are left out. An open seat (headcount not
reached) is a row without a name, so the sheet shows who is still missing. Two queries,
whatever the day holds: the shifts, their bookings with the artists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from apps.crew import policies
from apps.orgs.models import Membership
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.publication.reports import local_day_bounds
from apps.planning.timezones import organization_zone

CREW_VISIBLE_STATUSES = (AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED)


@dataclass
class CallSheetVenue:
    id: UUID
    name: str
    address: str
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CallSheet:
    day: date
    timezone: str
    venues: list[CallSheetVenue]
    contacts_shown: bool


def call_sheet(*, membership: Membership, day: date, venue_id: UUID | None) -> CallSheet:
    """The day's call sheet for the reader ``membership``, one venue or all of them."""
    organization = membership.organization
    manager = policies.is_manager(membership.role)
    start, end = local_day_bounds(day, day, organization)
    shifts = Shift.objects.filter(
        organization=organization, start_at__gte=start, start_at__lt=end
    ).exclude(status=ShiftStatus.CANCELLED)
    if not manager:
        shifts = shifts.filter(status=ShiftStatus.PUBLISHED)
    if venue_id is not None:
        shifts = shifts.filter(venue_id=venue_id)
    shifts = shifts.select_related("venue", "role", "mission").order_by(
        "venue__name", "start_at", "role__name", "id"
    )
    statuses = ACTIVE_ASSIGNMENT_STATUSES if manager else CREW_VISIBLE_STATUSES
    shift_list = list(shifts)
    bookings: dict[UUID, list[Assignment]] = {}
    for booking in (
        Assignment.objects.filter(
            organization=organization,
            shift_id__in=[shift.pk for shift in shift_list],
            status__in=statuses,
        )
        .select_related("artist")
        .order_by("artist__last_name", "artist__first_name", "id")
    ):
        bookings.setdefault(booking.shift_id, []).append(booking)
    venues: dict[UUID, CallSheetVenue] = {}
    zone = organization_zone(organization)
    for shift in shift_list:
        venue = venues.setdefault(
            shift.venue_id, CallSheetVenue(shift.venue_id, shift.venue.name, shift.venue.address)
        )
        crew = bookings.get(shift.pk, [])
        for booking in crew:
            venue.rows.append(_row(shift, booking, zone, membership))
        for _ in range(max(shift.headcount - len(crew), 0)):
            venue.rows.append(_row(shift, None, zone, membership))
    return CallSheet(
        day=day,
        timezone=organization.timezone,
        venues=list(venues.values()),
        contacts_shown=manager or organization.crew_contacts_visible,
    )


def _row(
    shift: Shift,
    booking: Assignment | None,
    zone: Any,
    membership: Membership,
) -> dict[str, Any]:
    """One line of the sheet: a person booked, or an open seat (``artist`` None)."""
    artist = booking.artist if booking else None
    visible = artist is not None and policies.may_see_contacts(
        role=membership.role,
        user_id=membership.user_id,
        artist_user_id=artist.user_id,
        crew_contacts_visible=membership.organization.crew_contacts_visible,
    )
    return {
        "shift_id": shift.pk,
        "call_time": _clock(shift.start_at, zone),
        "end_time": _clock(shift.end_at, zone),
        "role_name": shift.role.name,
        "mission_name": shift.mission.name,
        "shift_status": shift.status,
        "artist_id": artist.pk if artist else None,
        "name": artist.full_name if artist else "",
        "status": booking.status if booking else None,
        "phone": (artist.phone or None) if visible and artist else None,
    }


def _clock(instant: datetime, zone: Any) -> str:
    return instant.astimezone(zone).strftime("%H:%M")
