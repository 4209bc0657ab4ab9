from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "apps.planning"
    label = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        # Every audited write keeps the stored conflicts up to date in its transaction.
        from apps.audit.signals import recorded
        from apps.planning.rules.stored import on_recorded

        recorded.connect(on_recorded, dispatch_uid="planning.stored_conflicts")
