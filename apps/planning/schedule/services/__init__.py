"""Writes for shifts and assignments: the only code that saves them.

One package, three parts: ``shifts``, ``assignments`` and ``guards`` (the database
constraints mapped to 409s), over ``common`` (results, override policy, audit helpers).
Callers import from here: ``from apps.planning.schedule import services``.

Each write validates what a serializer cannot see (the staffing plan, the mission's
window, the allowed transitions), asks ``apps.planning.rules.conflicts`` for the conflicts of
the result and lets ``enforce`` refuse hard ones, then saves and audits in one
transaction. PostgreSQL has the last word on double booking: the exclusion constraint
``planning_assignment_no_overlap`` and the partial unique constraint
``planning_assignment_one_active_per_shift`` are caught around every insert or update of
assignment rows and answered as the service check would (409), so a request that races
past the check still gets a clean refusal and nothing half-written survives.

Deletion policy (cancelling is the normal way out; deleting is for mistakes):
- a shift with an accepted assignment, or whose assignments have invitations, is refused
  (409); its other assignments (proposed, declined, cancelled) are deleted with it, each
  audited;
- an accepted assignment, or one with invitations, is refused (409); others are deleted
  and audited.
"""

from apps.planning.schedule.services.assignments import (
    ASSIGNMENT_TRANSITIONS,
    INITIAL_ASSIGNMENT_STATUSES,
    assignment_create,
    assignment_delete,
    assignment_move,
    assignment_set_locked,
    assignment_set_status,
    assignment_update,
    assignments_bulk_create,
)
from apps.planning.schedule.services.bulk import BulkShiftAction, shifts_bulk
from apps.planning.schedule.services.common import (
    BulkWriteResult,
    ConflictPayload,
    WriteResult,
    cancel_assignments,
)
from apps.planning.schedule.services.copies import CopyResult, shifts_copy, shifts_copy_preview
from apps.planning.schedule.services.guards import (
    NO_OVERLAP_CONSTRAINT,
    ONE_ACTIVE_CONSTRAINT,
)
from apps.planning.schedule.services.shifts import (
    SHIFT_DATA_FIELDS,
    SHIFT_TRANSITIONS,
    shift_cancel,
    shift_create,
    shift_delete,
    shift_restore,
    shift_set_status,
    shift_update,
)

__all__ = [
    "ASSIGNMENT_TRANSITIONS",
    "INITIAL_ASSIGNMENT_STATUSES",
    "NO_OVERLAP_CONSTRAINT",
    "ONE_ACTIVE_CONSTRAINT",
    "SHIFT_DATA_FIELDS",
    "SHIFT_TRANSITIONS",
    "BulkShiftAction",
    "BulkWriteResult",
    "ConflictPayload",
    "CopyResult",
    "WriteResult",
    "assignment_create",
    "assignment_delete",
    "assignment_move",
    "assignment_set_locked",
    "assignment_set_status",
    "assignment_update",
    "assignments_bulk_create",
    "cancel_assignments",
    "shift_cancel",
    "shift_create",
    "shift_delete",
    "shift_restore",
    "shift_set_status",
    "shift_update",
    "shifts_bulk",
    "shifts_copy",
    "shifts_copy_preview",
]
