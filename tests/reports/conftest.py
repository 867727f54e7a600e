"""The St Helens reports' PDF documents, made once for the PDF checks (test_pdf_layout.py, test_pdf_tags.py)."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from reports import pdf
from reports.models import SummaryReport
from reports.services import reports as services

from ..shared_data import reference_data_present, seed


@pytest.fixture(scope="session")
def st_helens(django_db_setup: None, django_db_blocker: object) -> Iterator[dict[str, str]]:
    """Both St Helens reports' PDF documents (HTML), as a first version would be published; the demo's data
    is rolled back once they are made."""
    documents = {}
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        reference_data_present()  # another process's transactional test may have flushed it
        seed()
        for report in SummaryReport.objects.filter(council__slug="st-helens").select_related("council"):
            rendered = services.render_content(report, draft=False, generated_at=timezone.now(), version=1, by="Lead")
            documents[report.title] = pdf.pdf_document(
                content_html=rendered.html, title=report.title, author=report.council.name, draft=False
            )
        transaction.set_rollback(True)
    assert len(documents) == 2, documents.keys()
    yield documents
