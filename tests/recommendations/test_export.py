"""The export: XLSX (Recommendations and Actions sheets) and CSV (one file, a Type column), honouring the
tables' filters, in the layout of docs/SPREADSHEET.md that the import reads back."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from recommendations import imports, selectors, services, spreadsheet
from recommendations.models import Council, Rag, Recommendation, Status, User

from ..conftest import client_for
from ..factories import RecommendationFactory, at
from .plan_tables import Plan, build, build_scaled

pytestmark = pytest.mark.django_db

XLSX = "/councils/borsetshire/export.xlsx"
CSV = "/councils/borsetshire/export.csv"


@pytest.fixture
def plan(council: Council, officer: User, lead: User) -> Plan:
    return build(council, officer=officer, lead=lead)


def workbook(response: object) -> object:
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet: object) -> list[dict[str, object]]:
    """The rows as dicts by header; a date cell (openpyxl reads it as a datetime) as its date."""
    rows = [[value.date() if isinstance(value, dt.datetime) else value for value in row] for row in sheet.values]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_rows(response: object) -> list[dict[str, str]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- XLSX ---------------------------------------------------------------------------------------------


def test_the_workbook_has_a_recommendations_and_an_actions_sheet_with_their_headers(
    plan: Plan, leadership: User
) -> None:
    response = client_for(leadership).get(XLSX)
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    today = selectors.local_today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="borsetshire-plan-{today}.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["Recommendations", "Actions"]
    recommendations, actions = book["Recommendations"], book["Actions"]
    assert [cell.value for cell in recommendations[1]] == [
        "Engagement",
        "Reference",
        "Heading",
        "Text",
        "Theme",
        "Lead directorate",
        "Owner email",
        "Lead member",
        "Baseline due date",
        "Due date",
        "Timescale",
        "Status",
        "RAG",
        "RAG reason",
        "Assurance reason",
        "Last approved update",
    ]
    assert [cell.value for cell in actions[1]] == [
        "Engagement",
        "Recommendation reference",
        "Reference",
        "Description",
        "Owner email",
        "Start date",
        "Baseline due date",
        "Due date",
        "Timescale",
        "% complete",
        "Status",
        "RAG",
    ]
    assert [row["Reference"] for row in sheet_rows(recommendations)] == ["R1", "R2", "R3", "R4"]
    assert [(row["Recommendation reference"], row["Reference"]) for row in sheet_rows(actions)] == [
        ("R1", "1.1"),
        ("R1", "1.2"),
        ("R2", "2.1"),
    ]


def test_a_recommendation_row_holds_owner_emails_labels_and_real_dates(plan: Plan, leadership: User) -> None:
    sheet = workbook(client_for(leadership).get(XLSX))["Recommendations"]
    r1 = sheet_rows(sheet)[0]
    assert r1 == {
        "Engagement": "Corporate Peer Challenge 2019",
        "Reference": "R1",
        "Heading": "Shared priorities",
        "Text": Recommendation.objects.get(reference="R1").text,
        "Theme": "Leadership",
        "Lead directorate": "Place",
        "Owner email": "officer@borsetshire.example",
        "Lead member": "Cllr Ann Example",
        "Baseline due date": dt.date(2020, 3, 31),
        "Due date": dt.date(2020, 3, 31),
        "Timescale": None,
        "Status": "In progress",
        "RAG": "Amber",
        "RAG reason": "Waiting for the Cabinet decision",
        "Assurance reason": None,
        "Last approved update": dt.date(2020, 1, 10),
    }
    for column in ("I", "J", "P"):
        cell = sheet[f"{column}2"]
        assert cell.is_date and isinstance(cell.value, dt.datetime)
        assert cell.number_format == "dd/mm/yyyy"
    r3 = sheet_rows(sheet)[2]
    assert (r3["Owner email"], r3["Lead directorate"], r3["Status"], r3["RAG"]) == (None, None, "Not started", None)
    assert r3["Last approved update"] is None


def test_dates_are_stored_as_numbers_with_a_date_format_not_as_text(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(XLSX)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    cell = re.search(r'<c r="J2"([^>]*)>(.*?)</c>', xml)
    assert ' t="n"' in cell.group(1)  # a number (Excel's serial date), not a string or an inline ISO date
    assert cell.group(2) == "<v>43921</v>"  # 31 March 2020


def test_an_action_row_holds_its_dates_percentage_and_labels(plan: Plan, leadership: User) -> None:
    a11 = sheet_rows(workbook(client_for(leadership).get(XLSX))["Actions"])[0]
    assert a11 == {
        "Engagement": "Corporate Peer Challenge 2019",
        "Recommendation reference": "R1",
        "Reference": "1.1",
        "Description": "Agree the plan",
        "Owner email": "officer@borsetshire.example",
        "Start date": dt.date(2019, 4, 1),
        "Baseline due date": dt.date(2019, 12, 31),
        "Due date": dt.date(2019, 12, 31),
        "Timescale": None,
        "% complete": 40,
        "Status": "In progress",
        "RAG": "Green",
    }


def test_the_due_date_is_the_one_in_force_on_the_as_at_date(plan: Plan, lead: User, leadership: User) -> None:
    r1 = plan.recommendations["R1"]
    services.due_date_move(
        item=r1, new_due_date=dt.date(2021, 3, 31), reason="Cabinet moved", by=lead, at=at(2021, 1, 5)
    )
    client = client_for(leadership)
    before = sheet_rows(workbook(client.get(XLSX, {"as_at": "2020-12-31"}))["Recommendations"])[0]
    after = sheet_rows(workbook(client.get(XLSX))["Recommendations"])[0]
    assert before["Due date"] == dt.date(2020, 3, 31)
    assert after["Due date"] == dt.date(2021, 3, 31)
    assert before["Baseline due date"] == after["Baseline due date"] == dt.date(2020, 3, 31)


def test_the_export_honours_the_filters(plan: Plan, leadership: User, officer: User) -> None:
    client = client_for(leadership)
    book = workbook(client.get(XLSX, {"status": "in_progress"}))
    assert [row["Reference"] for row in sheet_rows(book["Recommendations"])] == ["R1", "R4"]
    # the actions under R1 and R4 that are themselves in progress
    assert [row["Reference"] for row in sheet_rows(book["Actions"])] == ["1.1"]

    book = workbook(client.get(XLSX, {"engagement": plan.cpc.pk}))
    assert [row["Reference"] for row in sheet_rows(book["Recommendations"])] == ["R1", "R2", "R3"]
    assert [row["Reference"] for row in sheet_rows(book["Actions"])] == ["1.1", "1.2", "2.1"]

    book = workbook(client.get(XLSX, {"owner": officer.pk}))
    assert [row["Reference"] for row in sheet_rows(book["Recommendations"])] == ["R1", "R4"]
    assert [row["Reference"] for row in sheet_rows(book["Actions"])] == ["1.1"]  # 1.2 is the lead's

    book = workbook(client.get(XLSX, {"theme": plan.finance.pk, "rag": "green"}))
    assert [row["Reference"] for row in sheet_rows(book["Recommendations"])] == ["R2"]
    assert [row["Reference"] for row in sheet_rows(book["Actions"])] == ["2.1"]


def test_the_export_as_at_a_date_shows_the_position_then_and_is_named_after_it(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(XLSX, {"as_at_day": "31", "as_at_month": "1", "as_at_year": "2020"})
    assert response["Content-Disposition"] == 'attachment; filename="borsetshire-plan-2020-01-31.xlsx"'
    rows = {row["Reference"]: row for row in sheet_rows(workbook(response)["Recommendations"])}
    assert rows["R1"]["Status"] == "In progress"
    assert rows["R2"]["Status"] == "Not started"  # its update was approved on 1 February
    assert rows["R2"]["RAG"] is None and rows["R2"]["RAG reason"] is None
    assert rows["R2"]["Last approved update"] is None


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_invalid_filters_send_the_user_to_the_table_to_correct_them(plan: Plan, leadership: User, url: str) -> None:
    response = client_for(leadership).get(url, {"as_at": "2021-02-30", "status": "complete"})
    assert response.status_code == 302
    assert response["Location"] == "/councils/borsetshire/recommendations/?as_at=2021-02-30&status=complete"


# --- formula-looking text -----------------------------------------------------------------------------

HOSTILE = {
    "heading": '=HYPERLINK("https://evil.example","Click")',
    "text": "+44 1234 567890 is the helpline",
    "lead_member": "@Cllr Example",
}


def test_text_that_looks_like_a_formula_is_never_a_formula(plan: Plan, leadership: User) -> None:
    Recommendation.objects.filter(pk=plan.recommendations["R1"].pk).update(**HOSTILE)
    Recommendation.objects.filter(pk=plan.recommendations["R2"].pk).update(
        heading="#N/A", text="-1 staff", lead_member="'quoted"
    )
    response = client_for(leadership).get(XLSX)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert all("<f>" not in sheet and "<f " not in sheet for sheet in sheets)
    assert re.search(r'<c r="C2"[^>]* t="inlineStr"', sheets[0])  # the heading: a string cell
    sheet = workbook(response)["Recommendations"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert all(cell.data_type != "e" for row in sheet.iter_rows() for cell in row)  # "#N/A" is text
    r1, r2 = sheet_rows(sheet)[:2]
    assert r1["Heading"] == "'" + HOSTILE["heading"]
    assert r1["Text"] == "'" + HOSTILE["text"]
    assert r1["Lead member"] == "'" + HOSTILE["lead_member"]
    assert (r2["Heading"], r2["Text"], r2["Lead member"]) == ("#N/A", "'-1 staff", "''quoted")
    # the import's rule gives back exactly what was stored
    assert spreadsheet.unescape_text(r1["Heading"]) == HOSTILE["heading"]
    assert spreadsheet.unescape_text(r2["Lead member"]) == "'quoted"

    rows = csv_rows(client_for(leadership).get(CSV))
    assert rows[0]["Heading"] == "'" + HOSTILE["heading"]  # the same rule in both formats
    assert rows[0]["Lead member"] == "'" + HOSTILE["lead_member"]


def test_a_cell_with_line_breaks_wraps_to_show_its_lines(plan: Plan, leadership: User) -> None:
    bullets = "Agree the plan:\n- with Cabinet\n- with staff"
    Recommendation.objects.filter(pk=plan.recommendations["R1"].pk).update(text=bullets)
    sheet = workbook(client_for(leadership).get(XLSX))["Recommendations"]
    headers = [cell.value for cell in sheet[1]]
    text, heading = sheet.cell(row=2, column=headers.index("Text") + 1), sheet.cell(row=2, column=3)
    assert text.value == bullets
    assert text.alignment.wrap_text is True and text.alignment.vertical == "top"
    assert not heading.alignment.wrap_text  # one line: left as it is


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "'", "plain", "", "a=b", "Amber – at risk"],
)
def test_escaping_round_trips(text: str) -> None:
    escaped = spreadsheet.escape_text(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert spreadsheet.unescape_text(escaped) == text


def test_control_characters_a_spreadsheet_cannot_hold_are_dropped(plan: Plan, leadership: User) -> None:
    Recommendation.objects.filter(pk=plan.recommendations["R1"].pk).update(heading="Bell\x07 and\ttab")
    sheet = workbook(client_for(leadership).get(XLSX))["Recommendations"]
    assert sheet_rows(sheet)[0]["Heading"] == "Bell and\ttab"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("In progress", Status.IN_PROGRESS),
        ("in  PROGRESS ", Status.IN_PROGRESS),
        ("Closed (business as usual)", Status.CLOSED),
        ("Closed", Status.CLOSED),
        ("not_started", Status.NOT_STARTED),
        ("Done", Status.COMPLETE),
        ("Nearly there", None),
    ],
)
def test_status_words_the_import_accepts(text: str, status: str | None) -> None:
    assert spreadsheet.status_from_text(text) == status


@pytest.mark.parametrize(
    ("text", "rag"),
    [
        ("Amber", Rag.AMBER),
        ("amber (at risk)", Rag.AMBER),
        ("R", Rag.RED),
        ("", ""),
        (None, ""),
        ("Blue", ""),
        ("Purple", None),
    ],
)
def test_rag_words_the_import_accepts(text: str | None, rag: str | None) -> None:
    assert spreadsheet.rag_from_text(text) == rag


def test_every_exported_label_reads_back() -> None:
    for status in Status:
        assert spreadsheet.status_from_text(spreadsheet.STATUS_LABELS[status]) == status
    for rag in Rag:
        assert spreadsheet.rag_from_text(spreadsheet.RAG_LABELS[rag]) == rag


# --- CSV ----------------------------------------------------------------------------------------------


def test_the_csv_is_one_file_with_a_type_column_iso_dates_and_a_byte_order_mark(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(CSV, {"as_at": "2021-03-31"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="borsetshire-plan-2021-03-31.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response)
    assert list(rows[0]) == list(spreadsheet.CSV_HEADERS)
    assert [(row["Type"], row["Reference"]) for row in rows] == [
        ("recommendation", "R1"),
        ("action", "1.1"),
        ("action", "1.2"),
        ("recommendation", "R2"),
        ("action", "2.1"),
        ("recommendation", "R3"),
        ("recommendation", "R4"),
    ]
    r1, a11 = rows[0], rows[1]
    assert (r1["Due date"], r1["Last approved update"], r1["Status"], r1["RAG"]) == (
        "2020-03-31",
        "2020-01-10",
        "In progress",
        "Amber",
    )
    assert (r1["Owner email"], r1["Recommendation reference"], r1["Description"]) == (
        "officer@borsetshire.example",
        "",
        "",
    )
    assert (a11["Recommendation reference"], a11["Start date"], a11["% complete"], a11["Heading"]) == (
        "R1",
        "2019-04-01",
        "40",
        "",
    )


def lead_rates_it_differently(item: Recommendation, officer: User, lead: User) -> None:
    update = services.update_create(
        item=item, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2021, 2, 1)
    )
    services.update_submit(update=update, at=at(2021, 2, 1))
    services.update_approve(
        update=update,
        reviewer=lead,
        assurance_rag=Rag.AMBER,
        assurance_reason="The savings are not yet agreed",
        at=at(2021, 2, 2),
    )


def test_the_lead_s_assurance_reason_is_exported_with_the_update_as_at_the_date(
    plan: Plan, officer: User, lead: User, leadership: User
) -> None:
    lead_rates_it_differently(plan.recommendations["R4"], officer, lead)
    client = client_for(leadership)
    now = {row["Reference"]: row for row in sheet_rows(workbook(client.get(XLSX))["Recommendations"])}
    before = {row["Reference"]: row for row in csv_rows(client.get(CSV, {"as_at": "2021-02-01"}))}
    assert (now["R4"]["RAG"], now["R4"]["Assurance reason"]) == ("Amber", "The savings are not yet agreed")
    assert before["R4"]["Assurance reason"] == ""


def test_an_export_with_assurance_reasons_imports_back_with_nothing_to_change(
    plan: Plan, officer: User, lead: User, leadership: User
) -> None:
    """The import knows the column and does not read it: the round trip changes nothing and warns of nothing."""
    lead_rates_it_differently(plan.recommendations["R4"], officer, lead)
    data = client_for(leadership).get(XLSX, {"engagement": plan.cpc.pk}).content
    result = imports.plan_upload(engagement=plan.cpc, data=data, filename="borsetshire-plan.xlsx")
    assert (result.problems, result.warnings, result.has_changes) == ([], [], False)


def test_the_csv_columns_are_the_union_of_the_sheets() -> None:
    union = {column.header for column in (*spreadsheet.RECOMMENDATION_COLUMNS, *spreadsheet.ACTION_COLUMNS)}
    assert set(spreadsheet.CSV_HEADERS) == {"Type", *union}
    assert len(spreadsheet.CSV_HEADERS) == len(set(spreadsheet.CSV_HEADERS))


def test_the_csv_honours_the_filters(plan: Plan, leadership: User) -> None:
    rows = csv_rows(client_for(leadership).get(CSV, {"overdue": "yes"}))
    assert [(row["Type"], row["Reference"]) for row in rows] == [
        ("recommendation", "R1"),
        ("action", "1.1"),
        ("action", "1.2"),
        ("recommendation", "R3"),
    ]


def test_the_csv_keeps_text_exactly(plan: Plan, leadership: User) -> None:
    text = 'Line one, with a comma\nLine two "quoted" – and £ signs'
    Recommendation.objects.filter(pk=plan.recommendations["R1"].pk).update(text=text)
    assert csv_rows(client_for(leadership).get(CSV))[0]["Text"] == text


# --- who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_outsider_gets_404(plan: Plan, outsider: User, url: str) -> None:
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_every_member_may_download(plan: Plan, personas: object, url: str) -> None:
    for persona in ("officer", "lead", "leadership", "adviser"):
        assert client_for(personas.get(persona)).get(url).status_code == 200


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_post_is_not_allowed(plan: Plan, lead: User, url: str) -> None:
    assert client_for(lead).post(url).status_code == 405


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_anonymous_is_asked_to_sign_in(council: Council, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_councils_plan_is_never_in_the_export(
    plan: Plan, leadership: User, other_council: Council, outsider: User
) -> None:
    RecommendationFactory(engagement__council=other_council, reference="F1")
    rows = sheet_rows(workbook(client_for(leadership).get(XLSX))["Recommendations"])
    assert "F1" not in [row["Reference"] for row in rows]


# --- queries ------------------------------------------------------------------------------------------


def count_queries(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


EXPORTS = [
    (url, params)
    for url in (XLSX, CSV)
    for params in ({}, {"status": "in_progress", "overdue": "no", "as_at": "2020-01-05"})
]


def test_export_queries_do_not_grow_with_the_data(council: Council, lead: User, leadership: User) -> None:
    """Both formats, with and without filters, on the small plan and again once the four-times plan is added
    (the data are built once for all of them)."""
    client = client_for(leadership)
    build_scaled(council, lead=lead, scale=1, label="A")
    small = [count_queries(client, url, params) for url, params in EXPORTS]
    build_scaled(council, lead=lead, scale=4, label="B")
    assert [count_queries(client, url, params) for url, params in EXPORTS] == small
