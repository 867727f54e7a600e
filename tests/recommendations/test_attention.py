"""What stands out: overdue in years, months and days; overdue yet rated Green; no update signed off for longer
than the council's update interval. As at any date, in the item's page, the tables and the dashboard."""

import datetime as dt

import pytest

from recommendations import selectors, services
from recommendations.models import Council, Rag, Recommendation, Status, User
from recommendations.vocabulary import months_before, overdue_words, time_between

from ..conftest import client_for
from ..factories import RecommendationFactory, at

D = dt.date


@pytest.mark.parametrize(
    ("due", "as_at", "words"),
    [
        (D(2026, 12, 5), D(2026, 12, 6), "1 day overdue"),
        (D(2026, 11, 17), D(2026, 12, 6), "19 days overdue"),
        (D(2026, 11, 6), D(2026, 12, 6), "1 month overdue"),
        (D(2026, 9, 4), D(2026, 12, 6), "3 months 2 days overdue"),
        (D(2025, 12, 6), D(2026, 12, 6), "1 year overdue"),
        (D(2025, 8, 6), D(2026, 12, 6), "1 year 4 months overdue"),
        (D(2025, 8, 1), D(2026, 12, 6), "1 year 4 months overdue"),  # days are left out from a year
        (D(2021, 3, 31), D(2026, 3, 5), "4 years 11 months overdue"),  # 1,800 days and more
        (D(2019, 12, 6), D(2026, 12, 6), "7 years overdue"),
        (D(2024, 1, 31), D(2024, 2, 29), "29 days overdue"),  # February is shorter than a month from 31 January
        (D(2024, 1, 31), D(2024, 3, 1), "1 month 1 day overdue"),
        (D(2025, 12, 31), D(2026, 2, 28), "1 month 28 days overdue"),
        (D(2026, 12, 6), D(2026, 12, 6), ""),  # due today: not overdue yet
        (D(2027, 1, 1), D(2026, 12, 6), ""),
        (None, D(2026, 12, 6), ""),
    ],
)
def test_overdue_reads_in_years_months_and_days(due: dt.date | None, as_at: dt.date, words: str) -> None:
    assert overdue_words(due, as_at) == words


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 12, 6), 3, D(2026, 9, 6)),
        (D(2026, 5, 31), 3, D(2026, 2, 28)),
        (D(2024, 5, 31), 3, D(2024, 2, 29)),
        (D(2026, 1, 15), 1, D(2025, 12, 15)),
        (D(2026, 1, 31), -1, D(2026, 2, 28)),
        (D(1, 2, 1), 3, D.min),
    ],
)
def test_months_before_keeps_the_day_or_the_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_time_between_is_never_negative_in_any_unit() -> None:
    start = D(2019, 1, 31)
    for offset in range(1, 800):
        end = start + dt.timedelta(days=offset)
        assert "-" not in time_between(start, end)


# --- the flags, as at a date ------------------------------------------------------------------------


@pytest.fixture
def r1(council: Council, lead: User) -> Recommendation:
    """Due 31 March 2020; rated Green on 1 February 2020 and never updated again; then Red on 1 March 2021."""
    recommendation = RecommendationFactory(engagement__council=council, reference="R1", due_date=D(2020, 3, 31))
    services.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 2, 1)
    )
    services.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.RED, rag_reason="Late", at=at(2021, 3, 1)
    )
    return recommendation


def flags(user: User, as_at: dt.date) -> tuple[bool, bool, dt.datetime | None]:
    item = selectors.recommendations_for(user=user, council_slug="borsetshire", as_at=as_at).get(reference="R1")
    return item.is_overdue_green, item.is_stale, item.last_approved_at


@pytest.mark.parametrize(
    ("as_at", "green_overdue", "stale"),
    [
        (D(2020, 3, 31), False, False),  # due that day: not overdue yet
        (D(2020, 4, 1), True, False),  # overdue, and still rated Green
        (D(2020, 5, 1), True, False),  # exactly three months since the update: not longer
        (D(2020, 5, 2), True, True),  # longer than three months
        (D(2021, 3, 1), False, False),  # rated Red that day, and updated
        (D(2021, 6, 2), False, True),
    ],
)
def test_the_flags_are_as_at_the_date_from_the_record(
    r1: Recommendation, leadership: User, as_at: dt.date, green_overdue: bool, stale: bool
) -> None:
    assert flags(leadership, as_at)[:2] == (green_overdue, stale)


def test_no_update_is_counted_from_the_last_one_signed_off_by_then(r1: Recommendation, leadership: User) -> None:
    assert flags(leadership, D(2020, 6, 1))[2] == at(2020, 2, 1)
    assert flags(leadership, D(2021, 6, 1))[2] == at(2021, 3, 1)


def test_an_item_never_updated_is_flagged_once_it_was_in_the_plan_for_longer_than_the_interval(
    council: Council, leadership: User
) -> None:
    RecommendationFactory(engagement__council=council, reference="R1", created_at=at(2020, 1, 10))
    assert flags(leadership, D(2020, 4, 10)) == (False, False, None)
    assert flags(leadership, D(2020, 4, 11)) == (False, True, None)


def test_a_finished_item_is_never_stale(council: Council, lead: User, leadership: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council, reference="R1", due_date=D(2020, 3, 31))
    services.update_record(item=recommendation, author=lead, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2020, 2, 1))
    assert flags(leadership, D(2022, 1, 1))[:2] == (False, False)


def test_the_council_sets_its_interval_and_it_moves_the_flag_and_the_cached_dashboard(
    r1: Recommendation, council: Council, lead: User, leadership: User
) -> None:
    version = Council.objects.get(pk=council.pk).data_version
    response = client_for(lead).post(
        "/councils/borsetshire/settings/", {"update_interval_months": "6", "reminder_days_before_due": "5"}
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.update_interval_months == 6
    assert council.data_version > version  # the dashboard, cached by it, counts again
    assert flags(leadership, D(2020, 5, 2))[1] is False
    assert flags(leadership, D(2020, 8, 2))[1] is True


@pytest.mark.parametrize("typed", ["0", "25", "three", ""])
def test_the_interval_must_be_1_to_24_months(council: Council, lead: User, typed: str) -> None:
    response = client_for(lead).post(
        "/councils/borsetshire/settings/", {"update_interval_months": typed, "reminder_days_before_due": "5"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Council settings" in page
    assert "Enter a number of months" in page
    council.refresh_from_db()
    assert council.update_interval_months == 3


def test_only_a_lead_sets_the_interval(council: Council, officer: User) -> None:
    with pytest.raises(services.access.PermissionDenied):
        services.council_settings_update(council=council, by=officer, update_interval_months=6)


# --- where they show ----------------------------------------------------------------------------------


def test_the_item_page_flags_it_as_at_its_date(r1: Recommendation, leadership: User) -> None:
    client = client_for(leadership)
    page = client.get(f"/councils/borsetshire/recommendations/{r1.pk}/?as_at=2020-06-01").content.decode()
    assert "2 months 1 day overdue" in page
    assert "Rated Green but overdue" in page
    assert "It is overdue but rated Green (on track)" in page
    assert "No update has been signed off since 1 February 2020" in page
    assert "(3 months)" in page
    page = client.get(f"/councils/borsetshire/recommendations/{r1.pk}/?as_at=2021-03-02").content.decode()
    assert 'id="attention"' not in page
    assert "11 months 2 days overdue" in page


@pytest.mark.parametrize(
    ("flag", "as_at", "references"),
    [
        ("green_overdue", "2020-06-01", ["R1"]),
        ("green_overdue", "2021-06-02", []),
        ("stale", "2020-06-01", ["R1", "R2"]),
        ("stale", "2020-04-01", ["R2"]),
    ],
)
def test_the_tables_filter_by_what_stands_out_as_at_the_date(
    r1: Recommendation, council: Council, leadership: User, flag: str, as_at: str, references: list[str]
) -> None:
    RecommendationFactory(engagement__council=council, reference="R2", created_at=at(2019, 4, 1))  # never updated
    response = client_for(leadership).get("/councils/borsetshire/recommendations/", {"flag": flag, "as_at": as_at})
    assert response.status_code == 200
    assert [row.record.reference for row in response.context["table"].paginated_rows] == references


def test_the_filter_offers_the_councils_interval_and_refuses_what_it_does_not_offer(
    council: Council, leadership: User
) -> None:
    council.update_interval_months = 12
    council.save()
    client = client_for(leadership)
    page = client.get("/councils/borsetshire/actions/").content.decode()
    assert "No update for over 1 year" in page
    page = client.get("/councils/borsetshire/actions/", {"flag": "sideways"}).content.decode()
    assert "Choose what needs attention from the list" in page


def test_the_dashboard_counts_them_with_links_to_the_filtered_tables(r1: Recommendation, leadership: User) -> None:
    response = client_for(leadership).get("/councils/borsetshire/", {"as_at": "2020-06-01"})
    board = response.context["board"]
    assert board.overdue_green["recommendations"].value == 1
    assert board.stale["recommendations"].value == 1
    assert board.overdue_green["recommendations"].url == (
        "/councils/borsetshire/recommendations/?as_at=2020-06-01&flag=green_overdue"
    )
    assert board.stale["actions"].url == "/councils/borsetshire/actions/?as_at=2020-06-01&flag=stale"
    page = response.content.decode()
    assert "Overdue but rated Green" in page
    assert f'href="{board.stale["recommendations"].url.replace("&", "&amp;")}"' in page
    assert "2 months 1 day" in page  # the overdue list in years, months and days


def test_the_table_shows_how_long_overdue_and_the_flags(r1: Recommendation, leadership: User) -> None:
    page = client_for(leadership).get("/councils/borsetshire/recommendations/?as_at=2020-06-01").content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">2 months 1 day overdue</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Rated Green but overdue</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">No update since 1 Feb 2020</strong>' in page
