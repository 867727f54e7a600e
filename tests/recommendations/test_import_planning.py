"""Planning and applying an import against the database: match by reference, create and update through the
services, status and RAG as approved updates marked as imported, moved dates with the import's reason,
every problem by row and column, and all or nothing."""

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from recommendations import imports, services, spreadsheet
from recommendations.models import (
    Action,
    Council,
    DueDateChange,
    Engagement,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    User,
)

from ..factories import (
    ActionFactory,
    DirectorateFactory,
    EngagementFactory,
    RecommendationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FILE = "borsetshire-plan.csv"


def csv_bytes(*rows: dict[str, str]) -> bytes:
    """A CSV file with the columns the rows use (a file may leave columns out: they are left as they are)."""
    headers = [header for header in spreadsheet.CSV_HEADERS if any(header in row for row in rows)]
    lines = [",".join(headers)]
    for row in rows:
        lines.append(",".join(_quote(row.get(header, "")) for header in headers))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _quote(value: str) -> str:
    return f'"{value}"' if "," in value else value


def rec(reference: str, **cells: str) -> dict[str, str]:
    return {"Type": "recommendation", "Reference": reference, **{k.replace("_", " "): v for k, v in cells.items()}}


def act(parent: str, reference: str, **cells: str) -> dict[str, str]:
    return {
        "Type": "action",
        "Recommendation reference": parent,
        "Reference": reference,
        **{k.replace("_", " "): v for k, v in cells.items()},
    }


@pytest.fixture
def engagement(council: Council) -> Engagement:
    return EngagementFactory(council=council, title="Corporate Peer Challenge 2019")


def plan_of(engagement: Engagement, *rows: dict[str, str]) -> imports.ImportPlan:
    return imports.plan_upload(engagement=engagement, data=csv_bytes(*rows), filename=FILE)


def apply(engagement: Engagement, lead: User, *rows: dict[str, str]) -> imports.ImportResult:
    return imports.import_apply(engagement=engagement, data=csv_bytes(*rows), filename=FILE, by=lead)


def problems(plan: imports.ImportPlan) -> list[str]:
    return [f"{problem.where}: {problem.message}" for problem in plan.problems]


# --- creating -----------------------------------------------------------------------------------------


def test_new_recommendations_and_actions_are_created_with_their_owner_theme_and_directorate(
    engagement: Engagement, officer: User, lead: User
) -> None:
    ThemeFactory(engagement=engagement, name="Financial planning and management")
    DirectorateFactory(council=engagement.council, name="Resources")
    rows = [
        rec(
            "R1",
            Heading="Budget",
            Text="Refresh the financial strategy.",
            Theme="financial planning and management",
            Lead_directorate="Resources",
            Owner_email="OFFICER@borsetshire.example",
            Due_date="31/03/2026",
            Status="In progress",
            RAG="Amber",
            RAG_reason="Savings not agreed",
        ),
        act(
            "R1",
            "1.1",
            Description="Agree the gap.",
            Owner_email=lead.email,
            Start_date="1 Sep 2025",
            Due_date="December 2025",
            **{"% complete": "40"},
            Status="In progress",
            RAG="G",
        ),
    ]
    plan = plan_of(engagement, *rows)
    assert problems(plan) == []
    assert [(item.label, item.operation) for item in plan.items] == [
        ("Recommendation R1", "create"),
        ("Action 1.1 of recommendation R1", "create"),
    ]
    result = apply(engagement, lead, *rows)
    assert (result.created, result.updated, result.progress_updates) == (2, 0, 2)
    recommendation = Recommendation.objects.get(engagement=engagement, reference="R1")
    assert recommendation.theme.name == "Financial planning and management"
    assert recommendation.lead_directorate.name == "Resources"
    assert recommendation.owner == officer
    assert recommendation.due_date == recommendation.baseline_due_date == dt.date(2026, 3, 31)
    update = recommendation.updates.get()
    assert (update.source, update.review_state, update.status, update.rag, update.rag_reason) == (
        "import",
        "approved",
        Status.IN_PROGRESS,
        Rag.AMBER,
        "Savings not agreed",
    )
    action = recommendation.actions.get()
    assert (action.start_date, action.due_date, action.percent_complete) == (
        dt.date(2025, 9, 1),
        dt.date(2025, 12, 31),
        40,
    )
    assert action.updates.get().source == ProgressUpdate.Source.IMPORT


def test_importing_the_same_file_twice_changes_nothing_the_second_time(engagement: Engagement, lead: User) -> None:
    rows = [rec("R1", Text="Do it.", Status="Complete", RAG="Green"), act("R1", "1.1", Description="A step.")]
    apply(engagement, lead, *rows)
    plan = plan_of(engagement, *rows)
    assert [item.operation for item in plan.items] == ["unchanged", "unchanged"]
    assert not plan.has_changes
    assert Recommendation.objects.filter(engagement=engagement).count() == 1
    assert ProgressUpdate.objects.count() == 1


# --- updating -----------------------------------------------------------------------------------------


@pytest.fixture
def existing(engagement: Engagement, officer: User) -> Recommendation:
    recommendation = RecommendationFactory(engagement=engagement, reference="R1", heading="Old", owner=officer)
    ActionFactory(recommendation=recommendation, reference="1.1", owner=officer)
    ActionFactory(recommendation=recommendation, reference="1.2", owner=officer)
    return recommendation


def test_changes_are_shown_field_by_field_and_written_with_their_history(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    other = existing.actions.get(reference="1.2")  # progress recorded: a changed date is a move from now on
    services.update_record(item=other, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN)
    rows = [
        rec("r1", Heading="New heading", Due_date="30/06/2020", Status="In progress", RAG="Red"),
        act("R1", "1.1", Due_date="2020-01-31"),
    ]
    plan = plan_of(engagement, *rows)
    assert problems(plan) == []
    assert {c.note for item in plan.updates for c in item.changes if c.label == "Due date"} == {
        f"A move, recorded with the reason ‘Imported from {FILE}’"
    }
    changes = {item.label: [(c.label, c.before, c.after) for c in item.changes] for item in plan.updates}
    assert changes == {
        "Recommendation R1": [
            ("Heading", "Old", "New heading"),
            ("Due date", "31 March 2020", "30 June 2020"),
            ("Status", "Not started", "In progress"),
            ("RAG", "Not assessed", "Red"),
        ],
        "Action 1.1 of recommendation R1": [("Due date", "31 December 2019", "31 January 2020")],
    }
    assert plan.not_in_file == ["Action 1.2 of recommendation R1"]
    apply(engagement, lead, *rows)
    existing.refresh_from_db()
    assert existing.heading == "New heading"
    assert (existing.baseline_due_date, existing.due_date) == (dt.date(2020, 3, 31), dt.date(2020, 6, 30))
    move = DueDateChange.objects.get(recommendation=existing)
    assert (move.reason, move.changed_by) == (f"Imported from {FILE}", lead)
    assert DueDateChange.objects.get(action__reference="1.1").reason == f"Imported from {FILE}"
    update = existing.updates.get()
    assert (update.source, update.rag, update.rag_reason, update.narrative) == (
        "import",
        Rag.RED,
        "No reason given (imported)",
        f"Imported from {FILE}",
    )
    assert Action.objects.filter(recommendation=existing).count() == 2  # 1.2 is not in the file: kept


def test_before_any_progress_a_changed_date_corrects_the_baseline_and_the_dry_run_says_so(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    rows = [rec("R1", Due_date="December 2023")]  # the 1 December Excel made of it, corrected
    plan = plan_of(engagement, *rows)
    [change] = [c for c in plan.updates[0].changes if c.label == "Due date"]
    assert (change.before, change.after, change.note) == (
        "31 March 2020",
        "31 December 2023",
        "December 2023 → 31 December 2023. Replaces the first date set: no progress is recorded on the engagement yet",
    )
    assert plan.updates[0].derivation == "December 2023 → 31 December 2023"
    apply(engagement, lead, *rows)
    existing.refresh_from_db()
    assert (existing.baseline_due_date, existing.due_date, existing.timescale) == (
        dt.date(2023, 12, 31),
        dt.date(2023, 12, 31),
        "December 2023",
    )
    assert not DueDateChange.objects.filter(recommendation=existing).exists()
    assert existing.history.first().history_change_reason == f"Imported from {FILE}: first due date corrected by import"
    assert existing.history.all()[1].due_date == dt.date(2020, 3, 31)  # the earlier value, kept in the history


def test_a_column_the_file_does_not_have_and_an_empty_status_leave_the_item_as_it_is(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    services.update_record(item=existing, author=lead, status=Status.IN_PROGRESS, rag=Rag.AMBER, rag_reason="Late")
    data = b"Type,Reference,Status\r\nrecommendation,R1,\r\n"
    plan = imports.plan_upload(engagement=engagement, data=data, filename="p.csv")
    assert problems(plan) == []
    assert [item.operation for item in plan.items] == ["unchanged"]


def test_a_leaver_who_still_owns_an_item_stays_its_owner(
    engagement: Engagement, existing: Recommendation, officer: User
) -> None:
    Membership.objects.filter(user=officer).update(is_active=False)
    plan = plan_of(engagement, rec("R1", Owner_email=officer.email))
    assert problems(plan) == []
    assert plan.items[0].operation == "unchanged"


def test_a_row_of_another_engagement_is_left_alone(engagement: Engagement, lead: User) -> None:
    EngagementFactory(council=engagement.council, title="Culture review")
    plan = plan_of(engagement, rec("R9", Engagement="Culture review", Text="Elsewhere."))
    assert problems(plan) == []
    assert [(item.operation, item.note) for item in plan.items] == [("skip", "It belongs to Culture review")]


# --- problems -----------------------------------------------------------------------------------------


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    rows = [
        rec("R2", Text="", Theme="t" * 201, Lead_directorate="Nowhere"),
        rec("R3", Text="Fine.", Owner_email="someone@", Due_date="31/02/2020"),
        rec("R3", Text="Again."),
        rec("R4", Text="Fine.", Status="Nearly there", RAG="Purple"),
        act("R9", "9.1", Description="Orphan."),
        act("R1", "1.1", Description="A step.", Start_date="1/1/2020", Due_date="1/1/2019"),
        rec("R5", Text="Started.", Status="In progress"),
    ]
    plan = plan_of(engagement, *rows)
    assert problems(plan) == [
        "Row 2, Text: Enter the text of the recommendation",
        "Row 2, Theme: must be 200 characters or fewer: it has 201",
        "Row 3, Owner email: ‘someone@’ is not an e-mail address in the correct format",
        "Row 3, Due date: ‘31/02/2020’ is not a real date",
        "Row 4, Reference: Recommendation R3 is in the file twice (also Row 3)",
        "Row 5, Status: ‘Nearly there’ is not a status. Write one of ‘Not started’, ‘In progress’, ‘Complete’, "
        "‘Closed (business as usual)’",
        "Row 5, RAG: ‘Purple’ is not a RAG rating. Write Green, Amber or Red",
        "Row 6, Recommendation reference: There is no recommendation R9 in Corporate Peer Challenge 2019 or in the "
        "file",
        "Row 7, Due date: The due date must be the same as or after the start date",
    ]
    with pytest.raises(imports.ImportFailed) as caught:
        apply(engagement, lead, *rows)
    assert len(caught.value.messages) == len(plan.problems)
    assert Recommendation.objects.filter(engagement=engagement).count() == 1


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Completed", Status.COMPLETE),
        ("DONE", Status.COMPLETE),
        (" delivered ", Status.COMPLETE),
        ("Ongoing", Status.IN_PROGRESS),
        ("On  track", Status.IN_PROGRESS),
        ("Started", Status.IN_PROGRESS),
        ("Underway", Status.IN_PROGRESS),
        ("Not yet started", Status.NOT_STARTED),
        ("Planned", Status.NOT_STARTED),
        ("Business as usual", Status.CLOSED),
        ("BAU", Status.CLOSED),
    ],
)
def test_statuses_are_read_as_councils_write_them(written: str, status: str) -> None:
    assert spreadsheet.status_from_text(written) == status


def test_words_as_councils_write_them_import_without_inventing_a_rating(engagement: Engagement, lead: User) -> None:
    rows = [
        rec("R1", Text="One.", Status="Ongoing"),  # no RAG: not assessed
        rec("R2", Text="Two.", Status="On track", RAG="A"),  # amber with no reason
        rec("R3", Text="Three.", RAG="Blue"),  # complete, no RAG
        act("R3", "3.1", Description="Done it.", Status="Completed"),  # complete: 100%
        act("R3", "3.2", Description="Half.", Status="Done", RAG="G", **{"%_complete": "50"}),  # the file says
    ]
    plan = plan_of(engagement, *rows)
    assert problems(plan) == []
    assert [(w.where, w.message) for w in plan.warnings] == [
        ("Row 3, RAG reason", "Amber with no reason: recorded as ‘No reason given (imported)’")
    ]
    apply(engagement, lead, *rows)
    positions = {
        update.item.reference: (update.status, update.rag, update.rag_reason, update.percent_complete)
        for update in ProgressUpdate.objects.approved()
    }
    assert positions == {
        "R1": (Status.IN_PROGRESS, "", "", None),
        "R2": (Status.IN_PROGRESS, Rag.AMBER, "No reason given (imported)", None),
        "R3": (Status.COMPLETE, "", "", None),
        "3.1": (Status.COMPLETE, "", "", 100),
        "3.2": (Status.COMPLETE, Rag.GREEN, "", 50),
    }
    assert Action.objects.get(reference="3.1").percent_complete == 100


def test_a_bad_rag_is_named(engagement: Engagement) -> None:
    plan = plan_of(engagement, rec("R1", Text="x", RAG="Purple"))
    assert problems(plan) == ["Row 2, RAG: ‘Purple’ is not a RAG rating. Write Green, Amber or Red"]


def test_ongoing_leaves_the_date_empty_and_keeps_the_words_with_a_warning(engagement: Engagement, lead: User) -> None:
    plan = plan_of(engagement, rec("R1", Text="x", Due_date="Ongoing"))
    assert problems(plan) == []
    assert [(w.where, w.message) for w in plan.warnings] == [
        ("Row 2, Due date", "‘Ongoing’ names no date: no due date, the words are kept")
    ]
    assert plan.items[0].fields["due_date"] is None
    assert plan.items[0].fields["timescale"] == "Ongoing"


# --- all or nothing -----------------------------------------------------------------------------------


def test_a_write_refused_half_way_leaves_nothing_written(engagement: Engagement, lead: User) -> None:
    rows = [
        rec("R1", Text="One.", Status="Complete", RAG="Green"),
        rec("R2", Text="Two.", Status="Complete", RAG="Green"),
    ]
    # The recommendations are written first; the database then refuses their approved updates.
    refused = IntegrityError("duplicate key value violates unique constraint")
    with (
        mock.patch.object(ProgressUpdate.objects, "bulk_create", side_effect=refused),
        pytest.raises(imports.ImportFailed, match="Nothing was imported: the database refused the changes"),
    ):
        apply(engagement, lead, *rows)
    assert not Recommendation.objects.filter(engagement=engagement).exists()
    assert not Recommendation.history.filter(engagement_id=engagement.pk).exists()
    assert not ProgressUpdate.objects.exists()


def test_a_write_the_database_refuses_imports_nothing_and_says_so(engagement: Engagement, lead: User) -> None:
    rows = [rec("R1", Text="One."), rec("R2", Text="Two.")]
    real = imports.applying.plan_import

    def r2_appears_past_every_check(**kwargs: object) -> imports.ImportPlan:
        plan = real(**kwargs)
        RecommendationFactory(engagement=engagement, reference="R2")  # after the plan, past the locks
        return plan

    with (
        mock.patch("recommendations.imports.applying.plan_import", side_effect=r2_appears_past_every_check),
        pytest.raises(imports.ImportFailed) as caught,
    ):
        apply(engagement, lead, *rows)
    assert caught.value.messages == [
        "Nothing was imported: the database refused the changes. Check the file again, and if the problem "
        "stays, send the file to your administrator"
    ]
    assert not Recommendation.objects.filter(engagement=engagement, reference="R1").exists()


def test_new_actions_go_after_those_already_under_their_recommendation(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    Action.objects.filter(recommendation=existing, reference="1.2").update(position=7)
    apply(engagement, lead, act("R1", "1.3", Description="Third."), act("R1", "1.4", Description="Fourth."))
    assert list(existing.actions.order_by("position").values_list("reference", "position"))[-2:] == [
        ("1.3", 8),
        ("1.4", 9),
    ]


def test_an_action_whose_percentage_is_unchanged_is_not_rewritten(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    action = existing.actions.get(reference="1.1")
    apply(
        engagement,
        lead,
        act("R1", "1.1", Status="In progress", RAG="Green", **{"% complete": str(action.percent_complete)}),
    )
    action.refresh_from_db()
    assert action.version == 1 and action.history.count() == 1  # only its position moved: an approved update
    assert action.updates.get().source == ProgressUpdate.Source.IMPORT


def test_the_history_says_who_imported_what_from_which_file_and_when(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    at = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    imports.import_apply(
        engagement=engagement,
        data=csv_bytes(rec("R1", Heading="Renamed", Text="Renamed."), rec("R2", Text="New.")),
        filename=FILE,
        by=lead,
        at=at,
    )
    changed, created = (
        Recommendation.history.filter(reference=reference).latest("history_id") for reference in ("R1", "R2")
    )
    assert (changed.history_type, changed.heading, changed.history_user, changed.history_date) == (
        "~",
        "Renamed",
        lead,
        at,
    )
    assert (created.history_type, created.history_user, created.history_date) == ("+", lead, at)
    assert changed.history_change_reason == created.history_change_reason == f"Imported from {FILE}"


def test_an_edit_form_opened_before_the_import_is_refused(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    opened_at_version = existing.version
    apply(engagement, lead, rec("R1", Heading="Imported heading"))
    with pytest.raises(services.StaleEdit):
        services.recommendation_update(
            recommendation=existing, by=lead, expected_version=opened_at_version, heading="Typed in the form"
        )
    existing.refresh_from_db()
    assert existing.heading == "Imported heading"


def _plan_of_size(recommendations: int) -> list[dict[str, str]]:
    rows = []
    for number in range(1, recommendations + 1):
        rows.append(rec(f"R{number}", Text=f"Do {number}.", Due_date="31/03/2026", Status="In progress", RAG="Green"))
        rows += [
            act(
                f"R{number}",
                f"{number}.{step}",
                Description="A step.",
                Due_date="31/01/2026",
                Status="Complete",
                RAG="Green",
            )
            for step in (1, 2)
        ]
    return rows


@pytest.mark.parametrize("edited", [False, True], ids=["new rows", "changed rows"])
def test_an_import_writes_in_the_same_number_of_statements_whatever_the_number_of_rows(
    engagement: Engagement, lead: User, edited: bool
) -> None:
    def queries(size: int) -> int:
        target = EngagementFactory(council=engagement.council, title=f"Challenge of {size}")
        rows = _plan_of_size(size)
        if edited:
            apply(target, lead, *rows)
            rows = [{**row, "Due date": "30/04/2026", "Status": "Complete", "RAG": "Amber"} for row in rows]
        with CaptureQueriesContext(connection) as context:
            result = apply(target, lead, *rows)
        assert (result.updated if edited else result.created) == 3 * size
        return len(context)

    # Rows are written in batches (imports.applying.BATCH, fewer where SQLite limits a statement's parameters):
    # both sizes fit in one, so the count is the same; a file at the row limit takes a few more statements.
    assert queries(2) == queries(12)


def test_a_plan_that_changed_since_the_dry_run_is_not_applied(
    engagement: Engagement, existing: Recommendation, lead: User
) -> None:
    rows = [rec("R1", Heading="New heading")]
    digest = plan_of(engagement, *rows).digest()
    Recommendation.objects.filter(pk=existing.pk).update(heading="Someone else's")
    with pytest.raises(imports.PlanChanged) as caught:
        imports.import_apply(
            engagement=engagement, data=csv_bytes(*rows), filename=FILE, by=lead, expected_digest=digest
        )
    assert caught.value.plan.updates[0].changes[0].before == "Someone else's"
    existing.refresh_from_db()
    assert existing.heading == "Someone else's"


def test_only_a_lead_can_apply_an_import(engagement: Engagement, officer: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        apply(engagement, officer, rec("R1", Text="x"))


def test_missing_themes_and_directorates_are_created_and_unknown_owners_invited_on_confirmation(
    engagement: Engagement, lead: User, officer: User
) -> None:
    rows = [
        rec("R1", Text="One.", Theme="Place leadership", Lead_directorate="Resources", Owner_email="new.person@x.gov"),
        rec("R2", Text="Two.", Theme="place  LEADERSHIP", Owner_email="Head of Corporate Services"),
        act("R1", "1.1", Description="Step.", Owner_email="new.person@x.gov"),
    ]
    plan = plan_of(engagement, *rows)
    assert problems(plan) == []
    assert (plan.new_themes, plan.new_directorates, list(plan.invitations)) == (
        ["Place leadership"],
        ["Resources"],
        ["new.person@x.gov"],
    )
    assert any("‘new.person@x.gov’ (2 items)" in w.message for w in plan.warnings)
    imports.import_apply(engagement=engagement, data=csv_bytes(*rows), filename=FILE, by=lead, invite=True)
    r1, r2 = Recommendation.objects.order_by("reference")
    assert r1.theme == r2.theme and r1.theme.name == "Place leadership"
    assert r1.lead_directorate.name == "Resources"
    invited = User.objects.get(email="new.person@x.gov")
    assert (invited.first_name, invited.last_name) == ("New", "Person")
    assert Membership.objects.get(user=invited).role == Membership.Role.OFFICER
    assert (r1.owner, r1.owner_name) == (invited, "")
    assert Action.objects.get(reference="1.1").owner == invited
    assert (r2.owner, r2.owner_name) == (None, "Head of Corporate Services")


def test_an_unknown_owner_not_invited_is_kept_as_written(engagement: Engagement, lead: User) -> None:
    rows = [rec("R1", Text="One.", Owner_email="new.person@x.gov")]
    apply(engagement, lead, *rows)
    recommendation = Recommendation.objects.get()
    assert (recommendation.owner, recommendation.owner_name) == (None, "new.person@x.gov")
    assert not User.objects.filter(email="new.person@x.gov").exists()


def test_a_missing_reference_hides_none_of_the_rows_other_problems(engagement: Engagement) -> None:
    plan = plan_of(
        engagement,
        rec("", Text="", Due_date="31/02/2024", RAG="Purple"),
        act("", "", Description="x", Due_date="30/02/2024"),
    )
    assert problems(plan) == [
        "Row 2, Reference: Enter the reference of the recommendation",
        "Row 2, Text: Enter the text of the recommendation",
        "Row 2, Due date: ‘31/02/2024’ is not a real date",
        "Row 2, RAG: ‘Purple’ is not a RAG rating. Write Green, Amber or Red",
        "Row 3, Recommendation reference: Enter the reference of the recommendation it belongs to",
        "Row 3, Reference: Enter the reference of the action",
        "Row 3, Due date: ‘30/02/2024’ is not a real date",
    ]
