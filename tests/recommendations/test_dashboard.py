"""The leadership dashboard: every number agrees with the table it links to, at any date and with its
filters; the history; the as-at date; its errors; and a cache that is never stale. Every test reads one plan
and its people, built once for the module (`built`)."""

import datetime as dt
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import Truncator

from recommendations import selectors, services
from recommendations.dashboard import Dashboard, Number
from recommendations.dashboard.reads import RECOMMENDATIONS, Item, items_read
from recommendations.dashboard.shapes import first_words
from recommendations.models import Council, ProgressUpdate, Rag, Recommendation, Status, User
from recommendations.vocabulary import RAG_KEYS, STATUS_KEYS

from ..conftest import client_for
from ..factories import at
from .plan_tables import Plan, build, one_plan_a_module, record

pytestmark = pytest.mark.django_db

HOME = "/councils/borsetshire/"


def plan_build(council: Council, officer: User, lead: User) -> Plan:
    """The tables' plan, with a moved due date (1.1, on 1 March 2020) and a lead who disagreed with an
    owner's RAG (R2's latest update: the owner said green, the lead amber, on 1 March 2020)."""
    plan = build(council, officer=officer, lead=lead)
    services.due_date_move(
        item=plan.actions["1.1"],
        new_due_date=dt.date(2020, 6, 30),
        reason="Waits for Cabinet",
        by=lead,
        at=at(2020, 3, 1),
    )
    update = services.update_create(item=plan.recommendations["R2"], author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
    services.update_submit(update=update, notify=False, at=at(2020, 3, 1))
    services.update_approve(
        update=update,
        reviewer=lead,
        assurance_rag=Rag.AMBER,
        assurance_reason="Amber until the new board has met.",
        at=at(2020, 3, 1),
        notify=False,
    )
    return plan


built, shared, council, personas, plan, officer, lead, leadership, adviser, outsider = one_plan_a_module(
    lambda council, personas: plan_build(council, personas.officer, personas.lead)
)


def board(response: object) -> Dashboard:
    assert response.status_code == 200
    return response.context["board"]


def numbers(value: object) -> Iterator[Number]:
    """Every Number in the dashboard, wherever it sits."""
    if isinstance(value, Number):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from numbers(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from numbers(getattr(value, name))


def rows_in_table(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["filter"].form.errors, (url, response.context["filter"].form.errors)
    return len(response.context["table"].data)


@pytest.mark.parametrize(
    "query",
    [{}, {"as_at": "2020-01-31"}, {"as_at": "2020-03-01"}, {"engagement": "cpc"}, {"theme": "leadership"}],
    ids=["today", "31 January 2020", "1 March 2020", "one engagement", "one theme"],
)
def test_every_number_agrees_with_the_table_it_links_to(plan: Plan, leadership: User, query: dict[str, str]) -> None:
    client = client_for(leadership)
    params = dict(query)
    if "engagement" in params:
        params["engagement"] = str(plan.cpc.pk)
    if "theme" in params:
        params["theme"] = str(plan.leadership.pk)
    result = board(client.get(HOME, params))
    found = list(numbers(result))
    assert len(found) > 40  # headline, attention, both breakdowns
    for number in found:
        link = urlparse(number.url)
        assert link.path in (f"{HOME}recommendations/", f"{HOME}actions/")
        linked = parse_qs(link.query)
        assert linked["as_at"] == [result.as_at.isoformat()]
        for name, value in params.items():
            if name != "as_at" and name not in linked:
                pytest.fail(f"{number.url} lost the dashboard's {name}")
            if name != "as_at" and name != "theme":
                assert linked[name] == [value]
        assert rows_in_table(client, number.url) == number.value, number.url


def test_the_numbers_are_the_plans_position_on_the_day(plan: Plan, leadership: User) -> None:
    today = board(client_for(leadership).get(HOME))
    assert today.recommendations.value == 4
    assert {t.key: t.number.value for t in today.recommendation_statuses} == {
        "not_started": 1,
        "in_progress": 2,
        "complete": 1,
        "closed": 0,
    }
    assert {t.key: t.number.value for t in today.recommendation_rags} == {
        "green": 0,
        "amber": 2,
        "red": 1,
        "not_assessed": 1,
    }
    assert today.overdue["recommendations"].value == 2  # R1 and R3
    assert today.moved.value == 1
    assert [line.reference for line in today.moved_lines] == ["1.1"]
    assert today.moved_lines[0].days == (dt.date(2020, 6, 30) - plan.actions["1.1"].baseline_due_date).days
    assert today.disagreements["recommendations"].value == 1
    assert [(line.reference, line.owner_rag, line.rag) for line in today.disagreement_lines] == [
        ("R2", "green", "amber")
    ]
    assert [approval.reference for approval in today.recent][:2] == ["R4", "R2"]

    january = board(client_for(leadership).get(HOME, {"as_at": "2020-01-31"}))
    assert {t.key: t.number.value for t in january.recommendation_statuses}["in_progress"] == 1  # only R1's update
    assert january.overdue["recommendations"].value == 1  # R3
    assert january.moved.value == 0  # the move came later
    assert january.disagreements["recommendations"].value == 0
    assert [approval.reference for approval in january.recent] == ["1.1", "R1"]


def test_the_history_counts_each_month_end_as_the_tables_do(plan: Plan, leadership: User) -> None:
    result = board(client_for(leadership).get(HOME, {"as_at": "2020-06-15"}))
    days = [month.day for month in result.history]
    assert days[0] == dt.date(2019, 3, 31)  # the month of the earliest challenge
    assert days[-2:] == [dt.date(2020, 5, 31), dt.date(2020, 6, 15)]  # month ends, then the as-at day
    for month in result.history:
        position = selectors.recommendations_for(user=leadership, council_slug="borsetshire", as_at=month.day)
        expected = [position.filter(position_status=key).count() for key, _ in STATUS_KEYS]
        assert month.statuses == expected, month.day
        rags = [position.filter(position_rag="" if key == "not_assessed" else key).count() for key, _ in RAG_KEYS]
        assert month.rags == rags, month.day


def test_the_page_shows_numbers_in_words_and_links_with_their_charts(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(HOME, {"as_at": "2020-06-15"})
    html = response.content.decode()
    assert "<title>Improvement plan dashboard – Borsetshire County Council – Council Improve</title>" in html
    assert "As at 15 June 2020." in html
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in html
    assert html.count('role="img"') == 4
    assert "style=" not in html
    assert '<title id="chart-status-history-title">Recommendations by status at each month end</title>' in html
    assert "Progress review held" in html  # the LGA timetable


def test_a_date_that_is_not_real_shows_the_error_and_todays_dashboard(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(HOME, {"as_at": "2020-02-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Improvement plan dashboard" in html
    assert "As at date must be a real date" in html
    assert "govuk-error-summary" in html
    assert board(response).as_at == selectors.local_today()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_at": "2999-01-01"}, "As at date must be today or in the past"),
        ({"engagement": "999999"}, "Choose an engagement from the list"),
        ({"theme": "nonsense"}, "Choose a theme from the list"),
    ],
)
def test_filters_that_are_not_valid_get_a_message_not_a_500(
    plan: Plan, leadership: User, params: dict[str, str], message: str
) -> None:
    response = client_for(leadership).get(HOME, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_theme_of_another_engagement_is_refused_with_a_message(plan: Plan, leadership: User) -> None:
    response = client_for(leadership).get(HOME, {"engagement": plan.review.pk, "theme": plan.leadership.pk})
    assert "Choose a theme of the engagement you chose, or all themes" in response.content.decode()
    assert board(response).recommendations.value == 4


def test_a_theme_of_another_council_is_not_on_the_list(plan: Plan, leadership: User, outsider: User) -> None:
    response = client_for(outsider).get("/councils/felpersham/", {"theme": plan.leadership.pk})
    assert "Choose a theme from the list" in response.content.decode()


def test_the_dashboard_runs_the_same_queries_today_and_at_a_past_date(plan: Plan, leadership: User) -> None:
    client = client_for(leadership)
    counts = []
    for params in ({}, {"as_at": "2020-01-31"}):
        with CaptureQueriesContext(connection) as context:
            client.get(HOME, params)
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


# --- the cache ------------------------------------------------------------------------------------


def queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(HOME, params).status_code == 200
    return len(context.captured_queries)


def test_a_second_reading_comes_from_the_cache(plan: Plan, leadership: User) -> None:
    client = client_for(leadership)
    cold = queries(client)
    warm = queries(client)
    assert warm < cold
    assert queries(client, as_at="2020-01-31") == cold  # another date is another entry


def test_an_approval_is_seen_at_once_though_nothing_cleared_the_cache(plan: Plan, leadership: User, lead: User) -> None:
    """The approval only writes to the database (it raises the council's data version in its transaction):
    any process, whatever its cache holds, reads a new key next time."""
    client = client_for(leadership)
    first = client.get(HOME)
    assert {t.key: t.number.value for t in board(first).recommendation_statuses}["complete"] == 1
    cached = client.get(HOME)
    assert cached.context["board"] is None  # from the cache
    assert cached.context["content"] == first.context["content"]
    update = services.update_create(item=plan.recommendations["R3"], author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
    services.update_submit(update=update, notify=False)
    assert client.get(HOME).context["board"] is None  # a submitted update changes nothing the dashboard shows
    services.update_approve(update=update, reviewer=lead, notify=False)
    after = board(client.get(HOME))
    assert {t.key: t.number.value for t in after.recommendation_statuses}["complete"] == 2
    assert after.recent[0].reference == "R3"


def test_members_of_every_role_read_the_same_cached_content(plan: Plan, leadership: User, adviser: User) -> None:
    made = client_for(leadership).get(HOME)
    served = client_for(adviser).get(HOME)
    assert served.context["board"] is None
    html = served.content.decode()
    assert made.context["board"].recommendations.value == 4
    assert "Improvement plan dashboard" in html and "Signed in as" in html


def test_filters_that_are_not_valid_are_never_cached(plan: Plan, leadership: User) -> None:
    client = client_for(leadership)
    for _ in range(2):
        response = client.get(HOME, {"as_at": "2020-02-30"})
        assert response.context["board"] is not None
        assert "<title>Error: Improvement plan dashboard" in response.content.decode()


def version(council: Council) -> int:
    return Council.objects.values_list("data_version", flat=True).get(pk=council.pk)


def test_every_kind_of_write_raises_the_councils_data_version(plan: Plan, council: Council, lead: User) -> None:
    r1, a11 = plan.recommendations["R1"], plan.actions["1.1"]
    writes = [
        lambda: services.due_date_move(item=r1, new_due_date=dt.date(2021, 1, 1), reason="Later", by=lead),
        lambda: record(r1, lead, Status.COMPLETE, Rag.GREEN, at(2021, 1, 1)),
        lambda: services.theme_set(
            engagement=plan.cpc, by=lead, themes=[(plan.leadership.pk, "Leading"), (plan.finance.pk, "Money")]
        ),
        lambda: services.engagement_update(engagement=plan.cpc, by=lead, title="CPC 2019"),
        lambda: services.action_build(
            recommendation=r1, reference="1.9", description="New", by=lead, at=at(2021, 1, 1)
        ),
    ]
    for write in writes:
        before = version(council)
        write()
        assert version(council) > before
    before = version(council)
    update = services.update_create(item=a11, author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
    services.update_submit(update=update, notify=False)
    assert version(council) == before  # a submitted update changes nothing the dashboard shows
    services.update_approve(update=update, reviewer=lead, notify=False)
    assert version(council) > before


def test_an_admin_edit_of_a_council_never_lowers_its_data_version(council: Council, admin_client: Client) -> None:
    loaded = Council.objects.get(pk=council.pk)
    Council.objects.filter(pk=council.pk).update(data_version=41)  # writes made while the form was open
    response = admin_client.post(
        f"/admin/recommendations/council/{council.pk}/change/",
        {
            "name": loaded.name,
            "slug": loaded.slug,
            "kind": loaded.kind,
            "region": "Wessex",
            "update_interval_months": "6",
            "reminder_days_before_due": "9",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    council.refresh_from_db()
    assert council.region == "Wessex"
    assert council.update_interval_months == 6  # staff set the update interval here too
    assert council.reminder_days_before_due == 9  # and the reminder days
    assert council.data_version > 41


def test_an_admin_edit_of_a_plan_item_raises_the_data_version(
    plan: Plan, council: Council, admin_client: Client
) -> None:
    r3 = plan.recommendations["R3"]
    before = version(council)
    response = admin_client.post(
        f"/admin/recommendations/recommendation/{r3.pk}/change/",
        {
            "engagement": r3.engagement_id,
            "reference": "R3",
            "heading": "Member development programme",
            "text": r3.text,
            "kind": r3.kind,
            "position": r3.position,
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert version(council) > before


def test_submitted_updates_are_not_counted(plan: Plan, leadership: User, lead: User) -> None:
    update = services.update_create(item=plan.recommendations["R3"], author=lead, status=Status.CLOSED, rag=Rag.GREEN)
    services.update_submit(update=update, notify=False)
    assert ProgressUpdate.objects.filter(review_state="submitted").count() == 1
    result = board(client_for(leadership).get(HOME))
    assert {t.key: t.number.value for t in result.recommendation_statuses}["closed"] == 0


# --- the reads compiled once a process (dashboard/reads.py) give what the scoped selectors give --------------


_COMPARED = [name for name in Item._fields if name not in ("kind", "pk", "engagement_id", "summary")]


def _selected(queryset: object, day: dt.date) -> dict[int, tuple]:
    """Each item of a selector's queryset as at `day`, with the dashboard's flags, as the reads' columns."""
    flagged = selectors.with_due_flags(selectors.with_rag_sign_off(queryset, as_at=day), as_at=day)
    return {item.pk: tuple(getattr(item, name) for name in _COMPARED) for item in flagged}


def _read(items: list) -> dict[int, tuple]:
    return {item.pk: tuple(getattr(item, name) for name in _COMPARED) for item in items}


@pytest.mark.parametrize(
    "day",
    [None, dt.date(2019, 6, 1), dt.date(2020, 1, 31), dt.date(2020, 3, 1), dt.date(2020, 6, 15), dt.date(2100, 1, 1)],
    ids=["today", "1 June 2019", "31 January 2020", "1 March 2020", "15 June 2020", "a future day"],
)
@pytest.mark.parametrize("filtered", ["", "engagement", "theme", "both"])
def test_the_reads_give_each_item_as_the_scoped_selectors_do(
    plan: Plan, leadership: User, council: Council, day: dt.date | None, filtered: str
) -> None:
    """Every value the SQL holds (the day, the end of it, the due-soon window, the interval's start, the council,
    the filters) comes from the day and filters asked for, not from the markers it was compiled with."""
    day = day or selectors.local_today()
    engagement = plan.cpc if filtered in ("engagement", "both") else None
    theme = plan.leadership if filtered in ("theme", "both") else None
    recommendations, actions = items_read(
        council=council.pk,
        day=day,
        interval_months=council.update_interval_months,
        engagement=engagement.pk if engagement else None,
        theme=theme.pk if theme else None,
    )
    expected_recommendations = selectors.recommendations_for(user=leadership, council_slug="borsetshire", as_at=day)
    expected_actions = selectors.actions_for(user=leadership, council_slug="borsetshire", as_at=day)
    if engagement:
        expected_recommendations = expected_recommendations.filter(engagement=engagement)
        expected_actions = expected_actions.filter(recommendation__engagement=engagement)
    if theme:
        expected_recommendations = expected_recommendations.filter(position_theme_id=theme.pk)
        expected_actions = expected_actions.filter(position_theme_id=theme.pk)
    assert _read(recommendations) == _selected(expected_recommendations, day)
    assert _read(actions) == _selected(expected_actions, day)
    assert [item.summary for item in recommendations] == [
        Recommendation.objects.get(pk=item.pk).summary for item in recommendations
    ]
    if filtered == "" and day >= dt.date(2020, 1, 31):
        assert recommendations and actions  # the plan is there: the comparison compared something


def test_the_reads_are_compiled_once_and_run_with_each_days_values(plan: Plan, council: Council) -> None:
    """A second day of the same kind runs the SQL compiled for the first, with its own values."""
    values = {"council": council.pk, "interval_months": council.update_interval_months}
    items_read(day=dt.date(2020, 1, 31), **values)
    compiled = dict(RECOMMENDATIONS._compiled)
    with CaptureQueriesContext(connection) as queries:
        january, _ = items_read(day=dt.date(2020, 1, 31), **values)
        june, _ = items_read(day=dt.date(2020, 6, 15), **values)
    assert RECOMMENDATIONS._compiled == compiled
    assert len(queries) == 4
    assert {item.reference: item.position_status for item in january}["R2"] == Status.NOT_STARTED
    assert {item.reference: item.position_status for item in june}["R2"] == Status.COMPLETE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One",
        "  Spaces   and\nnew lines\tcount   as one  ",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
        "one two three four five six seven eight nine ten eleven twelve thirteen … fifteen",
        "Répondre à la demande <b>urgente</b> & faire le point sur les « risques » chaque mois avec les élus et",
    ],
)
def test_the_first_words_are_those_truncator_gives(text: str) -> None:
    assert first_words(text) == Truncator(text).words(14, truncate=" …")
