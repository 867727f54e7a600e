"""The recommendations and actions tables: filter (GET), sort, page through and export.

Every member may read them. The filters are in recommendations/filters.py; a filter form that is not
valid (an as-at date that is not a real date, a choice not on the list) shows its GOV.UK errors and the
rows fall back to today with the filters that were valid: never a 500."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from recommendations import selectors
from recommendations.filters import ActionFilterSet, PlanFilterSet, RecommendationFilterSet
from recommendations.models import Membership
from recommendations.tables import ActionTable, PageRows, PlanTable, RecommendationTable

from .base import council_view


def export_query(query: QueryDict) -> str:
    """The current filters, for the export links: the query string without the table's sort and page."""
    kept = query.copy()
    for name in ("sort", "page"):
        kept.pop(name, None)
    return kept.urlencode()


def _table_page(
    request: HttpRequest,
    membership: Membership,
    *,
    filterset: PlanFilterSet,
    table_class: type[PlanTable],
    heading: str,
    template: str,
) -> HttpResponse:
    as_at = filterset.as_at_date
    table = table_class(
        PageRows(filterset.page_reader(table_class)),
        slug=membership.council.slug,
        as_at=as_at if as_at < selectors.local_today() else None,
        caption=f"{{count}} {{items}} as at {date_format(as_at, 'j F Y')}",
    ).configure(request)
    return render(
        request,
        template,
        {
            "heading": heading,
            "filter": filterset,
            "table": table,
            "as_at": as_at,
            "sort": request.GET.get(table.prefixed_order_by_field, ""),
            "export_query": export_query(request.GET),
        },
    )


@require_GET
@council_view
def recommendation_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    filterset = RecommendationFilterSet(request.GET, user=request.user, membership=membership)
    return _table_page(
        request,
        membership,
        filterset=filterset,
        table_class=RecommendationTable,
        heading="Recommendations",
        template="recommendations/recommendation_list.html",
    )


@require_GET
@council_view
def action_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    filterset = ActionFilterSet(request.GET, user=request.user, membership=membership)
    return _table_page(
        request,
        membership,
        filterset=filterset,
        table_class=ActionTable,
        heading="Actions",
        template="recommendations/action_list.html",
    )
