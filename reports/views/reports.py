"""Summary reports: create, read (the latest published version, or the draft for leads), edit the narrative
with a preview, publish, and the PDFs (published versions served as stored)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import permissions
from recommendations import selectors as core_selectors
from recommendations.models import Membership
from recommendations.views.base import council_view, require

from .. import selectors
from ..forms import ReportForm
from ..services import reports as services


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@council_view
def report_create(request: HttpRequest, membership: Membership, pk: int, of: str) -> HttpResponse:
    """A lead starts the summary report of a session or an engagement, and goes on to edit its narrative."""
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    if of == "session":
        report = services.report_create(
            by=request.user, session=selectors.session_get(user=request.user, council_slug=slug, pk=pk)
        )
    else:
        engagement = core_selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
        report = services.report_create(by=request.user, engagement=engagement)
    messages.success(request, "Report created: write its introduction, then preview and publish it")
    return redirect("report_edit", slug, report.pk)


@require_GET
@council_view
def report_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """Leads read the draft, made now, with the published versions; other members the latest published
    version, as stored."""
    report = selectors.report_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    versions = list(selectors.versions_of(report=report))
    is_lead = permissions.can_manage_plan(membership)
    if is_lead:
        html = services.render_content(report, draft=True, generated_at=timezone.now()).html
    elif versions:
        html = selectors.version_html(version=versions[0])
    else:
        html = ""
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "is_lead": is_lead,
            "content_html": mark_safe(html),  # noqa: S308 - our own template's output, as rendered or stored
        },
    )


@require_GET
@council_view
def report_pdf(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """The latest published version's PDF, as stored; for leads, `?draft=yes` (or no version yet) makes the
    draft's, marked DRAFT on every page."""
    report = selectors.report_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    latest = selectors.versions_of(report=report).first()
    wants_draft = request.GET.get("draft") == "yes" or latest is None
    if wants_draft:
        if not permissions.can_manage_plan(membership):
            raise Http404("This report has not been published")
        rendered = services.render_content(report, draft=True, generated_at=timezone.now())
        return _pdf_response(services.render_pdf(report, rendered, draft=True), services.download_name(report, "draft"))
    version = selectors.version_get(report=report, number=latest.number)
    return _pdf_response(version.pdf, services.download_name(report, f"v{version.number}"))


@require_GET
@council_view
def report_version_pdf(request: HttpRequest, membership: Membership, pk: int, number: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    version = selectors.version_get(report=report, number=number)
    return _pdf_response(version.pdf, services.download_name(report, f"v{version.number}"))


@require_http_methods(["GET", "POST"])
@council_view
def report_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """The lead's narrative: save it, or preview the report with it (nothing is saved by a preview)."""
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    report = selectors.report_get(user=request.user, council_slug=slug, pk=pk)
    initial = {name: getattr(report, name) for name in services.NARRATIVE_FIELDS} | {"version": report.version}
    form = ReportForm(request.POST or None, initial=initial)
    preview, warnings = "", []
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.NARRATIVE_FIELDS}
        if request.POST.get("action") == "preview":
            for name, value in changes.items():
                setattr(report, name, value)
            rendered = services.render_content(report, draft=True, generated_at=timezone.now())
            preview, warnings = rendered.html, rendered.warnings(report)
        else:
            try:
                services.report_update(
                    report=report, by=request.user, expected_version=form.cleaned_data["version"], **changes
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Report saved")
                return redirect("report_detail", slug, report.pk)
    return render(
        request,
        "reports/report_form.html",
        {
            "report": report,
            "form": form,
            "preview_html": mark_safe(preview),  # noqa: S308 - our template's output
            "warnings": warnings,
        },
    )


@require_http_methods(["GET", "POST"])
@council_view
def report_publish(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """Publishing is a decision: the page says which version this will be, that it will never change, and
    every unresolved warning with where it is fixed. Publishing anyway records that the lead saw them. A
    publication whose warnings changed since the page was made (someone edited meanwhile) is shown again."""
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    report = selectors.report_get(user=request.user, council_slug=slug, pk=pk)
    rendered = services.render_content(report, draft=True, generated_at=timezone.now())
    warnings = rendered.warnings(report)
    digest = services.warnings_digest(warnings)
    changed = False
    if request.method == "POST":
        if request.POST.get("seen") == digest:
            try:
                version = services.report_publish(
                    report=report, by=request.user, warnings_seen=[warning.message for warning in warnings]
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, f"Version {version.number} published: it will not change from now on")
            return redirect("report_detail", slug, report.pk)
        changed = True
    return render(
        request,
        "reports/report_publish.html",
        {
            "report": report,
            "number": services.next_version_number(report),
            "warnings": warnings,
            "digest": digest,
            "changed": changed,
            "filename": services.download_name(report, f"v{services.next_version_number(report)}"),
        },
    )
