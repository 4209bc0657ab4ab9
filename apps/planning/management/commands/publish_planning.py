"""``manage.py publish_planning``: publish a project or a date range from the shell.

The same service as ``POST /api/v1/planning/publish``. Prints the new version's number
and its diff summary; when hard conflicts remain, prints them and exits non-zero.
``--from``/``--to`` take ISO 8601 datetimes, or dates read as local days in the
organization's zone (``--to`` included).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.errors import ApplicationError, HardConflictError
from apps.orgs.models import Organization
from apps.planning.management.lookups import manager_by_email, organization_by_slug
from apps.planning.publication import services
from apps.planning.publication.reports import local_range


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as exc:
        raise CommandError(f"Not an id: {value!r}") from exc


def _bound(value: str | None, *, organization: Organization, end: bool) -> datetime | None:
    """An ISO datetime, or a local date (start of ``--from``'s day, end of ``--to``'s)."""
    if not value:
        return None
    try:
        day: date | None = parse_date(value)
    except ValueError as exc:  # well-formed but impossible, e.g. 2026-02-30
        raise CommandError(f"Not a date: {value!r}") from exc
    if day is not None:
        start, stop = local_range(day, day, organization)
        return stop if end else start
    instant = parse_datetime(value)
    if instant is None:
        raise CommandError(f"Not a date or datetime: {value!r}")
    return instant if instant.tzinfo else instant.replace(tzinfo=organization.tzinfo)


class Command(BaseCommand):
    help = "Publish a project (--project) or a date range (--from/--to, optionally --venue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Organization slug.")
        parser.add_argument("--project", help="Project id.")
        parser.add_argument("--from", dest="start", help="ISO datetime or local date.")
        parser.add_argument("--to", dest="end", help="ISO datetime or local date (included).")
        parser.add_argument("--venue", help="Venue id, to narrow the scope.")
        parser.add_argument("--actor", help="E-mail of the publishing manager (audited).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_by_slug(options["org"])
        actor = manager_by_email(organization, options.get("actor"))
        try:
            scope = services.publication_scope(
                organization=organization,
                project_id=_uuid(options["project"]) if options.get("project") else None,
                start=_bound(options.get("start"), organization=organization, end=False),
                end=_bound(options.get("end"), organization=organization, end=True),
                venue_id=_uuid(options["venue"]) if options.get("venue") else None,
            )
            result = services.planning_publish(organization=organization, actor=actor, scope=scope)
        except HardConflictError as exc:
            for conflict in exc.conflicts:
                self.stderr.write(f"  [{conflict['rule']}] {conflict['message']}")
            raise CommandError(
                f"Refused: {len(exc.conflicts)} hard conflict(s) remain in the scope."
            ) from exc
        except ApplicationError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self._report(result)

    def _report(self, result: services.PublicationResult) -> None:
        version = result.version
        if not result.changed:
            latest = f" (latest version: {version.number})" if version else ""
            self.stdout.write(f"Nothing changed; no new version{latest}.")
            return
        assert version is not None
        self.stdout.write(self.style.SUCCESS(f"Published version {version.number}"))
        self.stdout.write(f"Scope: {version.scope_key}")
        for key, value in version.summary.items():
            self.stdout.write(f"  {key}: {value}")
