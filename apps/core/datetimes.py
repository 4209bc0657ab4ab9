"""Instants that come from clients: validated and normalized to UTC at the boundary.

Two inputs used to reach the database or date arithmetic and answer 500:

- a UTC offset Python accepts but PostgreSQL refuses (``+20:00``: "time zone
  displacement out of range"): offsets must lie within ±15:59, then the value is
  converted to UTC, so no client offset ever reaches a query;
- years at the ends of the calendar (1 or 9999), where adding a day or a time zone
  overflows (``OverflowError``): instants must lie between 1900 and 2999, the years a
  planning can hold (``apps.core.fields.EARLIEST_DATE``/``LATEST_DATE``).

``InstantField`` (serializers), ``InstantFilter`` (django-filter query parameters),
``parse_instant`` (a hand-read parameter) and ``check_range`` (``from``/``to`` order and
length) are the one implementation every endpoint uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField
from rest_framework import serializers

from apps.core.errors import ValidationFailed
from apps.core.fields import EARLIEST_DATE, LATEST_DATE

MAX_UTC_OFFSET = timedelta(hours=15, minutes=59, seconds=59)
EARLIEST_INSTANT = datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC)
LATEST_INSTANT = datetime.combine(LATEST_DATE, time.max, tzinfo=UTC)

OFFSET_MESSAGE = "The UTC offset must be between -15:59 and +15:59."
RANGE_MESSAGE = (
    f"Give a date and time between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."
)


class InstantError(ValueError):
    """Why a parsed datetime is refused; the message is for the client."""


def normalize_instant(value: datetime, default_zone: Any = None) -> datetime:
    """An aware UTC datetime within the supported years, or ``InstantError``.

    A naive value is read in ``default_zone`` (UTC when none is given).
    """
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise InstantError(RANGE_MESSAGE)
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise InstantError(OFFSET_MESSAGE)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, default_zone or UTC)
    instant = value.astimezone(UTC)
    if not EARLIEST_INSTANT <= instant <= LATEST_INSTANT:
        raise InstantError(RANGE_MESSAGE)
    return instant


class InstantField(serializers.DateTimeField):
    """``DateTimeField`` answering a UTC instant within the supported years (else 400)."""

    default_error_messages = {"instant": "{message}"}

    def enforce_timezone(self, value: datetime) -> datetime:
        # ``timezone`` is set when the field was given a ``default_timezone``.
        zone = getattr(self, "timezone", None) or self.default_timezone()
        try:
            return normalize_instant(value, zone)
        except InstantError as exc:
            self.fail("instant", message=str(exc))


class InstantFormField(IsoDateTimeField):
    def to_python(self, value: Any) -> datetime | None:
        parsed: datetime | None = super().to_python(value)
        if parsed is None:
            return None
        try:
            return normalize_instant(parsed)
        except InstantError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class InstantFilter(django_filters.IsoDateTimeFilter):
    """``IsoDateTimeFilter`` whose value is a validated UTC instant (else 400 naming it)."""

    field_class = InstantFormField


def parse_instant(raw: str, *, field: str, require_offset: bool = True) -> datetime:
    """A query parameter read by hand: a UTC instant, or 400 naming ``field``."""
    try:
        parsed = parse_datetime(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationFailed.for_field(field, "Not a valid date and time.")
    if require_offset and timezone.is_naive(parsed):
        raise ValidationFailed.for_field(field, "Give a time zone offset.")
    try:
        return normalize_instant(parsed)
    except InstantError as exc:
        raise ValidationFailed.for_field(field, str(exc)) from exc


def check_range(
    start: datetime | None,
    end: datetime | None,
    *,
    max_length: timedelta | None = None,
    start_name: str = "from",
    end_name: str = "to",
) -> None:
    """``end`` after ``start`` and at most ``max_length`` later (400 naming ``end_name``)."""
    if start is None or end is None:
        return
    if end <= start:
        raise serializers.ValidationError({end_name: [f"Must be after {start_name}."]})
    if max_length is not None and end - start > max_length:
        raise serializers.ValidationError(
            {end_name: [f"The range is at most {max_length.days} days."]}
        )
