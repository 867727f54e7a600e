"""Every rule of the timescale (recommendations/imports/timescales.py) in one table: the words as plans write
them, the due date they give (or none), and the words kept beside it."""

import datetime as dt

import pytest

from recommendations.imports.timescales import derive, shows_day

D = dt.date


def excel(year: int, month: int, day: int) -> dt.datetime:
    """A date cell as openpyxl reads it: a naive datetime."""
    return dt.datetime(year, month, day)  # noqa: DTZ001


DERIVED = [
    # a date, as a cell or as text: that day, no words to keep
    (excel(2023, 12, 1), "dd/mm/yyyy", D(2023, 12, 1), ""),
    (D(2024, 3, 31), "d/m/yyyy", D(2024, 3, 31), ""),
    ("31/03/2024", "", D(2024, 3, 31), ""),
    ("31/3/24", "", D(2024, 3, 31), ""),
    ("2024-03-31", "", D(2024, 3, 31), ""),
    ("31 March 2024", "", D(2024, 3, 31), ""),
    ("4th March 2024", "", D(2024, 3, 4), ""),
    # a month: its last day, the words kept
    ("December 2023", "", D(2023, 12, 31), "December 2023"),
    ("Dec 2023", "", D(2023, 12, 31), "Dec 2023"),
    ("Dec-23", "", D(2023, 12, 31), "Dec-23"),
    ("Dec 23", "", D(2023, 12, 31), "Dec 23"),
    ("Sept 2024", "", D(2024, 9, 30), "Sept 2024"),
    ("February 2024", "", D(2024, 2, 29), "February 2024"),
    ("  december   2023 ", "", D(2023, 12, 31), "december 2023"),
    # a date cell whose number format shows no day: Excel made a date of a month
    (excel(2023, 12, 1), "mmm-yy", D(2023, 12, 31), "December 2023"),
    (excel(2023, 12, 1), "mmmm yyyy", D(2023, 12, 31), "December 2023"),
    (excel(2024, 2, 1), "[$-809]mmmm\\ yyyy;@", D(2024, 2, 29), "February 2024"),
    # the end of a month, by a month
    ("End of March 2024", "", D(2024, 3, 31), "End of March 2024"),
    ("By end of March 2024", "", D(2024, 3, 31), "By end of March 2024"),
    ("By March 2024", "", D(2024, 3, 31), "By March 2024"),
    # a quarter of the UK financial year
    ("Q1 2023/24", "", D(2023, 6, 30), "Q1 2023/24"),
    ("Q2 2023/24", "", D(2023, 9, 30), "Q2 2023/24"),
    ("Q3 2023/24", "", D(2023, 12, 31), "Q3 2023/24"),
    ("Q4 2023/24", "", D(2024, 3, 31), "Q4 2023/24"),
    ("q3 2023-2024", "", D(2023, 12, 31), "q3 2023-2024"),
    # a financial year
    ("2023/24", "", D(2024, 3, 31), "2023/24"),
    ("2023-24", "", D(2024, 3, 31), "2023-24"),
    ("2099/00", "", D(2100, 3, 31), "2099/00"),
    # week commencing: the Friday of that week
    ("w/c 4 March 2024", "", D(2024, 3, 8), "w/c 4 March 2024"),
    ("W/C 04/03/2024", "", D(2024, 3, 8), "W/C 04/03/2024"),
    ("Week commencing 6 March 2024", "", D(2024, 3, 8), "Week commencing 6 March 2024"),
    # X and ongoing: as X, the words kept
    ("July 2023 and ongoing", "", D(2023, 7, 31), "July 2023 and ongoing"),
    ("July 2023 - ongoing", "", D(2023, 7, 31), "July 2023 - ongoing"),
    ("Q3 2023/24 onwards", "", D(2023, 12, 31), "Q3 2023/24 onwards"),
    ("31/07/2023 and ongoing", "", D(2023, 7, 31), "31/07/2023 and ongoing"),
]

NOT_DERIVED = [
    "Ongoing",
    "ongoing ",
    "TBC",
    "To be confirmed",
    "Complete",
    "Completed",
    "Spring 2024",
    "Autumn 2023",
    "Early summer",
    "Next year",
    "As soon as possible",
    "23 Dec",  # a number before the month is a day: no year
    "Q5 2023/24",
    "Q3 2023/25",  # not one financial year
    "2023/25",
    "31/02/2024",  # not a real day
    "13/13/2024",
    "Smarch 2024",
    "December 1850",
    "1.1",
]


@pytest.mark.parametrize(("cell", "number_format", "due", "words"), DERIVED)
def test_a_timescale_gives_its_due_date_and_keeps_its_words(cell, number_format, due, words) -> None:
    derived = derive(cell, number_format=number_format)
    assert (derived.due, derived.words) == (due, words)
    if words:
        assert derived.note.endswith(f"{due.day} {due:%B} {due.year}") or "the month’s last day" in derived.note


@pytest.mark.parametrize("cell", NOT_DERIVED)
def test_words_that_name_no_date_are_kept_without_one(cell) -> None:
    derived = derive(cell)
    assert derived.due is None
    assert derived.words == " ".join(cell.split())
    assert derived.note == f"‘{derived.words}’ names no date: no due date, the words are kept"


def test_an_empty_cell_gives_nothing() -> None:
    assert derive(None) == derive("  ") == derive("")
    assert derive(None).due is None and derive(None).words == "" and derive(None).note == ""


def test_the_dry_run_says_how_a_month_was_read() -> None:
    assert derive("December 2023").note == "December 2023 → 31 December 2023"
    assert derive(excel(2023, 12, 1), number_format="mmm-yy").note == (
        "December 2023 → 31 December 2023 (the month’s last day)"
    )


@pytest.mark.parametrize(
    ("number_format", "day"),
    [
        ("d/m/yyyy", True),
        ("dd/mm/yyyy", True),
        ("yyyy-mm-dd", True),
        ("d mmmm yyyy", True),
        ("General", True),
        ("", True),
        ("mmm-yy", False),
        ("mmmm yyyy", False),
        ("mmm\\ yyyy", False),
        ("[$-809]mmmm yyyy;@", False),
        ('"Due "mmm yy', False),
    ],
)
def test_a_number_format_shows_the_day_or_not(number_format, day) -> None:
    assert shows_day(number_format) is day
