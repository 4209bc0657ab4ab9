from django.apps import AppConfig


class CrewConfig(AppConfig):
    name = "apps.crew"
    label = "crew"
    verbose_name = "Crew"
