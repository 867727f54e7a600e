"""The import pages: leads only, the dry run before anything is written, "Confirm and import" that checks
again and applies all or nothing, hostile files refused with a message (never a 500), and the acceptance
round trip on the St Helens demo: export → edit one status and one date → import."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from recommendations.imports import pending
from recommendations.models import (
    DueDateChange,
    Engagement,
    PendingImport,
    ProgressUpdate,
    Recommendation,
    Status,
    User,
)

from ..conftest import client_for
from ..factories import EngagementFactory, RecommendationFactory
from ..shared_data import demo
from .evidence_files import ole2

pytestmark = pytest.mark.django_db

IMPORT = "/councils/borsetshire/import/"
CONFIRM = "/councils/borsetshire/import/confirm/"
TEMPLATE = "/councils/borsetshire/import/template.xlsx"
CSV = (
    "Type,Reference,Heading,Text,Status,RAG\r\n"
    "recommendation,R1,Leadership,Develop a shared understanding of priorities.,In progress,Green\r\n"
)


@pytest.fixture
def engagement(council: Any) -> Engagement:
    return EngagementFactory(council=council, title="Corporate Peer Challenge 2019")


def upload(client: Client, engagement: Engagement, content: bytes | str, name: str = "plan.csv") -> Any:
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT, {"engagement": engagement.pk, "file": SimpleUploadedFile(name, data)})


def token_of(user: User) -> str:
    return PendingImport.objects.get(user=user).token


# --- who may ------------------------------------------------------------------------------------------


def test_lead_sees_the_upload_form_with_the_engagement_chosen_from_the_link(lead: User, engagement: Engagement) -> None:
    EngagementFactory(council=engagement.council, title="Culture review")  # a second choice, not chosen
    response = client_for(lead).get(f"{IMPORT}?engagement={engagement.pk}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Import an action plan" in content
    assert f'value="{engagement.pk}"' in content and "checked" in content
    assert response.context["form"]["engagement"].value() == engagement.pk
    assert "Download the template (XLSX)" in content


@pytest.mark.parametrize("url", [IMPORT, TEMPLATE])
def test_other_members_get_403_and_outsiders_404(url: str, officer: User, leadership: User, outsider: User) -> None:
    assert client_for(officer).get(url).status_code == 403
    assert client_for(leadership).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_other_members_cannot_dry_run_a_file(officer: User, leadership: User, engagement: Engagement) -> None:
    for member in (officer, leadership):
        assert upload(client_for(member), engagement, CSV).status_code == 403
    assert not PendingImport.objects.exists()


def test_officer_cannot_confirm_an_import(officer: User) -> None:
    assert client_for(officer).post(CONFIRM, {"token": "x"}).status_code == 403


def test_wrong_methods_are_refused(lead: User) -> None:
    client = client_for(lead)
    assert client.put(IMPORT).status_code == 405
    assert client.get(CONFIRM).status_code == 405
    assert client.post(TEMPLATE).status_code == 405


def test_the_import_is_in_the_navigation_for_leads_only(lead: User, officer: User, engagement: Engagement) -> None:
    assert f'href="{IMPORT}"' in client_for(lead).get("/councils/borsetshire/engagements/").content.decode()
    assert f'href="{IMPORT}"' not in client_for(officer).get("/councils/borsetshire/engagements/").content.decode()
    detail = client_for(lead).get(f"/councils/borsetshire/engagements/{engagement.pk}/").content.decode()
    assert f"{IMPORT}?engagement={engagement.pk}" in detail


def test_the_template_has_an_example_row_and_notes_on_every_column(lead: User) -> None:
    response = client_for(lead).get(TEMPLATE)
    assert response.status_code == 200
    assert 'filename="action-plan-import-template.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Recommendations", "Actions", "Notes"]
    assert book["Recommendations"]["B2"].value == "R1"
    assert book["Actions"]["C2"].value == "1.1"
    noted = {row[0] for row in book["Notes"].iter_rows(min_row=7, values_only=True) if row[0]}
    assert {"Reference", "Owner email", "Due date", "Status", "RAG", "% complete"} <= noted


# --- the form's errors --------------------------------------------------------------------------------


def test_no_file_is_an_error_in_govuk_wording(lead: User, engagement: Engagement) -> None:
    response = client_for(lead).post(IMPORT, {"engagement": engagement.pk})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import an action plan" in content
    assert "govuk-error-summary" in content and "Select a file" in content


def test_no_engagement_is_an_error(lead: User, engagement: Engagement) -> None:
    response = client_for(lead).post(IMPORT, {"file": SimpleUploadedFile("plan.csv", CSV.encode())})
    assert "Select the engagement the plan is for" in response.content.decode()


def test_an_engagement_of_another_council_cannot_be_chosen(lead: User, other_council: Any) -> None:
    theirs = EngagementFactory(council=other_council)
    response = upload(client_for(lead), theirs, CSV)
    assert "Select the engagement the plan is for" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "plan.csv", "The selected file is empty"),
        (ole2("EncryptionInfo", "EncryptedPackage"), "plan.xlsx", "plan.xlsx is password-protected"),
        (ole2("Workbook"), "plan.xls", "old Excel 97-2003 spreadsheet"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "plan.png", "plan.png is a PNG image"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_with_a_message(
    lead: User, engagement: Engagement, content: bytes, name: str, message: str
) -> None:
    response = upload(client_for(lead), engagement, content, name)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Import an action plan" in body
    assert message in body
    assert not Recommendation.objects.exists()


# --- the dry run and the confirmation ----------------------------------------------------------------


def test_the_dry_run_writes_nothing_and_the_confirmation_imports_it(lead: User, engagement: Engagement) -> None:
    client = client_for(lead)
    response = upload(client, engagement, CSV)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Check the import" in content
    assert "Recommendation R1" in content and "Confirm and import" in content
    assert not Recommendation.objects.exists()
    response = client.post(CONFIRM, {"token": token_of(lead)})
    assert response.status_code == 302
    assert response["Location"] == f"/councils/borsetshire/engagements/{engagement.pk}/"
    recommendation = Recommendation.objects.get(engagement=engagement, reference="R1")
    assert recommendation.updates.get().source == ProgressUpdate.Source.IMPORT
    assert not PendingImport.objects.exists()
    assert client.post(CONFIRM, {"token": "anything"}).status_code == 302  # nothing waits any more
    assert Recommendation.objects.count() == 1


def test_a_confirmation_without_the_right_token_imports_nothing(lead: User, engagement: Engagement) -> None:
    client = client_for(lead)
    upload(client, engagement, CSV)
    response = client.post(CONFIRM, {"token": "not-the-token"}, follow=True)
    assert "is no longer waiting to be imported" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_another_lead_cannot_confirm_someone_elses_upload(
    lead: User, engagement: Engagement, second_lead: User
) -> None:
    client = client_for(lead)
    upload(client, engagement, CSV)
    token = token_of(lead)
    assert client_for(second_lead).post(CONFIRM, {"token": token}).status_code == 302
    assert not Recommendation.objects.exists()


def test_the_upload_waits_in_the_database_for_its_uploader_not_in_the_session(
    lead: User, engagement: Engagement
) -> None:
    client = client_for(lead)
    response = upload(client, engagement, CSV)
    kept = PendingImport.objects.get(user=lead)
    assert (bytes(kept.data), kept.filename, kept.engagement) == (CSV.encode(), "plan.csv", engagement)
    assert f'name="token" value="{kept.token}"' in response.content.decode()  # all the page sends back
    assert "Develop a shared understanding" not in str(dict(client.session.items()))


def test_a_second_upload_replaces_the_first_and_old_uploads_are_cleared(
    lead: User, engagement: Engagement, second_lead: User
) -> None:
    upload(client_for(second_lead), engagement, CSV)
    PendingImport.objects.filter(user=second_lead).update(created_at=timezone.now() - pending.KEPT_FOR)
    client = client_for(lead)
    upload(client, engagement, CSV)
    first = token_of(lead)
    upload(client, engagement, CSV.replace("Leadership", "Leadership and vision"))
    assert list(PendingImport.objects.values_list("user", flat=True)) == [lead.pk]
    assert client.post(CONFIRM, {"token": first}).status_code == 302
    assert not Recommendation.objects.exists()
    client.post(CONFIRM, {"token": token_of(lead)})
    assert Recommendation.objects.get().heading == "Leadership and vision"


def test_an_upload_left_waiting_too_long_is_not_imported(lead: User, engagement: Engagement) -> None:
    client = client_for(lead)
    upload(client, engagement, CSV)
    PendingImport.objects.update(created_at=timezone.now() - pending.KEPT_FOR - dt.timedelta(seconds=1))
    response = client.post(CONFIRM, {"token": token_of(lead)}, follow=True)
    assert "is no longer waiting to be imported. Upload it again" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_problems_on_several_rows_are_all_listed_and_there_is_no_confirmation(
    lead: User, engagement: Engagement
) -> None:
    content = (
        "Type,Reference,Text,Owner email,Due date,Status\r\n"
        "recommendation,R1,One.,nobody@,31/02/2020,In progress\r\n"
        "recommendation,R1,Again.,,,Sort of\r\n"
        "recommendation,R2,,,,\r\n"
    )
    response = upload(client_for(lead), engagement, content)
    body = response.content.decode()
    assert "<title>Error: Check the import" in body
    assert "govuk-error-summary" in body
    for message in (
        "Row 2, Owner email: ‘nobody@’ is not an e-mail address in the correct format",
        "Row 2, Due date: ‘31/02/2020’ is not a real date",
        "Row 3, Reference: Recommendation R1 is in the file twice (also Row 2)",
        "Row 4, Text: Enter the text of the recommendation",
    ):
        assert message in body
    assert 'href="#problem-1"' in body and 'id="problem-1"' in body
    assert "Confirm and import" not in body
    assert not PendingImport.objects.exists()


def test_a_plan_that_changed_after_the_dry_run_is_shown_again_before_it_is_imported(
    lead: User, engagement: Engagement
) -> None:
    client = client_for(lead)
    upload(client, engagement, CSV)
    RecommendationFactory(engagement=engagement, reference="R1", heading="Someone else's")
    response = client.post(CONFIRM, {"token": token_of(lead)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The plan has changed since the file was checked" in body
    assert "Someone else&#x27;s" in body and "Confirm and import" in body
    assert not ProgressUpdate.objects.exists()
    client.post(CONFIRM, {"token": token_of(lead)})
    assert Recommendation.objects.get(reference="R1").heading == "Leadership"


# --- the acceptance round trip -----------------------------------------------------------------------


def test_st_helens_export_edit_in_excel_and_import_changes_exactly_what_was_edited() -> None:
    demo()  # a copy of the process's one seeding (tests/shared_data.py)
    lead = User.objects.get(email="lead@st-helens.example")
    client = client_for(lead)
    exported = client.get("/councils/st-helens/export.xlsx")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    recommendations, actions = book["Recommendations"], book["Actions"]
    status_row = next(row for row in recommendations.iter_rows(min_row=2) if row[11].value == "In progress")
    reference = status_row[1].value
    status_row[11].value = "Complete"
    action_row = actions[2]
    action_reference = (action_row[1].value, action_row[2].value)
    old_due = action_row[7].value.date()
    action_row[7].value = "15/01/2022"
    edited = io.BytesIO()
    book.save(edited)
    engagement = Engagement.objects.get(council__slug="st-helens", title=recommendations["A2"].value)
    before = ProgressUpdate.objects.count(), DueDateChange.objects.count()

    response = client.post(
        "/councils/st-helens/import/",
        {"engagement": engagement.pk, "file": SimpleUploadedFile("st-helens-plan.xlsx", edited.getvalue())},
    )
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "Confirm and import" in body
    plan = response.context["plan"]
    assert plan.problems == [] and plan.creates == []
    assert [(item.label, [(c.label, c.before, c.after) for c in item.changes]) for item in plan.updates] == [
        (f"Recommendation {reference}", [("Status", "In progress", "Complete")]),
        (
            f"Action {action_reference[1]} of recommendation {action_reference[0]}",
            [("Due date", old_due.strftime("%-d %B %Y"), "15 January 2022")],
        ),
    ]

    response = client.post("/councils/st-helens/import/confirm/", {"token": token_of(lead)})
    assert response.status_code == 302
    assert (ProgressUpdate.objects.count(), DueDateChange.objects.count()) == (before[0] + 1, before[1] + 1)
    update = ProgressUpdate.objects.get(
        recommendation__engagement=engagement, recommendation__reference=reference, source="import"
    )
    assert (update.status, update.review_state, update.author) == (Status.COMPLETE, "approved", lead)
    move = DueDateChange.objects.latest("pk")
    assert move.action.reference == action_reference[1]
    assert move.reason == "Imported from st-helens-plan.xlsx"
    assert (move.previous_due_date, move.new_due_date.isoformat()) == (old_due, "2022-01-15")
