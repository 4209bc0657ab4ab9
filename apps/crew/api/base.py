"""What the crew viewsets share."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import SearchFilter

from apps.core.api import TenantViewSet


class CrewViewSet(TenantViewSet):
    """Filters and search only: no client-chosen ordering.

    DRF's ordering filter would otherwise allow sorting on any serializer field, and
    sorting artists by a rate they may not read would leak it; lists keep the stable
    order of their selector instead.
    """

    filter_backends: list[Any] = [DjangoFilterBackend, SearchFilter]

    @property
    def role(self) -> str:
        return str(self.membership.role)
