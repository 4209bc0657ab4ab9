"""``/api/v1/skills`` and ``/api/v1/tags``: the organization's catalogs.

Every member reads; managers and above write. Names are unique in the organization,
whatever their case (409 ``duplicate_name``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.crew import selectors
from apps.crew.api import examples
from apps.crew.api.base import CrewViewSet
from apps.crew.api.serializers import (
    SkillInputSerializer,
    SkillSerializer,
    TagInputSerializer,
    TagSerializer,
)
from apps.crew.models import Skill, Tag
from apps.crew.services import catalog


class SkillTagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CrewViewSet):
    """List, read, create, edit (PATCH) and delete; the services differ per catalog."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    search_fields = ("name",)
    input_serializer: ClassVar[type[serializers.Serializer[Any]]]
    create_item: ClassVar[Callable[..., Any]]
    update_item: ClassVar[Callable[..., Any]]
    delete_item: ClassVar[Callable[..., None]]
    item_kwarg: ClassVar[str]

    def _render(self, item: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(item).data, status=code)

    def create(self, request: Request) -> Response:
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = type(self).create_item(
            organization=self.organization, actor=self.actor, **serializer.validated_data
        )
        return self._render(item, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        serializer = self.input_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = type(self).update_item(
            **{self.item_kwarg: self.get_object()},
            actor=self.actor,
            data=serializer.validated_data,
        )
        return self._render(item)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        type(self).delete_item(**{self.item_kwarg: self.get_object()}, actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


def catalog_schema(
    noun: str,
    *,
    input_serializer: type[serializers.Serializer[Any]],
    output_serializer: type[serializers.Serializer[Any]],
    create_examples: list[OpenApiExample],
    update_examples: list[OpenApiExample],
    destroy_summary: str,
) -> Callable[[type[SkillTagViewSet]], type[SkillTagViewSet]]:
    """The schema of a catalog's five actions, worded for ``noun`` ("skill", "tag")."""
    return extend_schema_view(
        list=extend_schema(summary=f"{noun.capitalize()}s of the organization, by name"),
        retrieve=extend_schema(summary=f"One {noun}"),
        create=extend_schema(
            summary=f"Add a {noun} (manager)",
            request=input_serializer,
            responses={201: output_serializer},
            examples=create_examples,
        ),
        partial_update=extend_schema(
            summary=f"Edit a {noun} (manager)",
            request=input_serializer,
            responses={200: output_serializer},
            examples=update_examples,
        ),
        destroy=extend_schema(summary=destroy_summary, responses={204: None}),
    )


@catalog_schema(
    "skill",
    input_serializer=SkillInputSerializer,
    output_serializer=SkillSerializer,
    create_examples=examples.SKILL_CREATE,
    update_examples=examples.SKILL_UPDATE,
    destroy_summary="Delete a skill (manager); refused while planning roles require it",
)
@extend_schema(tags=["crew"])
class SkillViewSet(SkillTagViewSet):
    queryset = Skill.objects.none()  # only tells the schema generator the model
    serializer_class = SkillSerializer
    input_serializer = SkillInputSerializer
    create_item = staticmethod(catalog.skill_create)
    update_item = staticmethod(catalog.skill_update)
    delete_item = staticmethod(catalog.skill_delete)
    item_kwarg = "skill"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.skill_list(organization=self.organization)


@catalog_schema(
    "tag",
    input_serializer=TagInputSerializer,
    output_serializer=TagSerializer,
    create_examples=examples.TAG_CREATE,
    update_examples=examples.TAG_UPDATE,
    destroy_summary="Delete a tag (manager)",
)
@extend_schema(tags=["crew"])
class TagViewSet(SkillTagViewSet):
    queryset = Tag.objects.none()  # only tells the schema generator the model
    serializer_class = TagSerializer
    input_serializer = TagInputSerializer
    create_item = staticmethod(catalog.tag_create)
    update_item = staticmethod(catalog.tag_update)
    delete_item = staticmethod(catalog.tag_delete)
    item_kwarg = "tag"

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.tag_list(organization=self.organization)
