"""Invitations, publication, published versions, the calendar feed and the reports.

Thin views: validate with a serializer, call one service or selector, render. Two kinds
of endpoints:

- tenant endpoints (``TenantAPIView``): invitations (manager; ``bulk`` and ``resend``
  for the board's selection and the unanswered, one e-mail per person), the crew
  follow-up policy (manager reads, admin writes), publishing (manager),
  versions (every member), calendar-token rotation (the crew member or a manager), hours
  (a tech for his or her own artist, managers for anyone), project cost and the CSV
  export (manager), the call sheet (every member, contacts by the policy);
- public endpoints, without authentication: answering an invitation (the signed token
  is the credential; throttled with the ``invitation`` scope) and the private calendar
  feed (the artist's unguessable calendar token is the credential).
"""

from apps.planning.publication.api.bulk import BulkInviteView, ResendView
from apps.planning.publication.api.calendar import CalendarFeedView, CalendarTokenRotateView
from apps.planning.publication.api.call_sheet import CallSheetView
from apps.planning.publication.api.crew_policy import CrewPolicyView
from apps.planning.publication.api.invitations import (
    InvitationAcceptView,
    InvitationDeclineView,
    InvitationViewSet,
)
from apps.planning.publication.api.reports import (
    ArtistHoursView,
    PlanningExportView,
    ProjectCostView,
)
from apps.planning.publication.api.versions import (
    PlanningVersionViewSet,
    PublishPreviewView,
    PublishView,
)

__all__ = [
    "ArtistHoursView",
    "BulkInviteView",
    "CalendarFeedView",
    "CalendarTokenRotateView",
    "CallSheetView",
    "CrewPolicyView",
    "InvitationAcceptView",
    "InvitationDeclineView",
    "InvitationViewSet",
    "PlanningExportView",
    "PlanningVersionViewSet",
    "ProjectCostView",
    "PublishPreviewView",
    "PublishView",
    "ResendView",
]
