"""Narrative checked against the data as at the report's date: a sentence that says a recommendation was
delivered while it was not Complete or Closed, a sum that a figure which does not add up holds, a sum
reported only later; and the sections the LGA's shape expects, left empty. Each warning links to its fix."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from recommendations import services as core
from recommendations.models import Council, Rag, Recommendation, Status, User
from reports import checks
from reports.models import Achievement, KeyFigure, PanelSession, SummaryReport
from reports.narrative import COMPLETION_WORDS
from reports.services import reports as services

from ..factories import EngagementFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db

# The two sentences of the 2021 St Helens report that its data contradicts, and one it bears out.
R7_SENTENCE = (
    "R7: the investment in proactive external communications, including an organisation rebrand, has been delivered."
)
R8_SENTENCE = "Recommendation 8, a programme of employee engagement, was completed with the new senior team."
R4_SENTENCE = "R4's agreed budget and Medium-Term Financial Strategy for 2021/22 have been delivered."


@pytest.fixture
def report(council: Council, lead: User) -> SummaryReport:
    challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    visit = EngagementFactory(
        council=council,
        title="Peer support session 2021",
        parent=challenge,
        first_onsite_day=dt.date(2021, 3, 16),
        last_onsite_day=dt.date(2021, 3, 16),
    )
    for reference, before, after in (
        ("R4", Status.COMPLETE, Status.COMPLETE),
        ("R7", Status.IN_PROGRESS, Status.COMPLETE),
        ("R8", Status.IN_PROGRESS, Status.IN_PROGRESS),
    ):
        item = RecommendationFactory(engagement=challenge, reference=reference, heading=reference)
        core.update_record(
            item=item, author=lead, status=before, rag=Rag.GREEN, narrative="On track.", at=at(2020, 9, 23)
        )
        core.update_record(item=item, author=lead, status=after, rag=Rag.GREEN, narrative="Later.", at=at(2021, 3, 24))
    session = PanelSession.objects.create(engagement=visit, held_on=dt.date(2021, 3, 16))
    return services.report_create(by=lead, session=session, at=at(2021, 3, 17))


def warnings_of(report: SummaryReport) -> list[checks.ReportWarning]:
    return services.render_content(report, draft=True, generated_at=timezone.now()).warnings(report)


def test_the_completion_words_are_one_list() -> None:
    assert COMPLETION_WORDS == ("delivered", "completed", "achieved", "implemented", "done")
    for word in COMPLETION_WORDS:
        assert checks.claims_completion(f"R1 was {word}.")
    assert not checks.claims_completion("R1 has not yet been delivered.")


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("R7's rebrand", ["7"]),
        ("recommendation 7", ["7"]),
        ("Recommendations 7 and R8, and 9", ["7", "8", "9"]),
        ("the r7 bus route", []),
        ("£17.12m in 2021", []),
    ],
)
def test_references_are_found_as_plans_and_people_write_them(sentence: str, named: list[str]) -> None:
    assert checks.references(sentence) == named


def test_the_two_st_helens_sentences_warn_and_a_true_one_does_not(report: SummaryReport) -> None:
    report.executive_summary = f"Significant progress since 2019. {R7_SENTENCE} {R8_SENTENCE}\n\n{R4_SENTENCE}"
    found = [w for w in warnings_of(report) if w.kind == "contradiction"]

    assert [w.message for w in found] == [
        f"The executive summary says “{R7_SENTENCE}”, but R7 was In progress as at 16 March 2021.",
        f"The executive summary says “{R8_SENTENCE}”, but R8 was In progress as at 16 March 2021.",
    ]
    assert {w.fix_url for w in found} == {
        f"/councils/{report.council.slug}/reports/{report.pk}/edit/#id_executive_summary"
    }


def test_a_sentence_true_as_at_the_date_does_not_warn(report: SummaryReport) -> None:
    report.executive_summary = R4_SENTENCE + " R7's rebrand is not yet delivered. R8 is in progress."
    assert [w for w in warnings_of(report) if w.kind == "contradiction"] == []


def test_the_position_is_the_one_as_at_the_date(report: SummaryReport) -> None:
    """R7 became Complete on 24 March 2021: a report as at that day bears the sentence out."""
    assert Recommendation.objects.get(reference="R7").engagement.council == report.council
    later = PanelSession.objects.create(engagement=report.session.engagement, held_on=dt.date(2021, 3, 25))
    report_after = services.report_create(by=report.history.first().history_user, session=later, at=at(2021, 3, 26))
    report_after.executive_summary = R7_SENTENCE
    assert [w for w in warnings_of(report_after) if w.kind == "contradiction"] == []


def test_narrative_repeating_a_figure_that_does_not_add_up_warns(report: SummaryReport) -> None:
    def figure(key: str, value: str, **extra: str) -> None:
        KeyFigure.objects.create(
            council=report.council, key=key, label=key, value=Decimal(value), reported_on=dt.date(2020, 12, 2), **extra
        )

    figure("pressure", "30350000")
    figure("funding", "13200000")
    figure("shortfall", "17120000", formula="pressure - funding")
    report.themes_lead_in = "The funding met £13.2m of the pressure, leaving a shortfall of £17.12m."

    found = [w for w in warnings_of(report) if w.kind in ("figure", "flagged-value")]

    assert [w.kind for w in found] == ["figure", "flagged-value"]
    assert "names £17.12m" in found[1].message and "£17.15m" in found[1].message
    assert found[1].fix_url.endswith("/edit/#id_themes_lead_in")


def test_narrative_naming_a_figure_reported_after_the_date_warns(report: SummaryReport) -> None:
    KeyFigure.objects.create(
        council=report.council,
        key="gap",
        label="Budget gap",
        value=Decimal("20400000"),
        reported_on=dt.date(2021, 4, 1),
    )
    report.introduction = "A budget gap of £20.4m."
    found = [w for w in warnings_of(report) if w.kind == "not-yet-reported"]
    assert len(found) == 1 and "reported on 1 April 2021" in found[0].message


def test_empty_sections_the_lga_expects_warn_with_where_they_are_filled(report: SummaryReport) -> None:
    kinds = [w.fix_label for w in warnings_of(report) if w.kind == "empty"]
    assert kinds == [
        "Write the executive summary",
        "Add the scope",
        "Add the support offer",
        "Add the principal adviser",
        "Add the next check-in",
    ]
    session = report.session
    session.scope, session.support_offer, session.principal_adviser = "Progress.", "A review.", "Ann Adviser"
    session.next_check_in = dt.date(2021, 9, 1)
    session.save()
    report.executive_summary = "Good progress."
    assert [w for w in warnings_of(report) if w.kind == "empty"] == []


def test_narrative_naming_an_award_won_after_the_date_warns(report: SummaryReport) -> None:
    Achievement.objects.create(
        council=report.council, title="Partner Excellence Award", awarded_on=dt.date(2021, 3, 11)
    )
    Achievement.objects.create(council=report.council, title="Covid-19 Response Award", awarded_on=dt.date(2021, 4, 1))
    report.executive_summary = "It won the Partner Excellence Award and the covid-19 response award."
    found = [w.message for w in warnings_of(report) if w.kind == "not-yet-won"]
    assert found == [
        "The executive summary names the Covid-19 Response Award, won or announced on 1 April 2021, after the "
        "report's date (16 March 2021)."
    ]
