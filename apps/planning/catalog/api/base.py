"""The base of the catalog viewsets."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from apps.core.api import TenantViewSet
from apps.planning.catalog.services import CatalogWrites


class CatalogViewSet(TenantViewSet):
    """Create, edit (PATCH) and delete through the entity's services.

    Subclasses name the body's serializer (``write_serializer``) and the entity's writes
    (``services.CatalogWrites``); their schema is given per action with
    ``extend_schema_view``. A write answers with the row re-read as the list shows it.

    Detail writes load their object before validating the body, so a foreign or unknown
    id in the path is a 404 whatever the body holds.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    write_serializer: ClassVar[type[BaseSerializer[Any]]]
    writes: ClassVar[CatalogWrites]

    def render(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """Answer with the row as the list shows it (annotations and prefetches included)."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request: Request) -> Response:
        data = self.validated(self.write_serializer)
        item = self.writes.create(organization=self.organization, actor=self.actor, **data)
        return self.render(item, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        data = self.validated(self.write_serializer, partial=True)
        return self.render(self.update_item(target, data))

    def update_item(self, target: Any, data: dict[str, Any]) -> Model:
        """The update call; a viewset whose body holds more than fields overrides it."""
        return self.writes.update(
            organization=self.organization,
            actor=self.actor,
            data=data,
            **{self.writes.item: target},
        )

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        self.writes.delete(
            organization=self.organization,
            actor=self.actor,
            **{self.writes.item: self.get_object()},
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
