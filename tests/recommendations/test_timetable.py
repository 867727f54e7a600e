"""The LGA timetable of a peer challenge, counted from its last day on site, as at a date."""

import datetime as dt

import pytest

from recommendations.models import Council, Engagement, EngagementKind
from recommendations.timetable import MilestoneState, add_months, timetables

from ..factories import EngagementFactory

pytestmark = pytest.mark.django_db

MET, LATE, DUE, MISSED = MilestoneState.MET, MilestoneState.MET_LATE, MilestoneState.DUE, MilestoneState.MISSED


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2019, 1, 18), 3, dt.date(2019, 4, 18)),
        (dt.date(2019, 1, 31), 1, dt.date(2019, 2, 28)),
        (dt.date(2020, 11, 30), 3, dt.date(2021, 2, 28)),
        (dt.date(2019, 10, 15), 12, dt.date(2020, 10, 15)),
    ],
)
def test_months_are_added_as_a_calendar_does(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def challenge(council: Council, **fields: object) -> Engagement:
    return EngagementFactory(
        council=council,
        title="Corporate Peer Challenge",
        first_onsite_day=dt.date(2022, 3, 1),
        last_onsite_day=dt.date(2022, 3, 4),
        **fields,
    )


def states(council: Council, as_at: dt.date) -> list[MilestoneState]:
    engagements = Engagement.objects.filter(council=council).select_related("kind")
    [timetable] = timetables(engagements, as_at)
    return [milestone.state for milestone in timetable.milestones]


def test_a_challenge_that_kept_to_the_timetable_met_every_milestone(council: Council) -> None:
    cpc = challenge(council, report_published=dt.date(2022, 5, 20), action_plan_published=dt.date(2022, 6, 4))
    EngagementFactory(
        council=council,
        parent=cpc,
        kind=EngagementKind.objects.get(slug="progress-review"),
        first_onsite_day=dt.date(2022, 12, 12),
        last_onsite_day=dt.date(2022, 12, 13),
        report_published=dt.date(2023, 3, 1),
    )
    assert states(council, dt.date(2023, 6, 1)) == [MET, MET, MET, MET]


def test_what_was_done_after_the_date_asked_for_was_not_done_then(council: Council) -> None:
    challenge(council, report_published=dt.date(2022, 5, 20), action_plan_published=dt.date(2022, 7, 20))
    assert states(council, dt.date(2022, 5, 1)) == [DUE, DUE, DUE, DUE]
    assert states(council, dt.date(2022, 6, 10)) == [MET, DUE, DUE, DUE]  # the plan is late, not yet missed
    assert states(council, dt.date(2022, 8, 10)) == [MET, LATE, DUE, DUE]


def test_a_milestone_not_done_by_its_latest_date_is_missed(council: Council) -> None:
    challenge(council)
    assert states(council, dt.date(2022, 8, 5)) == [MISSED, MISSED, DUE, DUE]
    assert states(council, dt.date(2023, 3, 5)) == [MISSED, MISSED, MISSED, MISSED]


def test_only_a_return_visit_that_serves_as_a_progress_review_counts(council: Council) -> None:
    cpc = challenge(council)
    EngagementFactory(
        council=council,
        parent=cpc,
        kind=EngagementKind.objects.get(slug="culture-review"),
        first_onsite_day=dt.date(2022, 10, 1),
        last_onsite_day=dt.date(2022, 10, 1),
    )
    assert states(council, dt.date(2023, 6, 1))[2] == MISSED
    EngagementFactory(
        council=council,
        parent=cpc,
        kind=EngagementKind.objects.get(slug="recovery-and-renewal-panel"),
        first_onsite_day=dt.date(2023, 2, 1),
        last_onsite_day=dt.date(2023, 2, 1),
    )
    assert states(council, dt.date(2023, 6, 1))[2] == LATE


def test_return_visits_and_challenges_still_on_site_have_no_timetable(council: Council) -> None:
    cpc = challenge(council)
    EngagementFactory(
        council=council,
        parent=cpc,
        kind=EngagementKind.objects.get(slug="progress-review"),
        first_onsite_day=None,
        last_onsite_day=None,
    )
    engagements = Engagement.objects.filter(council=council).select_related("kind")
    assert [t.title for t in timetables(engagements, dt.date(2022, 3, 3))] == []
    assert [t.title for t in timetables(engagements, dt.date(2022, 3, 4))] == ["Corporate Peer Challenge"]
