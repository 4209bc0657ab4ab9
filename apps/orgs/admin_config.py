"""The admin app with the organization-aware site (``apps.orgs.admin_site``).

Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin``; kept apart from the
site so that loading the app imports no model.
"""

from django.contrib.admin.apps import AdminConfig


class CrewAdminConfig(AdminConfig):
    default_site = "apps.orgs.admin_site.CrewAdminSite"
