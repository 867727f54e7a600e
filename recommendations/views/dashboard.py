"""The leadership dashboard: the council's plan as at a date (recommendations/dashboard.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recommendations import dashboard, selectors
from recommendations.filters import DashboardForm
from recommendations.models import Membership

from .base import council_view


@require_GET
@council_view
def council_home(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every member may read it. Filters that are not valid show their GOV.UK errors, and the dashboard
    shows the whole plan as at today instead: never a 500."""
    form = DashboardForm(request.GET, user=request.user, membership=membership)
    cleaned = form.cleaned_data if form.is_valid() else {}
    as_at = cleaned.get("as_at") or selectors.local_today()
    board = dashboard.dashboard_for(
        user=request.user,
        membership=membership,
        as_at=as_at,
        engagement=cleaned.get("engagement"),
        theme=cleaned.get("theme"),
    )
    return render(
        request,
        "recommendations/dashboard.html",
        {"form": form, "board": board, "is_today": as_at == selectors.local_today()},
    )
