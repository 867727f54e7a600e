"""Every value as at a date (DESIGN.md §2 "As at a date D"), on every view.

One recommendation (R1) and its action (1.1) change every tracked value over 2020: status, RAG, due date,
% complete, owner, theme and lead directorate, each at an explicit moment; a second recommendation (R2)
gains a lead directorate. Each view is read at several dates and compared with the values written out
below by hand: before anything existed, on the day it was made, between changes, either side of a change
made at 23:30 on 1 June (still that day in London) and one made at 00:30 on 2 June (the 1st in UTC, the
2nd in London), and today.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils.formats import date_format
from openpyxl import load_workbook

from recommendations import selectors, services
from recommendations.models import Action, Council, Directorate, Membership, Rag, Recommendation, Status, Theme, User
from recommendations.vocabulary import overdue_words
from reports.content import report_content
from reports.services import reports as report_services

from ..conftest import client_for, personas_create
from ..factories import (
    DirectorateFactory,
    EngagementFactory,
    MembershipFactory,
    PanelSessionFactory,
    ThemeFactory,
    UserFactory,
    at,
)
from ..shared_data import rolled_back_after_the_module

pytestmark = pytest.mark.django_db

SLUG = "borsetshire"
ALEX, BO = "alex@borsetshire.example", "bo@borsetshire.example"
LATE_EVENING = at(2020, 6, 1, 23) + dt.timedelta(minutes=30)  # 22:30 UTC: 1 June everywhere
JUST_AFTER_MIDNIGHT = at(2020, 6, 2, 0) + dt.timedelta(minutes=30)  # 23:30 UTC on 1 June; 2 June in London

# --- what each date shows, worked out by hand from the story in `story` below ---------------------------
# "today" is the date the test runs.

# Action 1.1: status, RAG, due date, % complete, owner, theme, lead directorate, overdue.
ACTION = {
    "2020-01-10": ("not_started", "", dt.date(2020, 5, 1), 0, ALEX, "Leadership", "Place", False),
    "2020-03-01": ("in_progress", "green", dt.date(2020, 5, 1), 25, ALEX, "Leadership", "Place", False),
    "2020-05-14": ("in_progress", "green", dt.date(2020, 5, 1), 25, ALEX, "Leadership", "Place", True),
    "2020-05-31": ("in_progress", "green", dt.date(2020, 9, 30), 25, ALEX, "Leadership", "Place", False),
    "2020-06-01": ("in_progress", "green", dt.date(2020, 9, 30), 25, BO, "Finance", "People", False),
    "2020-06-02": ("in_progress", "amber", dt.date(2020, 9, 30), 60, BO, "Finance", "People", False),
    "2020-10-01": ("in_progress", "red", dt.date(2020, 9, 30), 80, BO, "Finance", "People", True),
    "today": ("in_progress", "red", dt.date(2020, 9, 30), 80, BO, "Finance", "People", True),
}
# Recommendation R1: status, RAG, due date, owner, theme, lead directorate, overdue, the lead's assurance reason.
RECOMMENDATION = {
    "2020-01-10": ("not_started", "", dt.date(2020, 5, 1), ALEX, "Leadership", "Place", False, ""),
    "2020-03-01": ("in_progress", "green", dt.date(2020, 5, 1), ALEX, "Leadership", "Place", False, ""),
    "2020-05-14": ("in_progress", "green", dt.date(2020, 5, 1), ALEX, "Leadership", "Place", True, ""),
    "2020-05-31": ("in_progress", "green", dt.date(2020, 9, 30), ALEX, "Leadership", "Place", False, ""),
    "2020-06-01": ("in_progress", "green", dt.date(2020, 9, 30), BO, "Finance", "People", False, ""),
    "2020-06-02": ("in_progress", "amber", dt.date(2020, 9, 30), BO, "Finance", "People", False, ""),
    "2020-10-01": ("in_progress", "red", dt.date(2020, 9, 30), BO, "Finance", "People", True, "Funding not agreed"),
    "today": ("in_progress", "red", dt.date(2020, 9, 30), BO, "Finance", "People", True, "Funding not agreed"),
}
# What stands out about R1 and 1.1 besides how overdue they are, as at each date (the council's interval is three
# months): on 14 May 2020 overdue yet still rated Green; today, no update signed off since 1 October 2020.
FLAGS = {"2020-05-14": "Rated Green but overdue", "today": "No update since 1 Oct 2020"}


def needs_attention(key: str, due: dt.date, overdue: bool) -> str:
    """The "Needs attention" cell in words: how overdue, as at the day, then the flags."""
    return " ".join(filter(None, [overdue_words(due, day(key)) if overdue else "", FLAGS.get(key, "")]))


# The dashboard: recommendations by theme (theme, how many); by lead directorate (directorate, recommendations,
# actions). R2 stays under Leadership; it has no lead directorate until 1 March, then Place.
DASHBOARD = {
    "2020-01-09": ([], []),
    "2020-01-10": ([("Leadership", 2)], [("Place", 1, 1), ("No lead directorate", 1, 0)]),
    "2020-03-01": ([("Leadership", 2)], [("Place", 2, 1)]),
    "2020-05-31": ([("Leadership", 2)], [("Place", 2, 1)]),
    "2020-06-01": ([("Leadership", 1), ("Finance", 1)], [("People", 1, 1), ("Place", 1, 0)]),
    "2020-06-02": ([("Leadership", 1), ("Finance", 1)], [("People", 1, 1), ("Place", 1, 0)]),
    "today": ([("Leadership", 1), ("Finance", 1)], [("People", 1, 1), ("Place", 1, 0)]),
}
# The report: its recommendations by theme (theme, how many), in the order of their first recommendation.
REPORT_THEMES = {
    "2020-01-10": [("Leadership", 2)],
    "2020-03-01": [("Leadership", 2)],
    "2020-05-14": [("Leadership", 2)],
    "2020-05-31": [("Leadership", 2)],
    "2020-06-01": [("Finance", 1), ("Leadership", 1)],
    "2020-06-02": [("Finance", 1), ("Leadership", 1)],
    "2020-10-01": [("Finance", 1), ("Leadership", 1)],
    "today": [("Finance", 1), ("Leadership", 1)],
}
NAMES = {ALEX: "Alex Able", BO: "Bo Best"}
STATUS_WORDS = {"not_started": "Not started", "in_progress": "In progress"}
TAG_WORDS = {"": "Not assessed", "green": "Green (on track)", "amber": "Amber (at risk)", "red": "Red (off track)"}
EXPORT_RAG = {"": "", "green": "Green", "amber": "Amber", "red": "Red"}


def day(key: str) -> dt.date:
    return selectors.local_today() if key == "today" else dt.date.fromisoformat(key)


def officer_named(council: Council, email: str, first: str, last: str) -> User:
    user = UserFactory(email=email, first_name=first, last_name=last)
    MembershipFactory(council=council, user=user, role=Membership.Role.OFFICER)
    return user


def approve_with_assurance(item: Recommendation | Action, author: User, lead: User, **percent: int) -> None:
    update = services.update_create(
        item=item,
        author=author,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Waiting for funding",
        at=at(2020, 9, 30),
        **percent,
    )
    services.update_submit(update=update, at=at(2020, 9, 30), notify=False)
    services.update_approve(
        update=update,
        reviewer=lead,
        assurance_rag=Rag.RED,
        assurance_reason="Funding not agreed",
        at=at(2020, 10, 1),
        notify=False,
    )


def fresh(item: Recommendation | Action) -> Recommendation | Action:
    return type(item).objects.get(pk=item.pk)


def story_build(council: Council, lead: User) -> dict[str, object]:
    alex = officer_named(council, ALEX, "Alex", "Able")
    bo = officer_named(council, BO, "Bo", "Best")
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    leadership = ThemeFactory(engagement=engagement, name="Leadership", position=1)
    finance = ThemeFactory(engagement=engagement, name="Finance", position=2)
    place = DirectorateFactory(council=council, name="Place")
    people = DirectorateFactory(council=council, name="People")
    made = at(2020, 1, 10)
    r1 = services.recommendation_build(
        engagement=engagement,
        reference="R1",
        text="Agree a medium-term financial plan.",
        heading="Financial plan",
        position=1,
        theme=leadership,
        lead_directorate=place,
        owner=alex,
        due_date=dt.date(2020, 5, 1),
        by=lead,
        at=made,
    )
    r2 = services.recommendation_build(
        engagement=engagement,
        reference="R2",
        text="Develop members.",
        heading="Members",
        position=2,
        theme=leadership,
        by=lead,
        at=made,
    )
    a11 = services.action_build(
        recommendation=r1,
        reference="1.1",
        description="Publish the plan",
        owner=alex,
        start_date=dt.date(2020, 1, 1),
        due_date=dt.date(2020, 5, 1),
        by=lead,
        at=made,
    )
    # 1 March: work starts (Green, 25%); R2 gets its lead directorate.
    services.update_record(item=r1, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 3, 1))
    services.update_record(
        item=a11, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, percent_complete=25, at=at(2020, 3, 1)
    )
    r2 = fresh(r2)
    services.recommendation_update(
        recommendation=r2, by=lead, expected_version=r2.version, lead_directorate=place, at=at(2020, 3, 1)
    )
    # 15 May: both due dates move from 1 May to 30 September.
    for item in (fresh(r1), fresh(a11)):
        services.due_date_move(
            item=item, new_due_date=dt.date(2020, 9, 30), reason="Budget delayed", by=lead, at=at(2020, 5, 15)
        )
    # 23:30 on 1 June: Bo takes over; R1 moves to Finance and People.
    r1 = fresh(r1)
    services.recommendation_update(
        recommendation=r1,
        by=lead,
        expected_version=r1.version,
        owner=bo,
        theme=finance,
        lead_directorate=people,
        at=LATE_EVENING,
    )
    a11 = fresh(a11)
    services.action_update(action=a11, by=lead, expected_version=a11.version, owner=bo, at=LATE_EVENING)
    # 00:30 on 2 June (London): Amber, 60%.
    services.update_record(
        item=fresh(r1),
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Savings slipping",
        at=JUST_AFTER_MIDNIGHT,
    )
    services.update_record(
        item=fresh(a11),
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Savings slipping",
        percent_complete=60,
        at=JUST_AFTER_MIDNIGHT,
    )
    # 1 October: Bo's Amber updates (the action's at 80%), signed off by the lead as Red.
    approve_with_assurance(fresh(r1), bo, lead)
    approve_with_assurance(fresh(a11), bo, lead, percent_complete=80)
    return {"engagement": engagement, "r1": r1, "r2": r2, "a11": a11, "lead": lead}


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[tuple[dict[str, object], User]]:
    """The story and the personas, written once for the module (every test here only reads them); each test
    runs in a savepoint inside, so nothing one test does reaches the next."""

    def build() -> tuple[dict[str, object], User]:
        council, personas = personas_create()
        return story_build(council, personas.lead), personas.leadership

    with rolled_back_after_the_module(django_db_blocker, build) as story_and_reader:
        yield story_and_reader


@pytest.fixture
def story(built: tuple[dict[str, object], User], db: None) -> dict[str, object]:
    return built[0]


@pytest.fixture
def leadership(built: tuple[dict[str, object], User], db: None) -> User:
    return built[1]


def words(html: object) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", str(html)).split())


def row_of(response: object, reference: str) -> object:
    assert response.status_code == 200
    rows = [row for row in response.context["table"].paginated_rows if row.record.reference == reference]
    assert len(rows) == 1, f"{reference} is not in the table once"
    return rows[0]


# --- the tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ACTION))
def test_the_actions_table_shows_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    status, rag, due, percent, owner, theme, _directorate, overdue = ACTION[key]
    response = client_for(leadership).get(f"/councils/{SLUG}/actions/", {"as_at": day(key).isoformat()})
    row = row_of(response, "1.1")
    assert (
        words(row.get_cell("status")),
        words(row.get_cell("rag")),
        words(row.get_cell("due")),
        row.get_cell("percent_complete"),
        row.get_cell("owner"),
        row.get_cell("theme"),
        words(row.get_cell("overdue")),
    ) == (
        STATUS_WORDS[status],
        TAG_WORDS[rag],
        date_format(due, "j M Y"),
        f"{percent}%",
        NAMES[owner],
        theme,
        needs_attention(key, due, overdue),
    )


@pytest.mark.parametrize("key", list(RECOMMENDATION))
def test_the_recommendations_table_shows_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    status, rag, due, owner, theme, directorate, overdue, _reason = RECOMMENDATION[key]
    response = client_for(leadership).get(f"/councils/{SLUG}/recommendations/", {"as_at": day(key).isoformat()})
    row = row_of(response, "R1")
    assert (
        words(row.get_cell("status")),
        words(row.get_cell("rag")),
        words(row.get_cell("due")),
        row.get_cell("owner"),
        row.get_cell("theme"),
        row.get_cell("lead_directorate"),
        words(row.get_cell("overdue")),
    ) == (
        STATUS_WORDS[status],
        TAG_WORDS[rag],
        date_format(due, "j M Y"),
        NAMES[owner],
        theme,
        directorate,
        needs_attention(key, due, overdue),
    )


@pytest.mark.parametrize(
    ("key", "theme", "references"),
    [
        ("2020-05-31", "Leadership", ["R1", "R2"]),
        ("2020-05-31", "Finance", []),
        ("2020-06-01", "Leadership", ["R2"]),
        ("2020-06-01", "Finance", ["R1"]),
    ],
)
def test_the_theme_filter_matches_the_theme_as_at_the_date(
    story: dict, leadership: User, key: str, theme: str, references: list[str]
) -> None:
    chosen = Theme.objects.get(name=theme, engagement=story["engagement"])
    response = client_for(leadership).get(f"/councils/{SLUG}/recommendations/", {"as_at": key, "theme": chosen.pk})
    assert [row.record.reference for row in response.context["table"].paginated_rows] == references


@pytest.mark.parametrize(("key", "owner", "references"), [("2020-05-31", ALEX, ["1.1"]), ("2020-06-01", ALEX, [])])
def test_the_owner_and_directorate_filters_match_the_values_as_at_the_date(
    story: dict, leadership: User, key: str, owner: str, references: list[str]
) -> None:
    client = client_for(leadership)
    alex = User.objects.get(email=owner)
    by_owner = client.get(f"/councils/{SLUG}/actions/", {"as_at": key, "owner": alex.pk})
    assert [row.record.reference for row in by_owner.context["table"].paginated_rows] == references
    place = Directorate.objects.get(name="Place")
    by_directorate = client.get(f"/councils/{SLUG}/actions/", {"as_at": key, "directorate": place.pk})
    assert [row.record.reference for row in by_directorate.context["table"].paginated_rows] == references


def test_rows_as_at_a_past_date_link_to_the_item_as_at_that_date(story: dict, leadership: User) -> None:
    html = client_for(leadership).get(f"/councils/{SLUG}/actions/", {"as_at": "2020-06-01"}).content.decode()
    assert f'href="/councils/{SLUG}/actions/{story["a11"].pk}/?as_at=2020-06-01"' in html
    today = client_for(leadership).get(f"/councils/{SLUG}/actions/").content.decode()
    assert f'href="/councils/{SLUG}/actions/{story["a11"].pk}/"' in today


# --- the item pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ACTION))
def test_the_action_page_shows_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    status, rag, due, percent, owner, theme, directorate, overdue = ACTION[key]
    response = client_for(leadership).get(f"/councils/{SLUG}/actions/{story['a11'].pk}/", {"as_at": day(key)})
    item = response.context["item"]
    assert (
        item.position_status,
        item.position_rag,
        item.position_due_date,
        item.position_percent_complete,
        item.position_owner_email,
        item.position_theme_name,
        item.position_lead_directorate_name,
        item.is_overdue,
    ) == (status, rag, due, percent, owner, theme, directorate, overdue)
    summary = words(response.content.decode())
    assert f"Owner {NAMES[owner]}" in summary
    assert f"Complete {percent}%" in summary
    if key == "today":
        assert "As at" not in summary
    else:
        assert f"As at {date_format(day(key), 'j F Y')} " in summary
        assert f'href="/councils/{SLUG}/actions/{story["a11"].pk}/">See it as it is today' in response.content.decode()


@pytest.mark.parametrize("key", list(RECOMMENDATION))
def test_the_recommendation_page_shows_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    status, rag, due, owner, theme, directorate, overdue, _reason = RECOMMENDATION[key]
    response = client_for(leadership).get(
        f"/councils/{SLUG}/recommendations/{story['r1'].pk}/", {"as_at": day(key).isoformat()}
    )
    item = response.context["item"]
    assert (
        item.position_status,
        item.position_rag,
        item.position_due_date,
        item.position_owner_email,
        item.position_theme_name,
        item.position_lead_directorate_name,
        item.is_overdue,
    ) == (status, rag, due, owner, theme, directorate, overdue)
    summary = words(response.content.decode())
    assert f"Theme {theme} Owner {NAMES[owner]} Lead directorate {directorate}" in summary
    [action] = response.context["actions"]
    assert action.position_owner_email == ACTION[key][4]


@pytest.mark.parametrize("as_at", ["2020-02-30", "tomorrow", "2999-01-01", "0000-01-01"])
def test_an_item_page_ignores_a_date_that_is_not_a_real_past_date(story: dict, leadership: User, as_at: str) -> None:
    response = client_for(leadership).get(f"/councils/{SLUG}/actions/{story['a11'].pk}/", {"as_at": as_at})
    assert response.status_code == 200
    assert response.context["as_at"] is None
    assert response.context["item"].position_percent_complete == 80


def test_an_item_page_before_the_item_existed_says_so_and_shows_today(story: dict, leadership: User) -> None:
    response = client_for(leadership).get(f"/councils/{SLUG}/actions/{story['a11'].pk}/", {"as_at": "2020-01-09"})
    assert response.status_code == 200
    assert "It was not in the plan on 9 January 2020: it was added on 10 January 2020." in words(
        response.content.decode()
    )
    assert response.context["item"].position_percent_complete == 80


# --- the export ---------------------------------------------------------------------------------------


def xlsx_rows(client: Client, as_at: dt.date, sheet: str) -> dict[str, dict[str, object]]:
    book = load_workbook(io.BytesIO(client.get(f"/councils/{SLUG}/export.xlsx", {"as_at": as_at}).content))
    rows = list(book[sheet].iter_rows(values_only=True))
    return {row[rows[0].index("Reference")]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def csv_rows(client: Client, as_at: dt.date) -> dict[str, dict[str, str]]:
    text = client.get(f"/councils/{SLUG}/export.csv", {"as_at": as_at}).content.decode("utf-8-sig")
    return {row["Reference"]: row for row in csv.DictReader(io.StringIO(text))}


def as_cell(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time.min)


@pytest.mark.parametrize("key", list(ACTION))
def test_the_xlsx_export_holds_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    client = client_for(leadership)
    status, rag, due, percent, owner, *_rest = ACTION[key]
    action = xlsx_rows(client, day(key), "Actions")["1.1"]
    assert (action["Status"], action["RAG"], action["Due date"], action["% complete"], action["Owner email"]) == (
        STATUS_WORDS[status],
        EXPORT_RAG[rag] or None,
        as_cell(due),
        percent,
        owner,
    )
    status, rag, due, owner, theme, directorate, _overdue, reason = RECOMMENDATION[key]
    recommendation = xlsx_rows(client, day(key), "Recommendations")["R1"]
    assert (
        recommendation["Status"],
        recommendation["RAG"],
        recommendation["Due date"],
        recommendation["Owner email"],
        recommendation["Theme"],
        recommendation["Lead directorate"],
        recommendation["Assurance reason"],
    ) == (STATUS_WORDS[status], EXPORT_RAG[rag] or None, as_cell(due), owner, theme, directorate, reason or None)


@pytest.mark.parametrize("key", list(ACTION))
def test_the_csv_export_holds_every_value_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    rows = csv_rows(client_for(leadership), day(key))
    status, rag, due, percent, owner, *_rest = ACTION[key]
    action = rows["1.1"]
    assert (action["Status"], action["RAG"], action["Due date"], action["% complete"], action["Owner email"]) == (
        STATUS_WORDS[status],
        EXPORT_RAG[rag],
        due.isoformat(),
        str(percent),
        owner,
    )
    status, rag, due, owner, theme, directorate, _overdue, reason = RECOMMENDATION[key]
    recommendation = rows["R1"]
    assert (
        recommendation["Status"],
        recommendation["RAG"],
        recommendation["Due date"],
        recommendation["Owner email"],
        recommendation["Theme"],
        recommendation["Lead directorate"],
        recommendation["Assurance reason"],
    ) == (STATUS_WORDS[status], EXPORT_RAG[rag], due.isoformat(), owner, theme, directorate, reason)


def test_nothing_is_exported_before_the_items_existed(story: dict, leadership: User) -> None:
    assert csv_rows(client_for(leadership), dt.date(2020, 1, 9)) == {}


# --- the dashboard ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(DASHBOARD))
def test_the_dashboard_counts_by_theme_and_directorate_as_at_the_date(story: dict, leadership: User, key: str) -> None:
    themes, directorates = DASHBOARD[key]
    board = client_for(leadership).get(f"/councils/{SLUG}/", {"as_at": day(key).isoformat()}).context["board"]
    all_column = board.themes.columns.index("All")
    assert [(row.label, row.numbers[all_column].value) for row in board.themes.rows] == themes
    actions_column = board.directorates.columns.index("Actions")
    assert [
        (row.label, row.numbers[0].value, row.numbers[actions_column].value) for row in board.directorates.rows
    ] == directorates


def test_the_dashboard_scoped_to_a_theme_counts_what_was_in_it_on_the_date(story: dict, leadership: User) -> None:
    finance = Theme.objects.get(name="Finance")
    client = client_for(leadership)
    before = client.get(f"/councils/{SLUG}/", {"as_at": "2020-05-31", "theme": finance.pk}).context["board"]
    after = client.get(f"/councils/{SLUG}/", {"as_at": "2020-06-01", "theme": finance.pk}).context["board"]
    assert (before.recommendations.value, before.actions.value) == (0, 0)
    assert (after.recommendations.value, after.actions.value) == (1, 1)


# --- the report -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(RECOMMENDATION))
def test_the_report_shows_each_recommendation_as_at_its_date(story: dict, key: str) -> None:
    status, rag, _due, _owner, theme, _directorate, _overdue, reason = RECOMMENDATION[key]
    session = PanelSessionFactory(engagement=story["engagement"], held_on=day(key))
    content = report_content(report_services.report_create(by=story["lead"], session=session))
    [r1] = [item for item in content.items if item.reference == "R1"]
    assert (r1.theme, r1.status, r1.rag) == (theme, status, rag)
    assert r1.assurance == (f"The improvement lead rated it Red: {reason}" if reason else "")
    assert [(row.theme, row.total) for row in content.themes] == REPORT_THEMES[key]
