"""Admin for shifts and assignments.

The back office is a second client of the same rules as the API: every save, delete and
action goes through ``apps.planning.schedule.services`` (validation, conflicts, audit,
the database constraints). A refusal (``ApplicationError``, including ``HardConflictError``)
is shown as an error message and nothing is saved: the service raises inside the
admin's transaction, ``changeform_view``/``delete_view`` catch it once the transaction
has rolled back, and send the user back to the page. Soft conflicts of a saved write
are shown as warnings. Bulk "delete selected" is removed: it would bypass the services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.admin import ServiceErrorsAdminMixin, TenantAdmin, admin_actor, error_text
from apps.core.errors import ApplicationError
from apps.orgs.models import Membership, Organization
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from apps.planning.schedule import services

SHIFT_FORM_FIELDS = ("organization", *services.SHIFT_DATA_FIELDS)
OVERRIDE_HELP = "Admins only: why a hard rule (never double booking) may be broken. Audited."


def warn_conflicts(request: HttpRequest, conflicts: Iterable[dict[str, Any]]) -> None:
    for conflict in conflicts:
        messages.warning(request, f"{conflict['type']} {conflict['rule']}: {conflict['message']}")


def membership_of(request: HttpRequest, organization: Organization) -> Membership | None:
    """The staff user's membership, which decides whether an override is allowed."""
    return Membership.objects.filter(organization=organization, user=admin_actor(request)).first()


class ServiceAdmin(ServiceErrorsAdminMixin, TenantAdmin):
    """Turns a service refusal into an error message, after the admin's transaction."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def each_through_service(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        write: Callable[[Any], object],
        done: str,
    ) -> None:
        """Run ``write(obj)`` per object, each in its own transaction; report per object."""
        count = 0
        for obj in queryset:
            try:
                write(obj)
            except ApplicationError as exc:
                messages.error(request, f"{obj}: {error_text(exc)}")
            else:
                count += 1
        if count:
            messages.success(request, f"{count} {done}.")


class ShiftAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    override_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=OVERRIDE_HELP
    )

    class Meta:
        model = Shift
        fields = SHIFT_FORM_FIELDS


class AssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    """Read-only: assignments change through their own page and the services."""

    model = Assignment
    fk_name = "shift"
    fields = ("artist", "status", "locked", "source", "start_at", "end_at", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Shift)
class ShiftAdmin(ServiceAdmin):
    form = ShiftAdminForm
    list_display = (
        "start_at",
        "end_at",
        "mission",
        "role",
        "venue",
        "status",
        "headcount",
        "max_headcount",
    )
    list_filter = (
        ("start_at", admin.DateFieldListFilter),
        "status",
        ("mission__project", admin.RelatedOnlyFieldListFilter),
        ("venue", admin.RelatedOnlyFieldListFilter),
        ("role", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("mission", "role", "venue")
    date_hierarchy = "start_at"
    search_fields = ("mission__name", "role__name", "notes")
    readonly_fields = ("venue", "status", "published_at", "created_at", "updated_at")
    inlines = (AssignmentInline,)
    actions = ("cancel_selected", "publish_selected")

    def save_model(self, request: HttpRequest, obj: Shift, form: Any, change: bool) -> None:
        cleaned = form.cleaned_data
        reason = cleaned.get("override_reason") or None
        if change:
            data = {name: cleaned[name] for name in form.changed_data if name in SHIFT_FORM_FIELDS}
            result = services.shift_update(
                shift=obj, actor=admin_actor(request), data=data, override_reason=reason
            )
        else:
            data = {name: cleaned[name] for name in SHIFT_FORM_FIELDS if name in cleaned}
            organization = data.pop("organization")
            result = services.shift_create(
                organization=organization,
                actor=admin_actor(request),
                membership=membership_of(request, organization),
                data=data,
                override_reason=reason,
            )
            obj.pk = result.obj.pk
        warn_conflicts(request, result.conflicts)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, Any]:
        """Leave the decision to ``shift_delete``, as the API does.

        Assignments protect their shift in the schema, so the admin would refuse every
        shift that has any; the service deletes proposals (audited) and refuses accepted
        or invited crews with a message.
        """
        deleted, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, []

    def delete_model(self, request: HttpRequest, obj: Shift) -> None:
        services.shift_delete(shift=obj, actor=admin_actor(request))

    @admin.action(description="Cancel selected shifts", permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Shift]) -> None:
        self.each_through_service(
            request,
            queryset.exclude(status=ShiftStatus.CANCELLED),
            lambda shift: services.shift_cancel(shift=shift, actor=admin_actor(request)),
            "shift(s) cancelled with their assignments",
        )

    @admin.action(description="Publish selected draft shifts", permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Shift]) -> None:
        self.each_through_service(
            request,
            queryset.filter(status=ShiftStatus.DRAFT),
            lambda shift: services.shift_set_status(
                shift=shift, actor=admin_actor(request), status=ShiftStatus.PUBLISHED
            ),
            "shift(s) published",
        )


class AssignmentAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    override_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=OVERRIDE_HELP
    )

    class Meta:
        model = Assignment
        fields = ("organization", "shift", "artist", "locked", "note")


@admin.register(Assignment)
class AssignmentAdmin(ServiceAdmin):
    form = AssignmentAdminForm
    list_display = ("artist", "shift", "status", "locked", "source", "start_at", "end_at")
    list_filter = ("status", "locked", "source")
    list_select_related = ("artist", "shift")
    raw_id_fields = ("shift", "artist")
    search_fields = ("artist__first_name", "artist__last_name", "note")
    readonly_fields = (
        "status",
        "source",
        "start_at",
        "end_at",
        "status_changed_at",
        "created_by",
        "auto_assign_job",
        "created_at",
        "updated_at",
    )
    actions = ("cancel_selected",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        return (*fields, "shift", "artist")  # the organization: TenantAdmin

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        cleaned = form.cleaned_data
        if change:
            data = {name: cleaned[name] for name in form.changed_data if name in ("locked", "note")}
            result = services.assignment_update(
                assignment=obj, actor=admin_actor(request), data=data
            )
        else:
            organization = cleaned["organization"]
            result = services.assignment_create(
                organization=organization,
                actor=admin_actor(request),
                membership=membership_of(request, organization),
                shift=cleaned["shift"],
                artist=cleaned["artist"],
                locked=cleaned.get("locked", False),
                note=cleaned.get("note", ""),
                override_reason=cleaned.get("override_reason") or None,
            )
            obj.pk = result.obj.pk
        warn_conflicts(request, result.conflicts)

    def delete_model(self, request: HttpRequest, obj: Assignment) -> None:
        services.assignment_delete(assignment=obj, actor=admin_actor(request))

    @admin.action(description="Cancel selected assignments", permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Assignment]) -> None:
        self.each_through_service(
            request,
            queryset.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES),
            lambda assignment: services.assignment_set_status(
                assignment=assignment,
                actor=admin_actor(request),
                membership=None,
                status=AssignmentStatus.CANCELLED,
            ),
            "assignment(s) cancelled",
        )
