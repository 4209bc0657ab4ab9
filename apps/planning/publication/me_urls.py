"""``/api/v1/me/...``: the crew member's own profile, hours, schedule and invitations."""

from django.urls import path

from apps.planning.publication.api import me as api

urlpatterns = [
    path("me/artist", api.MyArtistView.as_view(), name="me-artist"),
    path("me/hours", api.MyHoursView.as_view(), name="me-hours"),
    path("me/assignments", api.MyAssignmentsView.as_view(), name="me-assignments"),
    path("me/invitations", api.MyInvitationsView.as_view(), name="me-invitations"),
    path(
        "me/invitations/<uuid:pk>/accept",
        api.MyInvitationAcceptView.as_view(),
        name="me-invitation-accept",
    ),
    path(
        "me/invitations/<uuid:pk>/decline",
        api.MyInvitationDeclineView.as_view(),
        name="me-invitation-decline",
    ),
]
