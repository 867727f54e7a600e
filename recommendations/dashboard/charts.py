"""The dashboard's charts: server-made SVG (recommendations/charts.py) with the numbers in words."""

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from recommendations import charts
from recommendations.vocabulary import RAG_KEYS, STATUS_KEYS

from .shapes import Dashboard, month_abbreviations


def _charts(dashboard: Dashboard) -> dict[str, SafeString]:
    day = date_format(dashboard.as_at, "j F Y")
    total = dashboard.recommendations.value
    status_words = ", ".join(f"{t.label} {t.number.value}" for t in dashboard.recommendation_statuses)
    rag_words = ", ".join(f"{t.label} {t.number.value}" for t in dashboard.recommendation_rags)
    result = {
        "statuses": charts.bars(
            chart_id="chart-statuses",
            title=f"Recommendations by status as at {day}",
            description=f"{total} recommendations: {status_words}.",
            rows=[(t.label, t.number.value, charts.STATUS_COLOURS[t.key]) for t in dashboard.recommendation_statuses],
        ),
        "rags": charts.bars(
            chart_id="chart-rags",
            title=f"Recommendations by RAG rating as at {day}",
            description=f"{total} recommendations: {rag_words}.",
            rows=[(t.label, t.number.value, charts.RAG_COLOURS[t.key]) for t in dashboard.recommendation_rags],
        ),
    }
    history = dashboard.history
    if history:
        months = month_abbreviations()
        labels = [f"{months[month.day.month]} {month.day.year}" for month in history]  # "M Y"

        every = max(1, -(-len(history) // 8))
        first, last = date_format(history[0].day, "F Y"), day
        for name, what, latest, keys, colours, counts in (
            ("status_history", "status", status_words, STATUS_KEYS, charts.STATUS_COLOURS, lambda m: m.statuses),
            ("rag_history", "RAG rating", rag_words, RAG_KEYS, charts.RAG_COLOURS, lambda m: m.rags),
        ):
            result[name] = charts.stacked_columns(
                chart_id=f"chart-{name.replace('_', '-')}",
                title=f"Recommendations by {what} at each month end",
                description=f"From {first} to {last}, in the table that follows the chart. Latest: {latest}.",
                labels=labels,
                every=every,
                series=[
                    charts.Series(label, colours[key], [counts(month)[i] for month in history])
                    for i, (key, label) in enumerate(keys)
                ],
            )
    return result
