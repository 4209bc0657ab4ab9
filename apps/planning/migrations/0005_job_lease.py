"""Auto-assign jobs: a lease that a live worker renews, so a dead worker's job is re-queued
within seconds instead of after its hard time limit. Adding a nullable column and an index
is reversible as is (jobs already running keep the old started_at rule until they end)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0004_crew_journeys"),
    ]

    operations = [
        migrations.AddField(
            model_name="autoassignjob",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="autoassignjob",
            index=models.Index(
                fields=["status", "lease_expires_at"], name="planning_job_lease_idx"
            ),
        ),
    ]
