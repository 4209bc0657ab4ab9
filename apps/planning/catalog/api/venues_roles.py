"""Venues and roles (positions with the skills they require)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from apps.core.examples import request_example, response_example
from apps.planning.catalog import selectors, serializers, services
from apps.planning.catalog.api.base import CatalogViewSet
from apps.planning.catalog.examples import (
    ROLE_EXAMPLE,
    SKILL_ID,
    VENUE_EXAMPLE,
)
from apps.planning.models import Role, Venue

# --- Venues --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Venues", description="`search` on name and city."),
    retrieve=extend_schema(summary="One venue"),
    create=extend_schema(
        summary="Create a venue (manager)",
        description="Names are unique in the organization regardless of case (409 `name_taken`).",
        request=serializers.VenueSerializer,
        responses={201: serializers.VenueSerializer},
        examples=[
            request_example("Olympia", {k: VENUE_EXAMPLE[k] for k in ("name", "city", "capacity")}),
            response_example("Created", VENUE_EXAMPLE, 201),
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a venue (manager)",
        request=serializers.VenueSerializer,
        responses={200: serializers.VenueSerializer},
        examples=[
            request_example("Capacity", {"capacity": 2800}),
            response_example("Updated", {**VENUE_EXAMPLE, "capacity": 2800}),
        ],
    ),
    destroy=extend_schema(
        summary="Delete an unused venue (manager)",
        description="A venue with missions or shifts answers 409 `venue_in_use`.",
        responses={204: None},
    ),
)
@extend_schema(tags=["venues"])
class VenueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = serializers.VenueSerializer
    write_serializer = serializers.VenueSerializer
    writes = services.VENUE_WRITES
    queryset = Venue.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name", "city")
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.venue_list(organization=self.organization)


# --- Roles ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Roles (positions) with their required skills"),
    retrieve=extend_schema(summary="One role"),
    create=extend_schema(
        summary="Create a role (manager)",
        description="Names are unique in the organization regardless of case (409 `name_taken`); "
        "`required_skill_ids` must be skills of the organization (404 naming the field).",
        request=serializers.RoleSerializer,
        responses={201: serializers.RoleSerializer},
        examples=[
            request_example("Rigger", {"name": "Rigger", "required_skill_ids": [SKILL_ID]}),
            response_example("Created", ROLE_EXAMPLE, 201),
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a role; required_skill_ids replaces the set (manager)",
        request=serializers.RoleSerializer,
        responses={200: serializers.RoleSerializer},
        examples=[
            request_example("No skill needed", {"required_skill_ids": []}),
            response_example(
                "Updated", {**ROLE_EXAMPLE, "required_skill_ids": [], "required_skills": []}
            ),
        ],
    ),
    destroy=extend_schema(
        summary="Delete an unused role (manager)",
        description="A role in a staffing plan, a template or a shift answers 409 `role_in_use`.",
        responses={204: None},
    ),
)
@extend_schema(tags=["roles"])
class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = serializers.RoleSerializer
    write_serializer = serializers.RoleSerializer
    writes = services.ROLE_WRITES
    queryset = Role.objects.none()  # for the schema only; data comes from the selector
    search_fields = ("name",)
    ordering = ("name", "id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.role_list(organization=self.organization)
