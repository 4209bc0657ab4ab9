"""Query-string filters of the crew lists.

Ids of skills, tags and artists are checked against the caller's organization: an id
that is not one of its objects answers 404 naming the parameter, as in a path or a body.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django_filters.widgets import BaseCSVWidget

from apps.core.errors import NotFound
from apps.core.filters import TenantObjectFilter, TimeRangeFilterSet
from apps.crew.models import (
    Artist,
    Availability,
    AvailabilityKind,
    AvailabilityStatus,
    EmploymentType,
    Skill,
    Tag,
)


class RepeatableCSVWidget(BaseCSVWidget, forms.TextInput):
    """``?skills=a,b`` and ``?skills=a&skills=b`` (and a mix of both) read the same."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not hasattr(data, "getlist"):
            return super().value_from_datadict(data, files, name)
        values = data.getlist(name)
        if not values:
            return None
        return [part.strip() for value in values for part in value.split(",") if part.strip()]


class HasAllFilter(django_filters.BaseCSVFilter, django_filters.UUIDFilter):
    """Keeps the artists related (through the many-to-many ``field_name``) to every id."""

    def __init__(self, *, model: type[Skill] | type[Tag], **kwargs: Any) -> None:
        # Not ``self.model``: django-filter sets that to the filtered model on every filter.
        self.target_model = model
        kwargs.setdefault("widget", RepeatableCSVWidget)
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        ids = set(value)
        organization = self.parent.request.organization
        found = self.target_model._default_manager.filter(organization=organization, pk__in=ids)
        if found.count() != len(ids):
            raise NotFound.for_field(self.field_name)
        through = getattr(Artist, self.field_name).through
        column = f"{self.target_model._meta.model_name}_id"
        having_all = (
            through.objects.filter(**{f"{column}__in": ids})
            .values("artist_id")
            .annotate(matched=Count(column))
            .filter(matched=len(ids))
            .values("artist_id")
        )
        return qs.filter(pk__in=having_all)


class ArtistFilter(django_filters.FilterSet):
    skills = HasAllFilter(
        model=Skill,
        field_name="skills",
        help_text="Skill ids, comma-separated or repeated; the artist must have every one.",
    )
    tags = HasAllFilter(
        model=Tag,
        field_name="tags",
        help_text="Tag ids, comma-separated or repeated; the artist must have every one.",
    )
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    is_active = django_filters.BooleanFilter(help_text="true: active artists; false: inactive.")

    class Meta:
        model = Artist
        fields = ("skills", "tags", "employment_type", "is_active")


class AvailabilityFilter(TimeRangeFilterSet):
    """``from``/``to`` keep the entries overlapping the range. No filter on the reason:
    a crew member could otherwise learn why a colleague is absent."""

    artist = TenantObjectFilter(model=Artist, field_name="artist", help_text="Artist id.")
    kind = django_filters.ChoiceFilter(choices=AvailabilityKind.choices)
    status = django_filters.ChoiceFilter(choices=AvailabilityStatus.choices)

    class Meta:
        model = Availability
        fields = ("artist", "kind", "status")
