"""The base of the catalog viewsets."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Model
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from apps.core.api import TenantViewSet
from apps.orgs.models import User


class CatalogViewSet(TenantViewSet):
    """Shared plumbing: the acting user, input validation and re-reading what was written.

    Detail writes load their object before validating the body, so a foreign or unknown
    id in the path is a 404 whatever the body holds.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def validated(self, serializer_class: type[BaseSerializer[Any]], **kwargs: Any) -> Any:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """Answer with the row as the list shows it (annotations and prefetches included)."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)
