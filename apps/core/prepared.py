"""Reads whose SQL the ORM writes once per process: ``PreparedRead``.

Why: under ``make loadtest`` a third of the server's CPU went to building querysets and
compiling them to SQL (``QuerySet.filter``, ``SQLCompiler.as_sql``), for a few dozen reads
whose SQL never changes, only their values. A ``PreparedRead`` wraps the function that
builds one of them; the first call of each shape builds it with marker values, compiles it
and notes where each marker landed among the SQL's parameters. Every later call puts its
own values in those places and runs the SQL: the ORM still converts the rows (its
converters), nothing is built or compiled again. A read of the windows of three artists
took 630 µs to build and compile, for 400 µs to run.

The builder's contract, checked when a shape is prepared (``PreparationError``, raised on
the first call, so every test that reaches the read checks it):

- it is called with keyword values only and returns a ``values_list`` queryset (tuples);
- each value reaches the SQL as it was given, never through arithmetic or a method: the
  builder is built twice with different markers, and the SQL and every other parameter
  must come out the same (a value derived in Python would stay frozen at the marker's).
  A value may not reach it at all, where the ORM drops a branch (``__in=[]`` in an
  ``AND``): the SQL does not depend on it, as both builds show;
- a collection of ids goes as one array (``ids_in``, ``= ANY(%s)``), never ``__in``,
  whose SQL has one placeholder per element;
- ``None``, booleans and empty collections are part of the shape (an optional filter is
  built or not), not values: each combination is prepared on its own.

Other databases than PostgreSQL (the embedded SQLite of ``make run``) run the builder each
time: the reads give the same rows either way, only slower.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

Row = tuple[Any, ...]
Shape = tuple[tuple[str, str], ...]

# Kinds of value: the first three vary between calls (a marker stands for them when the read
# is prepared); ``None``, booleans and empty collections are constants of the shape. No
# numbers: a marker out of an integer field's range would meet Django's overflow checks,
# which make a lookup always false (or drop it), and freeze that into the shape.
INSTANT, TEXT, IDS = "instant", "text", "ids"
CONSTANTS: dict[str, Any] = {"None": None, "True": True, "False": False, "empty": ()}
MARKER_EPOCH = datetime(2999, 1, 1, tzinfo=UTC)
DATABASE = "default"  # no routers: every read of the project goes there


class PreparationError(RuntimeError):
    """A builder broke the contract above: a programming error, never a user's."""


def kind_of(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, datetime):
        return INSTANT
    if isinstance(value, str | UUID):
        return TEXT
    if isinstance(value, Collection):
        return IDS if value else "empty"
    raise PreparationError(f"A prepared read takes instants, text or ids: {value!r}.")


class PreparedRead:
    """A read built by ``build(**values)``, compiled once per shape, run with new values."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self._plans: dict[Shape, _Plan | _Nothing] = {}
        self._lock = threading.Lock()

    def __call__(self, **values: Any) -> list[Row]:
        """The rows of the read for ``values``, as ``list(build(**values))`` gives them."""
        if connections[DATABASE].vendor != "postgresql":
            return list(self.build(**values))
        shape = tuple(sorted((name, kind_of(value)) for name, value in values.items()))
        plan = self._plans.get(shape)
        if plan is None:
            with self._lock:
                plan = self._plans.get(shape) or _prepare(self.build, shape)
                self._plans[shape] = plan
        return plan.run(values)


@dataclass(frozen=True)
class _Slot:
    index: int
    name: str
    as_uuid: bool  # Django bound the marker as a ``UUID``: bind the value the same way


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    compiler: SQLCompiler  # the marker-built query's, for its converters (read only)
    converters: dict[int, Any]
    width: int | None  # columns to keep when the ordering added some to the SELECT

    def run(self, values: dict[str, Any]) -> list[Row]:
        params = list(self.params)
        for slot in self.slots:
            value = values[slot.name]
            if slot.as_uuid:
                value = value if isinstance(value, UUID) else UUID(str(value))
            elif isinstance(value, Collection) and not isinstance(value, str):
                value = [str(item) for item in value]
            params[slot.index] = value
        with connections[self.compiler.using or DATABASE].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows: list[Row] = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


class _Nothing:
    """A shape whose query the ORM knows is empty (``__in=[]`` in an ``AND``): no query,
    as the ORM would run none."""

    def run(self, values: dict[str, Any]) -> list[Row]:
        return []


def _prepare(build: Callable[..., QuerySet[Any]], shape: Shape) -> _Plan | _Nothing:
    first, second = _markers(shape), _markers(shape)
    try:
        compiler, sql, params = _compiled(build, shape, first)
    except EmptyResultSet:
        return _Nothing()
    _, other_sql, other_params = _compiled(build, shape, second)
    slots = tuple(
        slot for index, param in enumerate(params) for slot in _slots_of(index, param, first)
    )
    if other_sql != sql or len(other_params) != len(params):
        raise PreparationError(f"{build.__qualname__}: the SQL depends on the values.")
    placed = {slot.index for slot in slots}
    for index, (one, two) in enumerate(zip(params, other_params, strict=True)):
        if index not in placed and one != two:
            raise PreparationError(
                f"{build.__qualname__}: parameter {index} is computed from a value."
            )
    fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(fields):
        raise PreparationError(f"{build.__qualname__}: composite keys are not prepared.")
    return _Plan(
        sql=sql,
        params=tuple(params),
        slots=slots,
        compiler=compiler,
        converters=compiler.get_converters(fields),
        width=compiler.col_count if compiler.has_extra_select else None,
    )


def _compiled(
    build: Callable[..., QuerySet[Any]], shape: Shape, markers: dict[str, Any]
) -> tuple[SQLCompiler, str, list[Any]]:
    values = {name: markers.get(name, CONSTANTS.get(kind)) for name, kind in shape}
    queryset = build(**values)
    if queryset._iterable_class is not ValuesListIterable:
        raise PreparationError(f"{build.__qualname__} must return values_list(...) rows.")
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, list(params)


def _markers(shape: Shape) -> dict[str, Any]:
    """A value for each varying name that no query holds by chance."""
    markers: dict[str, Any] = {}
    for name, kind in shape:
        if kind == INSTANT:
            offset = timedelta(microseconds=secrets.randbelow(10**15))
            markers[name] = MARKER_EPOCH + offset
        elif kind == TEXT:
            markers[name] = str(uuid4())
        elif kind == IDS:
            markers[name] = [str(uuid4())]
    return markers


def _slots_of(index: int, param: Any, markers: dict[str, Any]) -> list[_Slot]:
    found = []
    for name, marker in markers.items():
        if param == marker:
            found.append(_Slot(index, name, as_uuid=False))
        elif isinstance(param, UUID) and isinstance(marker, str) and str(param) == marker:
            found.append(_Slot(index, name, as_uuid=True))
        elif isinstance(marker, list) and param in (marker[0], UUID(marker[0])):
            raise PreparationError(f"{name}: ids bound one by one (__in); use ids_in.")
    return found
