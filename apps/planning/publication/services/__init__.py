"""Publication: freeze what crews may rely on, and tell only those whose schedule moved.

``planning_publish`` works on a *scope* (a project, or a time range, optionally narrowed
to a venue). Under a per-organization lock (``SELECT … FOR UPDATE`` on the organization
row, so two publications of one organization run one after the other and number their
versions without gaps or duplicates) it:

1. refuses with ``HardConflict`` (409) while hard conflicts remain in scope;
2. turns the scope's draft shifts into published ones (one ``UPDATE``; the single
   ``planning.publish`` audit entry lists them, rather than one entry per shift);
   then invites every *proposed* assignment of the scope (``crew_invitations``: one
   e-mail per person listing all of his or her new shifts, each with its own links);
3. takes a *snapshot* of the scope (shifts of any status, their active and declined
   assignments, with names so a version is readable on its own) and compares it with the
   last version of the same ``scope_key``;
4. writes nothing more when nothing changed (``changed=False``: no empty version), else
   stores a ``PlanningVersion`` (number = max + 1 within the organization) with its diff
   and summary, audits it, and after commit e-mails each artist whose *visible* schedule
   changed, with his or her own changes.

An artist's visible schedule is made of his or her *invited* and *accepted* assignments
(what the invitation e-mails and the calendar feed show). Changes to proposed
assignments are not announced: the crew member does not know about them yet. The
assignments the publication just invited are left out of the "schedule changed" e-mail
(the invitation e-mail lists them): an artist who was only invited gets one e-mail.
"""

from apps.planning.publication.services.calendar import (
    artist_rotate_calendar_token,
    calendar_url,
)
from apps.planning.publication.services.diff import (
    VISIBLE_STATUSES,
    artist_changes,
    artists_to_notify,
    changes_by_artist,
    diff_is_empty,
    diff_snapshots,
)
from apps.planning.publication.services.emails import schedule_changed_email
from apps.planning.publication.services.preview import PublicationPreview, planning_publish_preview
from apps.planning.publication.services.publish import PublicationResult, planning_publish
from apps.planning.publication.services.scope import (
    PublicationScope,
    publication_scope,
    scope_hard_conflicts,
    shifts_to_publish,
    take_snapshot,
)

__all__ = [
    "VISIBLE_STATUSES",
    "PublicationPreview",
    "PublicationResult",
    "PublicationScope",
    "artist_changes",
    "artist_rotate_calendar_token",
    "artists_to_notify",
    "calendar_url",
    "changes_by_artist",
    "diff_is_empty",
    "diff_snapshots",
    "planning_publish",
    "planning_publish_preview",
    "publication_scope",
    "schedule_changed_email",
    "scope_hard_conflicts",
    "shifts_to_publish",
    "take_snapshot",
]
