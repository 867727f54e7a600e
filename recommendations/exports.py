"""The plan as a spreadsheet: XLSX (a Recommendations sheet and an Actions sheet) and CSV (one file, a
`Type` column). docs/SPREADSHEET.md describes the layout; it is the layout the import reads back, so the
columns, the labels for status and RAG, and the rule for text that looks like a formula are defined here
once, as data, for both directions.

Which rows: the recommendations the filters select (RecommendationFilterSet, every filter), and the
actions under those recommendations that also match the filters on the action's own position: status,
RAG rating, owner and overdue, all as at the same date. Every value is as at that date (selectors.with_position:
status, RAG, due date, % complete, owner, theme and lead directorate), and so is the update whose RAG reason
and assurance reason (the lead's, where they rated it differently from the owner) are written. Both sheets
are in plan order."""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from openpyxl import Workbook

from recommendations import selectors
from recommendations.filters import ActionFilterSet, RecommendationFilterSet
from recommendations.models import Action, Council, Recommendation
from recommendations.spreadsheet import (
    ACTION_COLUMNS,
    ACTION_TYPE,
    ACTIONS_SHEET,
    CSV_HEADERS,
    DATE,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TYPE,
    RECOMMENDATIONS_SHEET,
    TEXT,
    Column,
    escape_text,
    write_sheet,
)

# The filters that the actions under the chosen recommendations must also match (on their own position).
ACTION_FILTERS = ("status", "rag", "owner", "overdue", "as_at", "as_at_day", "as_at_month", "as_at_year")


# --- the rows ---------------------------------------------------------------------------------------


@dataclass
class PlanExport:
    council: Council
    as_at: dt.date
    recommendations: list[Recommendation]
    actions: list[Action]

    def filename(self, extension: str) -> str:
        """`st-helens-plan-2021-03-31.xlsx`: the council and the date the position is as at."""
        return f"{self.council.slug}-plan-{self.as_at.isoformat()}.{extension}"

    def actions_of(self) -> dict[int, list[Action]]:
        grouped: dict[int, list[Action]] = {}
        for action in self.actions:
            grouped.setdefault(action.recommendation_id, []).append(action)
        return grouped


def plan_for_export(*, filterset: RecommendationFilterSet) -> PlanExport:
    """The rows of the export, from a valid filter set (two queries, whatever the size of the plan)."""
    as_at = filterset.as_at_date
    recommendations = filterset.qs
    action_data = QueryDict(mutable=True)
    for name in ACTION_FILTERS:
        if name in filterset.data:
            action_data.setlist(name, filterset.data.getlist(name))
    actions = ActionFilterSet(action_data, user=filterset.user, membership=filterset.membership).qs.filter(
        recommendation__in=recommendations.values("pk")
    )
    return PlanExport(
        council=filterset.membership.council,
        as_at=as_at,
        recommendations=list(
            selectors.with_position_text(
                recommendations,
                as_at=as_at,
                position_rag_reason="rag_reason",
                position_assurance_reason="assurance_reason",
            )
        ),
        actions=list(actions),
    )


# --- XLSX -------------------------------------------------------------------------------------------


def plan_xlsx(plan: PlanExport) -> bytes:
    workbook = Workbook()
    write_sheet(workbook.active, RECOMMENDATION_COLUMNS, plan.recommendations)
    workbook.active.title = RECOMMENDATIONS_SHEET
    write_sheet(workbook.create_sheet(ACTIONS_SHEET), ACTION_COLUMNS, plan.actions)
    workbook.properties.title = f"{plan.council.name} improvement plan as at {plan.as_at:%d/%m/%Y}"
    workbook.properties.creator = "Council Improve"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV --------------------------------------------------------------------------------------------


def _csv_value(column: Column, value: Any) -> str:
    if value in (None, ""):
        return ""
    if column.kind == TEXT:
        return escape_text(str(value))
    if column.kind == DATE:
        return value.isoformat()
    return str(int(value))


def _csv_row(kind: str, columns: Iterable[Column], item: Any) -> list[str]:
    cells = {column.header: _csv_value(column, column.value(item)) for column in columns}
    return [kind, *(cells.get(header, "") for header in CSV_HEADERS[1:])]


def plan_csv(plan: PlanExport) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads it as UTF-8); each recommendation is followed
    by its actions; dates are ISO (yyyy-mm-dd)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    actions = plan.actions_of()
    for recommendation in plan.recommendations:
        writer.writerow(_csv_row(RECOMMENDATION_TYPE, RECOMMENDATION_COLUMNS, recommendation))
        for action in actions.get(recommendation.pk, []):
            writer.writerow(_csv_row(ACTION_TYPE, ACTION_COLUMNS, action))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
