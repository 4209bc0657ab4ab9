"""Serializer fields that take ids of tenant objects from the organization only.

A foreign or unknown id in a body answers 404 naming the field, exactly like a foreign
id in the path: nothing reveals that another organization's object exists.
"""

from __future__ import annotations

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
