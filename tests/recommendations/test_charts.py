"""The SVG charts: well-formed images with a title and a description, no inline styles, every number
written out, and colours that stay apart in greyscale."""

from xml.etree import ElementTree

import pytest

from recommendations import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 - our own markup


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_a_bar_chart_is_an_image_with_its_title_description_and_numbers() -> None:
    markup = charts.bars(
        chart_id="chart-x",
        title="Recommendations by status <today>",
        description="8 recommendations",
        rows=[
            ("In progress", 6, charts.STATUS_COLOURS["in_progress"]),
            ("Not started", 2, charts.STATUS_COLOURS["not_started"]),
        ],
    )
    root = parse(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.find(f"{SVG}title").text == "Recommendations by status <today>"  # escaped in the markup
    assert "&lt;today&gt;" in markup
    assert root.find(f"{SVG}desc").text == "8 recommendations"
    assert texts(root) == ["In progress", "6", "Not started", "2"]
    assert "style=" not in markup


def test_stacked_columns_name_their_months_and_legend() -> None:
    series = [
        charts.Series("Not started", charts.STATUS_COLOURS["not_started"], [3, 1, 0]),
        charts.Series("In progress", charts.STATUS_COLOURS["in_progress"], [0, 2, 3]),
    ]
    markup = charts.stacked_columns(
        chart_id="chart-y", title="By month", description="Three months", labels=["Jan", "Feb", "Mar"], series=series
    )
    root = parse(markup)
    words = texts(root)
    assert {"Jan", "Feb", "Mar", "Not started", "In progress"} <= set(words)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("height") not in ("14.0", "6")]
    assert len(bars) == 4  # one segment for each value that is not zero
    assert "style=" not in markup


def test_the_x_axis_names_every_nth_month_when_there_are_many() -> None:
    labels = [f"M{i}" for i in range(24)]
    series = [charts.Series("In progress", charts.STATUS_COLOURS["in_progress"], [1] * 24)]
    markup = charts.stacked_columns(chart_id="c", title="t", description="d", labels=labels, series=series, every=6)
    assert [word for word in texts(parse(markup)) if word.startswith("M")] == ["M0", "M6", "M12", "M18"]


def grey(colour: charts.Colour) -> float:
    red, green, blue = (int(colour.fill[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.mark.parametrize("palette", [charts.STATUS_COLOURS, charts.RAG_COLOURS], ids=["status", "RAG"])
def test_colours_stay_apart_in_greyscale(palette: dict[str, charts.Colour]) -> None:
    levels = sorted(grey(colour) for colour in palette.values())
    assert all(later - earlier >= 45 for earlier, later in zip(levels, levels[1:], strict=False))
    assert [colour.hatched for colour in palette.values()].count(True) == 1  # the lightest carries a hatch


def test_every_word_a_chart_writes_is_escaped_and_stays_as_written() -> None:
    """Titles, descriptions, labels and legends are written as text (escaped where they are joined), lazy
    translations included: the image parses and reads back exactly what it was given."""
    from django.utils.translation import gettext_lazy

    words = "R&D <b>\"urgent\"</b> 'now'"
    bar = charts.bars(
        chart_id="chart-b",
        title=words,
        description=f"{words} described",
        rows=[
            (words, 3, charts.STATUS_COLOURS["complete"]),
            (gettext_lazy("Complete"), 1234, charts.STATUS_COLOURS["closed"]),
        ],
    )
    root = parse(bar)
    assert root.find(f"{SVG}title").text == words
    assert root.find(f"{SVG}desc").text == f"{words} described"
    assert texts(root) == [words, "3", "Complete", "1234"]
    columns = charts.stacked_columns(
        chart_id="chart-s",
        title=words,
        description="by month",
        labels=[f"{words} {month}" for month in range(3)],
        series=[
            charts.Series(words, charts.RAG_COLOURS["green"], [1, 0, 2]),
            charts.Series(gettext_lazy("Red"), charts.RAG_COLOURS["red"], [0, 1, 1]),
        ],
    )
    root = parse(columns)
    assert root.find(f"{SVG}title").text == words
    assert [f"{words} {month}" for month in range(3)] == texts(root)[-5:-2]  # the month labels, then the legend
    assert texts(root)[-2:] == [words, "Red"]
    assert len([rect for rect in root.iter(f"{SVG}rect") if rect.get("height") != "14.0"]) >= 4
