"""Given the St Helens demo, the improvement lead imports the plan they exported and changed in Excel: they
read the dry run (exactly the change they made), confirm it, and land on the engagement with the change in
place. Checking with nothing chosen, a file with problems, a plan someone changed between the dry run and
the confirmation, the same file again (nothing to import) and a file with more problems than the page
lists each say so. Every page passes axe."""

import io

import pytest
from openpyxl import load_workbook

from recommendations.models import ProgressUpdate, Recommendation, User
from recommendations.spreadsheet import XLSX_CONTENT_TYPE as XLSX

from ..conftest import client_for
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def edited_export(lead: User) -> bytes:
    book = load_workbook(io.BytesIO(client_for(lead).get("/councils/st-helens/export.xlsx").content))
    sheet = book["Recommendations"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "R8")
    row[11].value = "Complete"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_lead_imports_an_edited_plan_after_reading_the_dry_run(new_page: object, demo: None) -> None:
    lead = User.objects.get(email="lead@st-helens.example")
    page = new_page(lead)
    page.goto("/councils/st-helens/")
    clicked(page.get_by_role("link", name="Import", exact=True))
    assert page.title().startswith("Import an action plan")
    assert_accessible(page)

    # Checking with nothing chosen: both errors, in the summary and on their fields.
    clicked(page.get_by_role("button", name="Check the file"))
    assert page.title().startswith("Error: Import an action plan")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select the engagement the plan is for" in summary and "Select a file" in summary
    assert_accessible(page)

    # A file with problems: every one listed, nothing to confirm.
    page.get_by_label("Corporate Peer Challenge 2019").check()
    page.get_by_label("Upload a file").set_input_files(
        {
            "name": "plan.csv",
            "mimeType": "text/csv",
            "buffer": b"Type,Reference,Text,Due date\r\nrecommendation,R1,x,31/02/2020\r\nrecommendation,R1,y,\r\n",
        }
    )
    clicked(page.get_by_role("button", name="Check the file"))
    assert page.title().startswith("Error: Check the import")
    summary = page.locator(".govuk-error-summary")
    assert "Row 2, Due date: ‘31/02/2020’ is not a real date" in summary.inner_text()
    assert "Row 3, Reference: Recommendation R1 is in the file twice" in summary.inner_text()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    assert_accessible(page)

    # More problems than the page lists: the first hundred, and how many more.
    clicked(page.get_by_role("button", name="Upload a corrected file"))
    page.get_by_label("Corporate Peer Challenge 2019").check()
    rows = b"".join(b"thing,R%d\r\n" % number for number in range(150))
    page.get_by_label("Upload a file").set_input_files(
        {"name": "plan.csv", "mimeType": "text/csv", "buffer": b"Type,Reference\r\n" + rows}
    )
    clicked(page.get_by_role("button", name="Check the file"))
    assert "and 51 more problems" in page.locator(".govuk-error-summary").inner_text()
    assert "And 51 more problems, not listed here" in page.locator("main").inner_text()
    assert_accessible(page)

    # The edited export: the dry run shows the one change.
    clicked(page.get_by_role("button", name="Upload a corrected file"))
    page.get_by_label("Corporate Peer Challenge 2019").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "st-helens-plan.xlsx", "mimeType": XLSX, "buffer": edited_export(lead)}
    )
    clicked(page.get_by_role("button", name="Check the file"))
    assert page.title().startswith("Check the import")
    changes = page.locator("table", has=page.locator("caption", has_text="Recommendation R8"))
    assert "In progress" in changes.inner_text() and "Complete" in changes.inner_text()
    assert "Change 1" in page.locator("main").inner_text()
    assert_accessible(page)

    # Someone changes R8 before the lead confirms: the check page comes back with the plan as it is now.
    Recommendation.objects.filter(engagement__council__slug="st-helens", reference="R8").update(
        heading="Changed meanwhile"
    )
    clicked(page.get_by_role("button", name="Confirm and import"))
    assert "The plan has changed since the file was checked" in page.locator("main").inner_text()
    assert ProgressUpdate.objects.filter(source="import").count() == 0
    assert_accessible(page)

    clicked(page.get_by_role("button", name="Confirm and import"))
    assert page.title().startswith("Corporate Peer Challenge 2019")
    assert "st-helens-plan.xlsx has been imported" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert ProgressUpdate.objects.filter(source="import", recommendation__reference="R8").count() == 1

    # The same file again: nothing to import, and no confirmation offered.
    page.goto("/councils/st-helens/import/")
    page.get_by_label("Corporate Peer Challenge 2019").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "st-helens-plan.xlsx", "mimeType": XLSX, "buffer": edited_export(lead)}
    )
    clicked(page.get_by_role("button", name="Check the file"))
    assert "There is nothing to import: the file holds the plan as it is." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    assert_accessible(page)
