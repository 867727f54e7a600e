"""Presenters that shape what an item's page shows."""

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from recommendations.models import Council, Item, ProgressUpdate, Recommendation, User
from recommendations.presenters import (
    HISTORY_FIELDS,
    HistoryEntry,
    action_rows,
    change_history,
    evidence_items_html,
    history_html,
    item_summary_rows,
    mark_late_approvals,
)

from ..factories import (
    ActionFactory,
    DirectorateFactory,
    EngagementFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    at,
)

APPROVED, WAITING = ProgressUpdate.ReviewState.APPROVED, ProgressUpdate.ReviewState.SUBMITTED
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def update(pk: int, submitted_day: int | None, approved_day: int | None, state: str = APPROVED) -> ProgressUpdate:
    return ProgressUpdate(
        pk=pk,
        review_state=state,
        submitted_at=START + dt.timedelta(days=submitted_day) if submitted_day is not None else None,
        approved_at=START + dt.timedelta(days=approved_day) if approved_day is not None else None,
    )


def late_by_pairs(updates: list[ProgressUpdate]) -> set[int]:
    """The rule as written: an approved update is late where another approved one comes after it by the
    ordering rule and was approved before it."""
    approved = [u for u in updates if u.review_state == APPROVED]
    return {
        u.pk
        for u in approved
        if any(o.position_key > u.position_key and o.approved_at < u.approved_at for o in approved)
    }


def test_an_update_approved_after_a_later_one_is_marked() -> None:
    early, later = update(1, 1, 10), update(2, 5, 6)  # submitted first, signed off after the later one
    waiting = update(3, 7, None, WAITING)
    marked = mark_late_approvals([later, early, waiting])
    assert [u.approved_after_later_change for u in marked] == [False, True, False]


def test_the_marks_match_the_rule_on_many_shapes() -> None:
    chooser = random.Random(19)
    for _ in range(200):
        updates = []
        for pk in range(1, chooser.randint(1, 12)):
            submitted = chooser.choice([None, chooser.randint(0, 30)])
            state = chooser.choice([APPROVED, APPROVED, WAITING])
            approved = chooser.randint(0, 30) if state == APPROVED else None
            if submitted is None and approved is None:
                submitted = chooser.randint(0, 30)
            updates.append(update(pk, submitted, approved, state))
        expected = late_by_pairs(updates)
        assert {u.pk for u in mark_late_approvals(updates) if u.approved_after_later_change} == expected


def history_as_written(item: Item, before: dt.datetime | None = None) -> list[tuple[str, list[str]]]:
    """The history's rule as written, over its records as models: each record's changes against the one before
    (at the first, every value set), who and when, newest first."""
    model = type(item)
    records = list(item.history.order_by("history_date", "history_id"))
    if before is not None:
        records = [record for record in records if record.history_date < before]
    zone = timezone.get_current_timezone()

    def show(record: object, name: str) -> str:
        field = model._meta.get_field(name)
        if field.is_relation:
            if getattr(record, f"{name}_id") is None:
                return "none"
            try:
                return str(getattr(record, name))
            except field.related_model.DoesNotExist:
                return "someone or something since removed"
        value = getattr(record, field.attname)
        if value is None or value == "":
            return "none"
        if isinstance(value, dt.date):
            return date_format(value, "j F Y")
        return str(dict(field.choices or []).get(value, value))

    entries, previous = [], None
    for record in records:
        changes = []
        for name in HISTORY_FIELDS[model]:
            attname = model._meta.get_field(name).attname
            label = str(model._meta.get_field(name).verbose_name)
            label = label[0].upper() + label[1:]
            if previous is None:
                if getattr(record, attname) not in (None, ""):
                    changes.append(f"{label}: {show(record, name)}")
            elif getattr(previous, attname) != getattr(record, attname):
                changes.append(f"{label}: {show(previous, name)} → {show(record, name)}")
        if changes or previous is None:
            when = record.history_date.astimezone(zone)
            who = str(record.history_user) if record.history_user_id else "The system"
            heading = f"{'Created' if previous is None else 'Changed'} {date_format(when, 'j F Y')}, {when:%H:%M}"
            entries.append((f"{heading} by {who}", changes))
        previous = record
    return entries[::-1]


def changed(item: Item, when: dt.datetime, by: User | None, **values: object) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    item._history_date, item._history_user = when, by
    item.save()


@pytest.mark.django_db
def test_the_change_history_lists_every_change_as_the_records_say(council: Council, lead: User) -> None:
    """change_history reads the history's values (not its records as models): it says what the records say, field
    by field, with who and when, a removed theme or person as removed, a change no one made as the system's, and
    as at a moment only the records before it."""
    engagement = EngagementFactory(council=council)
    theme, directorate = (
        ThemeFactory(engagement=engagement, name="Place & <people>"),
        DirectorateFactory(council=council),
    )
    leaver = UserFactory(first_name="", last_name="", email="leaver@borsetshire.example")
    recommendation = RecommendationFactory(engagement=engagement, heading="First", lead_member="")
    changed(recommendation, at(2020, 2, 3, 9), lead, theme=theme, lead_directorate=directorate, owner=leaver)
    changed(recommendation, at(2020, 5, 1), None, kind="suggestion", due_date=dt.date(2020, 9, 30))
    changed(recommendation, at(2020, 6, 1), lead, owner=lead, heading="Second", lead_member="Cllr Jones")
    changed(recommendation, at(2020, 7, 1), lead, theme=None, lead_directorate=None)
    changed(recommendation, at(2020, 7, 2), lead, version=9)  # nothing the history lists
    action = ActionFactory(recommendation=recommendation, owner=lead)
    changed(action, at(2020, 3, 1), lead, percent_complete=40, start_date=None, owner=leaver)
    changed(action, at(2020, 4, 1), leaver, percent_complete=80, description="Agree it")
    removed = Recommendation.history.filter(id=recommendation.pk, theme_id=theme.pk)
    removed.update(theme_id=theme.pk + 1000)  # a theme since removed
    User.objects.filter(pk=leaver.pk).update(email="left@borsetshire.example")

    for item in (recommendation, action):
        for before in (None, at(2020, 1, 1), at(2020, 5, 1), at(2020, 6, 15), at(2030, 1, 1)):
            entries = change_history(item, before=before)
            assert [(entry.heading, entry.changes) for entry in entries] == history_as_written(item, before)
    entries = change_history(recommendation)
    assert len(entries) == 5 and entries[-1].heading.startswith("Created 1 April 2019")
    assert entries[3].heading == "Changed 3 February 2020, 09:00 by " + str(lead)
    assert "Theme: none → someone or something since removed" in entries[3].changes
    assert "Owner: none → left@borsetshire.example" in entries[3].changes
    assert entries[2].heading.endswith("by The system") and "Kind: Recommendation → Suggestion" in entries[2].changes
    assert "Due date: 31 March 2020 → 30 September 2020" in entries[2].changes
    assert [(entry.heading, entry.changes) for entry in change_history(action)][0] == (
        "Changed 1 April 2020, 12:00 by left@borsetshire.example",
        ["Description: Agree a corporate plan with three priorities. → Agree it", "Percent complete: 40 → 80"],
    )
    assert change_history(recommendation, before=at(2020, 1, 1))[0].heading.startswith("Created")


def an_action(pk: int, **values: object) -> SimpleNamespace:
    action = {
        "pk": pk,
        "reference": f"1.{pk}",
        "description": "Agree a corporate plan with three priorities.",
        "position_owner_name": "Jo Lead",
        "owner_name": "",
        "position_status": "in_progress",
        "position_rag": "amber",
        "position_due_date": dt.date(2021, 3, 31),
        "timescale": "",
        "is_overdue": False,
        "is_overdue_green": False,
        "is_stale": False,
        "last_approved_at": None,
    }
    return SimpleNamespace(**{**action, **values})


ACTIONS = [
    an_action(1),
    an_action(
        2,
        reference="R&D <2>",
        description="Review the <plan> & " + " ".join(f"word{n}" for n in range(20)),
        position_owner_name=None,
        owner_name="Head of Corporate Services",
        position_status="",
        position_rag="",
        position_due_date=None,
        timescale="July 2023 & ongoing",
    ),
    an_action(
        3,
        position_owner_name="",
        owner_name="",
        is_overdue=True,
        is_overdue_green=True,
        position_rag="green",
        position_due_date=dt.date(2019, 1, 1),
    ),
    an_action(4, is_stale=True, last_approved_at=dt.datetime(2020, 5, 1, 23, 30, tzinfo=dt.UTC), position_status="x"),
    an_action(5, is_stale=True, position_due_date=dt.date(2019, 12, 1), is_overdue=True, timescale="Q3"),
]


@pytest.mark.parametrize("can_change", [True, False])
@pytest.mark.parametrize("as_at", [None, dt.date(2020, 6, 30)])
def test_the_action_rows_are_drawn_as_the_actions_table_draws_them(can_change: bool, as_at: dt.date | None) -> None:
    """action_rows draws the actions table's body rows in Python: the same markup as the template's loop, with
    escaping, truncation, the owner's fallbacks, status, RAG, overdue and attention tags, timescales, Change links
    and the as-at date in the links."""
    query = f"?as_at={as_at.isoformat()}" if as_at else ""
    context = {
        "actions": ACTIONS,
        "recommendation": SimpleNamespace(reference="R1"),
        "council": SimpleNamespace(slug="borsetshire"),
        "can_change": can_change,
        "caption_size": "hidden",
        "as_at": as_at,
        "as_at_query": query,
    }
    rows = action_rows(ACTIONS, council_slug="borsetshire", as_at=as_at, as_at_query=query, can_change=can_change)
    drawn = render_to_string("recommendations/includes/actions_table.html", {**context, "rows": rows})
    by_template = render_to_string("recommendations/includes/actions_table.html", context)
    assert drawn == by_template
    assert rows in drawn and "R&amp;D &lt;2&gt;" in rows and "word11 …" in rows and "Not assigned" in rows
    assert ("/actions/5/edit/" in rows) == can_change and ("Not set" in rows) and "No update since" in rows


PIECES = [
    SimpleNamespace(
        pk=1,
        kind="document",
        title="Budget <2024> & plan",
        original_filename="budget & plan.pdf",
        size=123456,
        url="",
        reference="",
        internal=False,
    ),
    SimpleNamespace(
        pk=2,
        kind="document",
        title="Empty",
        original_filename="e.txt",
        size=0,
        url="",
        reference="Cabinet",
        internal=True,
    ),
    SimpleNamespace(
        pk=3,
        kind="link",
        title="Report",
        original_filename="",
        size=None,
        url="https://example.gov.uk/a?b=1&c=<2>",
        reference="",
        internal=True,
    ),
    SimpleNamespace(
        pk=4,
        kind="assessment",
        title="Ofsted letter",
        original_filename="",
        size=None,
        url="",
        reference="Ofsted, 3 May 2022 & after",
        internal=False,
    ),
]


@pytest.mark.parametrize("pieces", [PIECES, PIECES[:1], PIECES[3:], []])
def test_the_evidence_is_drawn_as_its_template_draws_it(pieces: list[SimpleNamespace]) -> None:
    """evidence_items_html draws recommendations/includes/evidence_items.html in Python: a document's download link,
    file name and size, a link, an assessment's reference, the Internal tag, each value escaped."""
    drawn = evidence_items_html(pieces, council_slug="borsetshire")
    by_template = render_to_string(
        "recommendations/includes/evidence_items.html",
        {"evidence": pieces, "council": SimpleNamespace(slug="borsetshire")},
    )
    assert drawn == by_template
    if pieces == PIECES:
        assert "/councils/borsetshire/evidence/1/download/" in drawn and "120.6\xa0KB" in drawn
        assert "Budget &lt;2024&gt; &amp; plan" in drawn and "c=&lt;2&gt;" in drawn and "– Cabinet" in drawn


ENTRIES = [
    HistoryEntry("Changed 1 April 2020, 12:00 by Jo <Lead> & co", ["Heading: A & B → <C>", "Due date: none → 1 May"]),
    HistoryEntry("Changed 2 April 2020, 12:00 by The system", []),
    HistoryEntry("Created 1 April 2019, 12:00 by Sam", ["Reference: R1"]),
]


@pytest.mark.parametrize("entries", [ENTRIES, ENTRIES[1:2], []])
def test_the_history_is_drawn_as_its_template_draws_it(entries: list[HistoryEntry]) -> None:
    """history_html draws the entries of recommendations/includes/history.html in Python, as its loop does, each
    heading and change escaped."""
    template = "recommendations/includes/history.html"
    drawn = render_to_string(template, {"history": entries, "history_html": history_html(entries)})
    assert drawn == render_to_string(template, {"history": entries})
    assert f"Every change to this record ({len(entries)})" in drawn
    if entries == ENTRIES:
        assert "<li>Heading: A &amp; B → &lt;C&gt;</li>" in drawn and "Jo &lt;Lead&gt; &amp; co" in drawn


def an_item(**values: object) -> SimpleNamespace:
    item = {
        "is_overdue": False,
        "is_overdue_green": False,
        "is_stale": False,
        "last_approved_at": None,
        "position_status": "in_progress",
        "position_rag": "green",
        "position_theme_name": "",
        "position_owner_name": "Jo Lead",
        "owner_name": "",
        "position_lead_directorate_name": "",
        "position_due_date": dt.date(2021, 3, 31),
        "baseline_due_date": dt.date(2021, 3, 31),
        "created_at": dt.datetime(2019, 4, 1, 12, tzinfo=dt.UTC),
    }
    return SimpleNamespace(**{**item, **values})


def a_move(day: int, **values: object) -> SimpleNamespace:
    move = {
        "changed_at": dt.datetime(2020, 6, day, 23, 30, tzinfo=dt.UTC),  # the next day in London
        "previous_due_date": dt.date(2021, 3, 31),
        "new_due_date": dt.date(2021, 9, 30),
        "changed_by": "Jo <Lead>",
        "reason": "Waiting for\r\nCabinet & <Council>",
    }
    return SimpleNamespace(**{**move, **values})


ITEMS = [
    an_item(),  # an action-less shape: a recommendation's fields absent are simply not shown
    an_item(
        is_overdue=True,
        is_overdue_green=True,
        is_stale=True,
        position_due_date=dt.date(2020, 1, 31),
        position_theme_name="Place & <people>",
        position_owner_name=None,
        owner_name="Head of <Services>",
        position_lead_directorate_name="Resources & Co",
        lead_member="Cllr <Jones>",
        closure_basis="Business as usual & more",
        timescale="July 2023 & ongoing",
        position_status="",
        position_rag="",
    ),
    an_item(
        is_stale=True,
        last_approved_at=dt.datetime(2020, 5, 31, 23, 30, tzinfo=dt.UTC),
        position_owner_name="",
        position_due_date=None,
        start_date=dt.date(2019, 4, 1),
        position_percent_complete=0,
        lead_member="",
        closure_basis="",
        timescale="",
    ),
    an_item(
        is_overdue_green=True, is_overdue=True, position_due_date=dt.date(2019, 1, 1), position_percent_complete=55
    ),
]


@pytest.mark.parametrize(
    "moves", [[], [a_move(1), a_move(2, previous_due_date=None, new_due_date=None, changed_by=None)]]
)
@pytest.mark.parametrize("as_at", [None, dt.date(2020, 6, 30)])
@pytest.mark.parametrize("item", ITEMS, ids=range(len(ITEMS)))
def test_the_item_summary_is_drawn_as_its_template_draws_it(
    item: SimpleNamespace, as_at: dt.date | None, moves: list
) -> None:
    """item_summary_rows draws the rows of recommendations/includes/item_summary.html in Python: what needs
    attention, status, RAG, theme, owner with its fallbacks, directorate, lead member, start date, the due date
    with its tags, timescale, first date and moves, % complete and closure, each value escaped."""
    council = SimpleNamespace(update_interval_months=3)
    context = {
        "item": item,
        "council": council,
        "as_at": as_at,
        "date_moves": moves,
        "request": SimpleNamespace(path="/"),
    }
    rows = item_summary_rows(item, council=council, as_at=as_at, date_moves=moves)
    template = "recommendations/includes/item_summary.html"
    drawn = render_to_string(template, {**context, "summary_rows": rows})
    assert drawn == render_to_string(template, context)
    assert "govuk-summary-list__row" in rows
