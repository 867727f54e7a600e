"""A lead imports an action plan from XLSX or CSV: upload → dry run (what will be added, changed and left,
field by field, and every problem) → "Confirm and import", which reads the kept file again, works the plan
out again against the database and writes all of it in one transaction, or nothing.

The uploaded bytes wait in the database between the dry run and the confirmation (imports.pending), under
a random token tied to the user and the engagement (never in the page: what the page sends back is the
token alone). Leads only (403 for other members; 404 outside the council)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import imports, permissions, selectors
from recommendations.forms.imports import ImportForm
from recommendations.imports import pending
from recommendations.imports import template as import_template
from recommendations.models import Engagement, Membership
from recommendations.spreadsheet import XLSX_CONTENT_TYPE

from .base import council_view, require


def _form(request: HttpRequest, membership: Membership) -> ImportForm:
    engagements = selectors.engagements_in_order(user=request.user, council_slug=membership.council.slug)
    if request.method == "POST":
        return ImportForm(request.POST, request.FILES, engagements=engagements)
    initial = {}
    wanted = request.GET.get("engagement", "")
    if wanted.isdigit():
        initial["engagement"] = engagements.filter(pk=int(wanted)).first()
    return ImportForm(initial=initial, engagements=engagements)


def _problem_items(plan: imports.ImportPlan) -> list[dict[str, str]]:
    """The first MAX_SHOWN problems: a file can have tens of thousands, and the page must stay small."""
    return [
        {"id": f"problem-{number}", "where": problem.where or "The file", "message": problem.message}
        for number, problem in enumerate(plan.problems[: imports.MAX_SHOWN], start=1)
    ]


def _more(items: list, what: str) -> str:
    """ "and 29,900 more problems" when there are more than are shown; else ""."""
    more = len(items) - imports.MAX_SHOWN
    return f"and {more:,} more {what}" if more > 0 else ""


def _check_page(
    request: HttpRequest, plan: imports.ImportPlan, *, token: str = "", notice: str = "", status: int = 200
) -> HttpResponse:
    problems = _problem_items(plan)
    more_problems = _more(plan.problems, "problems")
    errors = [(item["id"], f"{item['where']}: {item['message']}") for item in problems]
    if more_problems:
        errors.append(("", more_problems))
    context = {
        "plan": plan,
        "token": token,
        "notice": notice,
        "problems": problems,
        "problem_count": f"{len(plan.problems):,}",
        "more_problems": more_problems,
        "warnings": plan.warnings[: imports.MAX_SHOWN],
        "more_warnings": _more(plan.warnings, "warnings"),
        "errors": errors,
        "creates": plan.creates,
        "updates": plan.updates,
        "unchanged": plan.unchanged,
        "skipped": plan.skipped,
        "can_confirm": plan.can_apply and bool(token),
    }
    return render(request, "recommendations/import_check.html", context, status=status)


def _keep(request: HttpRequest, plan: imports.ImportPlan, engagement: Engagement, *, data: bytes, filename: str) -> str:
    """Keep the upload for its confirmation if there is anything to confirm (its token); else let go of the
    user's waiting upload ("")."""
    if not plan.can_apply:
        pending.discard(user=request.user)
        return ""
    return pending.keep(user=request.user, engagement=engagement, data=data, filename=filename, digest=plan.digest())


@require_http_methods(["GET", "POST"])
@council_view
def plan_import(request: HttpRequest, membership: Membership) -> HttpResponse:
    """GET: choose the engagement and the file. POST: the dry run of that file (nothing is written)."""
    require(permissions.can_manage_plan(membership))
    form = _form(request, membership)
    if request.method == "POST" and form.is_valid():
        engagement = form.cleaned_data["engagement"]
        plan = imports.plan_import(engagement=engagement, read=form.read)
        token = _keep(request, plan, engagement, data=form.data_bytes, filename=form.filename)
        return _check_page(request, plan, token=token)
    return render(request, "recommendations/import_form.html", {"form": form, "max_rows": imports.MAX_ROWS})


@require_POST
@council_view
def plan_import_confirm(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Import the file the dry run showed: checked again, then all of it or nothing."""
    require(permissions.can_manage_plan(membership))
    kept = pending.kept(user=request.user, council=membership.council, token=request.POST.get("token", ""))
    if kept is None:
        messages.error(request, "The file you checked is no longer waiting to be imported. Upload it again")
        return redirect("plan_import", membership.council.slug)
    engagement = selectors.engagement_get(
        user=request.user, council_slug=membership.council.slug, pk=kept.engagement_id
    )
    data, filename = bytes(kept.data), kept.filename
    try:
        result = imports.import_apply(
            engagement=engagement, data=data, filename=filename, by=request.user, expected_digest=kept.digest
        )
    except imports.PlanChanged as exc:
        token = _keep(request, exc.plan, engagement, data=data, filename=filename)  # none after a second click
        return _check_page(request, exc.plan, token=token, notice=exc.messages[0])
    except imports.ImportFailed as exc:
        pending.discard(user=request.user)
        if exc.plan is not None:
            return _check_page(request, exc.plan)
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_import", membership.council.slug)
    pending.discard(user=request.user)
    messages.success(
        request,
        f"{filename} has been imported into {engagement.title}: {result.created} added, {result.updated} changed",
    )
    return redirect(reverse("engagement_detail", args=[membership.council.slug, engagement.pk]))


@require_GET
@council_view
def plan_import_template(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The template workbook: the export's sheets with an example row each, and notes on every column."""
    require(permissions.can_manage_plan(membership))
    response = HttpResponse(import_template.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{import_template.FILENAME}"'
    return response
