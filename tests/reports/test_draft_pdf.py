"""A lead's draft PDF without waiting: the draft last rendered is kept (one per report) and served again while
its content, the PDF template, the stylesheet and the fonts are unchanged; any change renders it anew."""

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from recommendations.models import Council, User
from reports import pdf
from reports.models import DraftPdf, PanelSession, SummaryReport
from reports.services import reports as services

from ..conftest import client_for
from ..factories import EngagementFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(council: Council, lead: User) -> SummaryReport:
    challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    panel = EngagementFactory(
        council=council, title="Recovery and Renewal Panel", parent=challenge, last_onsite_day=dt.date(2020, 9, 28)
    )
    RecommendationFactory(engagement=challenge, reference="R1", heading="Shared priorities")
    session = PanelSession.objects.create(engagement=panel, held_on=dt.date(2020, 9, 28))
    return services.report_create(by=lead, session=session)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every document WeasyPrint lays out, in order."""
    laid_out: list[str] = []
    lay_out = pdf.lay_out

    def counted(document: str) -> object:
        laid_out.append(document)
        return lay_out(document)

    monkeypatch.setattr(pdf, "lay_out", counted)
    return laid_out


def draft_url(report: SummaryReport) -> str:
    return f"/councils/{report.council.slug}/reports/{report.pk}.pdf?draft=yes"


def test_a_repeated_draft_download_renders_nothing(report: SummaryReport, lead: User, renders: list[str]) -> None:
    client = client_for(lead)
    first = client.get(draft_url(report))
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert len(renders) == 1

    again = client.get(draft_url(report))
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert len(renders) == 1, "the unchanged draft was rendered again"
    assert again.content == first.content
    assert DraftPdf.objects.filter(report=report).count() == 1


def test_a_changed_draft_is_rendered_again_and_replaces_the_stored_one(
    report: SummaryReport, lead: User, renders: list[str]
) -> None:
    client = client_for(lead)
    first = client.get(draft_url(report)).content
    services.report_update(report=report, by=lead, expected_version=report.version, introduction="Since March.")
    changed = client.get(draft_url(report)).content
    assert len(renders) == 2 and changed != first
    assert "Since March." in renders[-1]
    assert [bytes(row) for row in DraftPdf.objects.filter(report=report).values_list("pdf", flat=True)] == [changed]
    client.get(draft_url(report))
    assert len(renders) == 2


def test_a_changed_stylesheet_renders_the_draft_again(
    report: SummaryReport, lead: User, renders: list[str], tmp_path: Path
) -> None:
    client = client_for(lead)
    client.get(draft_url(report))
    stylesheet = Path(settings.BASE_DIR) / "static" / "css" / "report-print.css"
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report-print.css").write_text(stylesheet.read_text() + "\nh1 { color: #1d70b8; }\n")
    with override_settings(STATICFILES_DIRS=[tmp_path, *settings.STATICFILES_DIRS]):
        client.get(draft_url(report))
        assert len(renders) == 2
        client.get(draft_url(report))
        assert len(renders) == 2
    assert DraftPdf.objects.count() == 1


def test_the_draft_of_one_report_is_not_served_for_another(
    report: SummaryReport, lead: User, renders: list[str]
) -> None:
    other = services.report_create(by=lead, session=report.session)
    client = client_for(lead)
    client.get(draft_url(report))
    client.get(draft_url(other))
    assert len(renders) == 2 and DraftPdf.objects.count() == 2


def _page_texts(document: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(document)).pages]


def test_a_draft_pdf_has_its_version_and_day_and_the_page_number_in_its_footer(
    report: SummaryReport, lead: User
) -> None:
    """As a published PDF names its version and day beside "Page x of y" on every page but the cover, so does
    a draft: the version publishing would make and the day the draft was made."""
    client = client_for(lead)
    at = dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC)
    first = _page_texts(services.draft_pdf(report, at=at))
    edition = "Draft of version 1, 6 December 2026, not published"
    assert len(first) > 2
    assert "Page 1 of" not in first[0] and first[0].count(edition) == 0, first[0]
    for number, text in enumerate(first[1:], start=2):
        assert f"Page {number} of {len(first)}" in text and edition in text, f"page {number}: {text}"

    services.report_publish(report=report, by=lead)
    second = _page_texts(client.get(draft_url(report)).content)
    today = date_format(timezone.localdate(), "j F Y")
    assert all(f"Draft of version 2, {today}, not published" in text for text in second[1:]), second[1]
