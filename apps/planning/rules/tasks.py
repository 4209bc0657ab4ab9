"""The job that recomputes an organization's stored conflicts (after a rule change).

Thin and idempotent: it takes an id and calls ``rules.stored.recompute_apart``,
which replaces every stored row from scratch, so a second delivery only does the same
work again. Delivery is at least once (``acks_late``); database errors are retried with
backoff. While it waits, reads compute their conflicts themselves (``recomputing``).
Once it is done, every cached read of the organization is made stale
(``recompute_apart``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.orgs.models import Organization
from apps.planning.rules.stored import recompute_apart


@shared_task(
    name="planning.recompute_conflicts",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def recompute_conflicts(organization_id: str) -> int:
    """Recompute every stored conflict of the organization; the number of conflicts."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:  # deleted meanwhile: its rows went with it
        return 0
    return recompute_apart(organization)
