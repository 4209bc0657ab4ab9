from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from apps.core import schema_extensions  # noqa: F401 - registers the extensions
        from apps.core.db import analyze_after_data_migrations, read_instants_in_c

        # Sent once per app with the same plan: listening to this app's signal analyses once.
        post_migrate.connect(analyze_after_data_migrations, sender=self)
        connection_created.connect(read_instants_in_c, dispatch_uid="crewplan.instants_in_c")
        from apps.core.fields import install_strict_strings

        install_strict_strings()
