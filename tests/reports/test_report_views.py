"""The summary report's pages and PDFs: who reads what, editing with a preview, publishing, and the St Helens
report of the 28 September 2020 panel as an accessible PDF."""

import datetime as dt
import hashlib
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pypdf import PdfReader

from recommendations.models import Council, Recommendation, User
from reports.models import PanelSession, PublishedVersion, SummaryReport
from reports.services import reports as services

from ..conftest import client_for
from ..factories import EngagementFactory, RecommendationFactory
from ..shared_data import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(council: Council, lead: User) -> SummaryReport:
    challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    panel = EngagementFactory(
        council=council,
        title="Recovery and Renewal Panel",
        parent=challenge,
        first_onsite_day=dt.date(2020, 9, 28),
        last_onsite_day=dt.date(2020, 9, 28),
    )
    RecommendationFactory(engagement=challenge, reference="R1", heading="Shared priorities")
    session = PanelSession.objects.create(engagement=panel, held_on=dt.date(2020, 9, 28))
    return services.report_create(by=lead, session=session)


def url(report: SummaryReport, suffix: str = "/") -> str:
    return f"/councils/{report.council.slug}/reports/{report.pk}{suffix}"


def test_a_lead_reads_the_draft_and_others_wait_for_it_to_be_published(
    report: SummaryReport, lead: User, leadership: User, adviser: User
) -> None:
    draft = client_for(lead).get(url(report)).content.decode()
    assert "This is the draft" in draft and "R1: Shared priorities" in draft and "Draft, not published" in draft
    for reader in (leadership, adviser):
        page = client_for(reader).get(url(report)).content.decode()
        assert "This report has not been published yet." in page and "R1: Shared priorities" not in page
        assert client_for(reader).get(url(report, ".pdf")).status_code == 404


def test_published_versions_are_served_as_stored(report: SummaryReport, lead: User, leadership: User) -> None:
    version = services.report_publish(report=report, by=lead)
    reader = client_for(leadership)
    page = reader.get(url(report)).content.decode()
    assert version.html in page
    latest = reader.get(url(report, ".pdf"))
    assert latest["Content-Type"] == "application/pdf"
    assert hashlib.sha256(latest.content).hexdigest() == version.pdf_sha256
    same = reader.get(url(report, "/versions/1.pdf"))
    assert same.content == latest.content
    assert reader.get(url(report, "/versions/2.pdf")).status_code == 404
    draft = client_for(lead).get(url(report, ".pdf?draft=yes"))
    assert draft.content.startswith(b"%PDF") and draft.content != latest.content


def test_the_lead_previews_without_saving_then_saves(report: SummaryReport, lead: User) -> None:
    client = client_for(lead)
    form = {
        "title": "Peer Support Summary Report",
        "introduction": "We met **online**.",
        "themes_lead_in": "",
        "next_steps_lead_in": "",
        "version": report.version,
    }
    preview = client.post(url(report, "/edit/"), {**form, "action": "preview"})
    assert preview.status_code == 200
    assert "Preview (not saved)" in preview.content.decode()
    assert "We met <strong>online</strong>." in preview.content.decode()
    assert "Before you publish" in preview.content.decode()  # the executive summary is empty
    assert (
        f'href="{url(report, "/edit/")}#id_executive_summary">Write the executive summary' in preview.content.decode()
    )
    report.refresh_from_db()
    assert "online" not in report.introduction
    saved = client.post(url(report, "/edit/"), {**form, "action": "save"})
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.introduction == "We met **online**."


def test_a_narrative_form_with_errors_keeps_what_was_typed(report: SummaryReport, lead: User) -> None:
    response = client_for(lead).post(
        url(report, "/edit/"), {"title": "", "introduction": "Kept", "version": report.version, "action": "save"}
    )
    page = response.content.decode()
    assert "<title>Error: " in page and "Enter a title" in page and "Kept</textarea>" in page


def test_a_stale_narrative_form_is_refused_with_a_message(report: SummaryReport, lead: User) -> None:
    client = client_for(lead)
    form = {"title": "T", "introduction": "Mine", "version": report.version, "action": "save"}
    services.report_update(report=report, by=lead, expected_version=report.version, introduction="Theirs")
    page = client.post(url(report, "/edit/"), form).content.decode()
    assert "Someone else changed this report while you were editing it." in page
    report.refresh_from_db()
    assert report.introduction == "Theirs"


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
def test_only_leads_create_edit_and_publish(report: SummaryReport, persona: str, request: object) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(report, "/edit/")).status_code == 403
    assert client.post(url(report, "/publish/")).status_code == 403
    assert client.post(f"/councils/borsetshire/sessions/{report.session_id}/report/").status_code == 403
    assert not PublishedVersion.objects.exists()


def test_an_outsider_gets_404_for_every_report_page(report: SummaryReport, lead: User, outsider: User) -> None:
    services.report_publish(report=report, by=lead)
    client = client_for(outsider)
    for suffix in ("/", ".pdf", "/edit/", "/versions/1.pdf"):
        assert client.get(url(report, suffix)).status_code == 404
    assert client.post(url(report, "/publish/")).status_code == 404


def test_publishing_is_a_decision_on_a_confirmation_page(report: SummaryReport, lead: User) -> None:
    client = client_for(lead)
    assert f'href="{url(report, "/publish/")}"' in " ".join(client.get(url(report)).content.decode().split())
    page = client.get(url(report, "/publish/"))
    html = " ".join(page.content.decode().split())
    assert page.status_code == 200 and not PublishedVersion.objects.exists()  # looking publishes nothing
    assert "Publish version 1" in html and "it can't be changed afterwards" in html
    assert f'href="{url(report, "/edit/")}#id_executive_summary">Write the executive summary' in html
    assert "Publish version 1 anyway" in html
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)

    assert client.post(url(report, "/publish/")).status_code == 200  # not sent from the page: shown again
    assert not PublishedVersion.objects.exists()

    assert client.post(url(report, "/publish/"), {"seen": seen}).status_code == 302
    version = PublishedVersion.objects.get()
    assert "The executive summary has no narrative" in " ".join(version.warnings_seen)


def test_a_publication_whose_warnings_changed_meanwhile_is_shown_again(report: SummaryReport, lead: User) -> None:
    client = client_for(lead)
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', client.get(url(report, "/publish/")).content.decode())
    services.report_update(
        report=report, by=lead, expected_version=report.version, executive_summary="R1 was delivered."
    )
    again = client.post(url(report, "/publish/"), {"seen": seen.group(1)})
    assert again.status_code == 200 and "Nothing has been published" in again.content.decode()
    assert "R1 was delivered." in again.content.decode()
    assert not PublishedVersion.objects.exists()


def test_titles_and_download_names_are_unique(report: SummaryReport, lead: User) -> None:
    second = services.report_create(by=lead, session=report.session)
    assert report.title == "Recovery and Renewal Panel, 28 September 2020: summary report"
    assert second.title == f"{report.title} (2)"
    with pytest.raises(ValidationError):
        services.report_update(report=second, by=lead, expected_version=second.version, title=report.title)
    services.report_publish(report=report, by=lead)
    services.report_publish(report=report, by=lead)
    response = client_for(lead).get(url(report, "/versions/2.pdf"))
    slug = report.council.slug
    assert (
        response["Content-Disposition"] == f'attachment; filename="{slug}-recovery-and-renewal-panel-2020-09-28-v2.pdf"'
    )
    draft = client_for(lead).get(url(second, ".pdf?draft=yes"))
    assert draft["Content-Disposition"] == (
        f'attachment; filename="{slug}-recovery-and-renewal-panel-2020-09-28-report-2-draft.pdf"'
    )


# --- the St Helens report ---------------------------------------------------------------------------


@pytest.fixture
def st_helens() -> Client:
    demo()  # a copy of the process's one seeding (tests/shared_data.py)
    return client_for(User.objects.get(email="lead@st-helens.example"))


def test_the_st_helens_panel_report_is_an_accessible_pdf_with_every_recommendation(st_helens: Client) -> None:
    report = SummaryReport.objects.get(council__slug="st-helens", session__held_on=dt.date(2020, 9, 28))
    page = st_helens.get(url(report))
    assert page.status_code == 200
    response = st_helens.get(url(report, ".pdf?draft=yes"))
    assert response.status_code == 200
    document = PdfReader(BytesIO(response.content))
    text = "\n".join(each.extract_text() for each in document.pages)
    assert document.metadata.title == report.title
    assert document.metadata.author == "St Helens Borough Council"
    root = document.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    assert [item.title for item in document.outline if not isinstance(item, list)][:1] == [report.title]
    assert re.search(r"Executive summary \.+ \d+", text), "the contents list gives page numbers"
    assert f"Page 2 of {len(document.pages)}" in text and "Page 1 of" not in text  # none on the cover
    assert "St Helens Borough Council" in document.pages[2].extract_text()  # the running header
    for recommendation in Recommendation.objects.filter(engagement__council__slug="st-helens"):
        assert recommendation.reference in text
        assert recommendation.heading.split()[0] in text
    for later in ("£17.12m", "£20.4m", "Partner Excellence Award", "clear actions to realise our goals"):
        assert later not in text  # reported, won or said after 28 September 2020
    fonts = set()
    for each in document.pages:
        for font in each["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts.add(any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}  # every font is embedded


LGA_ORDER = [
    "Executive summary",
    "Summary of the approach",
    "Progress at a glance",
    "Feedback by theme",
    "Progress against each recommendation",
    "Progress against the previous session's next steps",
    "Achievements",
    "Financial position",
    "Next steps",
    "The council's response",
    "Appendix A: evidence index",
    "Appendix B: the recommendations in full",
]


def flattened(outline: list) -> list[str]:
    """The PDF's bookmarks, nested ones included, in order."""
    titles: list[str] = []
    for item in outline:
        titles.extend(flattened(item) if isinstance(item, list) else [item.title])
    return titles


def test_both_st_helens_reports_have_the_lgas_sections_in_order_as_page_and_pdf(st_helens: Client) -> None:
    panel = SummaryReport.objects.get(council__slug="st-helens", session__held_on=dt.date(2020, 9, 28))
    support = SummaryReport.objects.get(council__slug="st-helens", session__held_on=dt.date(2021, 3, 16))
    expected = {
        # as at 28 September 2020: nothing won, reported or said by then, no earlier session
        panel: [
            h
            for h in LGA_ORDER
            if h
            not in (
                "Progress against the previous session's next steps",
                "Achievements",
                "Financial position",
                "The council's response",
            )
        ],
        # the seeds give the 2021 session no next steps, support offer, contact or date: left out, and warned of
        support: [h for h in LGA_ORDER if h != "Next steps"],
    }
    for report, sections in expected.items():
        page = st_helens.get(url(report)).content.decode()
        shown = re.findall(r'<h2 class="govuk-heading-l" id="[a-z-]+">([^<]+)</h2>', page)
        assert [h.replace("&#x27;", "'") for h in shown] == sections
        document = PdfReader(BytesIO(st_helens.get(url(report, ".pdf?draft=yes")).content))
        titles = [title for title in flattened(document.outline) if title in LGA_ORDER]
        assert titles == sections
    march = st_helens.get(url(support)).content.decode()
    assert "Partner Excellence Award</strong>, iNetwork Awards (11 March 2021)" in march
    assert "2 December 2020" in march.split('id="financial-position"')[1].split("</section>")[0]
    assert re.search(r"Of the \d+ assessed: \d+ per cent green", march)


def test_the_report_runs_the_same_queries_at_any_size(council: Council, lead: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import services as core
    from recommendations.models import Rag, Status

    from ..factories import EvidenceFactory, at

    def build(scale: int) -> SummaryReport:
        challenge = EngagementFactory(council=council, title=f"Challenge {scale}")
        for number in range(scale):
            recommendation = RecommendationFactory(engagement=challenge, reference=f"R{number + 1}")
            for day in range(scale):
                update = core.update_record(
                    item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 1, day + 1)
                )
                update.evidence.add(EvidenceFactory(council=council))
        session = PanelSession.objects.create(engagement=challenge, held_on=dt.date(2020, 6, 1))
        return services.report_create(by=lead, session=session)

    client = client_for(lead)
    counts = []
    for scale in (1, 10):
        report = build(scale)
        client.get(url(report))
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(report)).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
