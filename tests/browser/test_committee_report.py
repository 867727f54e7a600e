"""Given the St Helens demo, a member of the leadership team opens the progress report to committee, types a
date that is not real and is told so, then chooses 28 September 2020 and downloads the report's PDF and
spreadsheet. Every page passes axe."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from recommendations.models import User

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def test_leadership_chooses_a_date_and_downloads_the_progress_report(new_page: object, demo: None) -> None:
    reader = new_page(User.objects.get(email="leadership@st-helens.example"))
    reader.goto("/councils/st-helens/progress-report/")
    assert reader.title().startswith("Progress as at ")
    assert "Produced on" in reader.locator(".app-committee__provenance").inner_text()
    assert_accessible(reader)

    reader.get_by_label("Day").fill("31")
    reader.get_by_label("Month").fill("2")
    reader.get_by_label("Year").fill("2020")
    clicked(reader.get_by_role("button", name="Show the report"))
    assert reader.title().startswith("Error: Progress report to committee")
    assert "Date must be a real date" in reader.locator(".govuk-error-summary").inner_text()
    assert_accessible(reader)

    reader.get_by_label("Day").fill("28")
    reader.get_by_label("Month").fill("9")
    clicked(reader.get_by_role("button", name="Show the report"))
    assert reader.title().startswith("Progress as at 28 September 2020")
    main = reader.locator("main").inner_text()
    assert "As at the end of 28 September 2020" in main and "No earlier round" in main
    assert "No update received for this period" in main  # action 5.2 had none
    assert_accessible(reader)

    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download this report as a PDF").click()
    assert download.value.suggested_filename == "st-helens-progress-report-2020-09-28.pdf"
    with open(download.value.path(), "rb") as file:
        document = PdfReader(BytesIO(file.read()))
    assert document.metadata.title == "St Helens Borough Council: Progress as at 28 September 2020"
    words = " ".join(" ".join(page.extract_text() for page in document.pages).split())  # lines wrap in the cells
    assert "No update received for this period" in words

    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download this report as a spreadsheet (XLSX)").click()
    with open(download.value.path(), "rb") as file:
        workbook = load_workbook(BytesIO(file.read()))
    assert workbook.sheetnames == ["Recommendations", "Actions", "About this report"]
