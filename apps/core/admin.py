"""Tenant restriction for the admin.

Superusers see everything. Other staff see and edit only the rows of organizations in
which they are at least admins, and can pick only those organizations in forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from apps.orgs.models import MemberRole, Membership


def admin_organization_ids(request: HttpRequest) -> list[Any]:
    cached = getattr(request, "_admin_org_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user_id=request.user.pk,  # type: ignore[misc]
                role__in=[MemberRole.OWNER, MemberRole.ADMIN, MemberRole.MANAGER],
            ).values_list("organization_id", flat=True)
        )
        request._admin_org_ids = cached  # type: ignore[attr-defined]
    return cached


class TenantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """ModelAdmin for tables with an ``organization`` foreign key."""

    tenant_field = "organization"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(**{f"{self.tenant_field}__in": admin_organization_ids(request)})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None or field.queryset is None:  # type: ignore[union-attr]
            return field
        related: type[Model] = db_field.related_model
        if related._meta.label_lower == "orgs.organization":
            field.queryset = field.queryset.filter(pk__in=admin_organization_ids(request))
        elif any(f.name == "organization" for f in related._meta.get_fields()):
            field.queryset = field.queryset.filter(organization__in=admin_organization_ids(request))
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if request.user.is_superuser or field is None or field.queryset is None:  # type: ignore[union-attr]
            return field
        related: type[Model] = db_field.related_model
        if any(f.name == "organization" for f in related._meta.get_fields()):
            field.queryset = field.queryset.filter(organization__in=admin_organization_ids(request))
        return field
