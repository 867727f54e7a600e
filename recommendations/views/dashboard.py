"""The leadership dashboard: the council's plan as at a date (the numbers: recommendations/dashboard.py).

The page's content (filters and board) is the same for every member of the council, so it is cached as HTML
under a key that holds the council's data version, today's date and the filters asked for. Every write to
the council's data raises its version in the same transaction (services.history.council_changed), and the
version is read with the membership at the start of each request: once a write has committed, no process
reads a copy made before it, whatever its own cache holds. Filters that are not valid are never cached.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from recommendations import dashboard, selectors
from recommendations.filters import DashboardForm
from recommendations.models import Membership

from .base import council_view

CACHE_FORMAT = 2  # raise when what is cached changes shape (2: the update round)
FILTERS = ("engagement", "theme", "as_at", "as_at_day", "as_at_month", "as_at_year")


def cache_key(membership: Membership, query: QueryDict) -> str:
    """The key of the content for these filters, at the council's current data version, today."""
    council = membership.council
    asked = urlencode(sorted((name, value) for name in FILTERS for value in query.getlist(name)))
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    today = selectors.local_today().isoformat()
    return f"dashboard:{CACHE_FORMAT}:{council.pk}:{council.data_version}:{today}:{digest}"


@require_GET
@council_view
def council_home(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every member may read it. Filters that are not valid show their GOV.UK errors, and the dashboard
    shows the whole plan as at today instead: never a 500. `board` is in the context only when the page
    was made by this request (not when it came from the cache)."""
    key = cache_key(membership, request.GET)
    content = cache.get(key)
    board = None
    if content is None:
        form = DashboardForm(request.GET, user=request.user, membership=membership)
        cleaned = form.cleaned_data if form.is_valid() else {}
        today = selectors.local_today()
        as_at = cleaned.get("as_at") or today
        board = dashboard.dashboard_build(
            user=request.user,
            membership=membership,
            as_at=as_at,
            engagements=form.engagements,
            themes=form.themes,
            engagement=cleaned.get("engagement"),
            theme=cleaned.get("theme"),
        )
        html = render_to_string(
            "recommendations/dashboard/content.html",
            {"form": form, "board": board, "is_today": as_at == today, "council": membership.council},
            request=request,
        )
        content = {"html": SafeString(html), "errors": bool(form.errors)}
        if not form.errors:
            cache.set(key, content, settings.DASHBOARD_CACHE_SECONDS)
    return render(request, "recommendations/dashboard.html", {"content": content, "board": board})
