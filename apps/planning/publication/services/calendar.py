"""The artist's private calendar URL and its rotation."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record
from apps.core.errors import PermissionDenied
from apps.crew.models import Artist
from apps.orgs.models import MemberRole, Membership


def calendar_url(artist: Artist) -> str:
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/api/v1/calendar/{artist.calendar_token}.ics"


def _require_may_rotate(artist: Artist, membership: Membership) -> None:
    """Managers and above, or the crew member linked to the artist."""
    is_manager = membership.has_role(MemberRole.MANAGER)
    if not is_manager and artist.user_id != membership.user_id:
        raise PermissionDenied("Only the crew member or a manager can rotate this calendar link.")


@transaction.atomic
def artist_rotate_calendar_token(*, artist: Artist, membership: Membership) -> Artist:
    """Replace the private calendar token: the old URL stops working at once.

    The audit records that it happened, never the tokens themselves.
    """
    _require_may_rotate(artist, membership)
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    artist.calendar_token = secrets.token_urlsafe(24)
    artist.save(update_fields=["calendar_token", "updated_at"])
    record(
        organization=membership.organization,
        actor=membership.user,
        action=AuditAction.ARTIST_CALENDAR_TOKEN_ROTATE,
        entity=artist,
    )
    return artist
