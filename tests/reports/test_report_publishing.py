"""The summary report: its data is as at its session's day; publishing freezes a version for good; the PDF
renderer fetches nothing but our static files."""

import datetime as dt
import hashlib
import socket
from io import BytesIO

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pypdf import PdfReader

from recommendations import services as core
from recommendations.models import Council, Rag, Status, User
from reports import pdf
from reports.models import PanelSession, PublishedVersion, SummaryReport, VersionLocked
from reports.services import reports as services

from ..factories import EngagementFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(council: Council) -> PanelSession:
    challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    panel = EngagementFactory(
        council=council,
        title="Recovery and Renewal Panel",
        parent=challenge,
        first_onsite_day=dt.date(2020, 9, 28),
        last_onsite_day=dt.date(2020, 9, 28),
    )
    RecommendationFactory(engagement=challenge, reference="R1", heading="Shared priorities", text="Agree them.")
    return PanelSession.objects.create(engagement=panel, held_on=dt.date(2020, 9, 28))


@pytest.fixture
def report(session: PanelSession, lead: User) -> SummaryReport:
    return services.report_create(by=lead, session=session, at=at(2020, 10, 1))


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(document)).pages)


def record(report: SummaryReport, lead: User, status: str, narrative: str, when: dt.datetime) -> None:
    recommendation = report.session.engagement.parent.recommendations.get(reference="R1")
    core.update_record(item=recommendation, author=lead, status=status, rag=Rag.GREEN, narrative=narrative, at=when)


def test_an_update_approved_after_the_session_is_not_in_its_report(report: SummaryReport, lead: User) -> None:
    record(report, lead, Status.IN_PROGRESS, "Interviews held in September.", at(2020, 9, 28, hour=23))
    record(report, lead, Status.COMPLETE, "Appointed in October.", at(2020, 9, 29, hour=0))
    html = services.render_content(report, draft=True, generated_at=timezone.now()).html
    assert "Interviews held in September." in html
    assert "Appointed in October." not in html
    assert ">In progress<" in html and ">Complete<" not in html.split('id="recommendations"')[1].split("</section>")[0]


def test_publishing_freezes_the_version_whatever_changes_later(report: SummaryReport, lead: User) -> None:
    record(report, lead, Status.IN_PROGRESS, "Interviews held in September.", at(2020, 9, 1))
    first = services.report_publish(report=report, by=lead)
    stored = bytes(PublishedVersion.objects.get(pk=first.pk).pdf)
    assert hashlib.sha256(stored).hexdigest() == first.pdf_sha256
    assert hashlib.sha256(first.html.encode()).hexdigest() == first.html_sha256
    assert "Interviews held in September." in text_of(stored)

    # Later: the narrative and the plan change, and the report is published again.
    services.report_update(report=report, by=lead, expected_version=report.version, introduction="A new introduction.")
    record(report, lead, Status.COMPLETE, "A correction, after the session.", at(2020, 9, 2))
    second = services.report_publish(report=report, by=lead)
    assert second.number == 2
    assert "A new introduction." in second.html and "A correction, after the session." in second.html

    again = PublishedVersion.objects.get(pk=first.pk)
    assert bytes(again.pdf) == stored
    assert again.pdf_sha256 == first.pdf_sha256 == hashlib.sha256(bytes(again.pdf)).hexdigest()
    assert "A new introduction." not in again.html


def test_no_path_can_change_or_delete_a_published_version(report: SummaryReport, lead: User) -> None:
    version = services.report_publish(report=report, by=lead)
    version.html = "tampered"
    with pytest.raises(VersionLocked):
        version.save()
    with pytest.raises(VersionLocked):
        version.delete()
    with pytest.raises(VersionLocked):
        PublishedVersion.objects.filter(pk=version.pk).update(html="tampered")
    with pytest.raises(VersionLocked):
        PublishedVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_publishedversion SET html = 'tampered' WHERE id = %s", [version.pk])
    assert PublishedVersion.objects.get(pk=version.pk).html_sha256 == version.html_sha256


def test_only_a_lead_publishes(report: SummaryReport, officer: User, leadership: User) -> None:
    from django.core.exceptions import PermissionDenied

    for user in (officer, leadership):
        with pytest.raises(PermissionDenied):
            services.report_publish(report=report, by=user)
    assert not PublishedVersion.objects.exists()


def test_a_narrative_saved_from_an_older_form_is_refused(report: SummaryReport, lead: User) -> None:
    opened = report.version
    services.report_update(report=report, by=lead, expected_version=opened, introduction="First")
    with pytest.raises(services.StaleReport):
        services.report_update(report=report, by=lead, expected_version=opened, introduction="Second")
    report.refresh_from_db()
    assert report.introduction == "First"


# --- the URL fetcher ------------------------------------------------------------------------------


def test_the_fetcher_serves_our_static_files_and_refuses_everything_else() -> None:
    fetcher = pdf.StaticFilesOnly()
    response = fetcher.fetch(f"{pdf.STATIC_PREFIX}css/report-print.css")
    assert b"@page" in response.read()
    for url in (
        "https://www.example.com/logo.png",
        "http://127.0.0.1:5432/",
        "file:///etc/passwd",
        f"{pdf.BASE_URL}etc/passwd",
        f"{pdf.STATIC_PREFIX}../../etc/passwd",
        f"{pdf.STATIC_PREFIX}%2e%2e/%2e%2e/manage.py",
        "data:text/plain,hello",
    ):
        with pytest.raises(ValueError, match="may not fetch|No static file"):
            fetcher.fetch(url)


def test_narrative_naming_a_remote_address_or_a_local_file_renders_without_fetching_it(
    report: SummaryReport, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the PDF renderer tried to reach the network")

    opened: list[str] = []
    real_open = open

    def watched_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    services.report_update(
        report=report,
        by=lead,
        expected_version=report.version,
        introduction=(
            "![A logo](https://www.example.com/logo.png) and ![secrets](file:///etc/passwd)\n\n"
            '<img src="http://127.0.0.1:8000/health/"> <link rel="stylesheet" href="file:///etc/passwd">'
        ),
    )
    report.refresh_from_db()
    rendered = services.render_content(report, draft=True, generated_at=timezone.now())
    document = pdf.pdf_document(content_html=rendered.html, title="t", author="a", draft=True)
    document = document.replace("</body>", '<img src="https://www.example.com/x.png"><img src="/etc/passwd"></body>')
    monkeypatch.setattr("builtins.open", watched_open)
    result = pdf.render_pdf(document)
    assert result.startswith(b"%PDF")
    assert not [name for name in opened if "passwd" in name]
    assert "&lt;img src=" in rendered.html  # raw HTML in the narrative is shown as text


def test_the_admin_shows_a_published_version_read_only(report: SummaryReport, lead: User, admin_client: object) -> None:
    version = services.report_publish(report=report, by=lead)
    change = f"/admin/reports/publishedversion/{version.pk}/change/"
    assert admin_client.get(change).status_code == 200  # to read
    assert admin_client.post(change, {"data_as_at": "2030-01-01"}).status_code == 403
    assert (
        admin_client.post(f"/admin/reports/publishedversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert PublishedVersion.objects.get(pk=version.pk).data_as_at == version.data_as_at


def test_a_report_is_published_only_once_its_day_has_ended(council: Council, lead: User) -> None:
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    panel = EngagementFactory(council=council, first_onsite_day=today, last_onsite_day=today)
    session = PanelSession.objects.create(engagement=panel, held_on=today + dt.timedelta(days=30))
    report = services.report_create(by=lead, session=session)
    assert services.render_content(report, draft=True, generated_at=timezone.now()).as_at == today  # not yet
    with pytest.raises(ValidationError, match="once its day has ended"):
        services.report_publish(report=report, by=lead)
    assert not PublishedVersion.objects.exists()


def test_evidence_that_shares_a_title_is_listed_once_each(report: SummaryReport, lead: User) -> None:
    from ..factories import EvidenceFactory

    recommendation = report.session.engagement.parent.recommendations.get(reference="R1")
    update = core.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 9, 1)
    )
    update.evidence.add(EvidenceFactory(council=report.council, title="Cabinet report"))
    update.evidence.add(EvidenceFactory(council=report.council, title="Cabinet report"))
    from reports.content import report_content

    assert [line.title for line in report_content(report).evidence] == ["Cabinet report", "Cabinet report"]
