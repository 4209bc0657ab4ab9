"""URL configuration."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import health, metrics

handler400 = "apps.core.errors.json_bad_request"
handler403 = "apps.core.errors.json_permission_denied"
handler404 = "apps.core.errors.json_not_found"
handler500 = "apps.core.errors.json_server_error"

api_v1: list[URLPattern | URLResolver] = [
    path("health", health.healthz, name="api-health"),
    path("", include("apps.orgs.urls")),
    path("", include("apps.audit.urls")),
    path("", include("apps.crew.urls")),
    path("", include("apps.planning.urls")),
    path("", include("apps.web.api_urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="prometheus-django-metrics"),
    path("api/v1/", include(api_v1)),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("apps.planning.urls_pages")),
    path("", include("apps.web.urls")),
]
