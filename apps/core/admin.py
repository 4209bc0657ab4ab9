"""Tenant restriction for the admin.

Superusers see everything. Other staff see and edit only the rows of organizations in
which their role reaches the admin's ``min_role`` (managers for the planning and the
crew, admins for the organization, its members and its audit), and can pick only those
organizations in forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from apps.core.errors import ApplicationError
from apps.orgs.models import MemberRole, Membership, User


def admin_actor(request: HttpRequest) -> User:
    """The staff user behind an admin request (admin views require a logged-in user)."""
    return request.user  # type: ignore[return-value]


def admin_organization_ids(
    request: HttpRequest, min_role: MemberRole = MemberRole.MANAGER
) -> list[Any]:
    """Organizations where the staff user's role is at least ``min_role`` (cached per request)."""
    cache: dict[str, list[Any]] = request.__dict__.setdefault("_admin_org_ids", {})
    if min_role not in cache:
        roles = [role for role in MemberRole if MemberRole.at_least(role, min_role)]
        cache[min_role] = list(
            Membership.objects.filter(
                user_id=request.user.pk,  # type: ignore[misc]
                role__in=roles,
            ).values_list("organization_id", flat=True)
        )
    return cache[min_role]


class TenantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """ModelAdmin for tables with an ``organization`` foreign key.

    The organization of an existing row cannot be changed: moving a row between tenants
    would leave its related rows behind.
    """

    tenant_field = "organization"
    min_role: MemberRole = MemberRole.MANAGER

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and self.tenant_field == "organization" and "organization" not in fields:
            return (*fields, "organization")
        return fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(
            **{f"{self.tenant_field}__in": admin_organization_ids(request, self.min_role)}
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None or field.queryset is None:  # type: ignore[union-attr]
            return field
        related: type[Model] = db_field.related_model
        if related._meta.label_lower == "orgs.organization":
            field.queryset = field.queryset.filter(
                pk__in=admin_organization_ids(request, self.min_role)
            )
        elif any(f.name == "organization" for f in related._meta.get_fields()):
            field.queryset = field.queryset.filter(
                organization__in=admin_organization_ids(request, self.min_role)
            )
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if request.user.is_superuser or field is None or field.queryset is None:  # type: ignore[union-attr]
            return field
        related: type[Model] = db_field.related_model
        if any(f.name == "organization" for f in related._meta.get_fields()):
            field.queryset = field.queryset.filter(
                organization__in=admin_organization_ids(request, self.min_role)
            )
        return field


def error_text(exc: ApplicationError) -> str:
    """One line for people: the message, then each field's and each conflict's detail."""
    parts = [exc.message]
    parts += [f"{field}: {'; '.join(texts)}" for field, texts in exc.fields.items()]
    parts += [f"{c['rule']}: {c['message']}" for c in exc.extra.get("conflicts", [])]
    return " ".join(parts)


class ReadOnlyAdminMixin:
    """Rows the admin shows and never adds, changes or deletes (they change elsewhere)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
