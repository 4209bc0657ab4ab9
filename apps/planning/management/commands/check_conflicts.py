"""``manage.py check_conflicts [--org SLUG ...] [--fix]``: stored conflicts against a fresh check.

The stored conflicts (``apps.planning.rules.stored``) are kept up to date by every write;
this recomputes every organization's conflicts from scratch with the same rules and
compares them with the stored rows, conflict by conflict (rule, severity, instant, the
assignments and shifts involved, and the fingerprint of the details and parameters).
It prints each difference (``missing``: found but not stored; ``extra``: stored but no
longer found) and exits with status 1 when there is one, so a cron or CI can alert.
``--fix`` then replaces the organization's stored rows by the recomputed ones. An
organization never computed (or being recomputed) is reported as such, not compared.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.orgs.models import Organization
from apps.planning.management.lookups import organization_by_slug
from apps.planning.rules.facts import Conflict
from apps.planning.rules.stored import (
    FRESH,
    compute_organization,
    recompute_apart,
    state_of,
    stored_rows,
)

Signature = tuple[str, str, str, tuple[str, ...], tuple[str, ...], str]


def signature(conflict: Conflict) -> Signature:
    return (
        conflict.rule,
        conflict.type,
        conflict.at.isoformat(),
        tuple(str(key) for key in conflict.assignment_keys),
        tuple(str(key) for key in conflict.shift_keys),
        conflict.fingerprint(),
    )


def differences(organization: Organization) -> tuple[list[Signature], list[Signature]]:
    """(missing, extra): recomputed but not stored, stored but not recomputed."""
    expected = Counter(signature(c) for c in compute_organization(organization).conflicts)
    actual = Counter(signature(c) for c in stored_rows(organization))
    return sorted((expected - actual).elements()), sorted((actual - expected).elements())


class Command(BaseCommand):
    help = "Compare the stored conflicts with conflicts recomputed from scratch (--fix: repair)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", action="append", default=[], help="Organization slug (repeatable)."
        )
        parser.add_argument(
            "--fix", action="store_true", help="Replace the stored rows by the recomputed ones."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["org"]
        organizations = (
            [organization_by_slug(slug) for slug in slugs]
            if slugs
            else list(Organization.objects.order_by("slug"))
        )
        different = False
        for organization in organizations:
            state = state_of(organization)
            total = 1
            if state != FRESH:
                self.stdout.write(f"{organization.slug}: {state or 'never computed'}")
            else:
                missing, extra = differences(organization)
                for kind, items in (("missing", missing), ("extra", extra)):
                    for rule, severity, at, assignments, shifts, fingerprint in items:
                        self.stdout.write(
                            f"{organization.slug}: {kind} {severity} {rule} at {at} "
                            f"assignments={','.join(assignments) or '-'} "
                            f"shifts={','.join(shifts) or '-'} fingerprint={fingerprint}"
                        )
                total = len(missing) + len(extra)
                self.stdout.write(
                    f"{organization.slug}: {total} difference(s)"
                    if total
                    else f"{organization.slug}: stored conflicts match"
                )
            different = different or bool(total)
            if options["fix"] and total:
                count = recompute_apart(organization)
                self.stdout.write(f"{organization.slug}: recomputed, {count} conflict(s) stored")
        if different and not options["fix"]:
            raise SystemExit(1)
