"""Crew API routes (``/api/v1/``)."""

from rest_framework.routers import SimpleRouter

from apps.crew.api.artists import ArtistViewSet
from apps.crew.api.availabilities import AvailabilityViewSet
from apps.crew.api.catalog import SkillViewSet, TagViewSet

router = SimpleRouter(trailing_slash=False)
router.register("artists", ArtistViewSet, basename="artist")
router.register("availabilities", AvailabilityViewSet, basename="availability")
router.register("skills", SkillViewSet, basename="skill")
router.register("tags", TagViewSet, basename="tag")

urlpatterns = router.urls
