"""Routes of invitations, publication, versions, the calendar feed and the reports."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from apps.planning.publication import api as views

router = SimpleRouter(trailing_slash=False)
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("plannings", views.PlanningVersionViewSet, basename="planning-version")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "invitations/<uuid:pk>/accept",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<uuid:pk>/decline",
        views.InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
    path("planning/publish", views.PublishView.as_view(), name="planning-publish"),
    path(
        "planning/publish/preview",
        views.PublishPreviewView.as_view(),
        name="planning-publish-preview",
    ),
    path("planning/export.csv", views.PlanningExportView.as_view(), name="planning-export-csv"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path(
        "artists/<uuid:pk>/calendar-token/rotate",
        views.CalendarTokenRotateView.as_view(),
        name="artist-calendar-token-rotate",
    ),
    path("artists/<uuid:pk>/hours", views.ArtistHoursView.as_view(), name="artist-hours"),
    path("projects/<uuid:pk>/cost", views.ProjectCostView.as_view(), name="project-cost"),
    *router.urls,
]
