"""Public HTML pages of the planning app (the invitation link)."""

from django.urls import path

from apps.planning.publication.pages import invitation_accept, invitation_decline, invitation_page

urlpatterns = [
    path("invitations/<uuid:pk>", invitation_page, name="invitation-page"),
    path(
        "invitations/<uuid:pk>/accept",
        invitation_accept,
        name="invitation-page-accept",
    ),
    path(
        "invitations/<uuid:pk>/decline",
        invitation_decline,
        name="invitation-page-decline",
    ),
]
