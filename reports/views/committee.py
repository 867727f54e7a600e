"""The progress report to committee: the page (with the choice of a closed round or a date), its PDF and its
XLSX. Every member of the council may read it, as they read the dashboard; another council's round is a 404."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from recommendations import selectors as core_selectors
from recommendations.models import Membership
from recommendations.spreadsheet import XLSX_CONTENT_TYPE
from recommendations.views.base import council_view

from .. import committee, committee_files
from ..forms import CommitteeReportForm


def _chosen(request: HttpRequest, membership: Membership) -> tuple[CommitteeReportForm, committee.Moment | None]:
    """The form read from the query, and the moment it chooses (None where the form has errors). A round that
    is not one of the council's answers 404; an open one, or a date that is not real, is an error on the form."""
    slug = membership.council.slug
    rounds = core_selectors.rounds_for(user=request.user, council_slug=slug)
    asked = request.GET.get("round", "").strip()
    chosen_round = None
    if asked:
        if not asked.isdigit():
            raise Http404("No such update round")
        chosen_round = core_selectors.round_get(user=request.user, council_slug=slug, pk=int(asked))
    form = CommitteeReportForm(request.GET, rounds=[r for r in rounds if r.closed_at is not None])
    if not form.is_valid():
        return form, None
    if chosen_round is not None:
        return form, committee.moment_of_round(chosen_round)
    day = form.cleaned_data.get("as_at") or core_selectors.local_today()
    return form, committee.moment_of_day(membership.council, day)


@require_GET
@council_view
def progress_report(request: HttpRequest, membership: Membership) -> HttpResponse:
    form, moment = _chosen(request, membership)
    report = committee.committee_report(membership.council, moment) if moment else None
    query = request.GET.urlencode()
    return render(
        request,
        "reports/committee_report.html",
        {
            "form": form,
            "report": report,
            "content_html": committee_files.content_html(report, request=request, page={"form": form, "query": query})
            if report
            else "",
        },
    )


def _file(request: HttpRequest, membership: Membership, extension: str) -> HttpResponse:
    form, moment = _chosen(request, membership)
    if moment is None:  # the page says what is wrong with the choice
        page = reverse("progress_report", args=[membership.council.slug])
        return redirect(f"{page}?{request.GET.urlencode()}")
    report = committee.committee_report(membership.council, moment)
    if extension == "pdf":
        response = HttpResponse(committee_files.render_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(committee_files.render_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.filename(extension)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@council_view
def progress_report_pdf(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _file(request, membership, "pdf")


@require_GET
@council_view
def progress_report_xlsx(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _file(request, membership, "xlsx")
