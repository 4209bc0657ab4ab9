"""Tenant restriction for the admin.

Superusers see everything. Other staff see and edit only the rows of organizations in
which they are at least admins, and can pick only those organizations in forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from apps.core.errors import ApplicationError
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


def error_text(exc: ApplicationError) -> str:
    """One line for people: the message, then each field's and each conflict's detail."""
    parts = [exc.message]
    parts += [f"{field}: {'; '.join(texts)}" for field, texts in exc.fields.items()]
    parts += [f"{c['rule']}: {c['message']}" for c in exc.extra.get("conflicts", [])]
    return " ".join(parts)


class ServiceErrorsAdminMixin:
    """Admin writes go through services; a refusal becomes a message, never a 500.

    The admin's own transaction has rolled back by the time the error reaches here, so
    nothing of the refused write is saved.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc, no-any-return]
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc, no-any-return]
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
            return HttpResponseRedirect(request.get_full_path())
