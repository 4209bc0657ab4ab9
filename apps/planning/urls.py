"""Planning API routes (``/api/v1/``): each feature package owns its ``urls``."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.planning.catalog.urls")),
    path("", include("apps.planning.schedule.urls")),
    path("", include("apps.planning.rules.urls")),
    path("", include("apps.planning.publication.urls")),
    path("", include("apps.planning.autoassign.urls")),
    path("", include("apps.planning.publication.me_urls")),
]
