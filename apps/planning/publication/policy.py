"""The organization's crew follow-up settings (``CrewPolicy``): read with defaults, update.

No row means the settings' defaults (``CREW_INVITATION_REMINDER_DELAY_HOURS`` = 48,
``CREW_INVITATION_REMINDER_MAX`` = 2, ``CREW_OPEN_SHIFT_CLAIM_MODE`` = ``approval``);
the first update stores the row.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import apply_fields, save_audited, snapshot
from apps.orgs.models import Organization, User
from apps.planning.models import CrewPolicy

POLICY_FIELDS = (
    "invitation_reminder_delay_hours",
    "invitation_reminder_max",
    "open_shift_claim_mode",
)


def crew_policy(organization: Organization) -> CrewPolicy:
    """The organization's follow-up settings; an unsaved row of defaults when none is stored."""
    policy = CrewPolicy.objects.filter(organization=organization).first()
    return policy or CrewPolicy(organization=organization)


@transaction.atomic
def crew_policy_update(
    *, organization: Organization, actor: User, data: dict[str, Any]
) -> CrewPolicy:
    """Change some of the settings (validated by the caller's serializer); audited."""
    policy = CrewPolicy.objects.select_for_update().filter(organization=organization).first()
    if policy is None:
        policy = CrewPolicy(organization=organization)
    before = None if policy._state.adding else snapshot(policy, POLICY_FIELDS)
    apply_fields(policy, data, POLICY_FIELDS)
    return save_audited(
        policy,
        fields=POLICY_FIELDS,
        organization=organization,
        actor=actor,
        action=AuditAction.CREW_POLICY_UPDATE,
        before=before,
    )
