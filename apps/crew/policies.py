"""Who may see and write what in the crew app: small pure predicates.

Kept apart from services and serializers because both ask the same questions: the
serializers to leave private fields out, the services to refuse writes.
"""

from __future__ import annotations

from typing import Any

from apps.orgs.models import MemberRole


def is_manager(role: str) -> bool:
    """Managers and above plan, so they see and edit every crew member's data."""
    return MemberRole.at_least(role, MemberRole.MANAGER)


def is_own(*, user_id: Any, artist_user_id: Any) -> bool:
    """The artist is the one linked to this user account."""
    return artist_user_id is not None and str(artist_user_id) == str(user_id)


def may_see_private(*, role: str, user_id: Any, artist_user_id: Any) -> bool:
    """Rates, absence reasons and notes: managers and above, and the artist himself."""
    return is_manager(role) or is_own(user_id=user_id, artist_user_id=artist_user_id)


def may_see_contacts(
    *, role: str, user_id: Any, artist_user_id: Any, crew_contacts_visible: bool
) -> bool:
    """E-mail and phone: managers and above, the artist himself, and other crew members
    only where the organization shares crew contacts (``crew_contacts_visible``)."""
    return crew_contacts_visible or may_see_private(
        role=role, user_id=user_id, artist_user_id=artist_user_id
    )
