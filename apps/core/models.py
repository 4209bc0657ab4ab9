"""Abstract bases shared by every tenant table."""

import uuid

from django.db import models
from django.db.models.functions import Lower


class TimestampedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimestampedModel):
    """A row that belongs to exactly one organization.

    The foreign key is stored even where it could be derived (an assignment's shift
    knows its organization), so that every query can filter on it directly.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class UniquelyNamedTenantModel(TenantModel):
    """A tenant row whose ``name`` is unique in its organization, whatever its case.

    Subclasses declare ``name`` (its length is theirs) and may extend ``Meta``; the
    constraint is named ``<app>_<model>_name_ci_unique`` (``name_constraint()``), the name
    services catch.
    """

    name: str

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="%(app_label)s_%(class)s_name_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def name_constraint(cls) -> str:
        """The constraint's name, as PostgreSQL reports it when a write breaks it."""
        return f"{cls._meta.app_label}_{cls._meta.model_name}_name_ci_unique"
