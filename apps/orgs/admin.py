from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.audit.services import record, snapshot
from apps.core.admin import TenantAdmin, admin_organization_ids
from apps.orgs.models import Membership, Organization, User
from apps.orgs.services import MEMBERSHIP_FIELDS


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("user", "role")
    raw_id_fields = ("user",)
    can_delete = False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "timezone", "language", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(pk__in=admin_organization_ids(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)  # type: ignore[union-attr]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "is_staff")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "language")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(
            memberships__organization__in=admin_organization_ids(request)
        ).distinct()


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        before = snapshot(Membership.objects.get(pk=obj.pk), MEMBERSHIP_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        record(
            organization=obj.organization,
            actor=request.user,  # type: ignore[arg-type]
            action="membership.change_role" if change else "membership.create",
            entity=obj,
            before=before,
            after=snapshot(obj, MEMBERSHIP_FIELDS),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        record(
            organization=obj.organization,
            actor=request.user,  # type: ignore[arg-type]
            action="membership.delete",
            entity=obj,
            before=snapshot(obj, MEMBERSHIP_FIELDS),
            reason="admin",
        )
        super().delete_model(request, obj)
