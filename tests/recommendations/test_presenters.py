"""Presenters that shape what an item's page shows."""

import datetime as dt
import random

from recommendations.models import ProgressUpdate
from recommendations.presenters import mark_late_approvals

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
