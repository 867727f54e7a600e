"""A lead imports the action plan as the council keeps it: one sheet called "Sheet1", the recommendation
repeated on each action's row, a month Excel made a date. They read the guessed columns, correct one,
read the dry run (the columns, how each due date was worked out, the warnings), confirm, and find the
timescales on the engagement. Every state passes axe."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from recommendations.models import Action, Council, Engagement, Recommendation, User
from recommendations.spreadsheet import XLSX_CONTENT_TYPE as XLSX

from ..factories import EngagementFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def council_plan() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Ref", "Recommendation", "Action(s)", "Timescale", "Lead officer", "RAG", "Notes"])
    sheet.append(
        [
            "R1",
            "Develop a shared vision.",
            "Hold member workshops.",
            None,
            "Chief Executive",
            "Amber",
            "Two workshops moved to January.",
        ]
    )
    sheet.append(["R1", "Develop a shared vision.", "Publish the vision.", "Q3 2023/24", "Chief Executive", "G", ""])
    sheet["D2"] = dt.datetime(2023, 12, 1)  # noqa: DTZ001 (a date cell, as Excel makes of "December 2023")
    sheet["D2"].number_format = "mmm-yy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_lead_maps_the_columns_of_their_own_plan_reads_the_dry_run_and_imports_it(new_page: object, demo: None) -> None:
    lead = User.objects.get(email="lead@st-helens.example")
    engagement = EngagementFactory(council=Council.objects.get(slug="st-helens"), title="Corporate Peer Challenge 2023")
    page = new_page(lead)
    page.goto(f"/councils/st-helens/import/?engagement={engagement.pk}")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "action-plan.xlsx", "mimeType": XLSX, "buffer": council_plan()}
    )
    clicked(page.get_by_role("button", name="Check the file"))

    # The mapping step: the guess, with first values; "Notes" holds the RAG's reasons, not commentary.
    assert page.title().startswith("Check what each column holds")
    notes = page.get_by_label("Column G ‘Notes’")
    assert notes.input_value() == "commentary"
    assert "Two workshops moved to January." in page.locator("main").inner_text()
    assert page.get_by_label("Column D ‘Timescale’").input_value() == "timescale"
    assert_accessible(page)
    notes.select_option(label="Reason for the RAG rating")
    clicked(page.get_by_role("button", name="Check the import"))

    # The dry run: what the columns hold, the derivations, the warnings with their count.
    assert page.title().startswith("Check the import")
    main = page.locator("main").inner_text()
    assert "Column G ‘Notes’" in main and "Reason for the RAG rating" in main
    assert "December 2023 → 31 December 2023" in main
    assert "Q3 2023/24 → 31 December 2023" in main
    assert "Warnings (1): what the import will do for you" in main  # the generated action numbers
    assert "No reference" not in main  # the file numbers its recommendations
    assert_accessible(page)
    clicked(page.get_by_role("button", name="Confirm and import"))

    assert page.title().startswith("Corporate Peer Challenge 2023")
    assert_accessible(page)
    recommendation = Recommendation.objects.get(engagement=engagement)
    assert (recommendation.reference, recommendation.text) == ("R1", "Develop a shared vision.")
    actions = list(Action.objects.filter(recommendation=recommendation).order_by("position"))
    assert [(a.reference, a.description, a.due_date, a.timescale, a.owner_name) for a in actions] == [
        ("1.1", "Hold member workshops.", dt.date(2023, 12, 31), "December 2023", "Chief Executive"),
        ("1.2", "Publish the vision.", dt.date(2023, 12, 31), "Q3 2023/24", "Chief Executive"),
    ]
    assert actions[0].updates.get().rag_reason == "Two workshops moved to January."
    assert Engagement.objects.get(pk=engagement.pk).themes.count() == 0
