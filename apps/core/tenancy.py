"""Same-organization checks for services that receive related objects."""

from __future__ import annotations

from django.db import models

from apps.core.errors import NotFound
from apps.orgs.models import Organization


def require_in_organization(obj: models.Model, organization: Organization, field: str) -> None:
    """Same answer for "missing" and "not yours": 404 naming the field, as in the API."""
    if getattr(obj, "organization_id", None) != organization.pk:
        raise NotFound.for_field(field)
