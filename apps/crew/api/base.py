"""What the crew viewsets share."""

from __future__ import annotations

from typing import Any

from apps.core.api import TenantViewSet
from apps.core.filters import DocumentedSearchFilter, StrictFilterBackend


class CrewViewSet(TenantViewSet):
    """Filters and search only: no client-chosen ordering.

    DRF's ordering filter would otherwise allow sorting on any serializer field, and
    sorting artists by a rate they may not read would leak it; lists keep the stable
    order of their selector instead.
    """

    filter_backends: list[Any] = [StrictFilterBackend, DocumentedSearchFilter]

    @property
    def role(self) -> str:
        return str(self.membership.role)
