"""Public HTML pages of the planning app (the invitation link)."""

from django.urls import path

from apps.planning.publication import pages as views_pages

urlpatterns = [
    path("invitations/<uuid:pk>", views_pages.invitation_page, name="invitation-page"),
    path(
        "invitations/<uuid:pk>/accept",
        views_pages.invitation_accept,
        name="invitation-page-accept",
    ),
    path(
        "invitations/<uuid:pk>/decline",
        views_pages.invitation_decline,
        name="invitation-page-decline",
    ),
]
