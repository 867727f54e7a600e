"""`manage.py seed_demo`: the St Helens demo and a fictional second council, with a sign-in for every role.

The data and how it is built live in nonprod/demo/ (the plan) and nonprod/demo/reports.py (sessions, awards,
figures and comments); this command guards, wraps and prints.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nonprod import demo
from nonprod.demo import reports as reports_demo


class Command(BaseCommand):
    help = "Load the St Helens demo and a fictional second council with demo sign-ins (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. The demo users share a published password: never in production.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a shared, published password, so it runs only when DEBUG is on. "
                "Set DEBUG=true for local work, or pass --force if you are sure this is not production."
            )
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: seeding the demo because --force was given."))
        with transaction.atomic():
            report = demo.seed()
            reports_demo.seed(report)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (every account uses the same password):"))
        for line in _table(("Email", "Role", "Council", "Password"), report.sign_ins):
            self.stdout.write(line)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [line(header), line(tuple("-" * width for width in widths)), *(line(row) for row in rows)]
