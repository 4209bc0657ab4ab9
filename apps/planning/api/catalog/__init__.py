"""``/api/v1/``: projects, venues, roles, missions and shift templates.

Every view validates with a serializer, calls one service or selector and renders. Any
member reads; managers and above write. The project and mission lists are cached per
organization (``X-Cache: HIT|MISS``, see ``apps.planning.cache``).
"""

from apps.planning.api.catalog.missions import MissionViewSet
from apps.planning.api.catalog.projects import ProjectViewSet
from apps.planning.api.catalog.templates import ShiftTemplateViewSet
from apps.planning.api.catalog.venues_roles import RoleViewSet, VenueViewSet

__all__ = [
    "MissionViewSet",
    "ProjectViewSet",
    "RoleViewSet",
    "ShiftTemplateViewSet",
    "VenueViewSet",
]
