"""Writes of the planning catalog: projects, venues, roles, missions and shift templates.

Every function here is the only way its rows are written (API, admin and demo alike): it
validates the final state and writes in one transaction with its audit entries (which
also make the organization's cached lists stale once it commits: ``apps.core.revisions``).
Callers import this package; the modules split it by entity. Each entity's create, update
and delete are also gathered in a ``CatalogWrites`` (``PROJECT_WRITES``, ``VENUE_WRITES``...)
for the clients that drive them alike: the API viewsets and the admin.

Project status moves along ``draft -> active -> archived``; ``active -> draft`` (back to
the drawing board) and ``archived -> active`` (reopen) are also allowed. ``draft ->
archived`` and ``archived -> draft`` are refused (409 ``invalid_transition``): a draft
that is abandoned is deleted, an archive is reopened before it is reworked. An archived
project takes no new missions (409 ``project_archived``).
"""

from apps.planning.catalog.services.common import CatalogWrites
from apps.planning.catalog.services.missions import (
    MAX_BULK_MISSIONS,
    MISSION_FIELDS,
    MISSION_WRITES,
    MissionDraft,
    StaffingLine,
    mission_bulk_create,
    mission_create,
    mission_delete,
    mission_duplicate,
    mission_update,
)
from apps.planning.catalog.services.projects import (
    PROJECT_FIELDS,
    PROJECT_TRANSITIONS,
    PROJECT_WRITES,
    project_create,
    project_delete,
    project_update,
)
from apps.planning.catalog.services.roles import (
    ROLE_FIELDS,
    ROLE_WRITES,
    role_create,
    role_delete,
    role_update,
)
from apps.planning.catalog.services.templates import (
    TEMPLATE_FIELDS,
    TEMPLATE_WRITES,
    shift_template_create,
    shift_template_delete,
    shift_template_instantiate,
    shift_template_instantiate_preview,
    shift_template_update,
    template_minutes,
)
from apps.planning.catalog.services.venues import (
    VENUE_FIELDS,
    VENUE_WRITES,
    venue_create,
    venue_delete,
    venue_update,
)

__all__ = [
    "MAX_BULK_MISSIONS",
    "MISSION_FIELDS",
    "MISSION_WRITES",
    "PROJECT_FIELDS",
    "PROJECT_TRANSITIONS",
    "PROJECT_WRITES",
    "ROLE_FIELDS",
    "ROLE_WRITES",
    "TEMPLATE_FIELDS",
    "TEMPLATE_WRITES",
    "VENUE_FIELDS",
    "VENUE_WRITES",
    "CatalogWrites",
    "MissionDraft",
    "StaffingLine",
    "mission_bulk_create",
    "mission_create",
    "mission_delete",
    "mission_duplicate",
    "mission_update",
    "project_create",
    "project_delete",
    "project_update",
    "role_create",
    "role_delete",
    "role_update",
    "shift_template_create",
    "shift_template_delete",
    "shift_template_instantiate",
    "shift_template_instantiate_preview",
    "shift_template_update",
    "template_minutes",
    "venue_create",
    "venue_delete",
    "venue_update",
]
