"""Auto-assign routes under ``/api/v1/planning/auto-assign/``."""

from django.urls import URLPattern, URLResolver, path

from apps.planning.autoassign.api import (
    AutoAssignApplyView,
    AutoAssignCancelView,
    AutoAssignJobListView,
    AutoAssignStartView,
    AutoAssignStatusView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("planning/auto-assign/start", AutoAssignStartView.as_view(), name="autoassign-start"),
    path("planning/auto-assign/jobs", AutoAssignJobListView.as_view(), name="autoassign-jobs"),
    path(
        "planning/auto-assign/status/<uuid:job_id>",
        AutoAssignStatusView.as_view(),
        name="autoassign-status",
    ),
    path(
        "planning/auto-assign/<uuid:job_id>/cancel",
        AutoAssignCancelView.as_view(),
        name="autoassign-cancel",
    ),
    path(
        "planning/auto-assign/<uuid:job_id>/apply",
        AutoAssignApplyView.as_view(),
        name="autoassign-apply",
    ),
]
