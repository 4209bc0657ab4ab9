"""Conflicts kept on write: ``StoredConflict`` rows, their upkeep, and the reads of them.

Why: every read of the board, of the conflict lists and of a publish preview used to run
every rule over its range; a write touches a few artists, so keeping the result of the
rules up to date on write makes a read cost about what reading rows costs.

One definition of a conflict: the rows are exactly what ``detect`` (the pure rules) finds
over the whole organization (``compute_organization``), stored with their details,
parameters and fingerprint, so a read says the same messages and matches the same
waivers as a fresh check. ``manage.py check_conflicts`` compares the two.

Upkeep (``upkeep``), in the write's transaction, for what the write touched (assignment
and shift ids, and artists whose whole calendar changed):

- *Artist rules* (double booking, rest, hours, absences, skills, availability): every
  conflict a write changes names a touched assignment (before: found in the stored rows
  by ``members``), or lies within ``min_rest`` of one (a duty period it joins) or in its
  local week (an hour cap it raises), so for each artist the window ``U`` = the touched
  assignments' times widened by ``min_rest`` and to their local weeks, joined with the
  stored conflicts naming them, holds every change. The
  artist's assignments within nine days of ``U`` are loaded, the rules run once over all
  the artists together, and the stored rows of the artist overlapping ``U`` are replaced
  by the found ones overlapping ``U`` (the same predicate on both sides, so an unchanged
  conflict is replaced by itself). A conflict found close to the loaded window's edge
  could be cut short (an endless duty period): that artist is then recomputed whole.
- *Shift rules* (capacity, break): the touched shifts, their seats counted anew.

Replacement is set-based: one DELETE, one ``bulk_create``; about fifteen queries for an
assignment whatever the size of the planning.

Consistency under concurrency: a write locks the artists it recomputes (``FOR NO KEY
UPDATE``, in id order) before reading their assignments, so two writes on one artist
run their upkeep one after the other and the second sees the first; writes read the
organization's ``ConflictUpkeep`` row ``FOR SHARE`` and a full recompute locks it ``FOR
UPDATE``. A change that touches everything (rule settings, a role's skills, a deleted
project...) recomputes the organization: in the transaction when it is small, else in a
Celery job (``recompute_conflicts``), the row saying ``recomputing`` meanwhile: reads
then compute (``state_of``) and the timeline says so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from apps.core.prepared import PreparedRead
from apps.core.revisions import bump_after_commit
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    ConflictUpkeep,
    ConflictUpkeepStatus,
    Shift,
    ShiftStatus,
    StoredConflict,
)
from apps.planning.rules.detect import read_order
from apps.planning.rules.duty import min_rest_of
from apps.planning.rules.facts import (
    AssignmentFact,
    Conflict,
    Focus,
    Key,
    RuleConfig,
)
from apps.planning.rules.selectors import (
    FastRead,
    ShiftRow,
    fast_rows,
    ids_in,
    rule_configs,
    stored_shift_rows,
)
from apps.planning.rules.wording import local_day, week_monday

logger = logging.getLogger(__name__)

SHIFT_RULES = frozenset({"capacity_hard", "capacity_soft", "missing_break"})
# Loaded around an artist's window: a local week and a rest are always complete inside.
MARGIN = timedelta(days=9)
# A conflict reaching this close to the loaded window's edge may be cut short.
EDGE = timedelta(days=2)
BATCH = 2000
WEEK = timedelta(days=8)  # a local week, and an hour either way for a clock change
FRESH = str(ConflictUpkeepStatus.FRESH)
RECOMPUTING = str(ConflictUpkeepStatus.RECOMPUTING)
FACT_COLUMNS = (
    "id",
    "shift_id",
    "artist_id",
    "shift__start_at",
    "shift__end_at",
    "shift__break_minutes",
    "shift__role_id",
)
SHIFT_COLUMNS = (
    "id",
    "role_id",
    "start_at",
    "end_at",
    "headcount",
    "max_headcount",
    "break_minutes",
    "status",
)
READ_COLUMNS = ("rule", "severity", "at", "assignment_keys", "shift_keys", "details", "params")


# --- Details as JSON and back --------------------------------------------------------


def pack(value: Any) -> Any:
    """JSON-safe details that ``unpack`` turns back into the same values: instants and
    dates are tagged (``{"$t": iso}``, ``{"$d": iso}``) so messages and fingerprints see
    datetimes again, not text."""
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(key): pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [pack(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def unpack(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            if "$t" in value:
                return datetime.fromisoformat(value["$t"])
            if "$d" in value:
                return date.fromisoformat(value["$d"])
        return {key: unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item) for item in value]
    return value


# --- State ----------------------------------------------------------------------------


_STATE = PreparedRead(
    lambda organization_id: ConflictUpkeep.objects.filter(
        organization_id=organization_id
    ).values_list("status")[:1]
)


def state_of(organization: Organization) -> str | None:
    """``fresh``, ``recomputing``, or ``None`` (never computed): one query."""
    rows = _STATE(organization_id=organization.pk)
    return rows[0][0] if rows else None


def _shared_state(organization_id: Any, *, exclusive: bool = False) -> str | None:
    """The state, read ``FOR SHARE`` so a full recompute waits for this write (and the
    other way round); ``FOR UPDATE`` at once for a write that recomputes everything, since
    two such writes each holding the shared lock and asking for the exclusive one would
    deadlock."""
    if connection.vendor != "postgresql":
        return (
            ConflictUpkeep.objects.filter(organization_id=organization_id)
            .values_list("status", flat=True)
            .first()
        )
    table = ConflictUpkeep._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM {table} WHERE organization_id = %s "  # noqa: S608
            + ("FOR UPDATE" if exclusive else "FOR SHARE"),
            [organization_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


# --- Rows -----------------------------------------------------------------------------


@dataclass
class _Found:
    """Conflicts found by one run of the rules, and the facts that place them in time."""

    conflicts: list[Conflict]
    facts: dict[Key, AssignmentFact]

    def extent(self, conflict: Conflict) -> tuple[datetime, datetime]:
        """From the first start to the last end of everything the conflict names."""
        starts: list[datetime] = []
        ends: list[datetime] = []
        for key in conflict.assignment_keys:
            fact = self.facts.get(key)
            if fact is not None:
                starts.append(fact.start_at)
                ends.append(fact.end_at)
        details = conflict.details
        if isinstance(details.get("start_at"), datetime):
            starts.append(details["start_at"])
            ends.append(details["end_at"])
        return min(starts), max(ends)

    def members(self, conflict: Conflict) -> list[str]:
        keys = dict.fromkeys(str(key) for key in conflict.assignment_keys)
        for key in conflict.assignment_keys:
            fact = self.facts.get(key)
            if fact is not None:
                keys[str(fact.shift_key)] = None
        keys.update(dict.fromkeys(str(key) for key in conflict.shift_keys))
        return list(keys)

    def row(self, organization_id: Any, conflict: Conflict) -> StoredConflict:
        start, end = self.extent(conflict)
        shift_rule = conflict.rule in SHIFT_RULES
        details = conflict.details
        return StoredConflict(
            organization_id=organization_id,
            rule=conflict.rule,
            severity=conflict.type,
            artist_id=None if shift_rule else details.get("artist_id"),
            shift_id=details.get("shift_id") if shift_rule else None,
            at=conflict.at,
            start_at=start,
            end_at=end,
            assignment_keys=[str(key) for key in conflict.assignment_keys],
            shift_keys=[str(key) for key in conflict.shift_keys],
            members=self.members(conflict),
            details=pack(details),
            params=dict(conflict.params),
            fingerprint=conflict.fingerprint(),
        )


def conflict_of(row: Sequence[Any]) -> Conflict:
    """A stored row (``READ_COLUMNS``) as the ``Conflict`` the rules had found."""
    rule, severity, at, assignment_keys, shift_keys, details, params = row
    return Conflict(
        severity, rule, "", unpack(details), at, tuple(assignment_keys), tuple(shift_keys), params
    )


def _facts(rows: Iterable[Sequence[Any]]) -> list[AssignmentFact]:
    return [AssignmentFact(row[0], row[1], row[2], row[3], row[4], row[5]) for row in rows]


def _run(
    organization: Organization,
    configs: Mapping[str, RuleConfig],
    facts: Sequence[AssignmentFact],
    shift_rows: Mapping[Key, ShiftRow],
    focus: Focus,
) -> list[Conflict]:
    """Run every rule once, loading the artists' facts and the roles' skills the way a
    check does (``rules.conflicts``)."""
    from apps.planning.rules.conflicts import detect_rows

    instants = [fact.start_at for fact in facts] + [row.start_at for row in shift_rows.values()]
    if not instants:
        return []
    start = min(instants)
    end = max([fact.end_at for fact in facts] + [row.end_at for row in shift_rows.values()])
    return detect_rows(
        organization, list(facts), focus, dict(shift_rows), start, end, configs=configs
    )


def _live_shift_rows(queryset: Any) -> dict[Key, ShiftRow]:
    rows = fast_rows(queryset.exclude(status=ShiftStatus.CANCELLED), SHIFT_COLUMNS)
    return {row[0]: ShiftRow(*row) for row in rows}


def _active(organization: Organization | Any) -> Any:
    """The active assignments of live shifts (of an organization, or its id)."""
    return Assignment.objects.filter(
        organization=organization, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).exclude(shift__status=ShiftStatus.CANCELLED)


# --- The whole organization -----------------------------------------------------------


def compute_organization(organization: Organization) -> _Found:
    """Every conflict of the organization, from scratch: the reference the stored rows
    must equal."""
    shift_rows = _live_shift_rows(Shift.objects.filter(organization=organization))
    facts = _facts(fast_rows(_active(organization), FACT_COLUMNS))
    focus = Focus(
        assignments=frozenset(fact.key for fact in facts),
        shifts=frozenset(shift_rows),
        capacity_shifts=frozenset(shift_rows),
    )
    configs = rule_configs(organization=organization)
    found = _run(organization, configs, facts, shift_rows, focus)
    return _Found(found, {fact.key: fact for fact in facts})


def recompute_organization(organization: Organization) -> int:
    """Replace every stored conflict of the organization; mark it fresh. Returns the count.

    Locks the state row first (created if need be), so writes in flight finish before
    the rows are read and later ones wait for the new rows. No cached board is made stale
    here: while the state was not fresh, reads computed their conflicts themselves, and the
    write that asked for the recompute made the whole organization's boards stale.
    """
    with transaction.atomic():
        ConflictUpkeep.objects.get_or_create(
            organization=organization, defaults={"status": RECOMPUTING}
        )
        state = ConflictUpkeep.objects.select_for_update().get(organization=organization)
        found = compute_organization(organization)
        StoredConflict.objects.filter(organization=organization).delete()
        rows = [found.row(organization.pk, conflict) for conflict in found.conflicts]
        StoredConflict.objects.bulk_create(rows, batch_size=BATCH)
        state.status = FRESH
        state.computed_at = timezone.now()
        state.save(update_fields=["status", "computed_at"])
    return len(rows)


def recompute_apart(organization: Organization) -> int:
    """``recompute_organization`` outside a write (the job, ``check_conflicts --fix``): once
    it commits, every cached read of the organization is made stale. The conflicts they
    show are the same as the read computed them, but a board cached meanwhile says they are
    being recomputed (``conflicts_recomputing``, or drew drifted badges before a fix), which
    would outlive the recompute until the next write in its weeks. Inside a write, the
    write's own bump covers it (and a bump there would throw away every week's boards on an
    organization's first write)."""
    count = recompute_organization(organization)
    bump_after_commit(organization.pk)
    return count


def request_recompute(organization: Organization, *, sync: bool | None = None) -> None:
    """Recompute the whole organization: now when it is small (or ``sync``), else in a job.

    The job is enqueued after commit; until it has run, the state says ``recomputing``
    and reads compute their conflicts themselves.
    """
    limit = int(getattr(settings, "CONFLICTS_SYNC_RECOMPUTE_LIMIT", 3000))
    if sync is None:
        sync = _active(organization).count() <= limit
    if sync:
        recompute_organization(organization)
        return
    ConflictUpkeep.objects.update_or_create(
        organization=organization, defaults={"status": RECOMPUTING}
    )
    from apps.planning.rules.tasks import recompute_conflicts

    organization_id = str(organization.pk)
    transaction.on_commit(lambda: recompute_conflicts.delay(organization_id))


# --- Upkeep ---------------------------------------------------------------------------


@dataclass
class Touched:
    """What a write changed: assignments, shifts, artists whose every assignment may have
    changed (skills, availabilities), or everything."""

    assignments: set[str] = field(default_factory=set)
    shifts: set[str] = field(default_factory=set)
    artists: set[str] = field(default_factory=set)
    everything: bool = False
    sync: bool | None = None

    def __bool__(self) -> bool:
        return bool(self.assignments or self.shifts or self.artists or self.everything)


_TOUCHED = FastRead(
    ("id", "shift_id", "artist_id", "start_at", "end_at"),
    lambda organization_id, assignment_ids, shift_ids: _active(organization_id).filter(
        ids_in("id", assignment_ids) | ids_in("shift_id", shift_ids)
    ),
)


def upkeep(organization: Organization, touched: Touched) -> None:
    """Bring the stored conflicts up to date after a write, in its transaction."""
    if not touched:
        return
    state = _shared_state(organization.pk, exclusive=touched.everything)
    if touched.everything or state is None:
        if state == RECOMPUTING:
            return
        request_recompute(organization, sync=touched.sync)
        return
    if state != FRESH:
        return  # a full recompute is coming and will see this write
    configs = rule_configs(organization=organization)
    min_rest = min_rest_of(configs)
    keys = touched.assignments | touched.shifts
    current = (
        _TOUCHED(
            organization_id=organization.pk,
            assignment_ids=list(touched.assignments),
            shift_ids=list(touched.shifts),
        )
        if keys
        else []
    )
    windows: dict[Key, tuple[datetime, datetime]] = {}
    shifts: set[Key] = set(touched.shifts)

    def widen(artist: Key, start: datetime, end: datetime) -> None:
        low, high = windows.get(artist, (start, end))
        windows[artist] = (min(low, start), max(high, end))

    zone = organization.tzinfo
    for _, shift_id, artist_id, start, end in current:
        # Its duty period (neighbours within ``min_rest``) and its local week (whose
        # ``weekly_hours`` conflict may name only other assignments so far).
        monday = datetime.combine(week_monday(local_day(start, zone)), time(0), tzinfo=zone)
        widen(artist_id, min(start - min_rest, monday), max(end + min_rest, monday + WEEK))
        shifts.add(shift_id)
    for artist_id, shift_id, start, end in _naming(organization, keys):
        if artist_id is not None:
            widen(artist_id, start, end)
        if shift_id is not None:
            shifts.add(shift_id)
    whole: set[Key] = set(touched.artists)
    _lock_artists(organization, whole | set(windows))
    rows: list[StoredConflict] = []
    gone = Q()
    if windows or whole:
        found, windows, whole = _artist_conflicts(organization, configs, windows, whole)
        rows += [found.row(organization.pk, conflict) for conflict in found.conflicts]
        if whole:
            gone |= Q(artist_id__in=list(whole))
        for artist_id, (low, high) in windows.items():
            gone |= Q(artist_id=artist_id, start_at__lte=high, end_at__gte=low)
    if shifts:
        found = _shift_conflicts(organization, configs, shifts)
        rows += [found.row(organization.pk, conflict) for conflict in found.conflicts]
        gone |= Q(shift_id__in=list(shifts))
    replaced = _delete_returning(organization, gone) if gone else []
    if rows:
        StoredConflict.objects.bulk_create(rows, batch_size=BATCH)
    # The cached boards of the conflicts that changed (a duty period or an hour cap can
    # reach past the weeks the write's own audit entry makes stale); a whole artist:
    # everything. Conflicts found again as they were leave the boards that show them cached:
    # the window recomputed spans the artist's whole week, most of it unchanged.
    if whole:
        bump_after_commit(organization.pk, None, zone)
    elif windows or shifts:
        if replaced is None:  # deleted without looking: the whole window recomputed
            spans = [*windows.values(), *((row.start_at, row.end_at) for row in rows)]
        else:
            spans = _changed_spans(replaced, rows)
        if spans:
            # Badges only: the days keep their drawn rows (``schedule.timeline``).
            bump_after_commit(organization.pk, spans, zone, days=False)


# What a stored conflict shows: two rows alike in these are the same conflict on a board.
CONTENT_COLUMNS = (
    "rule",
    "severity",
    "artist_id",
    "shift_id",
    "at",
    "start_at",
    "end_at",
    "assignment_keys",
    "shift_keys",
    "members",
    "details",
    "params",
    "fingerprint",
)


def _delete_returning(organization: Organization, gone: Q) -> list[tuple[Any, ...]] | None:
    """Delete the organization's stored conflicts matching ``gone``; on PostgreSQL, in one
    statement that returns what they were (``CONTENT_COLUMNS``). ``None`` elsewhere (the
    embedded default deletes without looking: the caller makes the whole window stale)."""
    doomed = StoredConflict.objects.filter(gone, organization=organization)
    if connection.vendor != "postgresql":
        doomed.delete()
        return None
    ids, params = doomed.values("id").query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(StoredConflict._meta.db_table)
    returning = ", ".join(quote(column) for column in CONTENT_COLUMNS)
    with connection.cursor() as cursor:
        # Names from the model; the subquery and its parameters compiled by Django.
        sql = f"DELETE FROM {table} WHERE id IN ({ids}) RETURNING {returning}"  # noqa: S608
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _changed_spans(
    replaced: list[tuple[Any, ...]], rows: list[StoredConflict]
) -> list[tuple[datetime, datetime]]:
    """The extents of the conflicts that differ between the rows replaced and those written
    (gone, new or changed)."""
    before = {_content(values): (values[5], values[6]) for values in replaced}
    after = {
        _content(tuple(getattr(row, column) for column in CONTENT_COLUMNS)): (
            row.start_at,
            row.end_at,
        )
        for row in rows
    }
    return [
        span for key, span in (*before.items(), *after.items()) if (key in before) != (key in after)
    ]


def _content(values: tuple[Any, ...]) -> str:
    """A row's ``CONTENT_COLUMNS`` as one comparable text (ids as text, instants as UTC
    timestamps, JSON with sorted keys): a difference of form only is never a difference."""
    normal = [value.timestamp() if isinstance(value, datetime) else value for value in values]
    for index in (2, 3):  # artist_id, shift_id
        normal[index] = None if normal[index] is None else str(normal[index])
    return json.dumps(normal, sort_keys=True, default=str)


def _naming(organization: Organization, keys: Collection[str]) -> list[tuple[Any, ...]]:
    """Artist, shift and extent of the stored conflicts that name any of ``keys``."""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        return _NAMING(organization_id=organization.pk, keys=[str(key) for key in keys])
    # The embedded default: a scan of the organization's rows.
    stored = StoredConflict.objects.filter(organization=organization)
    text = stored.annotate(members_text=Cast("members", TextField()))
    condition = Q()
    for key in keys:
        condition |= Q(members_text__contains=f'"{key}"')
    return fast_rows(text.filter(condition), _NAMING.columns)


_NAMING = FastRead(
    ("artist_id", "shift_id", "start_at", "end_at"),
    lambda organization_id, keys: StoredConflict.objects.filter(
        organization_id=organization_id, members__has_any_keys=keys
    ),
)


def _lock_artists(organization: Organization, artist_ids: Collection[Key]) -> None:
    """Serialize upkeeps of one artist (in id order, so two writes cannot deadlock)."""
    if not artist_ids or connection.vendor != "postgresql":
        return
    locked = (
        Artist.objects.filter(organization=organization, id__in=list(artist_ids))
        .order_by("id")
        .select_for_update(no_key=True)
    )
    list(locked.values_list("id", flat=True))


def _artist_conflicts(
    organization: Organization,
    configs: Mapping[str, RuleConfig],
    windows: dict[Key, tuple[datetime, datetime]],
    whole: set[Key],
) -> tuple[_Found, dict[Key, tuple[datetime, datetime]], set[Key]]:
    """The artist rules' conflicts overlapping each window (all of them for ``whole``).

    Returns what was found and the windows and whole artists it answers for (an artist
    whose conflicts reach the loaded edge moves to ``whole``).
    """
    windows = {artist: window for artist, window in windows.items() if artist not in whole}
    condition = Q(artist_id__in=list(whole)) if whole else Q()
    for artist_id, (low, high) in windows.items():
        condition |= Q(artist_id=artist_id, start_at__lt=high + MARGIN, end_at__gt=low - MARGIN)
    rows = fast_rows(_active(organization).filter(condition), FACT_COLUMNS)
    facts = _facts(rows)
    shift_rows = {
        fact.shift_key: ShiftRow(fact.shift_key, row[6], fact.start_at, fact.end_at, 0, 0, 0, "")
        for fact, row in zip(facts, rows, strict=True)
    }
    focus = Focus(assignments=frozenset(fact.key for fact in facts), shifts=frozenset(shift_rows))
    conflicts = _run(organization, configs, facts, shift_rows, focus)
    found = _Found([], {fact.key: fact for fact in facts})
    cut: set[Key] = set()
    for conflict in conflicts:
        if conflict.rule in SHIFT_RULES:
            continue
        artist = conflict.details.get("artist_id")
        if artist in whole:
            found.conflicts.append(conflict)
            continue
        low, high = windows[artist]
        start, end = found.extent(conflict)
        if start > high or end < low:
            continue
        if start < low - MARGIN + EDGE or end > high + MARGIN - EDGE:
            cut.add(artist)
        found.conflicts.append(conflict)
    if cut:
        return _artist_conflicts(organization, configs, windows, whole | cut)
    return found, windows, whole


_SEATS = FastRead(
    FACT_COLUMNS[:-1],  # a seat's facts but its role
    lambda organization_id, shift_ids: _active(organization_id).filter(
        ids_in("shift_id", shift_ids)
    ),
)


def _shift_conflicts(
    organization: Organization, configs: Mapping[str, RuleConfig], shift_ids: Collection[Key]
) -> _Found:
    """Capacity and break of the shifts: their seats counted anew (two queries)."""
    shift_rows = stored_shift_rows(organization=organization, ids=[str(s) for s in shift_ids])
    live = {key: row for key, row in shift_rows.items() if row.status != ShiftStatus.CANCELLED}
    if not live:
        return _Found([], {})
    seats = _SEATS(organization_id=organization.pk, shift_ids=list(live))
    facts = _facts(seats)
    focus = Focus(shifts=frozenset(live), capacity_shifts=frozenset(live))
    conflicts = _run(organization, configs, facts, live, focus)
    return _Found(conflicts, {fact.key: fact for fact in facts})


# --- Reads ----------------------------------------------------------------------------


def stored_in_range(
    organization: Organization, start: datetime, end: datetime, focus: Focus
) -> list[Conflict]:
    """The stored conflicts touching ``focus`` (what ``detect`` would report for it),
    in the order ``detect`` gives: one query."""
    return touching(stored_spanning(organization, start, end), focus)


def stored_spanning(organization: Organization, start: datetime, end: datetime) -> list[Conflict]:
    """The stored conflicts whose span overlaps ``[start, end)``, whatever they touch."""
    rows = _SPANNING(organization_id=organization.pk, start=start, end=end)
    return list(map(conflict_of, rows))


_SPANNING = PreparedRead(
    lambda organization_id, start, end: StoredConflict.objects.filter(
        organization_id=organization_id, start_at__lt=end, end_at__gt=start
    ).values_list(*READ_COLUMNS)
)


def touching(conflicts: Iterable[Conflict], focus: Focus) -> list[Conflict]:
    """Those of ``conflicts`` touching ``focus``, in the order ``detect`` gives."""
    found = [conflict for conflict in conflicts if conflict.touches(focus)]
    found.sort(key=read_order)
    return found


def stored_rows(organization: Organization) -> list[Conflict]:
    """Every stored conflict of the organization (the consistency check's other side)."""
    rows = StoredConflict.objects.filter(organization=organization).values_list(*READ_COLUMNS)
    return [conflict_of(row) for row in rows]


# --- What a write touched, from its audit entries -------------------------------------

# Changes that may change any conflict: the rules' parameters, a role's skills, a skill's
# name (in ``missing_skill``'s details), the organization's time zone (its local weeks),
# rows deleted in cascade, bulk seeds and engine runs.
EVERYTHING = frozenset(
    {
        "rule.update",
        "role.update",
        "role.delete",
        "skill.update",
        "skill.delete",
        "organization.update",
        "project.delete",
        "mission.delete",
        "mission.duplicate",
        "artist.delete",
        "autoassign.apply",
        "demo.seed",
        "crew.seed_demo",
    }
)
# Seeds run from a command: recompute there and then, whatever the size.
SYNC = frozenset({"demo.seed", "crew.seed_demo"})


# A shift's fields no rule reads: publishing a shift (or editing its notes) changes no
# conflict. Its status matters only to and from ``cancelled`` (a cancelled shift has none).
INERT_SHIFT_FIELDS = frozenset({"status", "published_at", "updated_at", "notes"})


def inert_shift_change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """Whether a shift's audited update (its state ``before`` and ``after``) changes no
    conflict: only ``INERT_SHIFT_FIELDS`` differ, and not to or from ``cancelled``. A
    creation, a deletion or anything else (times, role, headcount, break, venue, an
    override) is not."""
    if not before or not after:
        return False
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    statuses = {before.get("status"), after.get("status")}
    return changed <= INERT_SHIFT_FIELDS and str(ShiftStatus.CANCELLED) not in statuses


def touched_by(entries: Iterable[Any]) -> dict[Any, Touched]:
    """What each organization's audited entries changed, for ``upkeep``."""
    touched: dict[Any, Touched] = {}
    for entry in entries:
        change = touched.setdefault(entry.organization_id, Touched())
        kind, entity_id = entry.entity_type, entry.entity_id
        if entry.action in EVERYTHING:
            change.everything = True
            change.sync = True if entry.action in SYNC else change.sync
        elif kind == "planning.assignment" and entity_id:
            change.assignments.add(entity_id)
        elif kind == "planning.shift" and entity_id:
            if not inert_shift_change(entry.before, entry.after):
                change.shifts.add(entity_id)
        elif kind == "crew.artist" and entity_id:
            change.artists.add(entity_id)
        elif kind == "crew.availability":
            for state in (entry.after, entry.before):
                if state and state.get("artist_id"):
                    change.artists.add(str(state["artist_id"]))
    return {key: value for key, value in touched.items() if value}


def on_recorded(sender: Any, entries: Sequence[Any], **kwargs: Any) -> None:
    """The receiver of ``apps.audit.signals.recorded``: upkeep, in the write's transaction."""
    for organization_id, change in touched_by(entries).items():
        organization = next(
            (e.organization for e in entries if e.organization_id == organization_id), None
        )
        if organization is not None:
            upkeep(organization, change)
