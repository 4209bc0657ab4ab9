"""Routes of the planning catalog: projects, venues, roles, missions, shift templates."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from apps.planning.catalog import api as catalog

router = SimpleRouter(trailing_slash=False)
router.register("projects", catalog.ProjectViewSet, basename="project")
router.register("venues", catalog.VenueViewSet, basename="venue")
router.register("roles", catalog.RoleViewSet, basename="role")
router.register("missions", catalog.MissionViewSet, basename="mission")
router.register("planning/shift-templates", catalog.ShiftTemplateViewSet, basename="shift-template")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
