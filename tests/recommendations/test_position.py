"""Position at a date (DESIGN.md §2 "As at"): the edges."""

import datetime as dt

import pytest

from recommendations import selectors, services
from recommendations.models import Action, Council, Rag, Recommendation, Status, User

from ..factories import ActionFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db


def approve(
    item: Recommendation | Action, *, status: str, rag: str, when: dt.datetime, reviewer: User, assurance_rag: str = ""
) -> None:
    update = services.update_create(
        item=item, author=reviewer, status=status, rag=rag, rag_reason="" if rag == Rag.GREEN else "Slipping", at=when
    )
    services.update_submit(update=update, at=when)
    services.update_approve(
        update=update,
        reviewer=reviewer,
        assurance_rag=assurance_rag,
        assurance_reason="Not yet sustained." if assurance_rag else "",
        at=when,
    )


def position(item: Recommendation | Action, day: dt.date | None) -> Recommendation | Action | None:
    return selectors.with_position(type(item).objects.filter(pk=item.pk), as_at=day).first()


@pytest.fixture
def reviewer(lead: User) -> User:
    return lead


def test_no_approved_update_means_not_started_and_not_assessed(council: Council) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    found = position(recommendation, dt.date(2019, 6, 1))
    assert (found.position_status, found.position_rag) == (Status.NOT_STARTED, "")


def test_an_update_approved_on_the_day_counts_until_midnight_london_time(council: Council, reviewer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    # 23:30 on 28 September 2020 in London is 22:30 UTC: still the 28th.
    approve(
        recommendation,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        when=at(2020, 9, 28, 23) + dt.timedelta(minutes=30),
        reviewer=reviewer,
    )
    assert position(recommendation, dt.date(2020, 9, 28)).position_status == Status.IN_PROGRESS
    assert position(recommendation, dt.date(2020, 9, 27)).position_status == Status.NOT_STARTED


def test_an_update_approved_the_day_after_does_not_count(council: Council, reviewer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    approve(recommendation, status=Status.IN_PROGRESS, rag=Rag.GREEN, when=at(2020, 6, 1), reviewer=reviewer)
    approve(recommendation, status=Status.COMPLETE, rag=Rag.GREEN, when=at(2020, 9, 29, 0), reviewer=reviewer)
    on_the_day = position(recommendation, dt.date(2020, 9, 28))
    assert on_the_day.position_status == Status.IN_PROGRESS
    assert position(recommendation, dt.date(2020, 9, 29)).position_status == Status.COMPLETE
    assert position(recommendation, None).position_status == Status.COMPLETE


def test_submitted_or_draft_updates_never_count(council: Council, reviewer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    update = services.update_create(
        item=recommendation, author=reviewer, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2020, 1, 1)
    )
    services.update_submit(update=update, at=at(2020, 1, 2))
    assert position(recommendation, None).position_status == Status.NOT_STARTED


def test_an_item_created_later_does_not_exist_yet(council: Council) -> None:
    action = ActionFactory(recommendation__engagement__council=council, created_at=at(2020, 10, 1))
    assert position(action, dt.date(2020, 9, 30)) is None
    assert position(action, dt.date(2020, 10, 1)) is not None


def test_the_assurance_rag_wins_over_the_owners(council: Council, reviewer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    approve(
        recommendation,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        when=at(2020, 3, 1),
        reviewer=reviewer,
        assurance_rag=Rag.AMBER,
    )
    assert position(recommendation, None).position_rag == Rag.AMBER


def test_due_dates_are_those_in_force_on_the_day_and_overdue_is_derived(council: Council, reviewer: User) -> None:
    action = ActionFactory(
        recommendation__engagement__council=council,
        due_date=dt.date(2020, 3, 31),
        baseline_due_date=dt.date(2020, 3, 31),
    )
    services.due_date_move(
        item=action, new_due_date=dt.date(2020, 12, 31), reason="Covid-19 response", by=reviewer, at=at(2020, 4, 15)
    )
    before_the_move = position(action, dt.date(2020, 4, 14))
    assert before_the_move.position_due_date == dt.date(2020, 3, 31)
    assert before_the_move.is_overdue is True
    after_the_move = position(action, dt.date(2020, 4, 15))
    assert after_the_move.position_due_date == dt.date(2020, 12, 31)
    assert after_the_move.is_overdue is False
    action.refresh_from_db()
    assert action.baseline_due_date == dt.date(2020, 3, 31)


def test_complete_or_closed_items_are_never_overdue(council: Council, reviewer: User) -> None:
    action = ActionFactory(
        recommendation__engagement__council=council,
        due_date=dt.date(2019, 12, 31),
        baseline_due_date=dt.date(2019, 12, 31),
    )
    approve(action, status=Status.CLOSED, rag=Rag.GREEN, when=at(2019, 11, 1), reviewer=reviewer)
    assert position(action, dt.date(2020, 6, 1)).is_overdue is False


def test_due_on_the_day_itself_is_not_yet_overdue(council: Council) -> None:
    action = ActionFactory(
        recommendation__engagement__council=council,
        due_date=dt.date(2020, 3, 31),
        baseline_due_date=dt.date(2020, 3, 31),
    )
    assert position(action, dt.date(2020, 3, 31)).is_overdue is False
    assert position(action, dt.date(2020, 4, 1)).is_overdue is True
