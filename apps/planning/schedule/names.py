"""The names a board shows (artists, missions, venues, projects, roles), kept per process.

A week's timeline used to spend a quarter of its time in the five queries that name what
its shifts refer to, although names change only through writes of artists and the
catalog, and every such write bumps the organization's *scope* revision
(``apps.core.revisions``: writes of shifts and assignments bump weeks only). So each
process keeps the organization's whole name tables under that revision, as the timeline
cache keeps its payloads under it: a board read after a booking names its shifts without a
query, and a renamed venue is read again on the next board.

Without a revision (the cache unreachable) the tables are read for every board. An id the
tables do not know (a mission created between the revision's bump and this read) makes
them read again, so a board never misses a name.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from apps.core.revisions import scope_revision
from apps.crew.models import Artist
from apps.orgs.models import Organization
from apps.planning.models import Mission, Project, Role, Venue
from apps.planning.publication.reports import RateProfile

# Organizations whose tables a process keeps (the least recently read go first).
KEPT = 16


@dataclass(frozen=True)
class ArtistName:
    name: str
    rates: RateProfile
    currency: str


@dataclass(frozen=True)
class NameTables:
    """Each kind by id (text), in the order the board lists them (the models' ordering)."""

    artists: dict[str, ArtistName]
    missions: dict[str, tuple[str, str, str]]  # name, project id, venue id
    venues: dict[str, str]
    projects: dict[str, tuple[str, str]]  # name, colour
    roles: dict[str, str]

    def knows(self, *, artists: Collection[str], missions: Collection[str]) -> bool:
        """Whether every artist and mission named is in the tables (venues, projects and
        roles come with missions and shifts that the same writes create)."""
        return all(key in self.artists for key in artists) and all(
            key in self.missions for key in missions
        )


_kept: OrderedDict[tuple[str, int], NameTables] = OrderedDict()
_lock = threading.Lock()


def name_tables(
    organization: Organization, *, artists: Collection[str], missions: Collection[str]
) -> NameTables:
    """The organization's name tables, knowing at least these artists and missions."""
    revision = scope_revision(organization.pk)
    if revision is None:
        return read_tables(organization)
    key = (str(organization.pk), revision)
    with _lock:
        tables = _kept.get(key)
        if tables is not None:
            _kept.move_to_end(key)
    if tables is not None and tables.knows(artists=artists, missions=missions):
        return tables
    tables = read_tables(organization)
    with _lock:
        for older in [kept for kept in _kept if kept[0] == key[0]]:
            del _kept[older]
        _kept[key] = tables
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return tables


def read_tables(organization: Organization) -> NameTables:
    """Five queries, one per kind, in each model's ordering."""
    scoped: dict[str, Any] = {"organization": organization}
    artists = {
        str(pk): ArtistName(f"{first} {last}".strip(), RateProfile(hourly, half_day, day), currency)
        for pk, first, last, hourly, half_day, day, currency in Artist.objects.filter(
            **scoped
        ).values_list(
            "id", "first_name", "last_name", "hourly_rate", "half_day_rate", "day_rate", "currency"
        )
    }
    missions = {
        str(pk): (name, str(project), str(venue))
        for pk, name, project, venue in Mission.objects.filter(**scoped).values_list(
            "id", "name", "project_id", "venue_id"
        )
    }
    venues = {
        str(pk): name for pk, name in Venue.objects.filter(**scoped).values_list("id", "name")
    }
    projects = {
        str(pk): (name, color)
        for pk, name, color in Project.objects.filter(**scoped).values_list("id", "name", "color")
    }
    roles = {str(pk): name for pk, name in Role.objects.filter(**scoped).values_list("id", "name")}
    return NameTables(artists, missions, venues, projects, roles)
