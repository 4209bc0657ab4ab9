"""Rules, conflicts and timeline routes (``/api/v1/``).

``artists/<id>/conflicts`` lives here rather than on the crew router: it is a planning
read, and the crew ``ArtistViewSet`` defines no ``conflicts`` action to clash with.
"""

from django.urls import URLPattern, URLResolver, path

from apps.planning.rules.api import conflicts, rules
from apps.planning.schedule.api import timeline

urlpatterns: list[URLPattern | URLResolver] = [
    path("planning/rules", rules.RuleListView.as_view(), name="rule-list"),
    path("planning/rules/<str:code>", rules.RuleDetailView.as_view(), name="rule-detail"),
    path(
        "planning/conflicts/preview",
        conflicts.ConflictPreviewView.as_view(),
        name="conflict-preview",
    ),
    path("planning/conflicts", conflicts.ConflictListView.as_view(), name="conflict-list"),
    path(
        "artists/<uuid:pk>/conflicts",
        conflicts.ArtistConflictListView.as_view(),
        name="artist-conflicts",
    ),
    path("planning/timeline", timeline.TimelineView.as_view(), name="planning-timeline"),
]
