"""``manage.py autoassign``: run an auto-assign job from the shell, in this process.

The same job as ``POST /api/v1/planning/auto-assign/start``: the job row is created by the
same service (without publishing it to a broker), then claimed and run by the same
functions the Celery task calls, so the API shows it like any other job. A progress bar
follows the engine; the summary says what was filled, the coverage before and after and
why the rest stays unfilled.

``--from``/``--to`` take ISO 8601 datetimes (naive ones are read in the organization's
zone) or dates (local days, ``--to`` included).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.errors import ApplicationError
from apps.orgs.models import Organization, User
from apps.planning.autoassign import services
from apps.planning.autoassign.build import Scope
from apps.planning.management.lookups import manager_by_email, organization_by_slug
from apps.planning.models import AutoAssignJob, JobStatus

BAR_WIDTH = 30


def _uuid(value: str, option: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as exc:
        raise CommandError(f"{option}: not an id: {value!r}") from exc


def _instant(value: str, organization: Organization, *, end: bool) -> datetime:
    """An ISO datetime, or a local day: its start for ``--from``, the next day's for ``--to``."""
    day: date | None = parse_date(value)
    if day is not None:
        day = day + timedelta(days=1) if end else day
        return datetime.combine(day, time.min, tzinfo=organization.tzinfo)
    instant = parse_datetime(value)
    if instant is None:
        raise CommandError(f"Not a date or datetime: {value!r}")
    return instant if instant.tzinfo else instant.replace(tzinfo=organization.tzinfo)


class ProgressBar:
    """``[#####.....]  50%`` redrawn in place, only when the shown percentage changes."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        if percent == self.shown:
            return
        self.shown = percent
        filled = round(BAR_WIDTH * fraction)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%", ending=""
        )
        self.stream.flush()

    def done(self) -> None:
        self(1.0)
        self.stream.write("")


class Command(BaseCommand):
    help = "Auto-assign a project, a mission or a time range, synchronously."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Organization slug.")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--project", help="Project id.")
        scope.add_argument("--mission", help="Mission id.")
        scope.add_argument("--from", dest="start", help="ISO datetime or local date.")
        parser.add_argument("--to", dest="end", help="ISO datetime or local date (included).")
        parser.add_argument("--dry-run", action="store_true", help="Propose, write nothing.")
        parser.add_argument("--replace-proposed", action="store_true")
        parser.add_argument("--time-limit", type=int, default=services.DEFAULT_TIME_LIMIT)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--actor", help="E-mail of the manager running it (audited).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_by_slug(options["org"])
        if not 1 <= options["time_limit"] <= 120:
            raise CommandError("--time-limit: between 1 and 120 seconds.")
        actor = manager_by_email(organization, options.get("actor"))
        job = self._start(organization, actor, options)
        self.stdout.write(f"Job {job.pk}: {job.scope['extent']['shifts']} shift(s) in scope.")
        job = self._run(job)
        self._summary(job)

    def _scope(self, organization: Organization, options: dict[str, Any]) -> Scope:
        if options.get("project"):
            return Scope(project_id=_uuid(options["project"], "--project"))
        if options.get("mission"):
            return Scope(mission_id=_uuid(options["mission"], "--mission"))
        if not options.get("end"):
            raise CommandError("--from needs --to.")
        start = _instant(options["start"], organization, end=False)
        end = _instant(options["end"], organization, end=True)
        if end <= start:
            raise CommandError("--to must be after --from.")
        return Scope(start=start, end=end)

    def _start(
        self, organization: Organization, actor: User | None, options: dict[str, Any]
    ) -> AutoAssignJob:
        settings = services.JobOptions(
            time_limit=options["time_limit"],
            dry_run=options["dry_run"],
            replace_proposed=options["replace_proposed"],
            seed=options.get("seed"),
        )
        try:
            job, _ = services.autoassign_job_start(
                organization=organization,
                actor=actor,
                scope=self._scope(organization, options),
                options=settings,
                enqueue=False,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        return job

    def _run(self, job: AutoAssignJob) -> AutoAssignJob:
        claim_id = f"cli-{uuid.uuid4().hex}"
        claim = services.autoassign_job_claim(job_id=job.pk, task_id=claim_id)
        if claim is None:
            raise CommandError(f"Job {job.pk} was taken by another runner.")
        bar = ProgressBar(self.stdout)
        try:
            with services.LeaseKeeper(claim):
                finished = services.autoassign_job_run(claim=claim, echo=bar)
        except Exception as exc:
            services.autoassign_job_fail(
                job_id=job.pk, task_id=claim_id, error=services.application_error_text(exc)
            )
            raise CommandError(f"Job {job.pk} failed: {exc}") from exc
        bar.done()
        return finished

    def _summary(self, job: AutoAssignJob) -> None:
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"Job {job.pk} ended {job.status}.")
        result = job.result
        verb = "would fill" if job.options.get("dry_run") else "filled"
        proposal = len(result.get("proposal") or ()) if job.options.get("dry_run") else None
        created = proposal if proposal is not None else result.get("created", 0)
        self.stdout.write(
            f"{verb} {created} seat(s): {job.slots_filled}/{job.slots_total} slots; coverage "
            f"{_percent(job.coverage_before)} -> {_percent(job.coverage_after)}"
        )
        for item in result.get("unfilled") or ():
            reasons = "; ".join(item["reasons"]) or "no reason given"
            self.stdout.write(
                f"  unfilled {item['shift_id']}: {item['missing']} missing ({reasons})"
            )
        for conflict in result.get("conflicts") or ():
            self.stdout.write(f"  refused [{conflict['rule']}] {conflict['message']}")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"
