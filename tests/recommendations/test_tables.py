"""The recommendations and actions tables: every filter, the as-at date, sorting, pages, errors, scope.

Every test here reads one plan (plan_tables.py) and its people, built once for the module in a transaction held
open around it (tests/shared_data.py): each test runs in a savepoint inside it, so what a test changes is undone
for the next, and gets its own copies of the objects. The tests with other data are in test_table_sizes.py."""

import datetime as dt
import re

import pytest
from django.test import Client

from recommendations import selectors
from recommendations.models import Council, User
from recommendations.vocabulary import overdue_words

from ..conftest import client_for
from ..factories import DirectorateFactory, EngagementFactory, RecommendationFactory, ThemeFactory, UserFactory
from .plan_tables import Plan, build, one_plan_a_module

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = "/councils/borsetshire/recommendations/"
ACTIONS = "/councils/borsetshire/actions/"


built, shared, council, personas, plan, officer, lead, leadership, adviser, outsider = one_plan_a_module(
    lambda council, personas: build(council, officer=personas.officer, lead=personas.lead)
)


@pytest.fixture
def other_council(outsider: User) -> Council:
    return outsider.memberships.get().council


def references(response: object) -> list[str]:
    assert response.status_code == 200
    return [row.record.reference for row in response.context["table"].paginated_rows]


def get(client: Client, url: str, **params: object) -> object:
    return client.get(url, params)


# --- reading it ---------------------------------------------------------------------------------------


def test_leadership_reads_every_recommendation_with_its_position_in_words(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(RECOMMENDATIONS)
    html = response.content.decode()
    assert references(response) == ["R1", "R2", "R3", "R4"]
    assert "<title>Recommendations – Borsetshire County Council – Council Improve</title>" in html
    today = selectors.local_today()
    caption = f"4 recommendations as at {today.day} {today:%B %Y}"
    assert f'<caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>' in html
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--orange">Amber (at risk)</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not assessed</strong>' in html
    overdue = overdue_words(dt.date(2020, 3, 31), today)  # "6 years 8 months overdue"
    assert f'<strong class="govuk-tag govuk-tag--red">{overdue[0].upper()}{overdue[1:]}</strong>' in html
    recommendation = plan.recommendations["R1"]
    assert f'href="/councils/borsetshire/recommendations/{recommendation.pk}/">Shared priorities</a>' in html
    assert "31 Mar 2020" in html


def test_the_actions_table_shows_each_action_with_its_recommendation_and_percentage(plan: Plan, adviser: User) -> None:
    response = client_for(adviser).get(ACTIONS)
    html = response.content.decode()
    assert references(response) == ["1.1", "1.2", "2.1"]
    assert "<title>Actions – Borsetshire County Council – Council Improve</title>" in html
    assert "3 actions as at" in html
    action = plan.actions["1.1"]
    assert f'href="/councils/borsetshire/actions/{action.pk}/">Agree the plan</a>' in html
    recommendation = plan.recommendations["R1"]
    assert f'href="/councils/borsetshire/recommendations/{recommendation.pk}/">R1</a>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">40%</td>' in html


def test_every_cell_is_escaped(plan: Plan, leadership: User) -> None:
    """The rows are drawn in Python (GovUKTable.body_rows): what a user typed is text, never markup."""
    engagement = plan.cpc
    RecommendationFactory(
        engagement=engagement,
        reference="R<9>",
        heading='Fix "this" & <b>that</b>',
        owner=None,
        owner_name="Head of <i>Services</i>",
        timescale="July & ongoing",
        position=99,
    )
    html = client_for(leadership).get(RECOMMENDATIONS).content.decode()
    assert "<b>that</b>" not in html and "<i>Services</i>" not in html and "R<9>" not in html
    assert "Fix &quot;this&quot; &amp; &lt;b&gt;that&lt;/b&gt;</a>" in html
    assert "Head of &lt;i&gt;Services&lt;/i&gt;" in html
    assert '<span class="govuk-body-s">July &amp; ongoing</span>' in html
    assert "R&lt;9&gt;" in html


# --- filters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("status", "in_progress", ["R1", "R4"]),
        ("status", "complete", ["R2"]),
        ("status", "not_started", ["R3"]),
        ("rag", "amber", ["R1"]),
        ("rag", "red", ["R4"]),
        ("rag", "green", ["R2"]),
        ("rag", "not_assessed", ["R3"]),
        ("overdue", "yes", ["R1", "R3"]),
        ("overdue", "no", ["R2", "R4"]),
    ],
)
def test_each_position_filter_selects_its_recommendations(
    plan: Plan, leadership: User, name: str, value: str, expected: list[str]
) -> None:
    assert references(get(client_for(leadership), RECOMMENDATIONS, **{name: value})) == expected


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [
        ("engagement", "review", ["R4"]),
        ("engagement", "cpc", ["R1", "R2", "R3"]),
        ("theme", "leadership", ["R1", "R3"]),
        ("directorate", "place", ["R1", "R4"]),
        ("directorate", "people", ["R2"]),
    ],
)
def test_each_plan_filter_selects_its_recommendations(
    plan: Plan, leadership: User, name: str, target: str, expected: list[str]
) -> None:
    assert references(get(client_for(leadership), RECOMMENDATIONS, **{name: getattr(plan, target).pk})) == expected


def test_the_owner_filter_selects_what_they_own(plan: Plan, leadership: User, officer: User, lead: User) -> None:
    client = client_for(leadership)
    assert references(get(client, RECOMMENDATIONS, owner=officer.pk)) == ["R1", "R4"]
    assert references(get(client, ACTIONS, owner=lead.pk)) == ["1.2", "2.1"]


def test_filters_combine(plan: Plan, leadership: User) -> None:
    response = get(client_for(leadership), RECOMMENDATIONS, status="in_progress", directorate=plan.place.pk, rag="red")
    assert references(response) == ["R4"]
    assert "1 recommendation as at" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "complete"}, ["2.1"]),
        ({"status": "not_started"}, ["1.2"]),
        ({"rag": "not_assessed"}, ["1.2"]),
        ({"engagement": "cpc"}, ["1.1", "1.2", "2.1"]),
        ({"engagement": "review"}, []),
        ({"theme": "finance"}, ["2.1"]),
        ({"directorate": "place"}, ["1.1", "1.2"]),
        ({"overdue": "yes"}, ["1.1", "1.2"]),
    ],
)
def test_the_actions_table_filters_by_its_own_position_and_its_recommendation(
    plan: Plan, leadership: User, params: dict[str, str], expected: list[str]
) -> None:
    params = {name: getattr(plan, value).pk if hasattr(plan, value) else value for name, value in params.items()}
    assert references(get(client_for(leadership), ACTIONS, **params)) == expected


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"as_at": "2020-01-31"},
        {"status": "in_progress", "sort": "-due"},
        {"rag": "not_assessed", "as_at": "2020-06-30", "sort": "rag"},
        {"overdue": "yes", "sort": "overdue"},
        {"overdue": "no", "as_at": "2020-06-30", "sort": "-owner"},
        {"due": "next_30_days", "as_at": "2020-03-15"},
        {"moved": "no", "sort": "theme"},
        {"moved": "yes", "as_at": "2020-06-30"},
        {"disagreement": "yes"},
        {"disagreement": "yes", "as_at": "2020-06-30", "sort": "status"},
        {"flag": "stale", "sort": "-reference"},
        {"flag": "green_overdue", "as_at": "2020-06-30"},
        {"theme": "null", "directorate": "null", "sort": "-theme"},
        {"engagement": "cpc", "theme": "leadership", "as_at": "2020-01-31"},
        {"directorate": "place", "owner": "officer", "sort": "due"},
    ],
)
def test_the_page_reads_the_rows_the_filter_sets_queryset_gives(
    plan: Plan, leadership: User, officer: User, url: str, params: dict[str, str]
) -> None:
    """The page's rows come from a statement compiled once for each shape of filters and sort (filters.py
    `page_reader`): the same rows and values as the filter set's queryset (the export's) sorted by the table."""
    chosen = {"officer": officer.pk, **{name: getattr(plan, name).pk for name in ("cpc", "leadership", "place")}}
    params = {name: chosen.get(value, value) for name, value in params.items()}
    response = get(client_for(leadership), url, **params)
    table, filterset = response.context["table"], response.context["filter"]
    assert not filterset.form.errors
    expected = list(table.rows_of(filterset.qs, sort=params.get("sort", "")))
    assert [row._asdict() for row in table.data[:]] == expected
    assert [row.record.pk for row in table.paginated_rows] == [row["id"] for row in expected]


# --- as at a date -------------------------------------------------------------------------------------


def test_as_at_shows_the_position_then_and_an_update_approved_later_does_not_count(
    plan: Plan, leadership: User
) -> None:
    client = client_for(leadership)
    response = get(client, RECOMMENDATIONS, as_at_day="31", as_at_month="1", as_at_year="2020")
    rows = {row.record.reference: row.record for row in response.context["table"].paginated_rows}
    assert rows["R1"].position_status == "in_progress"  # approved on 10 January 2020
    assert rows["R2"].position_status == "not_started"  # approved on 1 February 2020: after the date
    assert rows["R4"].position_status == "not_started"
    assert [ref for ref, row in rows.items() if row.is_overdue] == ["R3"]
    html = response.content.decode()
    assert "4 recommendations as at 31 January 2020" in html
    assert 'value="31"' in html  # the date boxes keep what was typed

    on_the_day = get(client, RECOMMENDATIONS, status="complete", as_at="2020-02-01")
    assert references(on_the_day) == ["R2"]
    assert references(get(client, RECOMMENDATIONS, status="complete", as_at="2020-01-31")) == []


def test_as_at_leaves_out_what_did_not_exist_yet(plan: Plan, leadership: User) -> None:
    assert references(get(client_for(leadership), RECOMMENDATIONS, as_at="2019-03-31")) == []
    assert references(get(client_for(leadership), ACTIONS, as_at="2019-04-01", status="not_started")) == [
        "1.1",
        "1.2",
        "2.1",
    ]


def test_the_date_boxes_win_over_a_whole_date(plan: Plan, leadership: User) -> None:
    response = get(
        client_for(leadership), RECOMMENDATIONS, as_at="2020-06-30", as_at_day="31", as_at_month="1", as_at_year="2020"
    )
    assert response.context["as_at"] == dt.date(2020, 1, 31)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_at_day": "31", "as_at_month": "2", "as_at_year": "2020"}, "As at date must be a real date"),
        ({"as_at_day": "1", "as_at_month": "", "as_at_year": "2020"}, "As at date must include a month"),
        ({"as_at_day": "x", "as_at_month": "1", "as_at_year": "2020"}, "As at date must be a real date"),
        ({"as_at": "2021-02-30"}, "As at date must be a real date"),
        ({"as_at": "yesterday"}, "As at date must be a real date"),
        ({"as_at": "9999-12-31"}, "As at date must be today or in the past"),
    ],
)
def test_an_invalid_as_at_date_is_a_gov_uk_error_and_the_table_shows_today(
    plan: Plan, leadership: User, params: dict[str, str], message: str
) -> None:
    response = get(client_for(leadership), RECOMMENDATIONS, status="in_progress", **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Recommendations" in html
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert f'<a href="#id_as_at_0">{message}</a>' in summary
    assert 'id="id_as_at_0"' in html  # the summary's link lands on the day box
    assert "govuk-form-group--error" in html
    assert response.context["as_at"] == selectors.local_today()
    assert references(response) == ["R1", "R4"]  # the filters that were valid still apply
    assert "Correct the filters to download" in html


# --- choices are the council's own --------------------------------------------------------------------


def test_filter_choices_are_scoped_to_the_council(
    plan: Plan, leadership: User, other_council: Council, outsider: User
) -> None:
    elsewhere = EngagementFactory(council=other_council, title="Felpersham Peer Challenge")
    theme = ThemeFactory(engagement=elsewhere, name="Felpersham theme")
    directorate = DirectorateFactory(council=other_council, name="Felpersham directorate")
    RecommendationFactory(engagement=elsewhere, theme=theme, lead_directorate=directorate, owner=outsider)
    form = client_for(leadership).get(RECOMMENDATIONS).context["filter"].form
    assert [label for _, label in form.fields["engagement"].choices][1:] == [
        "Corporate Peer Challenge 2019",
        "Progress review 2020",
    ]
    assert [label for _, label in form.fields["theme"].choices][1:] == [
        "No theme",
        "Leadership (Corporate Peer Challenge 2019)",
        "Finance (Corporate Peer Challenge 2019)",
        "Culture (Progress review 2020)",
    ]
    assert {label for _, label in form.fields["owner"].choices[1:]} == {
        str(User.objects.get(email="officer@borsetshire.example")),
        str(User.objects.get(email="lead@borsetshire.example")),
    }
    assert [label for _, label in form.fields["directorate"].choices][1:] == ["No lead directorate", "People", "Place"]
    html = client_for(leadership).get(RECOMMENDATIONS).content.decode()
    assert "Felpersham" not in html


def test_each_request_has_its_own_filter_form(plan: Plan, leadership: User, outsider: User) -> None:
    """The filter form's class is built once a process and its fields copied cheaply for each form: what one
    request's form changes (an error's class, the council's choices) is not seen by the next."""
    client = client_for(leadership)
    wrong = get(client, RECOMMENDATIONS, status="finished")
    assert 'class="govuk-select govuk-!-width-full govuk-select--error"' in wrong.content.decode()
    right = get(client, RECOMMENDATIONS)
    assert "govuk-select--error" not in right.content.decode()
    fields, other = wrong.context["filter"].form.fields, right.context["filter"].form.fields
    assert all(fields[name].widget.attrs is not other[name].widget.attrs for name in fields)
    assert len(right.context["filter"].form.fields["owner"].choices) == 3  # anyone, the officer and the lead
    elsewhere = client_for(outsider).get("/councils/" + outsider.memberships.get().council.slug + "/recommendations/")
    assert [label for _, label in elsewhere.context["filter"].form.fields["owner"].choices] == ["Anyone"]
    assert len(get(client, RECOMMENDATIONS).context["filter"].form.fields["owner"].choices) == 3


def test_the_owner_choices_keep_past_owners_and_owners_who_are_not_members(
    plan: Plan, leadership: User, outsider: User
) -> None:
    """An owner need not be a member (services/plan.py), and a past date's owner may since have been replaced: the
    choices read every owner in the council's items and their history, and no one else."""
    contractor, former = UserFactory(first_name="Casey", last_name="Contractor"), UserFactory(first_name="Fran")
    action = plan.actions["1.1"]
    action.owner = former
    action.save()
    action.owner = contractor
    action.save()  # Fran owned it for a while: only the action's history names her now
    UserFactory(first_name="Nobody")  # owns nothing
    form = client_for(leadership).get(ACTIONS).context["filter"].form
    labels = {label for _, label in form.fields["owner"].choices[1:]}
    assert {"Casey Contractor", str(former)} <= labels
    assert "Nobody" not in {label.split()[0] for label in labels}
    assert str(outsider) not in labels


def test_the_owners_of_the_actions_history_are_each_found_once(plan: Plan, other_council: Council) -> None:
    """The actions' history is read by skipping from owner to owner through its index (`ActionHistoryOwners`):
    every owner any record names is found, under every recommendation, lower ids and higher alike, and no owner
    of another council's actions."""
    from recommendations.filters import owners_in

    people = [UserFactory() for _ in range(4)]
    for number, action in enumerate(plan.actions.values()):
        for person in (people[number % 4], people[(number + 2) % 4], people[number % 4]):
            action.owner = person
            action.save()
        action.owner = None
        action.save()  # none owns it now: only the history names them
    stranger = UserFactory()
    RecommendationFactory(engagement=EngagementFactory(council=other_council), owner=stranger)
    owners = list(owners_in(plan.cpc.council_id))
    assert set(people) <= set(owners)
    assert stranger not in owners
    assert len(owners) == len(set(owners))  # each once


@pytest.mark.parametrize("name", ["engagement", "theme", "owner", "directorate"])
def test_choosing_another_councils_item_is_an_error_not_a_leak(
    plan: Plan, leadership: User, other_council: Council, outsider: User, name: str
) -> None:
    elsewhere = EngagementFactory(council=other_council)
    ids = {
        "engagement": elsewhere.pk,
        "theme": ThemeFactory(engagement=elsewhere).pk,
        "owner": outsider.pk,
        "directorate": DirectorateFactory(council=other_council).pk,
    }
    response = get(client_for(leadership), RECOMMENDATIONS, **{name: ids[name]})
    assert response.status_code == 200
    assert "<title>Error: Recommendations" in response.content.decode()
    assert references(response) == ["R1", "R2", "R3", "R4"]


@pytest.mark.parametrize(("name", "value"), [("status", "finished"), ("rag", "purple"), ("overdue", "maybe")])
def test_a_choice_not_on_the_list_is_an_error(plan: Plan, leadership: User, name: str, value: str) -> None:
    response = get(client_for(leadership), ACTIONS, **{name: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Actions" in html
    assert "from the list</a>" in html


# --- sorting ------------------------------------------------------------------------------------------


def aria_sort(html: str, header: str) -> str:
    match = re.search(rf'<th [^>]*aria-sort="(\w+)"[^>]*>\s*<a [^>]*>{re.escape(header)}</a>', html)
    assert match, f"no sortable header {header}"
    return match.group(1)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("status", ["R3", "R1", "R4", "R2"]),  # Not started, In progress (×2), Complete
        ("-status", ["R2", "R4", "R1", "R3"]),  # exactly reversed
        ("rag", ["R4", "R1", "R2", "R3"]),  # Red, Amber, Green, not assessed
        ("due", ["R3", "R1", "R2", "R4"]),
        ("-due", ["R4", "R2", "R1", "R3"]),
        ("overdue", ["R3", "R1", "R2", "R4"]),
        ("reference", ["R1", "R2", "R3", "R4"]),
        ("-reference", ["R4", "R3", "R2", "R1"]),
        ("heading", ["R2", "R3", "R1", "R4"]),
        ("theme", ["R4", "R2", "R1", "R3"]),
        ("lead_directorate", ["R2", "R1", "R4", "R3"]),  # none last
        ("-lead_directorate", ["R4", "R1", "R2", "R3"]),  # none last either way
    ],
)
def test_sorting_by_a_column(plan: Plan, leadership: User, sort: str, expected: list[str]) -> None:
    assert references(get(client_for(leadership), RECOMMENDATIONS, sort=sort)) == expected


def test_sorting_by_owner_uses_their_names_with_no_owner_last(
    plan: Plan, leadership: User, officer: User, lead: User
) -> None:
    User.objects.filter(pk=officer.pk).update(first_name="Zara")
    User.objects.filter(pk=lead.pk).update(first_name="Adam")
    assert references(get(client_for(leadership), RECOMMENDATIONS, sort="owner")) == ["R2", "R1", "R4", "R3"]
    assert references(get(client_for(leadership), RECOMMENDATIONS, sort="-owner")) == ["R4", "R1", "R2", "R3"]


def test_sorted_headers_say_so_with_aria_sort_and_links_keep_the_filters(plan: Plan, leadership: User) -> None:
    response = get(client_for(leadership), RECOMMENDATIONS, sort="status", directorate=plan.place.pk, page="1")
    html = response.content.decode()
    assert aria_sort(html, "Status") == "ascending"
    assert aria_sort(html, "Due date") == "none"
    assert aria_sort(html, "Reference") == "none"
    # the Status link turns the order round, keeps the filter and starts again at page 1
    link = re.search(r'aria-sort="ascending">\s*<a class="govuk-link"\s+id="sort-status"\s+href="([^"]+)"', html).group(
        1
    )
    assert "sort=-status" in link and f"directorate={plan.place.pk}" in link and "page=" not in link
    assert link.endswith("#sort-status")  # focus comes back to this header after the sort
    assert '<input type="hidden" name="sort" value="status">' in html  # a new filter keeps the sort
    descending = get(client_for(leadership), RECOMMENDATIONS, sort="-status").content.decode()
    assert aria_sort(descending, "Status") == "descending"


def test_an_unknown_sort_is_ignored(plan: Plan, leadership: User) -> None:
    assert references(get(client_for(leadership), RECOMMENDATIONS, sort="password")) == ["R1", "R2", "R3", "R4"]


@pytest.mark.parametrize("sort", ["recommendation", "percent_complete", "-owner", "description"])
def test_the_actions_table_sorts_too(plan: Plan, leadership: User, sort: str) -> None:
    response = get(client_for(leadership), ACTIONS, sort=sort)
    assert sorted(references(response)) == ["1.1", "1.2", "2.1"]
    assert aria_sort(response.content.decode(), response.context["table"].columns[sort.lstrip("-")].header) in {
        "ascending",
        "descending",
    }


# --- pages --------------------------------------------------------------------------------------------


def test_one_page_has_no_pagination(plan: Plan, leadership: User) -> None:
    assert "govuk-pagination" not in client_for(leadership).get(RECOMMENDATIONS).content.decode()


# --- export links -------------------------------------------------------------------------------------


def test_the_export_links_carry_the_filters_but_not_the_sort_or_page(plan: Plan, leadership: User) -> None:
    html = get(client_for(leadership), ACTIONS, status="complete", as_at="2021-03-31", sort="due", page="1").content
    html = html.decode()
    assert 'href="/councils/borsetshire/export.xlsx?status=complete&amp;as_at=2021-03-31"' in html
    assert 'href="/councils/borsetshire/export.csv?status=complete&amp;as_at=2021-03-31"' in html


# --- who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
def test_outsider_gets_404(plan: Plan, outsider: User, url: str) -> None:
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
def test_every_member_may_read_the_tables(plan: Plan, personas: object, url: str) -> None:
    for persona in ("officer", "lead", "leadership", "adviser"):
        assert client_for(personas.get(persona)).get(url).status_code == 200


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
def test_post_is_not_allowed(plan: Plan, lead: User, url: str) -> None:
    assert client_for(lead).post(url).status_code == 405


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
def test_anonymous_is_asked_to_sign_in(url: str, council: Council) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "params",
    [
        {"owner": "99999999999999999999999"},
        {"theme": "-1"},
        {"engagement": "abc"},
        {"directorate": "1.5"},
        {"page": "-1"},
        {"sort": "-"},
        {"as_at": "0001-01-01"},
        {"as_at_day": "1", "as_at_month": "1", "as_at_year": "0000"},
        {"as_at": "2020-01-05\x00"},
        {"flag": "stale\x00"},
    ],
)
@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS, "/councils/borsetshire/export.csv"])
def test_odd_parameters_never_cause_a_500(plan: Plan, leadership: User, url: str, params: dict[str, str]) -> None:
    assert client_for(leadership).get(url, params).status_code in (200, 302)
