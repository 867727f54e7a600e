"""`manage.py import_action_plan <council slug> <engagement id> <file> [--apply] [--as <lead email>]`.

The import of the lead's page for administrators: a dry run by default (the plan and every problem),
`--apply` to write it, as one of the council's improvement leads (`--as`; the only active lead by default).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommendations import imports
from recommendations.models import Council, Engagement, Membership, User


class Command(BaseCommand):
    help = "Import an action plan (XLSX or CSV, the export's layout) into an engagement: a dry run unless --apply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("council", help="The council's slug, e.g. st-helens")
        parser.add_argument("engagement", type=int, help="The engagement's id")
        parser.add_argument("file", help="The XLSX or CSV file")
        parser.add_argument("--apply", action="store_true", help="Write the changes (without it: a dry run)")
        parser.add_argument(
            "--as",
            dest="lead",
            default="",
            help="The email address of the improvement lead the import is recorded as (needed with --apply "
            "when the council has more than one)",
        )

    def handle(
        self, *args: Any, council: str, engagement: int, file: str, apply: bool, lead: str, **options: Any
    ) -> None:
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with the slug ‘{council}’")
        chosen = Engagement.objects.filter(council=found, pk=engagement).first()
        if chosen is None:
            raise CommandError(f"{found.name} has no engagement with the id {engagement}")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            plan = imports.plan_upload(engagement=chosen, data=data, filename=path.name)
        except imports.FileRefused as exc:
            raise CommandError("The file cannot be imported:\n" + "\n".join(f"- {m}" for m in exc.messages)) from exc
        self._print(plan)
        if plan.problems:
            raise CommandError(
                f"{len(plan.problems):,} problem(s): nothing was imported. Correct the file and run the command again."
            )
        if not apply:
            self.stdout.write("Dry run: nothing was written. Run again with --apply to import.")
            return
        if not plan.has_changes:
            self.stdout.write("Nothing to import: the file holds the plan as it is.")
            return
        by = self._lead(found, lead)
        try:
            result = imports.import_apply(engagement=chosen, data=data, filename=path.name, by=by)
        except imports.ImportFailed as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(f"- {m}" for m in exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into {chosen.title}: {result.created} added, {result.updated} changed, "
                f"{result.progress_updates} progress update(s) recorded as imported."
            )
        )

    def _lead(self, council: Council, email: str) -> User:
        leads = Membership.objects.active_leads(council.pk).select_related("user")
        if email:
            membership = leads.filter(user__email__iexact=email).first()
            if membership is None:
                raise CommandError(f"{email} is not an active improvement lead of {council.name}")
            return membership.user
        found = list(leads[:2])
        if len(found) != 1:
            raise CommandError(f"Give --as with the email address of one of {council.name}'s improvement leads")
        return found[0].user

    def _print(self, plan: imports.ImportPlan) -> None:
        write = self.stdout.write
        write(f"Importing {plan.filename} into {plan.engagement.title} ({plan.engagement.council.name})")
        write(
            f"{len(plan.creates)} to add, {len(plan.updates)} to change, {len(plan.unchanged)} unchanged, "
            f"{len(plan.skipped)} of other engagements left alone, {len(plan.not_in_file)} not in the file "
            "(left as they are)."
        )
        for item in plan.creates:
            write(f"+ {item.label} ({item.row.where})")
            for change in item.changes:
                write(f"    {change.label}: {change.after}" + (f" ({change.note})" if change.note else ""))
        for item in plan.updates:
            write(f"~ {item.label} ({item.row.where})")
            for change in item.changes:
                write(
                    f"    {change.label}: {change.before} → {change.after}"
                    + (f" ({change.note})" if change.note else "")
                )
        for warning in plan.warnings[: imports.MAX_SHOWN]:
            write(f"Warning: {warning.where}: {warning.message}" if warning.where else f"Warning: {warning.message}")
        if len(plan.warnings) > imports.MAX_SHOWN:
            write(f"Warning: and {len(plan.warnings) - imports.MAX_SHOWN:,} more warnings")
        for problem in plan.problems[: imports.MAX_SHOWN]:
            line = f"{problem.where}: {problem.message}" if problem.where else problem.message
            self.stderr.write(f"Problem: {line}")
        if len(plan.problems) > imports.MAX_SHOWN:
            self.stderr.write(f"Problem: and {len(plan.problems) - imports.MAX_SHOWN:,} more problems")
