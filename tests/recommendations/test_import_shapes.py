"""Plans in the shapes councils keep them (plan_shapes) import through the page and through the command with
the guessed mapping and no edits, giving the expected recommendations and actions, their texts character for
character, their due dates and their timescales' words."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from recommendations import imports
from recommendations.models import Action, Engagement, PendingImport, ProgressUpdate, Recommendation, User

from ..conftest import client_for
from ..factories import EngagementFactory
from .plan_shapes import SHAPES, Shape, lga_numbering, summary_formula

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(council: Any) -> Engagement:
    return EngagementFactory(council=council, title="Corporate Peer Challenge 2023")


def imported(engagement: Engagement) -> tuple[list, list, dict]:
    recommendations = [
        (r.reference, r.text) for r in Recommendation.objects.filter(engagement=engagement).order_by("position")
    ]
    actions = [
        (a.recommendation.reference, a.reference, a.description)
        for a in Action.objects.filter(recommendation__engagement=engagement).order_by(
            "recommendation__position", "position"
        )
    ]
    due = {a.reference: (a.due_date, a.timescale) for a in Action.objects.filter(recommendation__engagement=engagement)}
    return recommendations, actions, due


def assert_imported(engagement: Engagement, shape: Shape) -> None:
    recommendations, actions, due = imported(engagement)
    assert recommendations == shape.expected.recommendations
    assert actions == shape.expected.actions
    assert {reference: due[reference] for reference in shape.expected.due} == shape.expected.due


@pytest.mark.parametrize("make", SHAPES, ids=lambda make: make.__name__)
def test_a_plan_in_each_shape_imports_through_the_command(
    make: Any, engagement: Engagement, lead: User, tmp_path: Path
) -> None:
    shape = make()
    path = tmp_path / shape.filename
    path.write_bytes(shape.content)
    out = StringIO()
    call_command("import_action_plan", "borsetshire", engagement.title, str(path), stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert "as guessed or given with --map" in printed and "Dry run: nothing was written" in printed
    assert not Recommendation.objects.exists()
    call_command("import_action_plan", "borsetshire", str(engagement.pk), str(path), "--apply", stdout=StringIO())
    assert_imported(engagement, shape)


def as_guessed(response: Any) -> dict[str, Any]:
    """The mapping step's form sent back as it was shown: the guessed columns, no edits."""
    form = response.context["form"]
    token = PendingImport.objects.get().token
    return {"token": token, "step": "columns", **{name: field.initial for name, field in form.fields.items()}}


@pytest.mark.parametrize("make", SHAPES, ids=lambda make: make.__name__)
def test_a_plan_in_each_shape_imports_through_the_page(make: Any, engagement: Engagement, lead: User) -> None:
    shape = make()
    client = client_for(lead)
    response = client.post(
        "/councils/borsetshire/import/",
        {"engagement": engagement.pk, "file": SimpleUploadedFile(shape.filename, shape.content)},
    )
    assert response.status_code == 200
    assert "Check what each column holds" in response.content.decode()
    response = client.post("/councils/borsetshire/import/columns/", as_guessed(response))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.problems == [], plan.problems
    token = PendingImport.objects.get(user=lead).token
    response = client.post("/councils/borsetshire/import/confirm/", {"token": token})
    assert response.status_code == 302, response.content.decode()
    assert_imported(engagement, shape)


def test_the_command_prints_the_mapping_and_the_derivations(engagement: Engagement, lead: User, tmp_path: Path) -> None:
    shape = lga_numbering()
    path = tmp_path / shape.filename
    path.write_bytes(shape.content)
    out = StringIO()
    call_command("import_action_plan", "borsetshire", str(engagement.pk), str(path), stdout=out, stderr=StringIO())
    printed = out.getvalue()
    for line in (
        "    A ‘Ref’: Reference of the recommendation",
        "    D ‘Deadline’: Timescale or due date",
        "    E ‘Lead’: Owner (a name, a role or an e-mail address)",
        "    H ‘Update’: Progress commentary",
        "    Action 1.1 of recommendation 1: w/c 4 March 2024 → 8 March 2024",
        "Warning: Cell CPC action plan!A4: the reference 2.1 is a number in the file",
    ):
        assert line in printed, printed


def test_map_overrides_a_guess_and_list_lists_the_engagements(
    engagement: Engagement, lead: User, tmp_path: Path
) -> None:
    shape = lga_numbering()
    path = tmp_path / shape.filename
    path.write_bytes(shape.content)
    out = StringIO()
    call_command(
        "import_action_plan",
        "borsetshire",
        str(engagement.pk),
        str(path),
        "--map",
        "Update=ignore",
        "--apply",
        stdout=out,
        stderr=StringIO(),
    )
    assert "    H ‘Update’: Ignore this column" in out.getvalue()
    assert not ProgressUpdate.objects.filter(narrative="Terms of reference drafted.").exists()
    listed = StringIO()
    call_command("import_action_plan", "borsetshire", "--list", stdout=listed)
    assert f"{engagement.pk}\tCorporate Peer Challenge 2023" in listed.getvalue()


def test_a_formula_is_read_as_its_value_with_a_warning_and_commentary_becomes_the_narrative(
    engagement: Engagement, lead: User
) -> None:
    plan = imports.plan_upload(engagement=engagement, data=summary_formula().content, filename="formula.xlsx")
    assert [(w.where, w.message) for w in plan.warnings if "formula" in w.message] == [
        ("Cell Action plan!F2", "holds a formula: its value as Excel last worked it out is used (Green)"),
        ("Cell Action plan!F3", "holds a formula: its value as Excel last worked it out is used (Amber)"),
    ]
    shape = lga_numbering()
    imports.import_apply(engagement=engagement, data=shape.content, filename=shape.filename, by=lead)
    update = ProgressUpdate.objects.get(action__reference="1.1")
    assert (update.narrative, update.rag, update.rag_reason) == (
        "Terms of reference drafted.",
        "amber",
        "No reason given (imported)",
    )
    assert Action.objects.get(reference="1.1").owner_name == "Monitoring Officer"


def test_bulleted_actions_split_when_asked(engagement: Engagement, lead: User) -> None:
    from .plan_shapes import bullets_in_one_cell

    shape = bullets_in_one_cell()
    plan = imports.plan_upload(engagement=engagement, data=shape.content, filename=shape.filename)
    assert any("bulleted list" in w.message for w in plan.warnings)
    imports.import_apply(
        engagement=engagement, data=shape.content, filename=shape.filename, by=lead, split_bullets=True
    )
    assert list(Action.objects.filter(recommendation__reference="1").values_list("reference", "description")) == [
        ("1.1", "Agree the budget gap for three years."),
        ("1.2", "Publish a savings plan."),
        ("1.3", "Report to Cabinet quarterly."),
    ]


def test_a_corrected_column_is_used_and_offered_again_next_time(engagement: Engagement, lead: User) -> None:
    shape = lga_numbering()
    client = client_for(lead)
    upload = {"engagement": engagement.pk, "file": SimpleUploadedFile(shape.filename, shape.content)}
    response = client.post("/councils/borsetshire/import/", upload)
    sent = as_guessed(response)
    assert sent["column_7"] == "commentary"
    sent["column_7"] = "ignore"
    response = client.post("/councils/borsetshire/import/columns/", sent)
    assert "Column H ‘Update’" in response.content.decode()
    assert not any(
        change.label == "Progress commentary" for item in response.context["plan"].items for change in item.changes
    )
    client.post("/councils/borsetshire/import/confirm/", {"token": sent["token"]})
    assert not ProgressUpdate.objects.filter(narrative="Terms of reference drafted.").exists()

    again = client.post(
        "/councils/borsetshire/import/",
        {"engagement": engagement.pk, "file": SimpleUploadedFile(shape.filename, shape.content)},
    )
    assert "as they were chosen the last time" in again.content.decode()
    assert again.context["form"].fields["column_7"].initial == "ignore"


def test_a_field_chosen_for_two_columns_is_an_error_on_the_mapping_step(engagement: Engagement, lead: User) -> None:
    shape = lga_numbering()
    client = client_for(lead)
    response = client.post(
        "/councils/borsetshire/import/",
        {"engagement": engagement.pk, "file": SimpleUploadedFile(shape.filename, shape.content)},
    )
    sent = as_guessed(response)
    sent["column_4"] = "timescale"  # Lead, as well as Deadline
    response = client.post("/councils/borsetshire/import/columns/", sent)
    assert response.status_code == 400
    assert "Choose ‘Timescale or due date’ for one column only" in response.content.decode()


def test_the_export_layout_goes_straight_to_the_dry_run(engagement: Engagement, lead: User) -> None:
    data = b"Type,Reference,Text\r\nrecommendation,R1,Something.\r\n"
    response = client_for(lead).post(
        "/councils/borsetshire/import/", {"engagement": engagement.pk, "file": SimpleUploadedFile("plan.csv", data)}
    )
    assert "Check the import" in response.content.decode()
    assert "Check what each column holds" not in response.content.decode()


def test_a_workbook_with_several_sheets_asks_which(engagement: Engagement, lead: User) -> None:
    shape = summary_formula()
    client = client_for(lead)
    response = client.post(
        "/councils/borsetshire/import/",
        {"engagement": engagement.pk, "file": SimpleUploadedFile(shape.filename, shape.content)},
    )
    form = response.context["form"]
    assert [choice for choice, _ in form.fields["sheet"].choices] == ["Action plan", "Summary"]
    token = PendingImport.objects.get().token
    response = client.post(
        "/councils/borsetshire/import/columns/", {"token": token, "step": "sheet", "sheet": "Summary"}
    )
    body = response.content.decode()
    assert "The sheet ‘Summary’ has its headings in row 1" in body
    assert PendingImport.objects.get().choices["sheet"] == "Summary"
    response = client.post(
        "/councils/borsetshire/import/columns/", {"token": token, "step": "sheet", "sheet": "Action plan"}
    )
    response = client.post("/councils/borsetshire/import/columns/", as_guessed(response))
    assert response.context["plan"].problems == []
    assert len(response.context["plan"].creates) == 4
