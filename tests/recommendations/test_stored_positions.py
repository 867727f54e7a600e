"""The stored position (docs/adr/010-stored-positions.md): each item keeps today's status, RAG and the approved
update they come from, written only by `services.positions_refresh` in the transaction of the write, and
`manage.py check_positions` finds no drift after any kind of write; on PostgreSQL a trigger refuses a
hand-written mismatch."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from recommendations import imports, selectors, services
from recommendations.models import Action, Council, ProgressUpdate, Rag, Recommendation, Status, User

from ..factories import ActionFactory, EngagementFactory, MembershipFactory, RecommendationFactory, UserFactory, at
from .test_import_planning import act, csv_bytes, rec

pytestmark = pytest.mark.django_db


def check_positions() -> tuple[int, str]:
    """(exit status, output) of `manage.py check_positions`."""
    out, err = StringIO(), StringIO()
    try:
        call_command("check_positions", stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def assert_no_drift() -> None:
    status, output = check_positions()
    assert status == 0, output
    assert "No drift" in output


def submitted(item: Recommendation | Action, author: User, day: int, **fields: Any) -> ProgressUpdate:
    update = services.update_create(
        item=item,
        author=author,
        status=fields.pop("status", Status.IN_PROGRESS),
        rag=fields.pop("rag", Rag.GREEN),
        rag_reason=fields.pop("rag_reason", ""),
        at=at(2020, 1, day),
        **fields,
    )
    return services.update_submit(update=update, at=at(2020, 1, day), notify=False)


def stored(item: Recommendation | Action) -> tuple[str, str, int | None]:
    item.refresh_from_db()
    return item.status, item.rag, item.position_update_id


def test_a_new_item_is_not_started_and_not_assessed(council: Council) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council))
    assert stored(recommendation) == (Status.NOT_STARTED, "", None)
    assert_no_drift()


def test_every_kind_of_write_leaves_no_drift(council: Council, lead: User, officer: User) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council), owner=officer)
    action = ActionFactory(recommendation=recommendation, owner=officer)

    # An approval, with the lead's assurance RAG: the item takes the update's status and the lead's RAG.
    first = submitted(recommendation, officer, 2)
    services.update_approve(
        update=first,
        reviewer=lead,
        assurance_rag=Rag.AMBER,
        assurance_reason="Not yet",
        at=at(2020, 1, 3),
        notify=False,
    )
    assert stored(recommendation) == (Status.IN_PROGRESS, Rag.AMBER, first.pk)
    assert_no_drift()

    # A return changes nothing.
    returned = submitted(action, officer, 4, percent_complete=30)
    services.update_return(update=returned, reviewer=lead, comment="Add the evidence", at=at(2020, 1, 5), notify=False)
    assert stored(action) == (Status.NOT_STARTED, "", None)
    assert_no_drift()

    # A lead's direct change, on the action with its % complete.
    direct = services.update_record(
        item=action,
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.RED,
        rag_reason="Late",
        percent_complete=40,
        at=at(2020, 1, 6),
    )
    assert stored(action) == (Status.IN_PROGRESS, Rag.RED, direct.pk)
    assert action.percent_complete == 40
    assert_no_drift()

    # An update submitted before the direct change but approved after it joins the history and moves nothing.
    services.update_delete(update=returned, by=officer)
    late = submitted(action, officer, 5, status=Status.COMPLETE, percent_complete=100)
    ProgressUpdate.objects.filter(pk=late.pk).update(submitted_at=at(2020, 1, 5, 9))
    late.refresh_from_db()
    services.update_approve(update=late, reviewer=lead, at=at(2020, 1, 7), notify=False)
    assert stored(action) == (Status.IN_PROGRESS, Rag.RED, direct.pk)
    assert_no_drift()

    # A superseded update (migration 0009's state) never counts either.
    waiting = submitted(recommendation, officer, 8, status=Status.COMPLETE)
    ProgressUpdate.objects.filter(pk=waiting.pk).update(review_state="superseded", review_comment="Replaced")
    assert stored(recommendation) == (Status.IN_PROGRESS, Rag.AMBER, first.pk)
    assert_no_drift()

    # Today's pages read the stored position; a past date reads the history.
    today = selectors.with_position(Action.objects.filter(pk=action.pk)).get()
    assert (today.position_status, today.position_rag) == (Status.IN_PROGRESS, Rag.RED)
    before = selectors.with_position(Action.objects.filter(pk=action.pk), as_at=at(2020, 1, 5).date()).get()
    assert (before.position_status, before.position_rag) == (Status.NOT_STARTED, "")


def test_an_import_of_new_then_changed_rows_leaves_no_drift(council: Council, lead: User) -> None:
    """Both kinds of change an import makes at once: the positions of many items set in one statement per
    table, and items whose first due date the file corrects written apart from those whose date it moves."""
    engagement = EngagementFactory(council=council)

    def plan(status: str, rag: str, due: str, percent: str) -> bytes:
        rows = []
        for number in range(1, 4):
            rows.append(rec(f"R{number}", Text=f"Priority {number}", Due_date=due, Status=status, RAG=rag))
            for step in (1, 2):
                rows.append(
                    act(f"R{number}", f"{number}.{step}", Description=f"Step {step}", Due_date=due)
                    | {"Status": status, "RAG": rag, "% complete": percent}
                )
        return csv_bytes(*rows)

    imports.import_apply(
        engagement=engagement, data=plan("Not started", "", "31/03/2026", "0"), filename="a.csv", by=lead
    )
    assert_no_drift()
    imports.import_apply(
        engagement=engagement, data=plan("Complete", "Amber", "30/04/2026", "100"), filename="b.csv", by=lead
    )
    assert_no_drift()
    items = [
        *Recommendation.objects.filter(engagement=engagement),
        *Action.objects.filter(recommendation__engagement=engagement),
    ]
    assert len(items) == 9
    assert {(item.status, item.rag) for item in items} == {(Status.COMPLETE, Rag.AMBER)}
    assert {str(item.due_date) for item in items} == {"2026-04-30"}
    corrected = "Imported from b.csv: first due date corrected by import"
    assert {item.history.first().history_change_reason for item in items} == {corrected}

    # Once progress is recorded, a changed date is a move, written with the import's own reason.
    services.update_record(item=items[0], author=lead, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2026, 5, 1))
    imports.import_apply(
        engagement=engagement, data=plan("Complete", "Red", "31/05/2026", "100"), filename="c.csv", by=lead
    )
    assert_no_drift()
    for item in items:
        item.refresh_from_db()
    assert {(item.rag, str(item.due_date), str(item.baseline_due_date)) for item in items} == {
        (Rag.RED, "2026-05-31", "2026-04-30")
    }
    assert {item.history.first().history_change_reason for item in items} == {"Imported from c.csv"}


def test_a_copy_loaded_before_an_approval_cannot_put_the_old_position_back(
    council: Council, lead: User, officer: User
) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council), owner=officer)
    stale = Recommendation.objects.get(pk=recommendation.pk)
    update = submitted(recommendation, officer, 2, status=Status.COMPLETE)
    services.update_approve(update=update, reviewer=lead, at=at(2020, 1, 3), notify=False)
    stale.heading = "Edited in the admin from an old copy"
    stale.save()
    assert stored(recommendation) == (Status.COMPLETE, Rag.GREEN, update.pk)
    assert_no_drift()


def test_an_approved_update_written_without_the_service_is_drift(council: Council, lead: User) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council), reference="R1")
    moment = at(2020, 2, 1)
    ProgressUpdate.objects.create(
        recommendation=recommendation,
        author=lead,
        status=Status.COMPLETE,
        rag=Rag.GREEN,
        review_state="approved",
        reviewer=lead,
        created_at=moment,
        submitted_at=moment,
        reviewed_at=moment,
        approved_at=moment,
    )
    status, output = check_positions()
    assert status == 1
    assert f"recommendation {recommendation.pk} (R1): status is 'not_started', the rule gives 'complete'" in output
    assert "Drift: 3 stored values differ" in output

    services.positions_refresh(model=Recommendation, ids=[recommendation.pk])
    assert_no_drift()


def test_after_importing_5000_rows_and_changing_them_all_there_is_no_drift(council: Council) -> None:
    from bench.import_plan import plan_csv

    lead = UserFactory(email=f"lead@{council.slug}.bench.example")
    MembershipFactory(council=council, user=lead, role="lead")
    engagement = EngagementFactory(council=council)
    for edited in (False, True):
        result = imports.import_apply(
            engagement=engagement, data=plan_csv(slug=council.slug, edited=edited), filename="plan.csv", by=lead
        )
        assert result.progress_updates == 5000
    assert Action.objects.filter(recommendation__engagement=engagement, status=Status.COMPLETE).count() == 4000
    assert Recommendation.objects.filter(engagement=engagement, rag=Rag.AMBER).count() == 1000
    assert_no_drift()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; check_positions is SQLite's check"
)
def test_the_database_refuses_a_hand_written_mismatch(council: Council, lead: User, officer: User) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council), owner=officer)
    other = RecommendationFactory(engagement=recommendation.engagement, owner=officer)
    update = submitted(recommendation, officer, 2, status=Status.IN_PROGRESS, rag=Rag.GREEN)
    services.update_approve(update=update, reviewer=lead, at=at(2020, 1, 3), notify=False)
    later = services.update_record(
        item=recommendation, author=lead, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2020, 1, 4)
    )
    mismatches = [
        (recommendation, {"status": Status.CLOSED}),  # not the update's status
        (recommendation, {"rag": Rag.RED}),  # not its RAG
        (recommendation, {"position_update": update, "status": Status.IN_PROGRESS}),  # a later update sets it
        (other, {"position_update": later, "status": Status.COMPLETE, "rag": Rag.GREEN}),  # another item's
        (recommendation, {"position_update": None, "status": Status.NOT_STARTED, "rag": ""}),  # has updates
        (other, {"status": Status.COMPLETE}),  # no update named, yet not "not started"
    ]
    for item, fields in mismatches:
        with pytest.raises(IntegrityError, match="position"), transaction.atomic():
            type(item).objects.filter(pk=item.pk).update(**fields)
    assert stored(recommendation) == (Status.COMPLETE, Rag.GREEN, later.pk)
    assert_no_drift()
