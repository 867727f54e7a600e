"""The St Helens reports' PDF documents, made once for the PDF checks (test_pdf_layout.py, test_pdf_tags.py), and
a report long enough that a table of it crosses a page (neither St Helens report has one)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from recommendations.models import Membership
from reports import pdf
from reports.models import PanelSession, SummaryReport
from reports.services import reports as services

from ..factories import CouncilFactory, EngagementFactory, MembershipFactory, RecommendationFactory, UserFactory
from ..shared_data import demo, reference_data_present


@pytest.fixture(scope="session")
def st_helens_editions(django_db_setup: None, django_db_blocker: object) -> dict[str, dict[str, str]]:
    """Both St Helens reports' PDF documents (HTML), as a first version would be published ("published") and
    as their drafts ("draft"); the demo's data is rolled back once they are made."""
    editions: dict[str, dict[str, str]] = {"published": {}, "draft": {}}
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        reference_data_present()  # another process's transactional test may have flushed it
        demo()
        for report in SummaryReport.objects.filter(council__slug="st-helens").select_related("council"):
            for edition, documents in editions.items():
                draft = edition == "draft"
                rendered = services.render_content(
                    report,
                    draft=draft,
                    generated_at=timezone.now(),
                    version=None if draft else 1,
                    by=None if draft else "Lead",
                )
                documents[report.title] = pdf.pdf_document(
                    content_html=rendered.html, title=report.title, author=report.council.name, draft=draft
                )
        transaction.set_rollback(True)
    assert all(len(documents) == 2 for documents in editions.values()), editions["published"].keys()
    return editions


@pytest.fixture(scope="session")
def st_helens(st_helens_editions: dict[str, dict[str, str]]) -> dict[str, str]:
    """Both St Helens reports' PDF documents (HTML), as a first version would be published."""
    return st_helens_editions["published"]


LONG_TABLE_RECOMMENDATIONS = 30  # their appendix table, the recommendations in full, takes more than a page


@pytest.fixture(scope="session")
def long_table_report(django_db_setup: None, django_db_blocker: object) -> str:
    """The PDF document (HTML) of a report of LONG_TABLE_RECOMMENDATIONS recommendations, as a first version
    would be published; its rows are rolled back once it is made."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        reference_data_present()
        council = CouncilFactory(name="Borsetshire County Council", slug="borsetshire-long-report")
        lead = MembershipFactory(council=council, role=Membership.Role.LEAD, user=UserFactory()).user
        challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2024")
        review = EngagementFactory(
            council=council, title="Progress review", parent=challenge, last_onsite_day=dt.date(2024, 11, 5)
        )
        for number in range(1, LONG_TABLE_RECOMMENDATIONS + 1):
            RecommendationFactory(
                engagement=challenge,
                reference=f"R{number}",
                text="Develop and agree, with members and partners, a plan that sets out the council's priorities.",
            )
        session = PanelSession.objects.create(engagement=review, held_on=dt.date(2024, 11, 5))
        report = services.report_create(by=lead, session=session)
        rendered = services.render_content(report, draft=False, generated_at=timezone.now(), version=1, by="Lead")
        document = pdf.pdf_document(content_html=rendered.html, title=report.title, author=council.name, draft=False)
        transaction.set_rollback(True)
    return document
