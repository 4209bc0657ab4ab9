"""URL configuration."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django_prometheus import exports
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import health
from apps.core.api import tenant_exempt

# The OpenAPI schema and its docs describe the API; they hold no organization's data.
schema_view = tenant_exempt("the API's public description")(SpectacularAPIView.as_view())
metrics_view = tenant_exempt("Prometheus scrape, guarded at the ingress")(
    exports.ExportToDjangoView
)
docs_view = tenant_exempt("the API's public description")(
    SpectacularSwaggerView.as_view(url_name="schema")
)

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
    path("metrics", metrics_view, name="prometheus-django-metrics"),
    path("api/v1/", include(api_v1)),
    path("api/schema", schema_view, name="schema"),
    path("api/docs", docs_view, name="docs"),
    path("admin/", admin.site.urls),
    path("", include("apps.planning.publication.pages_urls")),
    path("", include("apps.web.urls")),
]
