"""The progress report to committee (reports/committee.py): as at a closed round's close or the end of a date,
direction of travel since the previous round, only this period's narrative, its page, PDF and XLSX, who may
read it, and the St Helens report as at 28 September 2020 against counts worked out by hand.

The St Helens tests come last: the demo is seeded once for them (and rolled back at the module's end), after
the tests that build their own Borsetshire with factories."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from recommendations import selectors, services
from recommendations.models import Action, Council, Rag, Recommendation, Status, UpdateRound, User
from recommendations.spreadsheet import ACTION_COLUMNS, RECOMMENDATION_COLUMNS
from reports import committee, committee_files, pdf
from reports.committee_files import COMMITTEE_COLUMNS

from ..conftest import client_for
from ..factories import ActionFactory, EngagementFactory, RecommendationFactory, at
from ..shared_data import demo, rolled_back_after_the_module
from . import pdf_checks

pytestmark = pytest.mark.django_db


def _approved(
    item: Recommendation | Action,
    *,
    by: User,
    lead: User,
    rag: str,
    narrative: str,
    on: dt.datetime,
    status: str = Status.IN_PROGRESS,
    signed_off: dt.datetime | None = None,
    reason: str = "",
) -> None:
    """An owner's update submitted at `on` and signed off an hour later (or at `signed_off`)."""
    update = services.update_create(
        item=item,
        author=by,
        status=status,
        rag=rag,
        narrative=narrative,
        rag_reason=reason,
        percent_complete=50 if isinstance(item, Action) else None,
        at=on - dt.timedelta(hours=1),
    )
    services.update_submit(update=update, at=on, notify=False)
    services.update_approve(update=update, reviewer=lead, at=signed_off or on + dt.timedelta(hours=1), notify=False)


@dataclass
class TwoRounds:
    council: Council
    first: UpdateRound
    second: UpdateRound
    recommendation: Recommendation
    actions: dict[str, Action]


@pytest.fixture
def two_rounds(council: Council, lead: User, officer: User) -> TwoRounds:
    """R1 with actions A1 to A3 from 2019, and A4 added in March 2026, between the rounds.

    Round 1 ("Progress to 31 January 2026", open 2 to 14 February): R1 and A1 Amber, A2 and A3 Green. An hour
    after it closes A1 is signed off Green. Round 2 ("Progress to 31 March 2026", open 1 to 15 April): A1
    Green again (Better than at round 1), A2 Green (Same), A3 Red (Worse), A4 Green (New); nothing for R1. The
    day after round 2 closes, R1 is signed off Red."""
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2025")
    recommendation = RecommendationFactory(
        engagement=engagement,
        reference="R1",
        heading="Shared priorities",
        owner=officer,
        due_date=dt.date(2026, 12, 31),
    )
    actions = {
        name: ActionFactory(
            recommendation=recommendation,
            reference=name,
            owner=officer,
            due_date=dt.date(2026, 12, 31),
            description=f"Action {name}",
        )
        for name in ("A1", "A2", "A3")
    }
    first = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 1, 31), due_date=dt.date(2026, 2, 10), at=at(2026, 2, 2, 9)
    )
    day = at(2026, 2, 3, 10)
    _approved(recommendation, by=officer, lead=lead, rag=Rag.AMBER, narrative="R1 in January", on=day, reason="Slow")
    _approved(actions["A1"], by=officer, lead=lead, rag=Rag.AMBER, narrative="A1 in January", on=day, reason="Late")
    _approved(actions["A2"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A2 in January", on=day)
    _approved(actions["A3"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A3 in January", on=day)
    first = services.round_close(by=lead, update_round=first, at=at(2026, 2, 14, 15))
    _approved(
        actions["A1"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A1 after the round", on=at(2026, 2, 14, 16)
    )
    actions["A4"] = ActionFactory(
        recommendation=recommendation,
        reference="A4",
        owner=officer,
        description="Action A4",
        created_at=at(2026, 3, 1),
        due_date=dt.date(2026, 12, 31),
    )
    second = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 3, 31), due_date=dt.date(2026, 4, 10), at=at(2026, 4, 1, 9)
    )
    day = at(2026, 4, 2, 10)
    _approved(actions["A1"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A1 in March", on=day)
    _approved(actions["A2"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A2 in March", on=day)
    _approved(
        actions["A3"], by=officer, lead=lead, rag=Rag.RED, narrative="A3 in March", on=day, reason="The supplier failed"
    )
    _approved(actions["A4"], by=officer, lead=lead, rag=Rag.GREEN, narrative="A4 in March", on=day)
    second = services.round_close(by=lead, update_round=second, at=at(2026, 4, 15, 15))
    _approved(
        recommendation,
        by=officer,
        lead=lead,
        rag=Rag.RED,
        narrative="R1 after round 2",
        on=at(2026, 4, 16, 10),
        reason="Stalled",
    )
    return TwoRounds(council, first, second, recommendation, actions)


def lines(report: committee.CommitteeReport) -> dict[str, committee.Line]:
    return {line.reference: line for line in [*report.recommendations, *report.actions]}


def test_a_rounds_report_shows_its_narratives_and_direction_of_travel(two_rounds: TwoRounds) -> None:
    report = committee.committee_report(two_rounds.council, committee.moment_of_round(two_rounds.second))
    assert report.title == "Progress to 31 March 2026, as signed off by 15 April 2026"
    by_reference = lines(report)
    assert {ref: line.direction for ref, line in by_reference.items()} == {
        "R1": "Same",
        "A1": "Better",
        "A2": "Same",
        "A3": "Worse",
        "A4": "New",
    }
    assert {ref: line.narrative_or_none for ref, line in by_reference.items()} == {
        "R1": "No update received for this period",  # its January narrative is not shown as new
        "A1": "A1 in March",
        "A2": "A2 in March",
        "A3": "A3 in March",
        "A4": "A4 in March",
    }
    assert by_reference["A3"].rag == Rag.RED and by_reference["A3"].rag_reason == "The supplier failed"
    assert by_reference["R1"].rag == Rag.AMBER  # signed off Red only the day after the round closed
    assert report.with_narrative.recommendations == 0 and report.with_narrative.actions == 4
    assert "15 April 2026, 15:00, when the round closed" in report.provenance
    assert "Round: Progress to 31 March 2026" in report.provenance


def test_a_rounds_report_says_what_came_in_where_no_narrative_was_signed_off(
    council: Council, lead: User, officer: User
) -> None:
    """An update still waiting for sign-off when the round closed is not "no update"; an item the round did
    not ask about is said to be so."""
    engagement = EngagementFactory(council=council)
    recommendation = RecommendationFactory(engagement=engagement, reference="R1", owner=officer)
    waiting, left_out = (
        ActionFactory(recommendation=recommendation, reference=name, owner=officer) for name in ("1.1", "1.2")
    )
    update_round = services.round_open(
        by=lead,
        council=council,
        period_end=dt.date(2026, 1, 31),
        due_date=dt.date(2026, 2, 10),
        leave_out=[left_out],
        at=at(2026, 2, 2, 9),
    )
    update = services.update_create(
        item=waiting, author=officer, status="in_progress", rag=Rag.GREEN, at=at(2026, 2, 3)
    )
    services.update_submit(update=update, at=at(2026, 2, 3))
    update_round = services.round_close(by=lead, update_round=update_round, at=at(2026, 2, 14, 15))
    by_reference = lines(committee.committee_report(council, committee.moment_of_round(update_round)))
    assert {ref: line.narrative_or_none for ref, line in by_reference.items()} == {
        "R1": "No update received for this period",
        "1.1": "Update received, waiting for sign-off when the round closed",
        "1.2": "Not asked for in this round",
    }


def test_the_first_rounds_report_has_no_earlier_round_and_counts_nothing_signed_off_after_it_closed(
    two_rounds: TwoRounds,
) -> None:
    report = committee.committee_report(two_rounds.council, committee.moment_of_round(two_rounds.first))
    by_reference = lines(report)
    assert set(by_reference) == {"R1", "A1", "A2", "A3"}  # A4 was not in the plan yet
    assert {line.direction for line in by_reference.values()} == {"No earlier round"}
    assert by_reference["A1"].rag == Rag.AMBER and by_reference["A1"].narrative == "A1 in January"


def test_a_past_date_never_shows_later_values(two_rounds: TwoRounds) -> None:
    """As at the end of 15 March 2026: round 1 is the previous round, A1's update after it is this period's,
    and nothing of round 2 or after shows."""
    report = committee.committee_report(
        two_rounds.council, committee.moment_of_day(two_rounds.council, dt.date(2026, 3, 15))
    )
    assert report.title == "Progress as at 15 March 2026"
    by_reference = lines(report)
    assert by_reference["A3"].rag == Rag.GREEN and by_reference["A3"].direction == "Same"
    assert by_reference["A1"].rag == Rag.GREEN and by_reference["A1"].direction == "Better"
    assert by_reference["A1"].narrative == "A1 after the round"
    assert by_reference["A4"].direction == "New" and by_reference["A4"].rag == ""
    assert by_reference["R1"].rag == Rag.AMBER
    for reference in ("R1", "A2", "A3", "A4"):
        assert by_reference[reference].narrative_or_none == "No update received for this period"
    html = committee_files.content_html(report)
    for later in ("in March", "The supplier failed", "R1 after round 2", "Progress to 31 March 2026"):
        assert later not in html


def test_a_date_with_no_earlier_round_takes_the_narratives_of_the_three_months_before(
    council: Council, lead: User, officer: User
) -> None:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer)
    _approved(recommendation, by=officer, lead=lead, rag=Rag.GREEN, narrative="Too early", on=at(2026, 5, 30))
    before = committee.committee_report(council, committee.moment_of_day(council, dt.date(2026, 8, 31)))
    assert lines(before)[recommendation.reference].narrative_or_none == "No update received for this period"
    _approved(recommendation, by=officer, lead=lead, rag=Rag.GREEN, narrative="In the period", on=at(2026, 6, 1))
    report = committee.committee_report(council, committee.moment_of_day(council, dt.date(2026, 8, 31)))
    line = lines(report)[recommendation.reference]
    assert line.narrative == "In the period" and line.direction == "No earlier round"


def _plan(council: Council, lead: User, officer: User, *, recommendations: int, actions: int, updates: int) -> None:
    engagement = EngagementFactory(council=council)
    for number in range(recommendations):
        recommendation = RecommendationFactory(engagement=engagement, owner=officer)
        items = [recommendation] + [ActionFactory(recommendation=recommendation, owner=officer) for _ in range(actions)]
        for item in items:
            services.due_date_move(
                item=item, new_due_date=dt.date(2027, 3, 31), reason="Moved", by=lead, at=at(2026, 1, 10)
            )
            for month in range(updates):
                _approved(
                    item,
                    by=officer,
                    lead=lead,
                    rag=Rag.GREEN,
                    narrative=f"{number} {month}",
                    on=at(2026, 6 - month, 5),  # the first in the round (open from 1 June), then earlier ones
                )
    update_round = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 5, 31), due_date=dt.date(2026, 6, 10), at=at(2026, 6, 1)
    )
    services.round_close(by=lead, update_round=update_round, at=at(2026, 6, 20))


def _queries(council: Council) -> list[int]:
    counts = []
    update_round = UpdateRound.objects.get(council=council)
    for moment in (
        committee.moment_of_round(update_round),
        committee.moment_of_day(council, dt.date(2026, 7, 1)),
        committee.moment_of_day(council, selectors.local_today()),
    ):
        with CaptureQueriesContext(connection) as queries:
            committee.committee_report(council, moment)
        counts.append(len(queries))
    return counts


def test_the_number_of_queries_does_not_grow_with_the_plan(
    council: Council, other_council: Council, lead: User, officer: User
) -> None:
    """A plan of one against a plan of four whose rows each carry more (actions, updates, moves)."""
    _plan(council, lead, officer, recommendations=1, actions=1, updates=1)
    small = _queries(council)
    # the items (2), their due dates' moves and this period's narratives; with an earlier round, the RAGs at
    # its close (2): the round's own report has none before it
    assert small == [4, 6, 6]
    other_lead = User.objects.create_user("lead@felpersham.example", "x")
    services.membership_set(council=other_council, user=other_lead, role="lead")
    services.membership_set(council=other_council, user=officer, role="officer")
    _plan(other_council, other_lead, officer, recommendations=4, actions=2, updates=2)
    assert _queries(other_council) == small


# --- the page, its files and who may read them --------------------------------------------------------


def page_url(council: Council, suffix: str = "/", query: str = "") -> str:
    return f"/councils/{council.slug}/progress-report{suffix}" + (f"?{query}" if query else "")


def test_every_member_reads_the_report_of_a_round(
    two_rounds: TwoRounds, officer: User, lead: User, leadership: User, adviser: User
) -> None:
    for reader in (officer, lead, leadership, adviser):
        response = client_for(reader).get(page_url(two_rounds.council, query=f"round={two_rounds.second.pk}"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "<title>Progress to 31 March 2026, as signed off by 15 April 2026" in page
        assert "No update received for this period" in page and "Worse" in page and "Better" in page
        assert "when the round closed" in page and "Download this report as a PDF" in page


def test_another_councils_round_or_an_unknown_one_answers_404(
    two_rounds: TwoRounds, lead: User, outsider: User, other_council: Council
) -> None:
    assert client_for(outsider).get(page_url(two_rounds.council)).status_code == 404
    RecommendationFactory(engagement__council=other_council)
    theirs = services.round_open(
        by=outsider, council=other_council, period_end=dt.date(2026, 1, 31), due_date=dt.date(2026, 2, 10)
    )
    services.round_close(by=outsider, update_round=theirs)
    for query in (f"round={theirs.pk}", "round=999999", "round=first"):
        for suffix in ("/", ".pdf", ".xlsx"):
            assert client_for(lead).get(page_url(two_rounds.council, suffix, query)).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_at=2026-02-31", "Date must be a real date"),
        ("as_at_day=31&as_at_month=2&as_at_year=2026", "Date must be a real date"),
        ("as_at_day=1&as_at_month=1", "Date must include a year"),
        ("as_at=2999-01-01", "Date must be today or in the past"),
    ],
)
def test_a_bad_date_is_an_error_on_the_page_not_a_500(
    council: Council, leadership: User, query: str, message: str
) -> None:
    client = client_for(leadership)
    response = client.get(page_url(council, query=query))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Progress report to committee" in page and message in page
    for suffix in (".pdf", ".xlsx"):
        download = client.get(page_url(council, suffix, query))
        assert download.status_code == 302 and download["Location"] == page_url(council, query=query)


def test_an_open_round_or_both_a_round_and_a_date_is_an_error(council: Council, lead: User) -> None:
    RecommendationFactory(engagement__council=council)
    still_open = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 1, 31), due_date=dt.date(2026, 2, 10)
    )
    page = client_for(lead).get(page_url(council, query=f"round={still_open.pk}")).content.decode()
    assert "Choose a closed update round from the list" in page
    services.round_close(by=lead, update_round=still_open)
    page = client_for(lead).get(page_url(council, query=f"round={still_open.pk}&as_at=2026-01-01")).content.decode()
    assert "Choose a closed update round or enter a date, not both" in page


def test_the_xlsx_has_the_exports_columns_then_the_reports(two_rounds: TwoRounds, adviser: User) -> None:
    response = client_for(adviser).get(page_url(two_rounds.council, ".xlsx", f"round={two_rounds.second.pk}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="borsetshire-progress-report-round-{two_rounds.second.pk}.xlsx"'
    )
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Recommendations", "Actions", "About this report"]
    extra = [column.header for column in COMMITTEE_COLUMNS]
    assert "Direction of travel" in extra and "Narrative this period" in extra
    recommendations, actions = workbook["Recommendations"], workbook["Actions"]
    assert [cell.value for cell in recommendations[1]] == [c.header for c in RECOMMENDATION_COLUMNS] + extra
    assert [cell.value for cell in actions[1]] == [c.header for c in ACTION_COLUMNS] + extra
    assert recommendations[1][0].font.bold and recommendations.freeze_panes == "A2"
    rows = {
        row[2]: dict(zip([c.value for c in actions[1]], row, strict=True))
        for row in actions.iter_rows(min_row=2, values_only=True)
    }
    assert rows["A3"]["Direction of travel"] == "Worse" and rows["A3"]["RAG"] == "Red"
    assert rows["A3"]["Narrative this period"] == "A3 in March"
    assert rows["A4"]["Direction of travel"] == "New"
    about = [row[0] for row in workbook["About this report"].iter_rows(values_only=True)]
    assert "Progress to 31 March 2026, as signed off by 15 April 2026" in about


def test_the_dashboard_links_to_the_report_as_at_its_date(council: Council, leadership: User) -> None:
    client = client_for(leadership)
    assert (
        'href="/councils/borsetshire/progress-report/?as_at=2026-03-15"'
        in client.get("/councils/borsetshire/?as_at=2026-03-15").content.decode()
    )
    assert (
        'href="/councils/borsetshire/progress-report/">Progress report to committee as at today'
        in client.get("/councils/borsetshire/").content.decode()
    )


# --- St Helens as at 28 September 2020 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def st_helens_demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    with rolled_back_after_the_module(django_db_blocker, demo) as printed:
        yield printed


@pytest.fixture
def st_helens(st_helens_demo: str) -> Council:
    return Council.objects.get(slug="st-helens")


# Worked out by hand from nonprod/demo/st_helens.py: the plan of 17 July 2019 has 8 recommendations and 12
# actions; no update round. The position of each at the end of 28 September 2020 is its latest update signed
# off by then (the demo signs each off at noon on its "on" day, submitted two days before):
# - every recommendation's latest is of 23 September 2020, all "in progress": R7 Green; R5 Amber with the
#   lead's assurance Red; R4 Green with the lead's assurance Amber; R1, R2, R3, R6 and R8 Amber.
# - actions: 2.1 Complete Green (22 January 2020), 4.1 Complete Green (11 March 2020), 5.2 has no update until
#   December 2020 (Not started, not assessed); the other nine are in progress from 23 September 2020: Green
#   3.2, 4.2 and 7.1; Amber 1.1, 2.2, 3.1, 5.1, 6.1 and 8.1.
# - overdue (due before 28 September 2020 and not finished): action 3.1 alone, due 31 March 2020, moved only on
#   14 October 2020. R1, R2, R5 and R6 (and 1.1, 2.2, 5.1, 6.1) had their dates moved past it by June 2020; 2.1
#   and 4.1 are past due but complete.
# - narrative this period: no round has closed, so the updates submitted from 28 June 2020 (three months
#   before): the 23 September 2020 ones, on all 8 recommendations and on 9 actions (all but 2.1, 4.1, 5.2).
ST_HELENS_28_SEPTEMBER_2020 = {
    # (recommendations, actions)
    "Not started": (0, 1),
    "In progress": (8, 9),
    "Complete": (0, 2),
    "Closed (business as usual)": (0, 0),
    "Green (on track)": (1, 5),
    "Amber (at risk)": (6, 6),
    "Red (off track)": (1, 0),
    "Not assessed": (0, 1),
    "Overdue": (0, 1),
    "With an update this period": (8, 9),
    "All": (8, 12),
}


@pytest.fixture
def st_helens_report(st_helens: Council) -> committee.CommitteeReport:
    return committee.committee_report(st_helens, committee.moment_of_day(st_helens, dt.date(2020, 9, 28)))


def test_st_helens_as_at_28_september_2020_matches_the_counts_worked_out_by_hand(
    st_helens_report: committee.CommitteeReport,
) -> None:
    report = st_helens_report
    counts = [*report.statuses, *report.rags, report.overdue, report.with_narrative, report.total]
    assert {count.label: (count.recommendations, count.actions) for count in counts} == ST_HELENS_28_SEPTEMBER_2020
    assert report.title == "Progress as at 28 September 2020"
    by_reference = lines(report)
    assert by_reference["3.1"].overdue and by_reference["3.1"].moves == []  # moved only in October
    assert [move.reason[:30] for move in by_reference["R1"].moves] == ["Recruitment paused in the firs"]
    assert by_reference["5.2"].narrative_or_none == "No update received for this period"
    assert (
        by_reference["R5"].rag == Rag.RED
        and by_reference["R5"].rag_reason == "Red while the Covid-19 shortfall is unfunded."
    )


def test_st_helens_pdf_passes_the_summary_reports_tag_checks(st_helens_report: committee.CommitteeReport) -> None:
    document = committee_files.pdf_document(st_helens_report)
    written = pdf.render_pdf(document)
    problems = [problem for check in pdf_checks.TAG_CHECKS for problem in check(written)]
    assert not problems, "\n".join(problems)
    # The layout rules too, but one: this report has no cover, and says what it is as at on every page.
    laid_out = pdf.lay_out(document)
    layout = [
        problem
        for check in pdf_checks.LAYOUT_CHECKS
        if check is not pdf_checks.page_numbers_on_the_cover
        for problem in check(laid_out)
    ]
    assert not layout, "\n".join(layout)
    for number, page in enumerate(laid_out.pages, start=1):
        margins = pdf_checks._margin_text(page._page_box)
        assert "As at the end of 28 September 2020. Not of an update round. Produced on" in margins, number
        assert f"Page {number} of {len(laid_out.pages)}" in margins


def test_st_helens_page_and_pdf_download(st_helens: Council) -> None:
    client = client_for(User.objects.get(email="adviser@st-helens.example"))
    page = client.get(page_url(st_helens, query="as_at=2020-09-28")).content.decode()
    assert "Progress as at 28 September 2020" in page and "As at the end of 28 September 2020" in page
    response = client.get(page_url(st_helens, ".pdf", "as_at=2020-09-28"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="st-helens-progress-report-2020-09-28.pdf"'
