"""Charts as server-made SVG, for the dashboard and the summary report (the same markup renders in the
browser and in WeasyPrint).

Each chart is an image with a title and a description (`role="img"`, `aria-labelledby`); the page shows the
same numbers in a table beside it. Colours are told apart in greyscale (their lightness differs by a wide
step, and the lightest carries a hatch and an outline) and every colour is named in the legend. Only
presentation attributes are used (`fill=`), never `style=`: the Content-Security-Policy allows no inline
styles.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from councilimprove import escaping

INK = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "'Source Sans 3', Arial, sans-serif"  # the report PDF embeds Source Sans 3; browsers fall back to Arial
HATCH = "hatch"  # a colour that is drawn with the hatch pattern over it


@dataclass(frozen=True)
class Colour:
    fill: str
    hatched: bool = False


# Status and RAG colours, darkest to lightest (greyscale lightness 11, 73, 136, 242; 47, 97, 196, 242).
STATUS_COLOURS = {
    "closed": Colour("#0b0c0c"),
    "complete": Colour("#00703c"),
    "in_progress": Colour("#5694ca"),
    "not_started": Colour("#f3f2f1", hatched=True),
}
RAG_COLOURS = {
    "green": Colour("#00482a"),
    "red": Colour("#d4351c"),
    "amber": Colour("#ffbf47"),
    "not_assessed": Colour("#f3f2f1", hatched=True),
}


@dataclass(frozen=True)
class Series:
    label: str
    colour: Colour
    values: Sequence[int]


_text = escaping.conditional_escape  # a chart writes some 200 values


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> SafeString:
    w, h, id_, font, ink = _text(width), _text(height), _text(chart_id), _text(FONT), _text(INK)
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" viewBox="0 0 {w} {h}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{id_}-title {id_}-desc" '
        f'font-family="{font}" font-size="14" fill="{ink}">'
        f'<title id="{id_}-title">{_text(title)}</title><desc id="{id_}-desc">{_text(description)}</desc>'
        f'<defs><pattern id="{id_}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f2f1"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="1.5"/></pattern></defs>'
    )


def _paint(chart_id: str, colour: Colour) -> str:
    """How a rectangle of the colour is filled (our own colours and the chart's id: nothing to escape)."""
    if colour.hatched:
        return f'fill="url(#{chart_id}-hatch)" stroke="#505a5f" stroke-width="1"'
    return f'fill="{colour.fill}"'


def _rect(chart_id: str, colour: Colour, x: float, y: float, width: float, height: float) -> SafeString:
    """A filled rectangle (numbers and our own colours only: nothing to escape)."""
    return SafeString(
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" {_paint(chart_id, colour)}/>'
    )


def _n(value: float) -> str:
    """A coordinate, to one decimal place."""
    return f"{value:.1f}"


def _legend(chart_id: str, series: Sequence[Series], y: int) -> SafeString:
    """The colours' names in one row of swatches under the chart."""
    parts, x = [], 0.0
    for item in series:
        parts.append(_rect(chart_id, item.colour, x, y, 14, 14))
        parts.append(f'<text x="{_text(_n(x + 20))}" y="{_text(y + 12)}">{_text(item.label)}</text>')
        x += 20 + 8 * len(item.label) + 24
    return SafeString("".join(parts))


def bars(*, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int, Colour]]) -> SafeString:
    """Horizontal bars, one per row (label, value, colour), each labelled with its words and its number."""
    label_width, bar_width, row_height = 190, 210, 30
    largest = max([value for _label, value, _colour in rows] + [1])
    height = row_height * len(rows) + 10
    parts = [_open(chart_id, label_width + bar_width + 40, height, title, description)]
    for index, (label, value, colour) in enumerate(rows):
        y = 5 + index * row_height
        length = bar_width * value / largest
        parts.append(f'<text x="0" y="{_text(y + 17)}">{_text(label)}</text>')
        parts.append(_rect(chart_id, colour, label_width, y + 3, max(length, 1), row_height - 8))
        parts.append(f'<text x="{_text(_n(label_width + length + 6))}" y="{_text(y + 17)}">{_text(value)}</text>')
    parts.append(SafeString("</svg>"))
    return SafeString("".join(parts))


def _ticks(largest: int) -> list[int]:
    """Round gridline values from 0 to at least `largest`, about five of them."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        step = candidate
        if largest / candidate <= 5:
            break
    top = -(-max(largest, 1) // step) * step
    return list(range(0, top + 1, step))


def stacked_columns(
    *, chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series], every: int = 1
) -> SafeString:
    """Stacked columns over time: one column per label (a month end), one segment per series; the x axis
    names every `every`th label."""
    left, top, plot_width, plot_height = 40, 10, 640, 220
    totals = [sum(item.values[index] for item in series) for index in range(len(labels))]
    ticks = _ticks(max(totals + [1]))
    scale = plot_height / ticks[-1]
    slot = plot_width / max(len(labels), 1)
    column = max(slot * 0.8, 1)
    height = top + plot_height + 70
    parts = [_open(chart_id, left + plot_width + 10, height, title, description)]
    for tick in ticks:
        y = top + plot_height - tick * scale
        parts.append(
            f'<line x1="{_text(left)}" y1="{_text(_n(y))}" x2="{_text(left + plot_width)}" y2="{_text(_n(y))}" '
            f'stroke="{_text(GRID)}" stroke-width="1"/>'
            f'<text x="{_text(left - 6)}" y="{_text(_n(y + 5))}" text-anchor="end">{_text(tick)}</text>'
        )
    # Some 500 segments for five years of month ends: each drawn as text, the chart marked safe once.
    paints = [(item.values, _paint(chart_id, item.colour)) for item in series]
    width = f"{column:.1f}"
    for index, label in enumerate(labels):
        x = f"{left + index * slot + (slot - column) / 2:.1f}"  # the column's, for each of its segments
        y = top + plot_height
        for values, paint in paints:
            value = values[index]
            if value:
                parts.append(
                    f'<rect x="{x}" y="{y - value * scale:.1f}" width="{width}" height="{value * scale:.1f}" {paint}/>'
                )
                y -= value * scale
        if index % every == 0:
            parts.append(
                f'<text x="{_text(_n(left + index * slot + slot / 2))}" y="{_text(top + plot_height + 20)}" '
                f'text-anchor="middle">{_text(label)}</text>'
            )
    axis = _text(top + plot_height)
    parts.append(
        f'<line x1="{_text(left)}" y1="{axis}" x2="{_text(left + plot_width)}" y2="{axis}" stroke="{_text(INK)}"/>'
    )
    parts.append(_legend(chart_id, series, top + plot_height + 40))
    parts.append(SafeString("</svg>"))
    return SafeString("".join(parts))
