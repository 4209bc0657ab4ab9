"""Admin for projects, venues, roles, missions and shift templates.

The back office is another client of ``apps.planning.catalog.services``: every save and
delete goes through a service, so it is validated, audited and marks the cached project
and mission lists stale, exactly as through the API. A refusal (``ApplicationError``)
raises inside the admin's transaction; ``changeform_view``/``delete_view`` catch it once
that transaction has rolled back and show it as an error message. A mission's staffing
plan is edited inline and saved as one replacement of the plan; its shifts are listed
read-only (they are edited on the shift pages, through the schedule services).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from apps.core.admin import ServiceErrorsAdminMixin, TenantAdmin, admin_actor
from apps.planning.catalog import services
from apps.planning.models import Mission, MissionRole, Project, Role, Shift, ShiftTemplate, Venue

PROJECT_FORM_FIELDS = services.PROJECT_FIELDS[1:]
VENUE_FORM_FIELDS = services.VENUE_FIELDS[1:]
TEMPLATE_FORM_FIELDS = services.TEMPLATE_FIELDS[1:]
MISSION_FORM_FIELDS = ("project", "venue", "name", "start_at", "end_at", "notes")
ROLE_FORM_FIELDS = ("name", "description", "color", "required_skills")


class CatalogAdmin(ServiceErrorsAdminMixin, TenantAdmin):
    """Saves and deletes through a service; shows a service refusal as a message.

    Subclasses name their entity's writes (``services.CatalogWrites``).
    """

    form_fields: tuple[str, ...] = ()
    writes: ClassVar[services.CatalogWrites]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("organization", *self.form_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        cleaned = form.cleaned_data
        if change:
            data = {name: cleaned[name] for name in form.changed_data if name in self.form_fields}
            if data:  # an inline-only change must not write an empty update
                self.update(request, obj, data)
        else:
            data = {name: cleaned[name] for name in self.form_fields if name in cleaned}
            obj.pk = self.create(request, cleaned["organization"], data).pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many fields were saved by the service; only inlines are left."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset.select_related("organization"):
            self.delete(request, obj)

    def create(self, request: HttpRequest, organization: Any, data: dict[str, Any]) -> Model:
        return self.writes.create(organization=organization, actor=admin_actor(request), **data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Model:
        return self.writes.update(
            organization=obj.organization,
            actor=admin_actor(request),
            data=data,
            **{self.writes.item: obj},
        )

    def delete(self, request: HttpRequest, obj: Any) -> None:
        self.writes.delete(
            organization=obj.organization, actor=admin_actor(request), **{self.writes.item: obj}
        )


@admin.register(Project)
class ProjectAdmin(CatalogAdmin):
    form_fields = PROJECT_FORM_FIELDS
    writes = services.PROJECT_WRITES
    list_display = ("name", "client", "status", "start_date", "end_date", "organization")
    list_filter = ("status",)
    search_fields = ("name", "client")
    date_hierarchy = "start_date"


@admin.register(Venue)
class VenueAdmin(CatalogAdmin):
    form_fields = VENUE_FORM_FIELDS
    writes = services.VENUE_WRITES
    list_display = ("name", "city", "capacity", "organization")
    search_fields = ("name", "city")


@admin.register(Role)
class RoleAdmin(CatalogAdmin):
    form_fields = ROLE_FORM_FIELDS
    writes = services.ROLE_WRITES
    list_display = ("name", "description", "organization")
    search_fields = ("name",)
    filter_horizontal = ("required_skills",)


class StaffingInline(admin.TabularInline):  # type: ignore[type-arg]
    """The staffing plan; saved as one replacement through ``mission_update``."""

    model = MissionRole
    fk_name = "mission"
    fields = ("role", "headcount")
    extra = 1


class ShiftInline(admin.TabularInline):  # type: ignore[type-arg]
    """Read-only: shifts are edited on their own page, through the schedule services."""

    model = Shift
    fk_name = "mission"
    fields = ("start_at", "end_at", "role", "status", "headcount", "max_headcount")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("start_at",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mission)
class MissionAdmin(CatalogAdmin):
    form_fields = MISSION_FORM_FIELDS
    writes = services.MISSION_WRITES
    list_display = ("name", "project", "venue", "start_at", "end_at", "organization")
    list_filter = (
        ("project", admin.RelatedOnlyFieldListFilter),
        ("venue", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("project", "venue", "organization")
    search_fields = ("name", "project__name", "venue__name")
    date_hierarchy = "start_at"
    inlines = (StaffingInline, ShiftInline)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is MissionRole and formset.has_changed():
            lines = [
                services.StaffingLine(role=row["role"], headcount=row["headcount"])
                for row in formset.cleaned_data
                if row and not row.get("DELETE")
            ]
            mission = Mission.objects.select_related("organization").get(pk=form.instance.pk)
            services.mission_update(
                organization=mission.organization,
                actor=admin_actor(request),
                mission=mission,
                data={},
                staffing=lines,
            )
        # What the admin's change message reads after a formset is saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(CatalogAdmin):
    form_fields = TEMPLATE_FORM_FIELDS
    writes = services.TEMPLATE_WRITES
    list_display = ("name", "role", "start_time", "end_time", "headcount", "organization")
    list_select_related = ("role", "organization")
    search_fields = ("name", "role__name")
