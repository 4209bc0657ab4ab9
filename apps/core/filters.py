"""Filters for the query string, and the filter backends every list uses.

``TenantObjectFilter`` answers 404 naming the parameter when the id is not an object of
the caller's organization, as a path or body id would. The backends refuse malformed
filters with a 400 naming the parameter, and the schema documents only what works.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import django_filters
from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request

from apps.core.datetimes import InstantFilter
from apps.core.errors import NotFound, ValidationFailed


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


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, where a typed filter given empty is a 400 naming it.

    django-filter reads ``?from=`` or ``?project=`` as "no filter"; the schema says a
    date-time or a uuid, so an empty value is malformed input, not a wildcard. Free-text
    filters (``CharFilter``) keep accepting an empty string.
    """

    def get_filterset_kwargs(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            for name, declared in filterset_class.base_filters.items():
                values = request.query_params.getlist(name)
                if any(value == "" for value in values) and not _accepts_empty(declared):
                    raise ValidationFailed.for_field(name, "Give a value, or leave it out.")
                if isinstance(declared, django_filters.BooleanFilter) and any(
                    value.lower() not in BOOLEAN_VALUES for value in values
                ):
                    # django-filter reads anything else ("null", "yes") as "no filter".
                    raise ValidationFailed.for_field(name, "Give true or false.")
        return kwargs


BOOLEAN_VALUES = frozenset({"true", "false"})


def _accepts_empty(declared: django_filters.Filter) -> bool:
    return isinstance(declared, django_filters.CharFilter) and not isinstance(
        declared, (django_filters.ChoiceFilter, django_filters.MultipleChoiceFilter)
    )


class DocumentedSearchFilter(SearchFilter):
    """``search`` appears in the schema only on the views that search (``search_fields``)."""

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if not getattr(view, "search_fields", None):
            return []
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        return parameters


class StrictOrderingFilter(OrderingFilter):
    """``ordering`` by a field the list cannot be sorted on is a 400, not silently ignored.

    The schema lists the accepted values (each field, ``-field`` for descending).
    """

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        terms = [term for term in fields if term.strip()]
        valid: list[str] = super().remove_invalid_fields(queryset, terms, view, request)
        if len(valid) != len(terms):
            raise ValidationFailed.for_field(
                self.ordering_param, "Sort on one of the documented fields."
            )
        return valid

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        names = self._orderable(view)
        if names:
            for parameter in parameters:
                parameter["schema"] = {
                    "type": "string",
                    "enum": [*names, *(f"-{name}" for name in names)],
                }
        return parameters

    def _orderable(self, view: Any) -> list[str]:
        try:
            queryset = view.get_queryset()
            fields = self.get_valid_fields(queryset, view, {"request": None})
        except Exception:  # noqa: BLE001 - a view that cannot say: document a plain string
            return []
        return [name for name, _label in fields]
