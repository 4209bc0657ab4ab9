"""drf-spectacular extensions, imported when the app is ready."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class OrgJWTScheme(SimpleJWTScheme):  # type: ignore[misc]
    """Our JWT authentication is simplejwt's with an extra claim check."""

    target_class = "apps.orgs.auth.OrgJWTAuthentication"
    name = "jwtAuth"
