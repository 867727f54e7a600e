"""The import's checks of one row, field by field (recommendations/imports/checks.py), without a database: each
cell read or refused with its problem by row and column, including the checks a whole file rarely reaches."""

import datetime as dt

from recommendations.imports.checks import Invitee, RowCells
from recommendations.imports.rows import Cell, Problem, Row
from recommendations.models import Council, Engagement, Rag, Recommendation, Status, User
from recommendations.vocabulary import DUE_BEFORE_START


def cells_of(**values: object) -> RowCells:
    """One row with the cells given (keyword names with spaces for underscores), and its problems and warnings."""
    cells = {
        name.replace("_", " "): Cell(f"{column}4", value)
        for column, (name, value) in zip("ABCDEFGH", values.items(), strict=False)
    }
    return RowCells(Row("action", "Row 4", cells), problems=[], warnings=[])


def problems(cells: RowCells) -> list[str]:
    return [f"{problem.where}: {problem.message}" for problem in cells.problems]


def test_a_reference_is_needed_and_fits_the_plan() -> None:
    assert cells_of(Reference=" 3.1 ").reference("Reference", "reference of the action") == "3.1"
    for cells, problem in [
        (cells_of(), "Enter the reference of the action"),
        (cells_of(Reference=""), "Enter the reference of the action"),
        (cells_of(Reference="x" * 21), "must be 20 characters or fewer: it has 21"),
    ]:
        assert cells.reference("Reference", "reference of the action") is None
        assert problems(cells) == [f"Row 4, Reference: {problem}"]


def test_the_engagement_cell_names_this_one_another_of_the_council_or_none() -> None:
    this, other = Engagement(title="CPC 2024"), Engagement(title="Review 2025")
    engagements = {"cpc 2024": this, "review 2025": other}
    assert cells_of(Engagement=" cpc  2024").other_engagement(this, engagements) is None
    assert cells_of(Engagement="").other_engagement(this, engagements) is None
    assert cells_of(Engagement="REVIEW 2025").other_engagement(this, engagements) is other
    unknown = cells_of(Engagement="Elsewhere")
    assert unknown.other_engagement(this, engagements) is False
    assert problems(unknown) == [
        "Row 4, Engagement: ‘Elsewhere’ is not one of the council's engagements. Leave it empty or write ‘CPC 2024’"
    ]


def test_an_owner_is_a_member_by_email_or_the_leaver_who_owns_it_now() -> None:
    council = Council(name="Borsetshire County Council")
    member, leaver = User(email="sam@borsetshire.example"), User(email="jo@borsetshire.example")
    owners = {"sam@borsetshire.example": member}
    item = Recommendation(owner=leaver)
    assert cells_of(Owner_email="SAM@borsetshire.example").owner(None, owners=owners, council=council) == (True, member)
    assert cells_of(Owner_email="jo@borsetshire.example").owner(item, owners=owners, council=council) == (True, leaver)
    assert cells_of(Owner_email="").owner(item, owners=owners, council=council) == (True, None)
    assert cells_of().owner(item, owners=owners, council=council) == (False, None)
    stranger = cells_of(Owner_email="Jo@borsetshire.example")
    assert stranger.owner(None, owners=owners, council=council) == (True, "jo@borsetshire.example")
    assert isinstance(stranger.owner(None, owners=owners, council=council)[1], Invitee)
    assert problems(stranger) == []
    assert cells_of(Owner_email="Head of Corporate Services").owner(item, owners=owners, council=council) == (
        False,
        None,
    )  # a role: kept as the owner as written (owner_name), whoever is assigned stays
    assert cells_of(Owner_email="Head of Corporate Services").owner_name() == "Head of Corporate Services"
    assert cells_of(Owner_email="sam@borsetshire.example").owner_name() == ""
    assert cells_of(Owner_email="").owner_name() is None
    wrong = cells_of(Owner_email="jo@")
    assert wrong.owner(None, owners=owners, council=council) == (False, None)
    assert problems(wrong) == ["Row 4, Owner email: ‘jo@’ is not an e-mail address in the correct format"]


def test_a_status_cell_names_a_status_or_leaves_it() -> None:
    assert cells_of(Status="complete").status(Status.IN_PROGRESS) == Status.COMPLETE
    assert cells_of(Status="Closed").status(Status.IN_PROGRESS) == Status.CLOSED
    assert cells_of(Status="  ").status(Status.IN_PROGRESS) == Status.IN_PROGRESS
    assert cells_of().status(Status.NOT_STARTED) == Status.NOT_STARTED
    wrong = cells_of(Status="Nearly there")
    assert wrong.status(Status.IN_PROGRESS) is None
    assert problems(wrong)[0].startswith("Row 4, Status: ‘Nearly there’ is not a status. Write one of ‘Not started’")


def test_a_rag_cell_names_a_rating_and_cannot_remove_one() -> None:
    assert cells_of(RAG="A").rag("") == Rag.AMBER
    assert cells_of(RAG="").rag(Rag.RED) == Rag.RED
    assert cells_of(RAG="Not assessed").rag("") == ""
    removed = cells_of(RAG="Not assessed")
    assert removed.rag(Rag.AMBER) is None
    assert problems(removed) == ["Row 4, RAG: A RAG rating cannot be removed: write Green, Amber or Red (now Amber)"]
    wrong = cells_of(RAG="Purple")
    assert wrong.rag(Rag.GREEN) is None
    assert problems(wrong) == ["Row 4, RAG: ‘Purple’ is not a RAG rating. Write Green, Amber or Red"]


def test_the_dates_of_an_action_keep_the_date_rule() -> None:
    start, due = dt.date(2024, 4, 1), dt.date(2024, 3, 1)
    early = cells_of()
    early.dates_in_order(start=start, due=due, baseline=None, start_changed=True)
    assert problems(early) == [f"Row 4, Due date: {DUE_BEFORE_START}"]
    late = cells_of()
    late.dates_in_order(start=start, due=dt.date(2024, 6, 1), baseline=due, start_changed=True)
    assert problems(late) == ["Row 4, Start date: The start date cannot be after the first due date set (1 March 2024)"]
    kept = cells_of()
    kept.dates_in_order(start=start, due=dt.date(2024, 6, 1), baseline=due, start_changed=False)
    kept.dates_in_order(start=None, due=due, baseline=due, start_changed=True)
    assert kept.problems == []


def test_a_date_that_is_not_yet_set_is_a_warning_and_a_bad_one_a_problem() -> None:
    cells = cells_of(Start_date="TBC", Due_date="31/02/2024")
    assert cells.date("Start date") == (True, None)
    assert cells.date("Due date") == (False, None)
    assert cells.warnings == [Problem("Row 4, Start date", "‘TBC’ is not a date: the date is left empty")]
    assert problems(cells) == ["Row 4, Due date: ‘31/02/2024’ is not a real date"]
