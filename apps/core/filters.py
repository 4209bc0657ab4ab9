"""Filters for ids that come in the query string.

``TenantObjectFilter`` answers 404 naming the parameter when the id is not an object of
the caller's organization, as a path or body id would.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Model, QuerySet

from apps.core.datetimes import InstantFilter
from apps.core.errors import NotFound


class TenantObjectFilter(django_filters.UUIDFilter):
    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        # Not ``self.model``: django-filter sets that to the filtered model on every filter.
        self.target_model = model
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        organization = self.parent.request.organization
        target = self.target_model._default_manager
        if not target.filter(organization=organization, pk=value).exists():
            raise NotFound.for_field(self._param_name())
        return qs.filter(**{self.field_name: value})

    def _param_name(self) -> str:
        for name, candidate in self.parent.filters.items():
            if candidate is self:
                return str(name)
        return str(self.field_name)


class TimeRangeFilterSet(django_filters.FilterSet):
    """``from``/``to``: the one pair of instant filters that bound a list in time.

    By default they keep rows whose ``[start_at, end_at)`` overlaps the range; a subclass
    names other fields, lookups and labels in ``from_filter``/``to_filter`` (field, lookup,
    label). ``from`` is a Python keyword, so the two filters are added by name in
    ``get_filters`` rather than declared as attributes. Both are ``InstantFilter``s:
    validated (offset, supported years) and normalized to UTC, else 400 naming them.
    """

    from_filter: ClassVar[tuple[str, str, str]] = (
        "end_at",
        "gt",
        "Overlaps the range from (ISO 8601).",
    )
    to_filter: ClassVar[tuple[str, str, str]] = (
        "start_at",
        "lt",
        "Overlaps the range until (ISO 8601).",
    )

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters: dict[str, django_filters.Filter] = super().get_filters()
        for name, (field_name, lookup_expr, label) in (
            ("from", cls.from_filter),
            ("to", cls.to_filter),
        ):
            filters[name] = InstantFilter(
                field_name=field_name, lookup_expr=lookup_expr, label=label
            )
        return filters
