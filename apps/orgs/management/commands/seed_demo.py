"""``manage.py seed_demo``: a demo organization with one user per role (idempotent).

Later features add their demo data through ``apps.orgs.demo.EXTENSIONS``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.orgs.demo import DEMO_PASSWORD, run_seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo organization, its users and demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["normal", "large"], default="normal")

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_seed(size=options["size"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo organization: {result.organization.name}"))
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        for role, email in result.logins:
            self.stdout.write(f"  {role:<8} {email}")
