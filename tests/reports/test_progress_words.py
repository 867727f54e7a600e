"""The executive summary's progress: in words, then RAG percentages of those assessed, whole numbers by
largest remainder so they sum to 100, with those not yet assessed stated separately."""

import datetime as dt

import pytest

from reports.content import ReportItem, largest_remainder, progress_in_words


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ([17, 3, 0], [85, 15, 0]),  # "85 per cent green, 15 per cent amber"
        ([1, 1, 1], [34, 33, 33]),  # a tie goes to the earlier
        ([2, 1, 4], [29, 14, 57]),  # 28.57, 14.29, 57.14: rounding each would give 100 by luck; this by rule
        ([1, 6, 1], [13, 75, 12]),  # 12.5 each: the earlier takes the point
        ([0, 0, 0], [0, 0, 0]),
        ([5], [100]),
    ],
)
def test_largest_remainder_sums_to_100(counts: list[int], shares: list[int]) -> None:
    assert largest_remainder(counts) == shares
    assert sum(shares) in (0, 100)


def item(status: str, rag: str) -> ReportItem:
    return ReportItem("R1", "", "", "", status, rag, "", None, [])


def test_progress_in_words_with_not_yet_assessed_apart() -> None:
    items = [item("complete", "green")] * 5 + [item("in_progress", "amber")] * 2 + [item("not_started", "")]
    assert progress_in_words(items, dt.date(2021, 3, 16)) == [
        "As at 16 March 2021, of the 8 recommendations, 5 were complete or closed, 2 in progress and 1 not started.",
        "Of the 7 assessed: 71 per cent green and 29 per cent amber.",
        "1 recommendation had not yet been assessed.",
    ]
    assert progress_in_words([], dt.date(2021, 3, 16)) == []
