from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from apps.core import schema_extensions  # noqa: F401 - registers the extensions
        from apps.core.fields import install_strict_strings

        install_strict_strings()
