"""Routes of invitations, publication, versions, the calendar feed and the reports."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from apps.planning.publication import api

router = SimpleRouter(trailing_slash=False)
router.register("invitations", api.InvitationViewSet, basename="invitation")
router.register("plannings", api.PlanningVersionViewSet, basename="planning-version")

urlpatterns: list[URLPattern | URLResolver] = [
    # Before the router, whose detail route would read "bulk" as an id.
    path("invitations/bulk", api.BulkInviteView.as_view(), name="invitation-bulk"),
    path("invitations/resend", api.ResendView.as_view(), name="invitation-resend"),
    path("planning/crew-policy", api.CrewPolicyView.as_view(), name="crew-policy"),
    path(
        "invitations/<uuid:pk>/accept",
        api.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<uuid:pk>/decline",
        api.InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
    path("planning/publish", api.PublishView.as_view(), name="planning-publish"),
    path(
        "planning/publish/preview",
        api.PublishPreviewView.as_view(),
        name="planning-publish-preview",
    ),
    path("planning/export.csv", api.PlanningExportView.as_view(), name="planning-export-csv"),
    path("planning/call-sheet", api.CallSheetView.as_view(), name="planning-call-sheet"),
    path("calendar/<str:token>.ics", api.CalendarFeedView.as_view(), name="calendar-feed"),
    path(
        "artists/<uuid:pk>/calendar-token/rotate",
        api.CalendarTokenRotateView.as_view(),
        name="artist-calendar-token-rotate",
    ),
    path("artists/<uuid:pk>/hours", api.ArtistHoursView.as_view(), name="artist-hours"),
    path("projects/<uuid:pk>/cost", api.ProjectCostView.as_view(), name="project-cost"),
    *router.urls,
]
