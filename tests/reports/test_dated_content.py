"""Everything a report quotes is dated, and a report shows only what was known as at its day: an achievement
from the day it was won, a key figure from the day it was reported (each key's latest by then), a comment
from the day it was said."""

import datetime as dt
from decimal import Decimal

import pytest

from recommendations.models import Council, User
from reports.content import report_content
from reports.models import Achievement, KeyFigure, PanelSession, Quote, SummaryReport
from reports.services import reports as services

from ..factories import EngagementFactory, at

pytestmark = pytest.mark.django_db


def report_on(council: Council, lead: User, day: dt.date) -> SummaryReport:
    engagement = EngagementFactory(council=council, title=f"Panel {day}", first_onsite_day=day, last_onsite_day=day)
    session = PanelSession.objects.create(engagement=engagement, held_on=day)
    return services.report_create(by=lead, session=session, at=at(day.year, day.month, day.day))


def figure(council: Council, key: str, value: str, reported_on: dt.date, **extra: object) -> KeyFigure:
    return KeyFigure.objects.create(
        council=council, key=key, label=key, value=Decimal(value), reported_on=reported_on, **extra
    )


def test_a_report_names_nothing_won_reported_or_said_after_its_day(council: Council, lead: User) -> None:
    Achievement.objects.create(council=council, title="Partner Excellence Award", awarded_on=dt.date(2021, 3, 11))
    figure(council, "shortfall", "17120000", dt.date(2020, 12, 2), period="2020/21")
    Quote.objects.create(council=council, who="The Leader", said_on=dt.date(2020, 12, 2), text="Hopeful.")

    september = report_content(report_on(council, lead, dt.date(2020, 9, 28)))
    december = report_content(report_on(council, lead, dt.date(2020, 12, 2)))
    march = report_content(report_on(council, lead, dt.date(2021, 3, 16)))

    assert (september.achievements, september.figures, september.quotes) == ([], [], [])
    assert (december.achievements, [f.published for f in december.figures], len(december.quotes)) == (
        [],
        ["£17.12m"],
        1,
    )
    assert [a.title for a in march.achievements] == ["Partner Excellence Award"]
    assert [(f.period, f.reported_on) for f in march.figures] == [("2020/21", dt.date(2020, 12, 2))]


def test_a_figure_reported_again_replaces_the_earlier_one_from_its_day(council: Council, lead: User) -> None:
    figure(council, "pressure", "30000000", dt.date(2020, 9, 1), position=1)
    figure(council, "pressure", "30350000", dt.date(2020, 12, 2), position=1)
    figure(council, "funding", "13200000", dt.date(2020, 9, 1), position=2)
    figure(council, "gap", "16800000", dt.date(2020, 9, 1), position=3, formula="pressure - funding")

    before = report_content(report_on(council, lead, dt.date(2020, 10, 1)))
    after = report_content(report_on(council, lead, dt.date(2020, 12, 3)))

    assert [(f.label, f.published) for f in before.figures] == [
        ("pressure", "£30m"),
        ("funding", "£13.2m"),
        ("gap", "£16.8m"),
    ]
    assert not before.figures[2].disagrees  # the formula uses the figures of its day
    assert [f.published for f in after.figures] == ["£30.35m", "£13.2m", "£16.8m"]
    assert after.figures[2].disagrees and "£17.15m" in after.figures[2].check


def test_the_report_prints_each_date(council: Council, lead: User) -> None:
    Achievement.objects.create(
        council=council, title="Covid-19 Response Award", awarded_by="iNetwork Awards", awarded_on=dt.date(2021, 3, 11)
    )
    figure(council, "shortfall", "17120000", dt.date(2020, 12, 2), period="2020/21")
    Quote.objects.create(
        council=council, who="The Leader", occasion="at Cabinet", said_on=dt.date(2020, 12, 2), text="Hopeful."
    )
    report = report_on(council, lead, dt.date(2021, 3, 16))
    html = services.render_content(report, draft=True, generated_at=at(2021, 3, 17)).html

    assert "iNetwork Awards (11 March 2021)" in html
    assert "2 December 2020" in html.split('id="financial-position"')[1]
    assert "The Leader, at Cabinet, 2 December 2020" in " ".join(html.split())
