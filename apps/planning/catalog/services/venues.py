"""Venues: names unique per organization ignoring case; a venue in use is kept."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import save_audited, snapshot, update_audited
from apps.orgs.models import Organization, User
from apps.planning.catalog.services.common import (
    CatalogWrites,
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
    return save_audited(
        venue,
        fields=VENUE_FIELDS,
        organization=organization,
        actor=actor,
        action=AuditAction.VENUE_CREATE,
        save=partial(save_with_unique_name, label="venue"),
    )


@transaction.atomic
def venue_update(
    *, organization: Organization, actor: User | None, venue: Venue, data: Mapping[str, Any]
) -> Venue:
    venue = Venue.objects.select_for_update().get(pk=venue.pk, organization=organization)
    return update_audited(
        venue,
        data,
        fields=VENUE_FIELDS,
        editable=("name", "address", "city", "capacity", "notes"),
        save=partial(save_with_unique_name, label="venue"),
        organization=organization,
        actor=actor,
        action=AuditAction.VENUE_UPDATE,
    )


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
