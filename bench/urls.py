"""Every URL of the service, plus two for the benchmark:

- `/bench/trivial/`: signed in, full middleware, a fixed 200 response. The benchmark reports each page's
  throughput as a ratio to this view, served by the same gunicorn.
- `/bench/cold/<slug>/`: the dashboard with this process's cache emptied first, so every request builds it.
"""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from councilimprove.urls import urlpatterns as service_urlpatterns
from recommendations.views.dashboard import council_home


@login_required
@require_GET
def bench_trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def bench_cold_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    cache.clear()
    return council_home(request, slug)


urlpatterns = [
    path("bench/trivial/", bench_trivial, name="bench_trivial"),
    path("bench/cold/<slug:slug>/", bench_cold_dashboard, name="bench_cold_dashboard"),
    *service_urlpatterns,
]
