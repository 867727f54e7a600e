"""The LGA's timetable for a peer challenge, counted from its last day on site, as it stood on a date.

- the feedback report is published within 3 months;
- the council's action plan is published within 3 months, and at the latest within 5;
- the progress review takes place about 10 months after (a return visit whose kind counts as one: in
  2020–21 Recovery and Renewal Panels took its place), and by 12 months at the latest;
- the progress review's report is published within 12 months.

Each milestone is met (done by the date expected), met late (done after it), due (not done, and its latest
date has not passed) or missed (not done by its latest date), as at the date asked for: something done
after that date was not done then.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .models import Engagement


class MilestoneState(StrEnum):
    MET = "Met"
    MET_LATE = "Met late"
    DUE = "Due"
    MISSED = "Missed"


@dataclass(frozen=True)
class Milestone:
    name: str
    expected: dt.date
    latest: dt.date
    done_on: dt.date | None  # as at the date asked for
    state: MilestoneState
    done_by: str = ""  # what did it (a progress review's title), where that is not the challenge itself

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour (includes/components/tag.html) beside the state's words."""
        return {
            MilestoneState.MET: "green",
            MilestoneState.MET_LATE: "yellow",
            MilestoneState.DUE: "blue",
            MilestoneState.MISSED: "red",
        }[self.state]


@dataclass(frozen=True)
class ChallengeTimetable:
    engagement_id: int
    title: str
    last_onsite_day: dt.date
    milestones: list[Milestone]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day where it has no such day (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _state(done_on: dt.date | None, expected: dt.date, latest: dt.date, as_at: dt.date) -> MilestoneState:
    if done_on is not None:
        return MilestoneState.MET if done_on <= expected else MilestoneState.MET_LATE
    return MilestoneState.DUE if as_at <= latest else MilestoneState.MISSED


def _milestone(
    name: str, done_on: dt.date | None, expected: dt.date, latest: dt.date, as_at: dt.date, done_by: str = ""
) -> Milestone:
    if done_on is not None and done_on > as_at:
        done_on, done_by = None, ""
    return Milestone(name, expected, latest, done_on, _state(done_on, expected, latest, as_at), done_by)


def challenge_timetable(
    challenge: Engagement, return_visits: Iterable[Engagement], as_at: dt.date
) -> ChallengeTimetable:
    """The timetable of one peer challenge (its last on-site day is set), given its return visits."""
    last = challenge.last_onsite_day
    assert last is not None  # noqa: S101 - the caller keeps only challenges with one
    reviews = sorted(
        (
            visit
            for visit in return_visits
            if visit.kind.is_progress_review and visit.first_onsite_day and visit.first_onsite_day <= as_at
        ),
        key=lambda visit: visit.first_onsite_day,
    )
    review = reviews[0] if reviews else None
    in_3, in_5, in_10, in_12 = (add_months(last, months) for months in (3, 5, 10, 12))
    milestones = [
        _milestone("Feedback report published", challenge.report_published, in_3, in_3, as_at),
        _milestone("Action plan published", challenge.action_plan_published, in_3, in_5, as_at),
        _milestone(
            "Progress review held",
            review.first_onsite_day if review else None,
            in_10,
            in_12,
            as_at,
            review.title if review else "",
        ),
        _milestone(
            "Progress review report published",
            review.report_published if review else None,
            in_12,
            in_12,
            as_at,
            review.title if review else "",
        ),
    ]
    return ChallengeTimetable(challenge.pk, challenge.title, last, milestones)


def timetables(engagements: Iterable[Engagement], as_at: dt.date) -> list[ChallengeTimetable]:
    """The timetable of every peer challenge among `engagements` (with their kinds) that had ended its time
    on site by `as_at`, earliest first."""
    engagements = list(engagements)
    challenges = [
        engagement
        for engagement in engagements
        if engagement.kind.is_peer_challenge and engagement.last_onsite_day and engagement.last_onsite_day <= as_at
    ]
    return [
        challenge_timetable(challenge, [e for e in engagements if e.parent_id == challenge.pk], as_at)
        for challenge in sorted(challenges, key=lambda engagement: engagement.last_onsite_day)
    ]
