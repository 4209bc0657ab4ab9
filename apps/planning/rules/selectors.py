"""Reads behind the rules: an organization's rule settings and the facts checks need.

Each function is one set-based query (or a fixed few), whatever the number of ids it is
given, so a conflict check costs the same number of queries for one assignment and for
a month of them. Rows come back as tuples (``values_list``), not model instances: a
month is thousands of rows and the rules only need a few columns of each.

Ids come back as their canonical text (``"5b0c3f9e-1d7a-..."``), not ``UUID`` objects,
and instants as floats turned into datetimes (see ``IdText`` and ``Epoch``): a month is
some 30,000 ids and 18,000 instants, and these two choices halve the time of reading
them and of every dictionary lookup the rules make with them. The facts are therefore
keyed by id strings, which is also what the JSON answers carry.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.sql.compiler import SQLCompiler

from apps.core.errors import NotFound
from apps.core.prepared import PreparedRead
from apps.crew.models import Artist, Availability, AvailabilityKind, AvailabilityStatus
from apps.orgs.models import Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    RuleSetting,
    Shift,
    ShiftStatus,
)
from apps.planning.rules import catalog
from apps.planning.rules.facts import ArtistFact, Key, RuleConfig, Window


class FastRead:
    """``fast_rows`` of the queryset ``build(**values)`` filters, prepared once per shape
    (``apps.core.prepared``): for the reads a board or a write runs every time."""

    def __init__(self, columns: tuple[str, ...], build: Callable[..., QuerySet[Any]]) -> None:
        self.columns = columns

        @wraps(build)
        def read(**values: Any) -> QuerySet[Any]:
            return fast_query(build(**values), columns)

        self._read = PreparedRead(read)

    def __call__(self, **values: Any) -> list[tuple[Any, ...]]:
        return fast_values(self._read(**values), self.columns)


_RULE_SETTINGS = PreparedRead(
    lambda organization_id: RuleSetting.objects.filter(organization_id=organization_id).values_list(
        "code", "severity", "enabled", "params"
    )
)


def rule_overrides(*, organization: Organization) -> list[catalog.RuleOverride]:
    """The organization's ``RuleSetting`` rows (one query)."""
    rows = _RULE_SETTINGS(organization_id=organization.pk)
    return [catalog.RuleOverride(*row) for row in rows]


def rule_configs(*, organization: Organization) -> dict[str, RuleConfig]:
    """Every rule as the organization runs it (one query; none when ``shared_reads``
    already read them)."""
    shared = _SHARED.get()
    if shared is not None and organization.pk in shared.configs:
        return dict(shared.configs[organization.pk])
    configs = catalog.resolve(rule_overrides(organization=organization))
    if shared is not None:
        shared.configs[organization.pk] = dict(configs)
    return configs


# --- Reads shared by one write's check and its conflict upkeep ---------------------------


@dataclass
class _Shared:
    """What ``shared_reads`` keeps: rule settings per organization, shift rows by id,
    required skills per role, and per artist their skills, whether they declare windows,
    and their windows over a period (``low``, ``high``) wider than asked, so the upkeep's
    later read fits in it."""

    configs: dict[Any, dict[str, RuleConfig]] = field(default_factory=dict)
    shifts: dict[Key, ShiftRow | None] = field(default_factory=dict)
    roles: dict[Key, tuple[frozenset[Key], dict[Key, str]]] = field(default_factory=dict)
    artists: dict[tuple[Any, Key], tuple[datetime, datetime, ArtistFact]] = field(
        default_factory=dict
    )


_SHARED: ContextVar[_Shared | None] = ContextVar("planning_shared_reads", default=None)
# How much wider than asked a shared read of an artist's windows is: the upkeep reads up to
# a week, a rest and ``stored.MARGIN`` (nine days) around the written assignment.
SHARED_PAD = timedelta(days=21)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within it, the rule settings, the shifts' rows (``stored_shift_rows``), the
    roles' required skills and the artists' facts are read once and reused: a write's
    check and the conflict upkeep its audit entry triggers read the same facts
    (``rules.conflicts.detect_rows``), so the upkeep needs none of those queries again.

    Only around writes that change none of them (an assignment's create, status or
    move): a write of rule settings, shifts, skills, roles or availabilities must read
    them afresh. Nested uses share the outer one.
    """
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set(_Shared())
    try:
        yield
    finally:
        _SHARED.reset(token)


def rule_list(*, organization: Organization) -> list[catalog.EffectiveRule]:
    """The catalog merged with the organization's settings, in catalog order (one query)."""
    return catalog.effective_rules(rule_overrides(organization=organization))


def rule_get(*, organization: Organization, code: str) -> catalog.EffectiveRule:
    """One rule as the organization runs it; an unknown code is a 404."""
    if code not in catalog.CATALOG:
        raise NotFound(f"No rule '{code}' in the catalog.")
    return next(rule for rule in rule_list(organization=organization) if rule.code == code)


_ROLE_SKILLS = FastRead(
    ("role_id", "skill_id", "skill__name"),
    lambda role_ids: Role.required_skills.through.objects.filter(ids_in("role_id", role_ids)),
)


def role_skills(role_ids: Collection[Key]) -> tuple[dict[Key, frozenset[Key]], dict[Key, str]]:
    """Required skills per role, and the names of those skills (one query).

    Roles are tenant rows already scoped by the caller (ids come from the organization's
    shifts); the through table has no organization column of its own.
    """
    if not role_ids:
        return {}, {}
    shared = _SHARED.get()
    if shared is not None and all(role in shared.roles for role in role_ids):
        return _shared_roles(shared, role_ids)
    required: dict[Key, set[Key]] = {}
    names: dict[Key, str] = {}
    for role_id, skill_id, name in _ROLE_SKILLS(role_ids=list(role_ids)):
        required.setdefault(role_id, set()).add(skill_id)
        names[skill_id] = name
    if shared is not None:
        for role in role_ids:
            skills = frozenset(required.get(role, ()))
            shared.roles[role] = (skills, {skill: names[skill] for skill in skills})
    return {role: frozenset(skills) for role, skills in required.items()}, names


def _shared_roles(
    shared: _Shared, role_ids: Collection[Key]
) -> tuple[dict[Key, frozenset[Key]], dict[Key, str]]:
    required: dict[Key, frozenset[Key]] = {}
    names: dict[Key, str] = {}
    for role in role_ids:
        skills, named = shared.roles[role]
        if skills:
            required[role] = skills
            names.update(named)
    return required, names


def artist_facts(
    *, organization: Organization, artist_ids: Collection[Key], start: datetime, end: datetime
) -> dict[Key, ArtistFact]:
    """Skills, absences and declared windows of the artists around ``[start, end)``.

    Three queries: the artists (with "has ever declared an approved window"), their
    skills, and their availabilities overlapping the period.
    """
    if not artist_ids:
        return {}
    shared = _SHARED.get()
    if shared is None:
        return _artist_facts(organization, artist_ids, start, end)
    held = [shared.artists.get((organization.pk, artist)) for artist in artist_ids]
    if all(item is not None and item[0] <= start and item[1] >= end for item in held):
        return {
            fact.id: _within(fact, start, end)
            for _, _, fact in (item for item in held if item is not None)
        }
    low, high = start - SHARED_PAD, end + SHARED_PAD
    loaded = _artist_facts(organization, artist_ids, low, high)
    for artist, fact in loaded.items():
        shared.artists[(organization.pk, artist)] = (low, high, fact)
    return {artist: _within(fact, start, end) for artist, fact in loaded.items()}


def _within(fact: ArtistFact, start: datetime, end: datetime) -> ArtistFact:
    """The artist's facts with only the windows overlapping ``[start, end)``: what a read
    of that period finds."""

    def overlapping(windows: tuple[Window, ...]) -> tuple[Window, ...]:
        return tuple(w for w in windows if w.start_at < end and w.end_at > start)

    return replace(
        fact,
        absences=overlapping(fact.absences),
        pending_absences=overlapping(fact.pending_absences),
        available_windows=overlapping(fact.available_windows),
    )


def _declares(*, organization_id: Any, artist_ids: list[str]) -> QuerySet[Any]:
    """The artists, each with whether they ever declared an approved window."""
    declared = Availability.objects.filter(
        artist_id=OuterRef("pk"),
        kind=AvailabilityKind.AVAILABLE,
        status=AvailabilityStatus.APPROVED,
    )
    artists = Artist.objects.filter(ids_in("id", artist_ids), organization_id=organization_id)
    return artists.annotate(declares=Exists(declared))


_DECLARES = FastRead(("id", "declares"), _declares)
_ARTIST_SKILLS = FastRead(
    ("artist_id", "skill_id"),
    lambda artist_ids: Artist.skills.through.objects.filter(ids_in("artist_id", artist_ids)),
)


def _artist_facts(
    organization: Organization, artist_ids: Collection[Key], start: datetime, end: datetime
) -> dict[Key, ArtistFact]:
    declares: dict[Key, bool] = dict(
        _DECLARES(organization_id=organization.pk, artist_ids=list(artist_ids))
    )
    skills: dict[Key, set[Key]] = {}
    for artist_id, skill_id in _ARTIST_SKILLS(artist_ids=list(declares)):
        skills.setdefault(artist_id, set()).add(skill_id)
    windows = _windows(organization=organization, artist_ids=list(declares), start=start, end=end)
    return {
        artist_id: ArtistFact(
            id=artist_id,
            skill_ids=frozenset(skills.get(artist_id, ())),
            absences=tuple(windows[artist_id]["absence"]),
            pending_absences=tuple(windows[artist_id]["pending"]),
            available_windows=tuple(windows[artist_id]["available"]),
            declares_windows=bool(declares[artist_id]),
        )
        for artist_id in declares
    }


WINDOW_COLUMNS = ("id", "artist_id", "kind", "status", "start_at", "end_at")


def _window_rows(
    *, organization_id: Any, artist_ids: list[str], start: datetime, end: datetime
) -> QuerySet[Any]:
    relevant = Q(
        kind=AvailabilityKind.UNAVAILABLE,
        status__in=[AvailabilityStatus.APPROVED, AvailabilityStatus.PENDING],
    ) | Q(kind=AvailabilityKind.AVAILABLE, status=AvailabilityStatus.APPROVED)
    availabilities = Availability.objects.filter(
        relevant,
        ids_in("artist_id", artist_ids),
        organization_id=organization_id,
        start_at__lt=end,
        end_at__gt=start,
    ).order_by("start_at", "end_at")
    return availabilities


_WINDOWS = FastRead(WINDOW_COLUMNS, _window_rows)


def _windows(
    *, organization: Organization, artist_ids: Collection[Any], start: datetime, end: datetime
) -> dict[Key, dict[str, list[Window]]]:
    """Approved and pending absences and approved declared windows, by artist and kind."""
    rows = _WINDOWS(
        organization_id=organization.pk, artist_ids=list(artist_ids), start=start, end=end
    )
    grouped: dict[Key, dict[str, list[Window]]] = {
        artist_id: {"absence": [], "pending": [], "available": []} for artist_id in artist_ids
    }
    for window_id, artist_id, kind, status, window_start, window_end in rows:
        if kind == AvailabilityKind.AVAILABLE:
            bucket = "available"
        else:
            bucket = "absence" if status == AvailabilityStatus.APPROVED else "pending"
        grouped[artist_id][bucket].append(Window(window_start, window_end, window_id))
    return grouped


# --- Rows of a proposal (a write's check, a preview) ------------------------------------


class ShiftRow(NamedTuple):
    """A shift as a check reads it (stored, or as a proposal would make it)."""

    key: Key
    role_id: Key | None
    start_at: datetime
    end_at: datetime
    headcount: int
    max_headcount: int
    break_minutes: int
    status: str


SHIFT_COLUMNS = ("role_id", "start_at", "end_at", "headcount", "max_headcount", "break_minutes")
PROPOSAL_ASSIGNMENT_COLUMNS = (
    "id",
    "shift_id",
    "artist_id",
    "status",
    *(f"shift__{name}" for name in SHIFT_COLUMNS),
    "shift__status",
)


_SHIFT_ROWS = FastRead(
    ("id", *SHIFT_COLUMNS, "status"),
    lambda organization_id, ids: Shift.objects.filter(
        ids_in("id", ids), organization_id=organization_id
    ),
)


def stored_shift_rows(*, organization: Organization, ids: Collection[str]) -> dict[Key, ShiftRow]:
    """The organization's shifts with these ids, keyed by id (one query)."""
    if not ids:
        return {}
    shared = _SHARED.get()
    if shared is not None and all(key in shared.shifts for key in ids):
        held = {key: shared.shifts[key] for key in ids}
        return {key: row for key, row in held.items() if row is not None}
    rows = _SHIFT_ROWS(organization_id=organization.pk, ids=list(ids))
    found = {row[0]: ShiftRow(*row) for row in rows}
    if shared is not None:
        shared.shifts.update({key: found.get(key) for key in ids})
    return found


def proposal_assignment_rows(
    *,
    organization: Organization,
    artist_ids: Collection[str],
    changed_shift_ids: Collection[str],
    shift_ids: Collection[str],
    assignment_ids: Collection[str],
    start: datetime,
    end: datetime,
) -> list[tuple[Any, ...]]:
    """The stored assignments a proposal is checked against (rows of
    ``PROPOSAL_ASSIGNMENT_COLUMNS``), in one query.

    Active ones, in ``[start, end)``, of the proposed artists and of the artists on the
    changed shifts; every active one of the shifts involved (capacity counts them all);
    and the stored versions of the proposed assignment ids whatever their status (to know
    whether a proposal takes a new seat).
    """
    return _PROPOSAL_ROWS(
        organization_id=organization.pk,
        artist_ids=list(artist_ids),
        changed_shift_ids=list(changed_shift_ids) or None,
        shift_ids=list(shift_ids),
        assignment_ids=list(assignment_ids),
        start=start,
        end=end,
    )


def _proposal_rows(
    *,
    organization_id: Any,
    artist_ids: list[str],
    changed_shift_ids: list[str] | None,
    shift_ids: list[str],
    assignment_ids: list[str],
    start: datetime,
    end: datetime,
) -> QuerySet[Any]:
    active = ACTIVE_ASSIGNMENT_STATUSES
    artists = ids_in("artist_id", artist_ids)
    if changed_shift_ids is not None:
        on_changed = Assignment.objects.filter(
            ids_in("shift_id", changed_shift_ids),
            organization_id=organization_id,
            status__in=active,
        ).values("artist_id")
        artists |= Q(artist_id__in=on_changed)
    around = artists & Q(start_at__lt=end, end_at__gt=start)
    current = (
        Q(status__in=active)
        & ~Q(shift__status=ShiftStatus.CANCELLED)
        & (around | ids_in("shift_id", shift_ids))
    )
    wanted = current | ids_in("id", assignment_ids)
    return Assignment.objects.filter(wanted, organization_id=organization_id)


_PROPOSAL_ROWS = FastRead(PROPOSAL_ASSIGNMENT_COLUMNS, _proposal_rows)


# --- Rows of a range (the month's check and the timeline) -------------------------------

RANGE_SHIFT_COLUMNS = (
    "id",
    "mission_id",
    "mission__project_id",
    "venue_id",
    "role_id",
    "start_at",
    "end_at",
    "status",
    "headcount",
    "max_headcount",
    "break_minutes",
    "updated_at",
)
RANGE_ASSIGNMENT_COLUMNS = (
    "id",
    "shift_id",
    "artist_id",
    "status",
    "locked",
    "source",
    "shift__start_at",
    "shift__end_at",
    "shift__break_minutes",
    "updated_at",
)
# ``updated_at`` is last in both: the rows' version (the ``ETag`` the board sends back).
_INSTANTS = frozenset({"start_at", "end_at", "shift__start_at", "shift__end_at", "updated_at"})


class Epoch(Func):
    """An instant as seconds since 1970 (a float), read back with ``instant``.

    Django reads ``timestamptz`` columns as ISO text parsed in Python (about ten
    microseconds a value); a float and ``datetime.fromtimestamp`` stay in C.
    """

    template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
    output_field = FloatField()
    # The database already answers a float: no per-value Python converter.
    convert_value = staticmethod(Func._convert_value_noop)  # type: ignore[attr-defined]

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        # Whole seconds from strftime (of the text without its fraction, which strftime
        # would round to the millisecond, carrying .9995 into the next second), and the
        # fraction as stored ("YYYY-MM-DD HH:MM:SS.ffffff"), so the
        # embedded default reads the microseconds too: a row's version (``updated_at``)
        # must be the one its ``ETag`` says, or every edit from the board is a 412.
        # (``julianday()`` counts days in a float: some 10 µs off at today's dates.)
        # '%%%%s' becomes strftime's '%s' once the template and then the backend's
        # placeholders have taken their '%'.
        column = "%(expressions)s"
        template = (
            f"(CAST(strftime('%%%%s', substr({column}, 1, 19)) AS REAL) "
            f"+ CASE WHEN instr({column}, '.') > 0 "
            f"THEN CAST(substr({column}, instr({column}, '.')) AS REAL) ELSE 0 END)"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


class IdText(Func):
    """A UUID column as its canonical text, lower case with dashes, on every database.

    PostgreSQL prints a ``uuid`` that way; SQLite stores 32 hex digits, dashed here.
    A string is read and hashed in C, where a ``UUID`` object hashes in Python.
    """

    template = "(%(expressions)s)::text"
    output_field = CharField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        dashed = " || '-' || ".join(
            f"substr(%(expressions)s, {start}, {length})" for start, length in parts
        )
        return self.as_sql(compiler, connection, template=f"({dashed})", **extra_context)


def ids_in(name: str, ids: Collection[Any]) -> Q:
    """``<name>__in=ids`` as one parameter, whatever the number of ids.

    On PostgreSQL the ids go as one array (``<name> = ANY(%s::uuid[])``): a board's few
    hundred artists or missions as ``__in`` cost a ``UUID`` object each to bind, more than
    the query itself, and a prepared read (``apps.core.prepared``) needs one placeholder.
    No ids is ``__in=[]``, which the ORM drops from an ``OR`` (and empties an ``AND``):
    PostgreSQL took 3.5 ms to plan a read with an ``OR`` of ``id = ANY('{}')``, 0.2 ms
    without it.
    """
    return _any_of(name, [str(key) for key in ids], IdIsAny)


def texts_in(name: str, values: Collection[str]) -> Q:
    """``<name>__in=values`` for text columns as one parameter (see ``ids_in``)."""
    return _any_of(name, list(values), TextIsAny)


def _any_of(name: str, values: list[str], condition: type[TextIsAny]) -> Q:
    if connection.vendor != "postgresql" or not values:
        return Q(**{f"{name}__in": values})
    return Q(condition(F(name), Value(values, output_field=ArrayField(CharField()))))


class TextIsAny(Func):
    """``(<column> = ANY(<text array>))``, a condition (``texts_in``)."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


class IdIsAny(TextIsAny):
    """``(<id> = ANY(<text array>::uuid[]))``, a condition (``ids_in``)."""

    template = "(%(expressions)s::uuid[]))"


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def fast_rows(queryset: QuerySet[Any], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """``values_list(*columns)`` with ids as text (``IdText``) and instants as UTC
    datetimes read through floats (``Epoch``, rounded back to the microsecond).

    Columns named ``id`` or ``*_id`` are ids; ``start_at``/``end_at`` (also through
    ``shift__``) are instants. A read run often is better prepared once (``FastRead``).
    """
    return fast_values(fast_query(queryset, columns), columns)


def fast_query(queryset: QuerySet[Any], columns: tuple[str, ...]) -> QuerySet[Any]:
    """The ``values_list`` queryset ``fast_rows`` reads (its floats not yet instants)."""
    expressions: dict[str, Func] = {}
    for index, name in enumerate(columns):
        if name in _INSTANTS:
            expressions[f"fast_{index}"] = Epoch(F(name))
        elif _is_id(name):
            expressions[f"fast_{index}"] = IdText(F(name))
    names = [f"fast_{i}" if f"fast_{i}" in expressions else n for i, n in enumerate(columns)]
    return queryset.annotate(**expressions).values_list(*names)


def fast_values(raw: Iterable[tuple[Any, ...]], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``fast_query`` with their instants as UTC datetimes."""
    instants = [index for index, name in enumerate(columns) if name in _INSTANTS]
    if not instants:
        return list(raw)
    rows = []
    for values in raw:
        row = list(values)
        for index in instants:
            row[index] = instant(row[index])
        rows.append(tuple(row))
    return rows


def instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(round(seconds, 6), UTC)


def range_shifts(
    *,
    organization: Organization,
    start: datetime,
    end: datetime,
    shift_filter: Q | None = None,
    artist_id: Any = None,
    include_cancelled: bool = False,
) -> QuerySet[Shift]:
    """Shifts overlapping ``[start, end)`` that match the filter (a queryset, not run)."""
    shifts = Shift.objects.filter(organization=organization, start_at__lt=end, end_at__gt=start)
    if shift_filter:
        shifts = shifts.filter(shift_filter)
    if not include_cancelled:
        shifts = shifts.exclude(status=ShiftStatus.CANCELLED)
    if artist_id is not None:
        held = Assignment.objects.filter(
            organization=organization,
            artist_id=artist_id,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
        ).values("shift_id")
        shifts = shifts.filter(id__in=held)
    return shifts.order_by("start_at", "id")


def range_assignment_rows(
    *,
    organization: Organization,
    shifts: QuerySet[Shift] | None,
    start: datetime,
    end: datetime,
    context: timedelta,
) -> list[tuple[Any, ...]]:
    """Active assignments within ``context`` of the range (rows of
    ``RANGE_ASSIGNMENT_COLUMNS``), of the artists on ``shifts`` (all when ``None``)."""
    assignments = Assignment.objects.filter(
        organization=organization,
        status__in=ACTIVE_ASSIGNMENT_STATUSES,
        start_at__lt=end + context,
        end_at__gt=start - context,
    ).exclude(shift__status=ShiftStatus.CANCELLED)
    if shifts is not None:
        on_shifts = Assignment.objects.filter(
            organization=organization,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            shift_id__in=shifts.values("id"),
        ).values("artist_id")
        assignments = assignments.filter(artist_id__in=on_shifts)
    return fast_rows(assignments.order_by("start_at", "id"), RANGE_ASSIGNMENT_COLUMNS)
