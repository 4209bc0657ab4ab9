"""``GET /api/v1/audit``: the organization's audit trail, for admins."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from apps.audit.models import AuditEntry
from apps.core.api import TenantViewSet
from apps.core.filters import TimeRangeFilterSet
from apps.orgs.models import MemberRole


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "timestamp",
            "actor",
            "actor_label",
            "action",
            "entity_type",
            "entity_id",
            "before",
            "after",
            "reason",
            "request_id",
        )


class AuditFilter(TimeRangeFilterSet):
    entity_type = django_filters.CharFilter()
    entity_id = django_filters.CharFilter()
    actor = django_filters.UUIDFilter(field_name="actor_id")
    action = django_filters.CharFilter()
    action_prefix = django_filters.CharFilter(field_name="action", lookup_expr="startswith")

    class Meta:
        model = AuditEntry
        fields = ("entity_type", "entity_id", "actor", "action")

    from_filter = ("timestamp", "gte", "At or after (ISO 8601).")
    to_filter = ("timestamp", "lt", "Before (ISO 8601).")


@extend_schema_view(
    list=extend_schema(summary="Audit entries, newest first (admin)"),
    retrieve=extend_schema(summary="One audit entry (admin)"),
)
@extend_schema(tags=["audit"])
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    read_role = MemberRole.ADMIN
    ordering_fields = ("timestamp",)
    ordering = ("-timestamp", "-id")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return AuditEntry.objects.all()
