"""Everything a report quotes carries its date (DESIGN.md §2): an achievement the day it was won or announced,
a key figure the day it was reported (beside the period it describes), a comment the day it was said (and
where). Rows recorded without one take the day they were first recorded, the latest day they can have been
known on, so a report as at an earlier day leaves them out. A figure reported again is a new row of the same
key. Reports get an executive summary and unique titles; sessions the summary of the approach and the next
steps the LGA's reports end with; a published version the warnings its publisher saw.

The fields are added nullable, filled, then made required; `warnings_seen` stays nullable without a default,
so that SQLite adds the column in place and the published versions' table keeps its triggers."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models


LONDON = ZoneInfo("Europe/London")
DATED = [("Achievement", "awarded_on"), ("KeyFigure", "reported_on"), ("Quote", "said_on")]


def _first_recorded(apps, model_name: str) -> dict[int, dt.date]:  # noqa: ANN001
    history = apps.get_model("reports", f"Historical{model_name}")
    first: dict[int, dt.date] = {}
    for pk, when in history.objects.order_by("history_date", "history_id").values_list("id", "history_date"):
        first.setdefault(pk, when.astimezone(LONDON).date())
    return first


def date_what_is_undated(apps, schema_editor) -> None:  # noqa: ANN001
    today = dt.datetime.now(tz=LONDON).date()
    for model_name, field in DATED:
        model = apps.get_model("reports", model_name)
        history = apps.get_model("reports", f"Historical{model_name}")
        first = _first_recorded(apps, model_name)
        for pk in model.objects.filter(**{f"{field}__isnull": True}).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field: first.get(pk, today)})
        for pk in history.objects.filter(**{f"{field}__isnull": True}).values_list("id", flat=True).distinct():
            day = model.objects.filter(pk=pk).values_list(field, flat=True).first() or first.get(pk, today)
            history.objects.filter(id=pk, **{f"{field}__isnull": True}).update(**{field: day})


def titles_of_their_own(apps, schema_editor) -> None:  # noqa: ANN001
    """Reports that share a title within a council (every one was "Peer Support Summary Report") are named
    after what they are of: "Recovery and Renewal Panel, 28 September 2020: summary report"."""
    report_model = apps.get_model("reports", "SummaryReport")
    taken: dict[int, set[str]] = {}
    reports = report_model.objects.select_related("session__engagement", "engagement").order_by("created_at", "pk")
    counts: dict[tuple[int, str], int] = {}
    for report in reports:
        counts[(report.council_id, report.title)] = counts.get((report.council_id, report.title), 0) + 1
    for report in reports:
        seen = taken.setdefault(report.council_id, set())
        title = report.title
        if counts[(report.council_id, title)] > 1 or title in seen:
            if report.session_id:
                subject = f"{report.session.engagement.title}, {report.session.held_on.day} "
                subject += report.session.held_on.strftime("%B %Y")
            else:
                subject = report.engagement.title
            title = base = f"{subject}: summary report"[:190]
            number = 2
            while title in seen:
                title, number = f"{base} ({number})", number + 1
            report_model.objects.filter(pk=report.pk).update(title=title)
        seen.add(title)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_panel_session_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalkeyfigure",
            name="reported_on",
            field=models.DateField(
                help_text="The day it was reported: it appears only in reports as at then or later.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="met",
            field=models.TextField(
                blank=True,
                help_text="e.g. 'The Leader, Cabinet and the senior team'.",
                verbose_name="who the peers met",
            ),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="next_check_in",
            field=models.DateField(blank=True, null=True, verbose_name="next check-in"),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="principal_adviser",
            field=models.CharField(blank=True, max_length=200, verbose_name="principal adviser"),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="principal_adviser_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="principal adviser's email address"),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="scope",
            field=models.TextField(blank=True, help_text="What the peers were asked to look at."),
        ),
        migrations.AddField(
            model_name="historicalpanelsession",
            name="support_offer",
            field=models.TextField(blank=True, verbose_name="the LGA's support offer"),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="occasion",
            field=models.CharField(blank=True, help_text="Where it was said, e.g. 'at Cabinet'.", max_length=200),
        ),
        migrations.AddField(
            model_name="historicalsummaryreport",
            name="executive_summary",
            field=models.TextField(blank=True, help_text="The peers' overall view."),
        ),
        migrations.AddField(
            model_name="keyfigure",
            name="reported_on",
            field=models.DateField(
                help_text="The day it was reported: it appears only in reports as at then or later.", null=True
            ),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="met",
            field=models.TextField(
                blank=True,
                help_text="e.g. 'The Leader, Cabinet and the senior team'.",
                verbose_name="who the peers met",
            ),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="next_check_in",
            field=models.DateField(blank=True, null=True, verbose_name="next check-in"),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="principal_adviser",
            field=models.CharField(blank=True, max_length=200, verbose_name="principal adviser"),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="principal_adviser_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="principal adviser's email address"),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="scope",
            field=models.TextField(blank=True, help_text="What the peers were asked to look at."),
        ),
        migrations.AddField(
            model_name="panelsession",
            name="support_offer",
            field=models.TextField(blank=True, verbose_name="the LGA's support offer"),
        ),
        migrations.AddField(
            model_name="publishedversion",
            name="warnings_seen",
            field=models.JSONField(
                blank=True,
                help_text="The warnings the lead was shown on the confirmation page and published anyway (empty if none).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="occasion",
            field=models.CharField(blank=True, help_text="Where it was said, e.g. 'at Cabinet'.", max_length=200),
        ),
        migrations.AddField(
            model_name="summaryreport",
            name="executive_summary",
            field=models.TextField(blank=True, help_text="The peers' overall view."),
        ),
        migrations.AlterField(
            model_name="achievement",
            name="awarded_on",
            field=models.DateField(
                help_text="It appears only in reports as at this day or later.",
                null=True,
                verbose_name="won or announced on",
            ),
        ),
        migrations.AlterField(
            model_name="historicalachievement",
            name="awarded_on",
            field=models.DateField(
                help_text="It appears only in reports as at this day or later.",
                null=True,
                verbose_name="won or announced on",
            ),
        ),
        migrations.AlterField(
            model_name="historicalkeyfigure",
            name="period",
            field=models.CharField(blank=True, help_text="The period it describes, e.g. '2020/21'.", max_length=40),
        ),
        migrations.AlterField(
            model_name="historicalquote",
            name="said_on",
            field=models.DateField(help_text="It appears only in reports as at this day or later.", null=True),
        ),
        migrations.AlterField(
            model_name="historicalsummaryreport",
            name="title",
            field=models.CharField(
                default="Peer Support Summary Report", help_text="Unique among the council's reports.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="keyfigure",
            name="period",
            field=models.CharField(blank=True, help_text="The period it describes, e.g. '2020/21'.", max_length=40),
        ),
        migrations.AlterField(
            model_name="quote",
            name="said_on",
            field=models.DateField(help_text="It appears only in reports as at this day or later.", null=True),
        ),
        migrations.AlterField(
            model_name="summaryreport",
            name="title",
            field=models.CharField(
                default="Peer Support Summary Report", help_text="Unique among the council's reports.", max_length=200
            ),
        ),
        migrations.RunPython(date_what_is_undated, migrations.RunPython.noop),
        migrations.RunPython(titles_of_their_own, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="keyfigure",
            name="key_figure_key_unique",
        ),
        migrations.AlterField(
            model_name="achievement",
            name="awarded_on",
            field=models.DateField(
                help_text="It appears only in reports as at this day or later.", verbose_name="won or announced on"
            ),
        ),
        migrations.AlterField(
            model_name="historicalachievement",
            name="awarded_on",
            field=models.DateField(
                help_text="It appears only in reports as at this day or later.", verbose_name="won or announced on"
            ),
        ),
        migrations.AlterField(
            model_name="historicalkeyfigure",
            name="reported_on",
            field=models.DateField(
                help_text="The day it was reported: it appears only in reports as at then or later."
            ),
        ),
        migrations.AlterField(
            model_name="historicalquote",
            name="said_on",
            field=models.DateField(help_text="It appears only in reports as at this day or later."),
        ),
        migrations.AlterField(
            model_name="historicalsummaryreport",
            name="title",
            field=models.CharField(help_text="Unique among the council's reports.", max_length=200),
        ),
        migrations.AlterField(
            model_name="keyfigure",
            name="reported_on",
            field=models.DateField(
                help_text="The day it was reported: it appears only in reports as at then or later."
            ),
        ),
        migrations.AlterField(
            model_name="quote",
            name="said_on",
            field=models.DateField(help_text="It appears only in reports as at this day or later."),
        ),
        migrations.AlterField(
            model_name="summaryreport",
            name="title",
            field=models.CharField(help_text="Unique among the council's reports.", max_length=200),
        ),
        migrations.AddConstraint(
            model_name="keyfigure",
            constraint=models.UniqueConstraint(
                fields=("council", "key", "reported_on"), name="key_figure_key_reported_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="summaryreport",
            constraint=models.UniqueConstraint(fields=("council", "title"), name="summary_report_title_unique"),
        ),
    ]
