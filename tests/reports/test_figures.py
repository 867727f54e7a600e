"""Key figures: printed as reports print them, and derived figures checked against their formula."""

from decimal import Decimal

import pytest

from reports.figures import figure_lines, format_value
from reports.models import KeyFigure


def figure(key: str, value: str, formula: str = "", label: str = "", unit: str = KeyFigure.Unit.POUNDS) -> KeyFigure:
    return KeyFigure(key=key, label=label or key, value=Decimal(value), formula=formula, unit=unit)


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        ("20400000", KeyFigure.Unit.POUNDS, "£20.4m"),
        ("30350000", KeyFigure.Unit.POUNDS, "£30.35m"),
        ("85000", KeyFigure.Unit.POUNDS, "£85,000"),
        ("12.50", KeyFigure.Unit.PERCENT, "12.5%"),
        ("1200", KeyFigure.Unit.COUNT, "1,200"),
    ],
)
def test_figures_are_printed_as_reports_print_them(value: str, unit: str, printed: str) -> None:
    assert format_value(Decimal(value), unit) == printed


def test_a_derived_figure_that_does_not_add_up_is_flagged_in_words() -> None:
    pressure = figure("pressure", "30350000", label="COVID-19 cost and income pressure")
    funding = figure("funding", "13200000", label="Additional COVID funding")
    shortfall = figure("shortfall", "17120000", "pressure - funding", label="Shortfall")
    lines = figure_lines([pressure, funding, shortfall])
    assert [line.disagrees for line in lines] == [False, False, True]
    assert lines[2].computed == "£17.15m"
    assert lines[2].check == (
        "The published figure is £17.12m, but £30.35m (COVID-19 cost and income pressure) − £13.2m "
        "(Additional COVID funding) is £17.15m: a difference of £30,000."
    )


def test_a_derived_figure_that_adds_up_says_so() -> None:
    lines = figure_lines([figure("a", "10"), figure("b", "4"), figure("c", "14", "a + b")])
    assert (lines[2].computed, lines[2].check) == ("£14", "")


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("a - nothing", "it refers to “nothing”, which is not a key figure of the council"),
        ("a / (b - b)", "it divides by zero"),
        ("__import__('os').system('x')", "it uses something other than figures, numbers, + − × ÷ and brackets"),
        ("a +", "it is not a formula of figures, numbers, + − × ÷ and brackets"),
    ],
)
def test_a_formula_that_cannot_be_computed_says_why_and_runs_nothing(formula: str, reason: str) -> None:
    lines = figure_lines([figure("a", "10"), figure("b", "4"), figure("c", "1", formula)])
    assert lines[2].check == f"Its formula “{formula}” cannot be checked: {reason}."


def test_a_formula_too_large_to_compute_says_so() -> None:
    lines = figure_lines([figure("a", "99999999999999.99"), figure("b", "1", "a * a * a * a")])
    assert lines[1].check == "Its formula “a * a * a * a” cannot be checked: its result is too large."
