"""Planning API routes (``/api/v1/``), one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.planning.urls.catalog")),
    path("", include("apps.planning.urls.schedule")),
    path("", include("apps.planning.urls.rules")),
    path("", include("apps.planning.urls.publication")),
    path("", include("apps.planning.urls.autoassign")),
]
