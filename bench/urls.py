"""Every URL of the service, plus `/bench/trivial/`: signed in, full middleware, a fixed 200 response.

The benchmark reports each page's throughput as a ratio to this view, served by the same gunicorn."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from councilimprove.urls import urlpatterns as service_urlpatterns


@login_required
@require_GET
def bench_trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", bench_trivial, name="bench_trivial"), *service_urlpatterns]
