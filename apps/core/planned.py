"""Read-only model serializers rendered from a plan: DRF's output at a fraction of its cost.

DRF renders each field of each row on its own: ``get_attribute`` walks the field's
``source_attrs`` (with its ``SkipField`` and ``PKOnlyObject`` checks), then the field's
``to_representation`` runs, and a ``DateTimeField`` looks the current time zone up again
for every value. A page of 50 shifts of 16 fields took as long as reading them from the
database, and the shift list is read (and missed, under steady writes) more than any list.

``PlannedRepresentation`` makes a plan once per serializer instance (a list's child serves
every row of the page): for each field, a getter and a converter. A field is planned when
what it reads is known from the model (a concrete column, or a column through foreign keys
that cannot be null) and its type converts in a known way: ids to their dashed text,
instants in ISO 8601 in the time zone that is current when the plan is made (as DRF's own
conversion, with its ``Z`` for UTC), integers, text. Any other field (a method, a related
field, a custom type, a nullable step) is rendered by DRF's own code, in its place. The
output is DRF's, key for key and value for value
(``tests/core/test_planned.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField, empty
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

Converter = Callable[[Any], Any]
# (name, getter, converter), or (name, field, None) for a field DRF renders itself.
Step = tuple[str, Any, Converter | None]


class PlannedRepresentation:
    """Mixed into a read-only ``ModelSerializer`` (before it): see the module docstring."""

    _plan: list[Step]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = self._make_plan()
        represented: dict[str, Any] = {}
        for name, get, convert in plan:
            if convert is None:  # DRF's own rendering of this field
                _render_as_drf(represented, get, instance)
                continue
            value = get(instance)
            represented[name] = None if value is None else convert(value)
        return represented

    def _make_plan(self) -> list[Step]:
        model = self.Meta.model  # type: ignore[attr-defined]
        zone = timezone.get_current_timezone()
        plan: list[Step] = []
        for field in self._readable_fields:  # type: ignore[attr-defined]
            convert = _converter(field, zone)
            if convert is not None and _plain_source(model, field.source_attrs):
                plan.append((field.field_name, attrgetter(".".join(field.source_attrs)), convert))
            else:
                plan.append((field.field_name, field, None))
        return plan


def _render_as_drf(represented: dict[str, Any], field: serializers.Field, instance: Any) -> None:
    """One field as ``Serializer.to_representation`` renders it."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    represented[str(field.field_name)] = (
        None if check_for_none is None else field.to_representation(attribute)
    )


def _converter(field: serializers.Field, zone: Any) -> Converter | None:
    """How a value of ``field`` is rendered, where DRF's rendering is known to be this."""
    kind = type(field)
    if kind is serializers.UUIDField and getattr(field, "uuid_format", "") == "hex_verbose":
        return str
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.CharField:
        return str
    if kind is serializers.DateTimeField and _iso_in_current_zone(field):
        return lambda value: _iso(value.astimezone(zone))
    return None


def _iso_in_current_zone(field: serializers.Field) -> bool:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        isinstance(output_format, str)
        and output_format.lower() == ISO_8601
        and not hasattr(field, "timezone")
        and field.default is empty
    )


def _iso(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _plain_source(model: type[models.Model], source_attrs: list[str]) -> bool:
    """Whether ``source_attrs`` reads a stored column of ``model``: through foreign keys that
    are never null, ending on a concrete field (``mission.project_id``); then an attribute
    read gives what DRF's ``get_attribute`` would, without its checks."""
    if not source_attrs:
        return False
    for step in source_attrs[:-1]:
        try:
            relation = model._meta.get_field(step)
        except FieldDoesNotExist:
            return False
        if not (isinstance(relation, models.ForeignKey) and not relation.null):
            return False
        model = relation.related_model  # type: ignore[assignment]
    last = source_attrs[-1]
    for field in model._meta.concrete_fields:
        if last in (field.name, field.attname) and not (field.is_relation and last == field.name):
            return True
    return False
