"""Shift and assignment routes: ``/api/v1/planning/shifts`` and ``/planning/assignments``."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from apps.planning.schedule.api.views import AssignmentViewSet, ShiftViewSet

router = SimpleRouter(trailing_slash=False)
router.register("planning/shifts", ShiftViewSet, basename="shift")
router.register("planning/assignments", AssignmentViewSet, basename="assignment")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
