"""Venues: names unique per organization ignoring case; a venue in use is kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.orgs.models import Organization, User
from apps.planning.catalog.services.common import (
    CatalogWrites,
    apply_fields,
    delete_unless_used,
    save_with_unique_name,
)
from apps.planning.models import Venue

VENUE_FIELDS = ("id", "name", "address", "city", "capacity", "notes")


@transaction.atomic
def venue_create(
    *,
    organization: Organization,
    actor: User | None,
    name: str,
    address: str = "",
    city: str = "",
    capacity: int | None = None,
    notes: str = "",
) -> Venue:
    venue = Venue(
        organization=organization,
        name=name,
        address=address,
        city=city,
        capacity=capacity,
        notes=notes,
    )
    save_with_unique_name(venue, label="venue")
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.VENUE_CREATE,
        entity=venue,
        after=snapshot(venue, VENUE_FIELDS),
    )
    return venue


@transaction.atomic
def venue_update(
    *, organization: Organization, actor: User | None, venue: Venue, data: Mapping[str, Any]
) -> Venue:
    venue = Venue.objects.select_for_update().get(pk=venue.pk, organization=organization)
    before = snapshot(venue, VENUE_FIELDS)
    apply_fields(venue, data, ("name", "address", "city", "capacity", "notes"))
    save_with_unique_name(venue, label="venue")
    record(
        organization=organization,
        actor=actor,
        action=AuditAction.VENUE_UPDATE,
        entity=venue,
        before=before,
        after=snapshot(venue, VENUE_FIELDS),
    )
    return venue


@transaction.atomic
def venue_delete(*, organization: Organization, actor: User | None, venue: Venue) -> None:
    delete_unless_used(
        venue,
        organization=organization,
        actor=actor,
        action=AuditAction.VENUE_DELETE,
        before=snapshot(venue, VENUE_FIELDS),
        code="venue_in_use",
        message="Missions or shifts take place at this venue.",
    )


VENUE_WRITES = CatalogWrites(venue_create, venue_update, venue_delete, "venue")
