"""`manage.py import_action_plan <council slug> <engagement id or title> <file> [--apply] [--as <lead email>]`.

The import of the lead's page for administrators: a dry run by default (the mapping of a council's own plan's
columns, as guessed or as given with --map, how each due date was worked out, the plan, every warning and
every problem), `--apply` to write it, as one of the council's improvement leads (`--as`; the only active
lead by default). `--list` lists the council's engagements, with their ids.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommendations import imports
from recommendations.imports import mapping as columns_mapping
from recommendations.imports.reading import read_mapped, read_table
from recommendations.imports.rows import ReadFile
from recommendations.models import Council, Engagement, Membership, User


class Command(BaseCommand):
    help = (
        "Import an action plan (XLSX or CSV: the export's layout, or a council's own plan, its columns guessed) "
        "into an engagement: a dry run unless --apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("council", help="The council's slug, e.g. st-helens")
        parser.add_argument("engagement", nargs="?", default="", help="The engagement's id or title")
        parser.add_argument("file", nargs="?", default="", help="The XLSX or CSV file")
        parser.add_argument("--list", action="store_true", help="List the council's engagements and stop")
        parser.add_argument("--apply", action="store_true", help="Write the changes (without it: a dry run)")
        parser.add_argument(
            "--as",
            dest="lead",
            default="",
            help="The email address of the improvement lead the import is recorded as (needed with --apply "
            "when the council has more than one)",
        )
        parser.add_argument("--sheet", default="", help="The sheet of a workbook to read (the first by default)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADING=FIELD",
            help='What a column holds, overriding the guess, e.g. --map "Timescale=timescale"; fields: '
            + ", ".join(field.key for field in columns_mapping.FIELDS),
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Invite owners' e-mail addresses that no member has, as officers (else kept as written)",
        )
        parser.add_argument(
            "--split-bullets", action="store_true", help="Make each item of a bulleted action cell its own action"
        )

    def handle(
        self,
        *args: Any,
        council: str,
        engagement: str,
        file: str,
        apply: bool,
        lead: str,
        list: bool,  # noqa: A002 - the option's name
        sheet: str,
        map: list[str],  # noqa: A002 - the option's name
        split_bullets: bool,
        invite: bool,
        **options: Any,
    ) -> None:
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with the slug ‘{council}’")
        if list:
            for each in Engagement.objects.filter(council=found).order_by("pk"):
                self.stdout.write(f"{each.pk}\t{each.title} ({each.kind})")
            return
        if not engagement or not file:
            raise CommandError("Give the engagement (its id or title) and the file, or --list")
        chosen = self._engagement(found, engagement)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            read = self._read(data, path.name, sheet=sheet or None, overrides=map, split_bullets=split_bullets)
        except imports.FileRefused as exc:
            raise CommandError("The file cannot be imported:\n" + "\n".join(f"- {m}" for m in exc.messages)) from exc
        plan = imports.plan_import(engagement=chosen, read=read)
        self._print(plan, read)
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
            result = imports.import_apply(
                engagement=chosen,
                data=data,
                filename=path.name,
                by=by,
                sheet=read.table.sheet if read.own_layout and read.table.sheet else None,
                columns=read.mapping if read.own_layout else None,
                split_bullets=split_bullets,
                invite=invite,
            )
        except imports.ImportFailed as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(f"- {m}" for m in exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into {chosen.title}: {result.created} added, {result.updated} changed, "
                f"{result.progress_updates} progress update(s) recorded as imported."
            )
        )

    def _engagement(self, council: Council, wanted: str) -> Engagement:
        engagements = Engagement.objects.filter(council=council)
        chosen = engagements.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if chosen is None:
            matches = [
                e for e in engagements if " ".join(e.title.split()).casefold() == " ".join(wanted.split()).casefold()
            ]
            chosen = matches[0] if len(matches) == 1 else None
        if chosen is None:
            raise CommandError(f"{council.name} has no engagement with the id or title ‘{wanted}’ (--list lists them)")
        return chosen

    def _read(
        self, data: bytes, name: str, *, sheet: str | None, overrides: list[str], split_bullets: bool
    ) -> ReadFile:
        found = read_table(data=data, filename=name, sheet=sheet)
        if isinstance(found, ReadFile):
            if overrides:
                raise CommandError("--map is for a council's own plan: this file is in the export's layout")
            return found
        columns = columns_mapping.guess(found.headings, found.samples(20))
        keys = {field.key for field in columns_mapping.FIELDS}
        for override in overrides:
            heading, _, field = override.rpartition("=")
            field = field.strip().casefold()
            if not heading or field not in keys:
                raise CommandError(
                    f"--map ‘{override}’: write HEADING=FIELD, the field one of " + ", ".join(sorted(keys))
                )
            indexes = [
                index
                for index, value in enumerate(found.headings)
                if columns_mapping.heading_words(value) == columns_mapping.heading_words(heading)
            ]
            if not indexes:
                raise CommandError(f"--map ‘{override}’: the file has no column headed ‘{heading.strip()}’")
            for index, taken in list(columns.items()):
                if taken == field and field != columns_mapping.IGNORE:
                    columns[index] = columns_mapping.IGNORE  # one column a field
            columns[indexes[0]] = field
        return read_mapped(found, columns=columns, split_bullets=split_bullets)

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

    def _print(self, plan: imports.ImportPlan, read: ReadFile) -> None:
        write = self.stdout.write
        write(f"Importing {plan.filename} into {plan.engagement.title} ({plan.engagement.council.name})")
        if read.own_layout:
            table = read.table
            where = f"the sheet ‘{table.sheet}’" if table.sheet else "the file"
            write(f"Columns of {where} (headings in row {table.header_row}), as guessed or given with --map:")
            for heading, label in columns_mapping.described(read.mapping, table.headings):
                write(f"    {heading}: {label}")
            if len(table.sheets) > 1:
                others = ", ".join(f"‘{name}’" for name in table.sheets if name != table.sheet)
                write(f"The workbook has other sheets with data ({others}): choose one with --sheet")
        derived = [item for item in plan.items if item.derivation]
        if derived:
            write("Due dates worked out from timescales:")
            for item in derived:
                write(f"    {item.label}: {item.derivation}")
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
