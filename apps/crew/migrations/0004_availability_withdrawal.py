"""Approved absences are withdrawn through a request a manager decides (issue 14)."""

from typing import Any

from django.db import migrations, models
from django.db.models import F


def backfill_first_approval(apps: Any, schema_editor: Any) -> None:
    """Entries approved today count as approved since their decision."""
    availability = apps.get_model("crew", "Availability")
    approved = availability.objects.filter(status="approved")
    approved.filter(decided_at__isnull=False).update(first_approved_at=F("decided_at"))
    approved.filter(decided_at__isnull=True).update(first_approved_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("crew", "0003_artist_primary_skill"),
    ]

    operations = [
        migrations.AddField(
            model_name="availability",
            name="first_approved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="availability",
            name="withdrawal_requested_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_first_approval, migrations.RunPython.noop),
    ]
