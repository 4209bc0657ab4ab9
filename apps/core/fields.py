"""Serializer fields that take ids of tenant objects from the organization only.

A foreign or unknown id in a body answers 404 naming the field, exactly like a foreign
id in the path: nothing reveals that another organization's object exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from apps.core.errors import NotFound


class TenantPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """``PrimaryKeyRelatedField`` scoped to ``context["organization"]``."""

    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("pk_field", serializers.UUIDField())
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.all()
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        organization = self.context.get("organization")
        if organization is None:
            raise RuntimeError("TenantPrimaryKeyRelatedField needs context['organization']")
        return self.model._default_manager.filter(organization=organization)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            codes = exc.get_codes()
            flat = codes if isinstance(codes, list) else [codes]
            if "does_not_exist" in flat:
                raise NotFound.for_field(self._field_path()) from exc
            raise

    def _field_path(self) -> str:
        parent = self.parent
        if isinstance(parent, serializers.ManyRelatedField):
            return parent.field_name or self.field_name or ""
        return self.field_name or ""


# Dates a planning can hold: outside them, date arithmetic overflows (year 1 or 9999).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class PlanningDateField(serializers.DateField):
    """A date within the years a planning can hold: 400 naming the field, never a 500."""

    def to_internal_value(self, value: Any) -> date:
        parsed: date = super().to_internal_value(value)
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            raise serializers.ValidationError(
                f"Give a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."
            )
        return parsed


def planning_date_field(**kwargs: Any) -> PlanningDateField:
    return PlanningDateField(**kwargs)
