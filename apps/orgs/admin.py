from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.core.admin import (
    ReadOnlyAdminMixin,
    ServiceErrorsAdminMixin,
    TenantAdmin,
    admin_organization_ids,
)
from apps.core.errors import ApplicationError
from apps.core.errors import PermissionDenied as PolicyRefused
from apps.orgs.models import MemberRole, Membership, Organization, OrganizationInvitation, User
from apps.orgs.services import MEMBERSHIP_FIELDS, ORGANIZATION_FIELDS, check_membership_change


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
        return queryset.filter(pk__in=admin_organization_ids(request, MemberRole.ADMIN))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)  # type: ignore[union-attr]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)  # type: ignore[union-attr]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        before = snapshot(Organization.objects.get(pk=obj.pk), ORGANIZATION_FIELDS)
        super().save_model(request, obj, form, change)
        record(
            organization=obj,
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.ORGANIZATION_UPDATE,
            entity=obj,
            before=before,
            after=snapshot(obj, ORGANIZATION_FIELDS),
            reason="admin",
        )


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

    # Platform privileges and credentials are the platform's business, not a tenant's.
    PRIVILEGED_FIELDS = (
        "email",
        "password",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or obj is None:  # type: ignore[union-attr]
            return fields
        return (*fields, *self.PRIVILEGED_FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)  # type: ignore[union-attr]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a user removes memberships in every organization: platform staff only.
        return bool(request.user.is_superuser)  # type: ignore[union-attr]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(
            memberships__organization__in=admin_organization_ids(request, MemberRole.ADMIN)
        ).distinct()


@admin.register(Membership)
class MembershipAdmin(ServiceErrorsAdminMixin, TenantAdmin):
    min_role = MemberRole.ADMIN

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "user") if obj is not None else fields

    """Members in the admin follow the API's policy: admins manage, owners grant owner/admin,
    the last owner stays. The form refuses what the policy refuses; writes are audited."""

    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)

        class PolicyForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                organization = cleaned.get("organization") or getattr(
                    self.instance, "organization", None
                )
                if organization is not None:
                    _check_policy(
                        request,
                        organization,
                        self.instance if self.instance.pk else None,
                        cleaned.get("role"),
                    )
                return cleaned

        return PolicyForm

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        before = snapshot(Membership.objects.get(pk=obj.pk), MEMBERSHIP_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        record(
            organization=obj.organization,
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.MEMBERSHIP_CHANGE_ROLE if change else AuditAction.MEMBERSHIP_CREATE,
            entity=obj,
            before=before,
            after=snapshot(obj, MEMBERSHIP_FIELDS),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        try:
            _check_policy(request, obj.organization, obj, None)
        except ValidationError as exc:
            # Propagates: the admin's transaction (and its log entry) rolls back.
            raise PolicyRefused("; ".join(exc.messages)) from exc
        record(
            organization=obj.organization,
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.MEMBERSHIP_DELETE,
            entity=obj,
            before=snapshot(obj, MEMBERSHIP_FIELDS),
            reason="admin",
        )
        super().delete_model(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Bulk deletion would bypass the per-row policy.
        return obj is not None and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Nobody joins without consent: an organization invites (API, orgs/members), the
        # person accepts. Only platform staff add a membership directly.
        return bool(request.user.is_superuser)  # type: ignore[union-attr]


@admin.register(OrganizationInvitation)
class OrganizationInvitationAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Read-only: invitations are sent and withdrawn through the API (the link is secret)."""

    min_role = MemberRole.ADMIN
    list_display = ("email", "organization", "role", "status", "expires_at", "sent_at")
    list_filter = ("status", "role")
    search_fields = ("email",)
    exclude = ("nonce",)


def _check_policy(
    request: HttpRequest, organization: Organization, target: Membership | None, role: str | None
) -> None:
    """Superusers are platform staff; everyone else acts as their own membership."""
    if request.user.is_superuser:  # type: ignore[union-attr]
        if target is not None and target.role == MemberRole.OWNER and role != MemberRole.OWNER:
            _as_validation(
                lambda: check_membership_change(
                    actor=_platform_owner(organization), target=target, new_role=role
                )
            )
        return
    actor = Membership.objects.filter(user_id=request.user.pk, organization=organization).first()  # type: ignore[misc]
    if actor is None:
        raise ValidationError("You are not a member of this organization.")
    _as_validation(lambda: check_membership_change(actor=actor, target=target, new_role=role))


def _platform_owner(organization: Organization) -> Membership:
    return Membership(organization=organization, role=MemberRole.OWNER)


def _as_validation(check: Any) -> None:
    try:
        check()
    except ApplicationError as exc:
        raise ValidationError(exc.message) from exc


def _superusers_only(model_admin: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    """The same admin, visible to superusers only (it spans every tenant)."""

    class SuperuserOnly(model_admin):  # type: ignore[valid-type, misc]
        def has_module_permission(self, request: HttpRequest) -> bool:
            return bool(request.user.is_superuser)  # type: ignore[union-attr]

        def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return bool(request.user.is_superuser)  # type: ignore[union-attr]

        def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return bool(request.user.is_superuser)  # type: ignore[union-attr]

        def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return bool(request.user.is_superuser)  # type: ignore[union-attr]

    return SuperuserOnly


# Refresh tokens and login attempts are not scoped to a tenant: superusers only.
for _model, _model_admin in list(admin.site._registry.items()):
    if _model._meta.app_label in ("token_blacklist", "axes"):
        admin.site.unregister(_model)
        admin.site.register(_model, _superusers_only(type(_model_admin)))
