"""The plan as a download: XLSX and CSV, with the filters of the tables (recommendations/exports.py says
which rows; docs/SPREADSHEET.md the layout). Every member may download it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from recommendations import exports, spreadsheet
from recommendations.filters import RecommendationFilterSet
from recommendations.models import Membership

from .base import council_view


def _download(
    request: HttpRequest, membership: Membership, *, extension: str, content_type: str, write: Callable
) -> HttpResponse:
    filterset = RecommendationFilterSet(request.GET, user=request.user, membership=membership)
    if not filterset.is_valid():  # the table shows what is wrong with the filters
        list_url = reverse("recommendation_list", args=[membership.council.slug])
        return redirect(f"{list_url}?{request.GET.urlencode()}")
    plan = exports.plan_for_export(filterset=filterset)
    response = HttpResponse(write(plan), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.filename(extension)}"'
    return response


@require_GET
@council_view
def plan_export_xlsx(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _download(
        request, membership, extension="xlsx", content_type=spreadsheet.XLSX_CONTENT_TYPE, write=exports.plan_xlsx
    )


@require_GET
@council_view
def plan_export_csv(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _download(
        request, membership, extension="csv", content_type=spreadsheet.CSV_CONTENT_TYPE, write=exports.plan_csv
    )
