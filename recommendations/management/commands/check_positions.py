"""`manage.py check_positions`: work every recommendation's and action's position out again from its approved
updates by the ordering rule (DESIGN.md §2) and report where the stored position differs (drift).

Exits 0 when every stored position matches, 1 when any differs (each difference on its own line). Safe to
run at any time: it only reads. On PostgreSQL a trigger already refuses a stored position that does not
match the update it names; this is the check on every database, SQLite included.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from recommendations import selectors
from recommendations.models import Action, Recommendation


class Command(BaseCommand):
    help = "Recompute every stored position by the ordering rule and report drift (exit status 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50, help="Report at most this many differences (default 50)")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        found = 0
        for drift in selectors.position_drift():
            found += 1
            if found <= limit:
                self.stdout.write(str(drift))
        checked = Recommendation.objects.count() + Action.objects.count()
        if found:
            more = f" ({found - limit} more not listed)" if found > limit else ""
            self.stderr.write(f"Drift: {found} stored values differ from the ordering rule{more}, of {checked} items.")
            raise SystemExit(1)
        self.stdout.write(f"No drift: the stored positions of {checked} items match the ordering rule.")
