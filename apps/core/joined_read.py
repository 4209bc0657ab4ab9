"""A read of one row joined across tables, as model instances: ``JoinedRead``.

Why: authentication reads the token's user with their membership and organization on
every API request, and Django built and compiled that join each time: about 5 % of the
service's CPU under ``make loadtest``, more than any endpoint's own query. ``JoinedRead``
says the join once (a ``values_list`` over the model's concrete columns and those of the
models its ``joins`` reach), runs it as a prepared read (``apps.core.prepared``: compiled
once per process, converted by the ORM's converters), and turns the row into model
instances the way the ORM does (``Model.from_db``), so they are the ones
``select_related`` would give.

Only for fixed shapes: equality conditions, joins along foreign keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from django.db.models import Field, Model, QuerySet

from apps.core.prepared import DATABASE, PreparedRead

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    attnames: tuple[str, ...]
    start: int
    via: str = ""  # the first model's foreign key this part is joined through

    @property
    def stop(self) -> int:
        return self.start + len(self.attnames)


class JoinedRead(Generic[M]):
    """The concrete columns of ``model`` and of the models its ``joins`` (its foreign keys)
    reach, ``WHERE`` each of ``where`` (``"field"`` of ``model``, or ``"join__field"``)
    equals its parameter, ``LIMIT 1``."""

    def __init__(self, model: type[M], joins: Sequence[str], where: Sequence[str]) -> None:
        self.model = model
        self.joins = tuple(joins)
        self.where = tuple(where)
        self._read = PreparedRead(self._queryset)

    def first(self, *params: Any) -> M | None:
        """The first row's instance of ``model``, its joined instances cached on it (as
        ``select_related`` leaves them), or ``None``. A parameter its field cannot take is
        a ``ValidationError``, before any query."""
        values = {
            lookup: field.to_python(value)
            for lookup, field, value in zip(self.where, self._where_fields, params, strict=True)
        }
        rows = self._read(**values)
        if not rows:
            return None
        return cast("M", self._instances(rows[0]))  # an instance of ``model``

    def _queryset(self, **values: Any) -> QuerySet[Any]:
        columns = [
            f"{part.via}__{name}" if part.via else name
            for part in self._parts
            for name in part.attnames
        ]
        rows = self.model._base_manager.filter(**values).order_by().values_list(*columns)
        return rows[:1]

    def _instances(self, row: Sequence[Any]) -> Model:
        built = [
            part.model.from_db(DATABASE, list(part.attnames), row[part.start : part.stop])
            for part in self._parts
        ]
        head = built[0]
        for link, instance in zip(self._links, built[1:], strict=True):
            link.set_cached_value(head, instance)
        return head

    @cached_property
    def _parts(self) -> list[_Part]:
        parts = [_Part(self.model, _attnames(self.model), 0)]
        for name in self.joins:
            related = _field(self.model, name).related_model
            assert isinstance(related, type)
            assert issubclass(related, Model)
            parts.append(_Part(related, _attnames(related), parts[-1].stop, via=name))
        return parts

    @cached_property
    def _links(self) -> list[Any]:
        """The first model's foreign keys the joined parts hang from (``select_related``'s
        cache)."""
        return [_field(self.model, part.via) for part in self._parts[1:]]

    @cached_property
    def _where_fields(self) -> list[Field]:
        by_join = {part.via: part.model for part in self._parts}
        fields = []
        for lookup in self.where:
            owner, _, name = lookup.rpartition("__")
            fields.append(_field(by_join[owner], name))
        return fields


def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _field(model: type[Model], name: str) -> Field:
    """A concrete field of ``model`` by name or attname (``organization_id``)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
