"""Shift and assignment routes: ``/api/v1/planning/shifts`` (and their candidates) and
``/planning/assignments``."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from apps.planning.schedule.api import open_shifts
from apps.planning.schedule.api.candidates import ShiftCandidatesView
from apps.planning.schedule.api.views import AssignmentViewSet, ShiftViewSet

router = SimpleRouter(trailing_slash=False)
router.register("planning/shifts", ShiftViewSet, basename="shift")
router.register("planning/assignments", AssignmentViewSet, basename="assignment")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "planning/shifts/<uuid:pk>/candidates",
        ShiftCandidatesView.as_view(),
        name="shift-candidates",
    ),
    path("planning/open-shifts", open_shifts.OpenShiftsOpenView.as_view(), name="open-shifts"),
    path(
        "planning/open-shifts/close",
        open_shifts.OpenShiftsCloseView.as_view(),
        name="open-shifts-close",
    ),
    path(
        "planning/open-shifts/claims/<uuid:pk>/approve",
        open_shifts.ClaimApproveView.as_view(),
        name="open-shift-claim-approve",
    ),
    path("me/open-shifts", open_shifts.MyOpenShiftsView.as_view(), name="me-open-shifts"),
    path(
        "me/open-shifts/<uuid:pk>/claim",
        open_shifts.MyOpenShiftClaimView.as_view(),
        name="me-open-shift-claim",
    ),
    *router.urls,
]
