"""Serializer fields with the API's input rules.

Ids of tenant objects come from the organization only: a foreign or unknown id in a body
answers 404 naming the field, exactly like a foreign id in the path, so nothing reveals
that another organization's object exists. Dates stay within the years a planning holds,
local times carry no offset, and strings are JSON strings (never numbers coerced).
"""

from __future__ import annotations

import re
from datetime import date, time
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


class LocalTimeField(serializers.TimeField):
    """A wall-clock time of the organization's zone: ``HH:MM[:SS[.ffffff]]``, no offset.

    DRF's ``TimeField`` takes ``18:30+02:00`` and silently drops the offset; a shift
    template's time has no zone of its own, so an offset is refused (400 naming the field).
    The schema documents the same pattern (``apps.core.schema.LOCAL_TIME_PATTERN``).
    """

    def to_internal_value(self, value: Any) -> time:
        if not isinstance(value, str) or not LOCAL_TIME.match(value):
            raise serializers.ValidationError(
                "Give a local time as HH:MM or HH:MM:SS, without a UTC offset."
            )
        parsed: time = super().to_internal_value(value)
        return parsed


LOCAL_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$")


def _json_string_only(self: serializers.CharField, data: Any) -> str:
    """``CharField.to_internal_value`` that takes strings only.

    DRF turns ``42`` or ``4.2`` into ``"42"``; the schema says ``string``, so a number there
    is a client's mistake, answered 400 naming the field like any other type error. Query
    strings and forms are strings already: only JSON bodies can send a number.
    """
    if not isinstance(data, str):
        self.fail("invalid")
    value = data.strip() if self.trim_whitespace else data
    return value


def install_strict_strings() -> None:
    """Make every ``CharField`` (and its subclasses: e-mail, slug, URL…) refuse non-strings.

    One switch for the whole API rather than a field class to remember in each serializer;
    called once from ``CoreConfig.ready``.
    """
    serializers.CharField.to_internal_value = _json_string_only  # type: ignore[method-assign,assignment]
