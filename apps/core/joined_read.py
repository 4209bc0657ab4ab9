"""A read of one row joined across tables, its SQL built once per process.

Why: Django compiles a queryset to SQL on every evaluation, and for a small join that
compiling costs more than PostgreSQL spends answering. Authentication reads the token's
user with their membership and organization on every API request: compiled each time,
that join took about 5 % of the service's CPU under ``make loadtest``, more than any
endpoint's own query. ``JoinedRead`` says the join once (tables, columns, conditions from
the models' metadata), keeps the SQL, and turns each row into model instances the way
the ORM does (``Model.from_db``, with the backend's and the fields' converters), so the
instances are the ones ``select_related`` would give.

Only for fixed shapes: equality conditions on columns, joins along foreign keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from django.db import connections
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=Model)


class JoinedRead(Generic[M]):
    """``SELECT`` the concrete columns of ``model`` and of the models its ``joins`` (its
    foreign keys) reach, ``WHERE`` each of ``where`` (``"field"`` of ``model``, or
    ``"join__field"``) equals its parameter, ``LIMIT 1``."""

    def __init__(self, model: type[M], joins: Sequence[str], where: Sequence[str]) -> None:
        self.model = model
        self.joins = tuple(joins)
        self.where = tuple(where)
        self._compiled: dict[str, _Compiled] = {}

    def first(self, *params: Any, using: str = "default") -> M | None:
        """The first row's instance of ``model``, its joined instances cached on it (as
        ``select_related`` leaves them), or ``None``."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = _Compiled.of(self, using)
        connection = connections[using]
        values = [
            field.get_db_prep_value(field.to_python(value), connection)
            for field, value in zip(compiled.where_fields, params, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            row = cursor.fetchone()
        if row is None:
            return None
        return cast("M", compiled.instances(row, connection))  # an instance of ``model``


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    alias: str
    fields: tuple[Field, ...]
    start: int
    via: str = ""  # the first model's foreign key this part is joined through

    @property
    def stop(self) -> int:
        return self.start + len(self.fields)

    @cached_property
    def attnames(self) -> list[str]:
        return [field.attname for field in self.fields]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    parts: tuple[_Part, ...]
    where_fields: tuple[Field, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]

    @classmethod
    def of(cls, read: JoinedRead[Any], using: str) -> _Compiled:
        connection = connections[using]
        quote = connection.ops.quote_name
        first = read.model
        parts = [_Part(first, "t0", tuple(first._meta.concrete_fields), 0)]
        joins = []
        for index, name in enumerate(read.joins, start=1):
            foreign_key = _field(first, name)
            related = foreign_key.related_model
            assert isinstance(related, type)
            assert issubclass(related, Model)
            alias = f"t{index}"
            fields = tuple(related._meta.concrete_fields)
            parts.append(_Part(related, alias, fields, parts[-1].stop, via=name))
            joins.append(
                f"INNER JOIN {quote(related._meta.db_table)} {alias} "
                f"ON t0.{quote(foreign_key.column)} = {alias}.{quote(related._meta.pk.column)}"
            )
        by_join = {part.via: part for part in parts}
        conditions = []
        where_fields: list[Field] = []
        for lookup in read.where:
            owner, _, name = lookup.rpartition("__")
            part = by_join[owner]
            field = _field(part.model, name)
            conditions.append(f"{part.alias}.{quote(field.column)} = %s")
            where_fields.append(field)
        columns = [f"{part.alias}.{quote(field.column)}" for part in parts for field in part.fields]
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(first._meta.db_table)} t0 "  # noqa: S608
            f"{' '.join(joins)} WHERE {' AND '.join(conditions)} LIMIT 1"
        )
        converters = []
        for part in parts:
            for offset, field in enumerate(part.fields):
                column = field.get_col(part.alias)
                found = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if found:
                    converters.append((part.start + offset, tuple(found), column))
        return cls(sql, tuple(parts), tuple(where_fields), tuple(converters))

    def instances(self, row: Sequence[Any], connection: Any) -> Model:
        values = list(row)
        for position, converters, column in self.converters:
            value = values[position]
            for converter in converters:
                value = converter(value, column, connection)
            values[position] = value
        built = [
            part.model.from_db(connection.alias, part.attnames, values[part.start : part.stop])
            for part in self.parts
        ]
        head = built[0]
        for link, instance in zip(self.links, built[1:], strict=True):
            link.set_cached_value(head, instance)
        return head

    @cached_property
    def links(self) -> list[Any]:
        """The first model's foreign keys the joined parts hang from (``select_related``'s
        cache)."""
        return [_field(self.parts[0].model, part.via) for part in self.parts[1:]]


def _field(model: type[Model], name: str) -> Field:
    """A concrete field of ``model`` by name or attname (``organization_id``)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
