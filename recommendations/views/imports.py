"""A lead imports an action plan from XLSX or CSV: upload → dry run (what will be added, changed and left,
field by field, and every problem) → "Confirm and import", which reads the kept file again, works the plan
out again against the database and writes all of it in one transaction, or nothing.

The uploaded bytes wait in the lead's session between the dry run and the confirmation, under a random
token tied to the user, the council and the engagement (never in the page: what the page sends back is the
token alone). Leads only (403 for other members; 404 outside the council)."""

import base64
import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import imports, permissions, selectors
from recommendations.exports import XLSX_CONTENT_TYPE
from recommendations.forms.imports import ImportForm
from recommendations.imports import template as import_template
from recommendations.models import Engagement, Membership

from .base import council_view, require

SESSION_KEY = "plan_import"


def _form(request: HttpRequest, membership: Membership) -> ImportForm:
    engagements = selectors.engagements_in_order(user=request.user, council_slug=membership.council.slug)
    if request.method == "POST":
        return ImportForm(request.POST, request.FILES, engagements=engagements)
    initial = {}
    wanted = request.GET.get("engagement", "")
    if wanted.isdigit():
        initial["engagement"] = engagements.filter(pk=int(wanted)).first()
    return ImportForm(initial=initial, engagements=engagements)


def _keep(
    request: HttpRequest, membership: Membership, engagement: Engagement, *, data: bytes, filename: str, digest: str
) -> str:
    """Keep the upload in the session until it is confirmed (one at a time: a new upload replaces it)."""
    token = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {
        "token": token,
        "user": request.user.pk,
        "council": membership.council_id,
        "engagement": engagement.pk,
        "filename": filename,
        "digest": digest,
        "data": base64.b64encode(data).decode("ascii"),
    }
    return token


def _kept(request: HttpRequest, membership: Membership) -> dict[str, Any] | None:
    kept = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (
        not isinstance(kept, dict)
        or not token
        or not constant_time_compare(str(kept.get("token", "")), token)
        or kept.get("user") != request.user.pk
        or kept.get("council") != membership.council_id
    ):
        return None
    return kept


def _problem_items(plan: imports.ImportPlan) -> list[dict[str, str]]:
    return [
        {"id": f"problem-{number}", "where": problem.where or "The file", "message": problem.message}
        for number, problem in enumerate(plan.problems, start=1)
    ]


def _check_page(
    request: HttpRequest, plan: imports.ImportPlan, *, token: str = "", notice: str = "", status: int = 200
) -> HttpResponse:
    problems = _problem_items(plan)
    errors = [(item["id"], f"{item['where']}: {item['message']}") for item in problems]
    context = {
        "plan": plan,
        "token": token,
        "notice": notice,
        "problems": problems,
        "errors": errors,
        "creates": plan.creates,
        "updates": plan.updates,
        "unchanged": plan.unchanged,
        "skipped": plan.skipped,
        "can_confirm": not plan.problems and plan.has_changes and bool(token),
    }
    return render(request, "recommendations/import_check.html", context, status=status)


@require_http_methods(["GET", "POST"])
@council_view
def plan_import(request: HttpRequest, membership: Membership) -> HttpResponse:
    """GET: choose the engagement and the file. POST: the dry run of that file (nothing is written)."""
    require(permissions.can_manage_plan(membership))
    form = _form(request, membership)
    if request.method == "POST" and form.is_valid():
        engagement = form.cleaned_data["engagement"]
        plan = imports.plan_import(engagement=engagement, read=form.read)
        token = ""
        if not plan.problems and plan.has_changes:
            token = _keep(
                request, membership, engagement, data=form.data_bytes, filename=form.filename, digest=plan.digest()
            )
        else:
            request.session.pop(SESSION_KEY, None)
        return _check_page(request, plan, token=token)
    return render(request, "recommendations/import_form.html", {"form": form, "max_rows": imports.MAX_ROWS})


@require_POST
@council_view
def plan_import_confirm(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Import the file the dry run showed: checked again, then all of it or nothing."""
    require(permissions.can_manage_plan(membership))
    kept = _kept(request, membership)
    if kept is None:
        messages.error(request, "The file you checked is no longer waiting to be imported. Upload it again")
        return redirect("plan_import", membership.council.slug)
    engagement = selectors.engagement_get(
        user=request.user, council_slug=membership.council.slug, pk=kept["engagement"]
    )
    data = base64.b64decode(kept["data"])
    try:
        result = imports.import_apply(
            engagement=engagement,
            data=data,
            filename=kept["filename"],
            by=request.user,
            expected_digest=kept["digest"],
        )
    except imports.PlanChanged as exc:
        token = _keep(request, membership, engagement, data=data, filename=kept["filename"], digest=exc.plan.digest())
        return _check_page(request, exc.plan, token=token if not exc.plan.problems else "", notice=exc.messages[0])
    except imports.ImportFailed as exc:
        request.session.pop(SESSION_KEY, None)
        if exc.plan is not None:
            return _check_page(request, exc.plan)
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_import", membership.council.slug)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"{kept['filename']} has been imported into {engagement.title}: {result.created} added, "
        f"{result.updated} changed",
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
