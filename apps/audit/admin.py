from django.contrib import admin

from apps.audit.models import AuditEntry
from apps.core.admin import ReadOnlyAdminMixin, TenantAdmin
from apps.orgs.models import MemberRole


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Read-only: audit entries are append-only; admins of the organization read them."""

    min_role = MemberRole.ADMIN

    list_display = (
        "timestamp",
        "organization",
        "actor_label",
        "action",
        "entity_type",
        "entity_id",
    )
    list_filter = ("action", "entity_type")
    search_fields = ("entity_id", "actor_label", "request_id")
    date_hierarchy = "timestamp"
