"""Summary reports: create one for a session or an engagement, edit its narrative, render it (HTML and PDF)
and publish it. A published version is a record: its HTML and PDF are stored with their SHA-256 and served
as stored from then on; publishing again makes a new version."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import slugify

from recommendations.models import Engagement, User
from recommendations.services.access import require_plan_manager
from recommendations.services.history import council_changed, save_with_history

from .. import pdf
from ..checks import ReportWarning, report_warnings
from ..content import ReportContent, report_content, subject_date
from ..models import DraftPdf, PanelSession, PublishedVersion, SummaryReport

PROVENANCE = "[[provenance-line]]"  # where the provenance line goes, once the rest is hashed
NARRATIVE_FIELDS = ("title", "executive_summary", "introduction", "themes_lead_in", "next_steps_lead_in")


class StaleReport(ValidationError):
    """Someone else saved the narrative since this form was opened."""


def report_create(
    *,
    by: User,
    session: PanelSession | None = None,
    engagement: Engagement | None = None,
    at: dt.datetime | None = None,
) -> SummaryReport:
    """A draft report for a session (or an engagement), its introduction started from what is known."""
    subject = session or engagement
    if subject is None or (session is not None and engagement is not None):
        raise ValueError("A report is of one session or one engagement")
    council = session.engagement.council if session else engagement.council  # type: ignore[union-attr]
    require_plan_manager(by, council.pk, to="do that")
    at = at or timezone.now()
    challenge = (session.engagement if session else engagement).parent or (
        session.engagement if session else engagement
    )
    introduction = (
        f"This report summarises the council's progress since the {challenge.title}"
        + (f" on {date_format(challenge.last_onsite_day, 'j F Y')}" if challenge.last_onsite_day else "")
        + f", as it stood on {date_format(session.held_on if session else at.date(), 'j F Y')}."
    )
    report = SummaryReport(council=council, session=session, engagement=engagement, introduction=introduction)
    with transaction.atomic():
        report.title = _free_title(report, f"{subject_words(report)}: summary report")
        save_with_history(report, by=by, at=at)
    return report


def subject_words(report: SummaryReport) -> str:
    """What the report is of, in words: "Recovery and Renewal Panel, 28 September 2020"."""
    engagement = report.session.engagement if report.session else report.engagement
    return f"{engagement.title}, {date_format(subject_date(report), 'j F Y')}"


def _free_title(report: SummaryReport, title: str) -> str:
    """`title`, or `title (2)`, `(3)`…: the first no other report of the council has."""
    taken = set(
        SummaryReport.objects.filter(council=report.council).exclude(pk=report.pk).values_list("title", flat=True)
    )
    candidate, number = title[:190], 2
    while candidate in taken:
        candidate, number = f"{title[:190]} ({number})", number + 1
    return candidate


@transaction.atomic
def report_update(
    *, report: SummaryReport, by: User, expected_version: int, at: dt.datetime | None = None, **changes: str
) -> SummaryReport:
    """Save the lead's narrative (a Markdown subset) and title. Refused with StaleReport if someone saved
    since the form was opened (its `version`)."""
    require_plan_manager(by, report.council_id, to="do that")
    unknown = set(changes) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of the narrative: {sorted(unknown)}")
    locked = SummaryReport.objects.select_for_update().get(pk=report.pk)
    if locked.version != expected_version:
        raise StaleReport(
            "Someone else changed this report while you were editing it. Your changes have not been saved."
        )
    for name, value in changes.items():
        setattr(locked, name, value.strip())
    if not locked.title:
        raise ValidationError({"title": "Enter a title"})
    if SummaryReport.objects.filter(council=locked.council_id, title=locked.title).exclude(pk=locked.pk).exists():
        raise ValidationError({"title": "Another of the council's reports has this title: give this one its own"})
    locked.version += 1
    save_with_history(locked, by=by, at=at or timezone.now())
    return locked


@dataclass(frozen=True)
class Rendered:
    html: str  # the report's content, provenance line included
    html_sha256: str
    as_at: dt.date
    content: ReportContent
    content_sha256: str = ""  # of the report above the provenance line (the line itself names when it was made)

    def warnings(self, report: SummaryReport) -> list[ReportWarning]:
        """What is unresolved in the report as rendered, each with where it is fixed (reports/checks.py)."""
        return report_warnings(report, self.content)


def render_content(
    report: SummaryReport, *, draft: bool, generated_at: dt.datetime, version: int | None = None, by: User | None = None
) -> Rendered:
    """The report's content as HTML, as at its date, with a provenance line that names when it was made,
    the data's date, the version and the checksum of everything above the line. A draft is of the version
    publishing would make, and its cover and running footer name it and the day the draft was made."""
    if draft and version is None:
        version = next_version_number(report)
    content = report_content(report)
    body = render_to_string(
        "reports/report_content.html",
        {
            "report": content,
            "draft": draft,
            "version": version,
            "published_on": timezone.localdate(generated_at),
            "provenance": PROVENANCE,
        },
    )
    digest = hashlib.sha256(body.encode()).hexdigest()
    when = date_format(timezone.localtime(generated_at), "j F Y, H:i")
    edition = "Draft, not published" if draft else f"Version {version}, published by {by}"
    line = (
        f"Generated on {when} from the data as at {date_format(content.as_at, 'j F Y')}. {edition}. "
        f"Checksum (SHA-256) of the report above this line: {digest}."
    )
    html = body.replace(escape(PROVENANCE), escape(line))
    return Rendered(html, hashlib.sha256(html.encode()).hexdigest(), content.as_at, content, digest)


def render_pdf(report: SummaryReport, rendered: Rendered, *, draft: bool) -> bytes:
    document = pdf.pdf_document(content_html=rendered.html, title=report.title, author=report.council.name, draft=draft)
    return pdf.render_pdf(document)


def draft_pdf(report: SummaryReport, *, at: dt.datetime | None = None) -> bytes:
    """The draft's PDF. Rendering takes about a second, so the last one rendered is kept (one per report) and
    served again while nothing it was made from has changed: the content's checksum, the PDF template, the
    stylesheet, the fonts and the renderer. Its provenance line keeps the time it was generated; its cover and
    running footer name the day, which is part of the content, so a draft kept from an earlier day is made
    again."""
    at = at or timezone.now()
    rendered = render_content(report, draft=True, generated_at=at)
    shell = pdf.pdf_document(content_html="", title=report.title, author=report.council.name, draft=True)
    key = hashlib.sha256(f"{rendered.content_sha256}\n{shell}\n{pdf.renderer_fingerprint()}".encode()).hexdigest()
    stored = DraftPdf.objects.filter(report=report, key=key).values_list("pdf", flat=True).first()
    if stored is not None:
        return bytes(stored)
    document = render_pdf(report, rendered, draft=True)
    DraftPdf.objects.update_or_create(report=report, defaults={"key": key, "pdf": document, "rendered_at": at})
    return document


def warnings_digest(warnings: list[ReportWarning]) -> str:
    """A short fingerprint of the warnings a lead was shown: publishing checks it is still the same list."""
    return hashlib.sha256("\n".join(warning.message for warning in warnings).encode()).hexdigest()[:16]


def next_version_number(report: SummaryReport) -> int:
    return (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def download_name(report: SummaryReport, edition: str) -> str:
    """The PDF's file name, unique among the council's reports: the council, what the report is of and its
    day, then the edition: "st-helens-recovery-and-renewal-panel-2020-09-28-v2.pdf" (or "-draft.pdf"). A
    second report of the same session or engagement carries its number: "…-2020-09-28-report-2-v1.pdf"."""
    engagement = report.session.engagement if report.session else report.engagement
    day = subject_date(report)
    stem = slugify(f"{report.council.slug} {engagement.title}") + f"-{day.isoformat()}"
    same_subject = SummaryReport.objects.filter(session=report.session, engagement=report.engagement).order_by(
        "created_at", "pk"
    )
    ordinal = list(same_subject.values_list("pk", flat=True)).index(report.pk) + 1 if report.pk else 1
    if ordinal > 1:
        stem += f"-report-{ordinal}"
    return f"{stem}-{edition}.pdf"


@transaction.atomic
def report_publish(
    *, report: SummaryReport, by: User, at: dt.datetime | None = None, warnings_seen: list[str] | None = None
) -> PublishedVersion:
    """Freeze the report as it is now: a new version with its HTML and PDF stored, with their checksums, and
    the warnings its publisher was shown and published anyway (the confirmation page's)."""
    require_plan_manager(by, report.council_id, to="do that")
    report = SummaryReport.objects.select_for_update().get(pk=report.pk)  # one publication at a time
    at = at or timezone.now()
    day = subject_date(report)
    if day >= timezone.localdate(at):
        raise ValidationError(
            f"You can publish this report from {date_format(day + dt.timedelta(days=1), 'j F Y')}, once its day "
            "has ended: its data is as at the end of that day"
        )
    number = next_version_number(report)
    rendered = render_content(report, draft=False, generated_at=at, version=number, by=by)
    document = render_pdf(report, rendered, draft=False)
    version = PublishedVersion.objects.create(
        report=report,
        number=number,
        published_at=at,
        published_by=by,
        data_as_at=rendered.as_at,
        html=rendered.html,
        html_sha256=rendered.html_sha256,
        pdf=document,
        pdf_sha256=hashlib.sha256(document).hexdigest(),
        warnings_seen=list(warnings_seen or []),
    )
    council_changed(council_id=report.council_id)
    return version
