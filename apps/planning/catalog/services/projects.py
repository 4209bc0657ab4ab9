"""Projects: create, edit, move through statuses, delete while empty."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import save_audited, snapshot, update_audited
from apps.core.errors import ConflictError, ValidationFailed
from apps.orgs.models import Organization, User
from apps.planning.catalog.services.common import CatalogWrites, delete_unless_used
from apps.planning.models import Project, ProjectStatus

PROJECT_FIELDS = (
    "id",
    "name",
    "client",
    "status",
    "start_date",
    "end_date",
    "color",
    "description",
)
PROJECT_TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectStatus.DRAFT: frozenset({ProjectStatus.ACTIVE}),
    ProjectStatus.ACTIVE: frozenset({ProjectStatus.DRAFT, ProjectStatus.ARCHIVED}),
    ProjectStatus.ARCHIVED: frozenset({ProjectStatus.ACTIVE}),
}


def _validate_project(project: Project) -> None:
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise ValidationFailed.for_field("end_date", "must be on or after start_date.")


def _require_transition(current: str, wanted: str) -> None:
    if wanted != current and wanted not in PROJECT_TRANSITIONS[current]:
        message = f"A project cannot go from {current} to {wanted}."
        raise ConflictError(message, code="invalid_transition", fields={"status": [message]})


@transaction.atomic
def project_create(
    *,
    organization: Organization,
    actor: User | None,
    name: str,
    client: str = "",
    status: str = ProjectStatus.DRAFT,
    start_date: date | None = None,
    end_date: date | None = None,
    color: str = "",
    description: str = "",
) -> Project:
    if status == ProjectStatus.ARCHIVED:
        raise ValidationFailed.for_field("status", "A new project is draft or active.")
    project = Project(
        organization=organization,
        name=name,
        client=client,
        status=status,
        start_date=start_date,
        end_date=end_date,
        color=color,
        description=description,
    )
    _validate_project(project)
    return save_audited(
        project,
        fields=PROJECT_FIELDS,
        organization=organization,
        actor=actor,
        action=AuditAction.PROJECT_CREATE,
    )


@transaction.atomic
def project_update(
    *, organization: Organization, actor: User | None, project: Project, data: Mapping[str, Any]
) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk, organization=organization)
    if "status" in data:
        _require_transition(project.status, data["status"])
    return update_audited(
        project,
        data,
        fields=PROJECT_FIELDS,
        editable=PROJECT_FIELDS[1:],
        check=_validate_project,
        organization=organization,
        actor=actor,
        action=AuditAction.PROJECT_UPDATE,
    )


@transaction.atomic
def project_delete(*, organization: Organization, actor: User | None, project: Project) -> None:
    delete_unless_used(
        project,
        organization=organization,
        actor=actor,
        action=AuditAction.PROJECT_DELETE,
        before=snapshot(project, PROJECT_FIELDS),
        code="project_has_missions",
        message="The project has missions; archive it instead, or delete its missions first.",
    )


PROJECT_WRITES = CatalogWrites(project_create, project_update, project_delete, "project")
