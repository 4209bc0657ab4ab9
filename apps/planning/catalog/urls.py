"""Routes of the planning catalog: projects, venues, roles, missions, shift templates."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from apps.planning.catalog import api

router = SimpleRouter(trailing_slash=False)
router.register("projects", api.ProjectViewSet, basename="project")
router.register("venues", api.VenueViewSet, basename="venue")
router.register("roles", api.RoleViewSet, basename="role")
router.register("missions", api.MissionViewSet, basename="mission")
router.register("planning/shift-templates", api.ShiftTemplateViewSet, basename="shift-template")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
