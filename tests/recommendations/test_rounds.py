"""Update rounds as services and selectors: which items a round asks about, one open round per council, and
what closing records for each item (signed off, waiting for sign-off, or nothing), as at the closing moment."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from recommendations import selectors, services
from recommendations.models import Council, Rag, RoundItem, Status, UpdateRound, User

from ..factories import ActionFactory, EngagementFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db

Outcome = RoundItem.Outcome


@pytest.fixture
def plan(council: Council, lead: User, officer: User) -> dict:
    engagement = EngagementFactory(council=council)
    r1 = RecommendationFactory(engagement=engagement, reference="R1", owner=officer)
    r2 = RecommendationFactory(engagement=engagement, reference="R2", owner=officer)
    done = RecommendationFactory(engagement=engagement, reference="R3")
    a11 = ActionFactory(recommendation=r1, reference="1.1", owner=officer)
    services.update_record(item=done, author=lead, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2026, 10, 1))
    return {"engagement": engagement, "r1": r1, "r2": r2, "done": done, "a11": a11}


def _open(council: Council, lead: User, **kwargs: object) -> UpdateRound:
    return services.round_open(
        by=lead,
        council=council,
        period_end=dt.date(2027, 1, 31),
        due_date=dt.date(2027, 2, 7),
        at=at(2027, 1, 4),
        **kwargs,  # type: ignore[arg-type]
    )


def _items(update_round: UpdateRound) -> set[str]:
    return {row.item.reference for row in update_round.items.select_related("recommendation", "action")}


def test_a_round_asks_about_every_open_item_but_those_left_out(council: Council, lead: User, plan: dict) -> None:
    update_round = _open(council, lead, leave_out=[plan["r2"]])
    assert _items(update_round) == {"R1", "1.1"}  # R3 is complete; R2 was left out
    assert update_round.title == "Progress to 31 January 2027"
    assert update_round.is_open


def test_one_open_round_per_council_and_only_leads_open_one(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    with pytest.raises(PermissionDenied):
        _open(council, officer)
    _open(council, lead)
    with pytest.raises(ValidationError, match="Close the open update round"):
        _open(council, lead)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        UpdateRound.objects.create(
            council=council, period_end=dt.date(2027, 1, 31), due_date=dt.date(2027, 2, 7), opened_by=lead
        )


def test_a_round_with_nothing_to_ask_about_is_refused(council: Council, lead: User, plan: dict) -> None:
    with pytest.raises(ValidationError, match="no open items"):
        _open(council, lead, leave_out=[plan["r1"], plan["r2"], plan["a11"]])


def test_an_item_can_leave_an_open_round_but_not_a_closed_one(council: Council, lead: User, plan: dict) -> None:
    update_round = _open(council, lead)
    row = update_round.items.get(recommendation=plan["r2"])
    services.round_item_remove(by=lead, round_item=row)
    assert _items(update_round) == {"R1", "1.1"}
    services.round_close(by=lead, update_round=update_round, at=at(2027, 2, 14))
    with pytest.raises(ValidationError, match="has closed"):
        services.round_item_remove(by=lead, round_item=update_round.items.first())


def test_closing_records_what_came_in_while_the_round_was_open(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    r1, r2, a11 = plan["r1"], plan["r2"], plan["a11"]
    before = services.update_create(
        item=r2, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2027, 1, 2)
    )
    services.update_submit(update=before, at=at(2027, 1, 2))  # before the round opened: not in it
    update_round = _open(council, lead)
    signed = services.update_create(
        item=r1, author=officer, status=Status.IN_PROGRESS, rag=Rag.AMBER, rag_reason="Late", at=at(2027, 1, 20)
    )
    services.update_submit(update=signed, at=at(2027, 1, 20))
    services.update_approve(update=signed, reviewer=lead, at=at(2027, 1, 25))
    waiting = services.update_create(
        item=a11, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, percent_complete=40, at=at(2027, 2, 1)
    )
    services.update_submit(update=waiting, at=at(2027, 2, 1))
    services.update_approve(update=waiting, reviewer=lead, at=at(2027, 2, 20))  # after the round closed

    closed = services.round_close(by=lead, update_round=update_round, at=at(2027, 2, 14))

    outcomes = {row.item.reference: (row.outcome, row.update) for row in closed.items.all()}
    assert outcomes == {
        "R1": (Outcome.UPDATED, signed),
        "1.1": (Outcome.WAITING, waiting),
        "R2": (Outcome.MISSING, None),
    }
    assert not closed.is_open
    with pytest.raises(ValidationError, match="already closed"):
        services.round_close(by=lead, update_round=closed, at=at(2027, 2, 15))


def test_a_later_approval_replaces_a_waiting_update_and_a_direct_change_counts(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    update_round = _open(council, lead)
    first = services.update_create(
        item=plan["r1"], author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2027, 1, 5)
    )
    services.update_submit(update=first, at=at(2027, 1, 5))
    services.update_return(update=first, reviewer=lead, comment="Say what changed", at=at(2027, 1, 6))
    services.update_submit(update=first, at=at(2027, 1, 7))
    direct = services.update_record(
        item=plan["r2"], author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2027, 1, 8)
    )
    returns = selectors.round_returns(update_round, until=at(2027, 1, 10))
    by_item = {row.item.reference: returns.get(row.pk) for row in update_round.items.all()}
    assert by_item["R1"] is not None and by_item["R1"].outcome == Outcome.WAITING
    assert by_item["R2"] is not None and (by_item["R2"].outcome, by_item["R2"].update) == (Outcome.UPDATED, direct)
    assert by_item["1.1"] is None


def test_what_came_in_is_read_in_two_queries_whatever_the_number_of_items(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    for n in range(5):
        ActionFactory(recommendation=plan["r2"], reference=f"2.{n + 1}", owner=officer)
    update_round = _open(council, lead)
    with CaptureQueriesContext(connection) as queries:
        selectors.round_returns(update_round, until=at(2027, 2, 1))
    assert len(queries) == 2


def test_rounds_are_read_only_within_the_council(council: Council, lead: User, outsider: User, plan: dict) -> None:
    update_round = _open(council, lead)
    assert selectors.round_current(user=lead, council_slug=council.slug) == update_round
    with pytest.raises(Http404):
        selectors.round_get(user=outsider, council_slug=council.slug, pk=update_round.pk)
