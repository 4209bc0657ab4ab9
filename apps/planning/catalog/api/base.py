"""The base of the catalog viewsets."""

from __future__ import annotations

from django.db.models import Model
from rest_framework import status
from rest_framework.response import Response

from apps.core.api import TenantViewSet


class CatalogViewSet(TenantViewSet):
    """Answers a write with the row re-read as the list shows it.

    Detail writes load their object before validating the body, so a foreign or unknown
    id in the path is a 404 whatever the body holds.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def render(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """Answer with the row as the list shows it (annotations and prefetches included)."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)
