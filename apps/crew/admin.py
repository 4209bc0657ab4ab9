"""Back office for the crew: artists (availabilities inline), availabilities, skills, tags.

Tenant-restricted through ``TenantAdmin``. Availabilities go through the same services
as the API (status rules, approve/reject, audit); artist and catalog edits are audited
here in the admin's own transaction, and deletions go through the services, so the
admin refuses what the API refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.audit.actions import AuditAction
from apps.audit.services import record, snapshot
from apps.core.admin import ServiceErrorsAdminMixin, TenantAdmin, admin_actor
from apps.core.errors import ApplicationError, ConflictError, ValidationFailed
from apps.crew.models import Artist, Availability, Skill, Tag
from apps.crew.services.artists import artist_delete, artist_snapshot, validate_rates
from apps.crew.services.availabilities import (
    availability_approve,
    availability_delete,
    availability_reject,
    availability_save,
    validate_window,
)
from apps.crew.services.catalog import SKILL_FIELDS, TAG_FIELDS, skill_delete, tag_delete
from apps.orgs.models import MemberRole, Membership, Organization
from apps.planning.models import Role


def admin_role(request: HttpRequest, organization_id: Any) -> str:
    """The role the services apply: the staff member's own; superusers act as owners."""
    if request.user.is_superuser:  # type: ignore[union-attr]
        return MemberRole.OWNER
    role = (
        Membership.objects.filter(organization_id=organization_id, user=admin_actor(request))
        .values_list("role", flat=True)
        .first()
    )
    return role or MemberRole.TECH


class AvailabilityAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Runs the services' window rules, so a bad entry is a form error, not a crash."""

    class Meta:
        model = Availability
        fields = ("artist", "start_at", "end_at", "kind", "reason", "note")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if all(data.get(name) for name in ("start_at", "end_at", "kind")):
            try:
                validate_window(
                    start_at=data["start_at"],
                    end_at=data["end_at"],
                    kind=data["kind"],
                    reason=data.get("reason") or "",
                )
            except ValidationFailed as exc:
                for field, errors in exc.fields.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


class AvailabilityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Availability
    form = AvailabilityAdminForm
    fk_name = "artist"
    extra = 0
    fields = ("start_at", "end_at", "kind", "reason", "note", "status")
    readonly_fields = ("status",)
    ordering = ("start_at",)


class ArtistAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Links stay inside the artist's organization, as the API's id fields enforce."""

    class Meta:
        model = Artist
        fields = (
            "organization",
            "first_name",
            "last_name",
            "email",
            "phone",
            "employment_type",
            "skills",
            "primary_skill",
            "tags",
            "notes",
            "is_active",
            "user",
            "day_rate",
            "half_day_rate",
            "hourly_rate",
            "currency",
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        organization: Organization | None = data.get("organization")
        if organization is None:
            return data
        for field in ("skills", "tags"):
            if any(item.organization_id != organization.pk for item in data.get(field) or []):
                self.add_error(field, "Pick items of the artist's organization.")
        primary = data.get("primary_skill")
        if primary is not None and primary not in list(data.get("skills") or []):
            self.add_error("primary_skill", "The primary skill must be one of the skills.")
        user = data.get("user")
        if user is not None and not user.memberships.filter(organization=organization).exists():
            self.add_error("user", "This user is not a member of the artist's organization.")
        self._check_rates(data)
        return data

    def _check_rates(self, data: dict[str, Any]) -> None:
        try:
            validate_rates(
                day_rate=data.get("day_rate"),
                half_day_rate=data.get("half_day_rate"),
                hourly_rate=data.get("hourly_rate"),
                currency=data.get("currency") or "",
            )
        except ValidationFailed as exc:
            for field, errors in exc.fields.items():
                if field not in self.errors:
                    self.add_error(field, errors)


class DeleteThroughServiceMixin:
    """Deletes through the entity's service, so the admin refuses what the API refuses.

    One object: a refusal propagates and the admin's transaction (and its log entry)
    rolls back. "Delete selected": one by one, each refusal reported as a message.
    """

    delete_service: ClassVar[Callable[..., None]]
    delete_kwarg: ClassVar[str]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        type(self).delete_service(**{self.delete_kwarg: obj}, actor=admin_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            try:
                type(self).delete_service(**{self.delete_kwarg: obj}, actor=admin_actor(request))
            except ConflictError as exc:
                messages.error(request, f"{obj}: {exc.message}")


@admin.register(Artist)
class ArtistAdmin(DeleteThroughServiceMixin, ServiceErrorsAdminMixin, TenantAdmin):
    delete_service = staticmethod(artist_delete)
    delete_kwarg = "artist"
    form = ArtistAdminForm
    list_display = ("last_name", "first_name", "employment_type", "email", "is_active")
    list_filter = (
        "employment_type",
        "is_active",
        ("skills", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("first_name", "last_name", "email")
    filter_horizontal = ("skills", "tags")
    raw_id_fields = ("user",)
    inlines = (AvailabilityInline,)
    ordering = ("last_name", "first_name")

    def save_model(self, request: HttpRequest, obj: Artist, form: Any, change: bool) -> None:
        form.audit_before = artist_snapshot(Artist.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        artist: Artist = form.instance
        record(
            organization=artist.organization,
            actor=admin_actor(request),
            action=AuditAction.ARTIST_UPDATE if change else AuditAction.ARTIST_CREATE,
            entity=artist,
            before=form.audit_before,
            after=artist_snapshot(artist),
            reason="admin",
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline availabilities are written through the availability services."""
        artist: Artist = form.instance
        role = admin_role(request, artist.organization_id)
        actor = admin_actor(request)
        for availability in formset.save(commit=False):
            availability.organization_id = artist.organization_id
            availability_save(availability=availability, actor=actor, actor_role=role)
        for availability in formset.deleted_objects:
            availability_delete(availability=availability, actor=actor, actor_role=role)


@admin.register(Availability)
class AvailabilityAdmin(TenantAdmin):
    form = AvailabilityAdminForm
    list_display = ("artist", "kind", "status", "start_at", "end_at", "reason")
    list_filter = ("kind", "status", "reason")
    search_fields = ("artist__first_name", "artist__last_name", "artist__email")
    list_select_related = ("artist",)
    date_hierarchy = "start_at"
    readonly_fields = ("status", "requested_by", "decided_by", "decided_at")
    raw_id_fields = ("artist",)
    actions = ("approve", "reject")

    def save_model(self, request: HttpRequest, obj: Availability, form: Any, change: bool) -> None:
        obj.organization_id = obj.artist.organization_id
        availability_save(
            availability=obj,
            actor=admin_actor(request),
            actor_role=admin_role(request, obj.organization_id),
        )

    def delete_model(self, request: HttpRequest, obj: Availability) -> None:
        self.delete_queryset(request, Availability.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for availability in queryset:
            availability_delete(
                availability=availability,
                actor=admin_actor(request),
                actor_role=admin_role(request, availability.organization_id),
            )

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Any], decide: Callable[..., Any]
    ) -> None:
        done = 0
        for availability in queryset:
            try:
                decide(
                    availability=availability,
                    actor=admin_actor(request),
                    actor_role=admin_role(request, availability.organization_id),
                    comment="admin",
                )
                done += 1
            except ApplicationError as exc:
                messages.warning(request, f"{availability}: {exc.message}")
        messages.success(request, f"{done} entr{'y' if done == 1 else 'ies'} updated.")

    @admin.action(description="Approve the selected entries")
    def approve(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, availability_approve)

    @admin.action(description="Reject the selected entries")
    def reject(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._decide(request, queryset, availability_reject)


class CatalogAdmin(DeleteThroughServiceMixin, ServiceErrorsAdminMixin, TenantAdmin):
    """Skills and tags: edits audited here, deletions through the services."""

    audit_fields: tuple[str, ...] = ()
    list_display: tuple[str, ...] = ("name", "organization")
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        model = type(obj)
        before = snapshot(model.objects.get(pk=obj.pk), self.audit_fields) if change else None
        super().save_model(request, obj, form, change)
        record(
            organization=obj.organization,
            actor=admin_actor(request),
            action=AuditAction(f"{model._meta.model_name}.{'update' if change else 'create'}"),
            entity=obj,
            before=before,
            after=snapshot(obj, self.audit_fields),
            reason="admin",
        )


@admin.register(Skill)
class SkillAdmin(CatalogAdmin):
    audit_fields = SKILL_FIELDS
    delete_service = staticmethod(skill_delete)
    delete_kwarg = "skill"

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Show the roles that require a skill as protecting it: the service refuses too."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        roles = Role.objects.filter(required_skills__in=list(objs)).distinct()
        protected = [*protected, *(f"Role requiring it: {role.name}" for role in roles)]
        return deleted, counts, perms_needed, protected


@admin.register(Tag)
class TagAdmin(CatalogAdmin):
    audit_fields = TAG_FIELDS
    delete_service = staticmethod(tag_delete)
    delete_kwarg = "tag"
    list_display = ("name", "color", "organization")
