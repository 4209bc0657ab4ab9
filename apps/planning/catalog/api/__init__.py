"""``/api/v1/``: projects, venues, roles, missions and shift templates.

Every view validates with a serializer, calls one service or selector and renders. Any
member reads; managers and above write. The project and mission lists are cached per
organization (``X-Cache: HIT|MISS``, see ``apps.core.revisions``).
"""

from apps.planning.catalog.api.missions import MissionViewSet
from apps.planning.catalog.api.projects import ProjectViewSet
from apps.planning.catalog.api.templates import ShiftTemplateViewSet
from apps.planning.catalog.api.venues_roles import RoleViewSet, VenueViewSet

__all__ = [
    "MissionViewSet",
    "ProjectViewSet",
    "RoleViewSet",
    "ShiftTemplateViewSet",
    "VenueViewSet",
]
