"""The recommendations and actions tables with other data than the shared plan (test_tables.py): none, more than
a page, and two sizes for the query counts. Each test builds its own."""

import re
from unittest import mock

import django_tables2 as tables
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from recommendations import filters
from recommendations.models import Council, User
from recommendations.tables import GovUKTable

from ..conftest import client_for
from ..factories import ActionFactory, EngagementFactory, RecommendationFactory, at
from .plan_tables import build_scaled
from .test_tables import ACTIONS, RECOMMENDATIONS, get, references

pytestmark = pytest.mark.django_db


def test_an_empty_table_says_so(council: Council, leadership: User) -> None:
    html = client_for(leadership).get(RECOMMENDATIONS).content.decode()
    assert "0 recommendations as at" in html
    assert "No recommendations match these filters." in html


# --- pages ------------------------------------------------------------------------------------------


def test_pages_of_25_with_gov_uk_pagination_that_keeps_the_filters(council: Council, leadership: User) -> None:
    engagement = EngagementFactory(council=council)
    for number in range(1, 31):
        RecommendationFactory(engagement=engagement, reference=f"R{number:02}", position=number)
    client = client_for(leadership)
    first = get(client, RECOMMENDATIONS, status="not_started")
    assert references(first) == [f"R{n:02}" for n in range(1, 26)]
    html = first.content.decode()
    assert re.search(r'<nav class="govuk-pagination"\s+aria-label="Pages of recommendations">', html)
    assert re.search(r'href="\?status=not_started&amp;page=1"\s+aria-label="Page 1"\s+aria-current="page"', html)
    assert 'href="?status=not_started&amp;page=2"' in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    assert "30 recommendations as at" in html
    assert "Showing <strong>1</strong> to <strong>25</strong> of <strong>30</strong> recommendations" in html

    second = get(client, RECOMMENDATIONS, status="not_started", page="2")
    assert references(second) == [f"R{n:02}" for n in range(26, 31)]
    assert 'rel="prev"' in second.content.decode()
    assert references(get(client, RECOMMENDATIONS, page="99")) == references(second)  # past the end: the last
    assert references(get(client, RECOMMENDATIONS, page="one")) == references(first)
    assert len(references(get(client, RECOMMENDATIONS, per_page="1000"))) == 25  # not the user's to choose


# --- queries at two sizes ------------------------------------------------------------------------------------------


def count_queries(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


MEASURED = [
    (url, params)
    for url in (RECOMMENDATIONS, ACTIONS)
    for params in (
        {},
        {"sort": "status", "rag": "amber", "as_at": "2020-01-05"},
        {"sort": "-owner"},
        {"sort": "theme", "as_at": "2020-01-05"},
        {"sort": "-owner", "as_at": "2020-01-05"},
        {"flag": "stale", "sort": "overdue"},
        {"flag": "green_overdue", "as_at": "2020-01-05"},
    )
]


def test_table_queries_do_not_grow_with_the_data(council: Council, lead: User, leadership: User) -> None:
    """Each table and its filters, on the small plan and again once the four-times plan is added (the data are
    built once for all of them)."""
    client = client_for(leadership)
    build_scaled(council, lead=lead, scale=1, label="A")
    small = [count_queries(client, url, params) for url, params in MEASURED]
    build_scaled(council, lead=lead, scale=4, label="B")
    assert [count_queries(client, url, params) for url, params in MEASURED] == small


class _Numbers(GovUKTable):
    number = tables.Column()


@pytest.mark.parametrize(("rows", "page"), [(30, "1"), (30, "2"), (300, "1"), (300, "6"), (300, "12"), (10, "1")])
def test_the_pagination_is_drawn_as_its_template_draws_it(rows: int, page: str) -> None:
    """GovUKTable.pagination_html gives the markup of includes/components/pagination.html (white space collapsed), the
    query string's other values kept and escaped, on the first, a middle and the last of many pages (ellipses),
    and nothing where there is one page."""
    request = RequestFactory().get("/", {"status": "not<started>", "page": page, "sort": "-rag"})
    table = _Numbers([{"number": n} for n in range(rows)], caption="{count} numbers").configure(request)
    drawn = table.pagination_html()
    by_template = render_to_string("includes/components/pagination.html", {"table": table, "request": request})

    def spaced(html: str) -> str:  # white space counts where it stands, not how much of it there is
        return " ".join(html.split())

    assert spaced(drawn) == spaced(by_template)
    assert ("govuk-pagination" in drawn) == (rows > 25)


@pytest.mark.parametrize("url", [RECOMMENDATIONS, ACTIONS])
def test_a_past_dates_pages_are_chosen_before_they_are_positioned(council: Council, leadership: User, url: str) -> None:
    """As at a past date in the plan's order with nothing filtered, a page's rows are chosen first and only they
    are positioned (filters.py `_page_then_positions`): every page the same rows and values, and the same count,
    as the filter set's queryset gives (the export's), the last page short and a page past the end the last."""
    engagement = EngagementFactory(council=council)
    then = at(2021, 1, 4)
    for number in range(1, 31):
        recommendation = RecommendationFactory(
            engagement=engagement, reference=f"R{number:02}", position=31 - number, created_at=then
        )
        ActionFactory(recommendation=recommendation, reference=f"{number}.1", created_at=then)
        ActionFactory(recommendation=recommendation, reference=f"{number}.2", created_at=then)
    RecommendationFactory(engagement=engagement, reference="R99", created_at=at(2022, 1, 4))  # not in the plan then
    client = client_for(leadership)
    with mock.patch.object(filters, "_page_then_positions", wraps=filters._page_then_positions) as chosen_first:
        for page in ("1", "2", "3", "9"):
            response = get(client, url, as_at="2021-06-30", page=page)
            table, filterset = response.context["table"], response.context["filter"]
            expected = list(table.rows_of(filterset.qs))
            number = table.page.number
            shown = [row._asdict() for row in table.page.object_list.data]
            assert shown == expected[(number - 1) * 25 : number * 25]
            assert table.paginator.count == len(expected) == (30 if url == RECOMMENDATIONS else 60)
    assert chosen_first.called
