"""Shift and assignment routes: ``/api/v1/planning/shifts`` (and their candidates) and
``/planning/assignments``."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

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
    *router.urls,
]
