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
from recommendations.forms.imports import ColumnsForm, ImportForm
from recommendations.imports import mapping, pending, remembered
from recommendations.imports import template as import_template
from recommendations.imports.reading import read_mapped, read_table
from recommendations.imports.rows import ReadFile
from recommendations.models import Engagement, Membership, PendingImport
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
    request: HttpRequest,
    plan: imports.ImportPlan,
    *,
    token: str = "",
    notice: str = "",
    status: int = 200,
    read: ReadFile | None = None,
    token_kept: str = "",
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
        "warning_count": f"{len(plan.warnings):,}",
        "own_layout": read is not None and read.own_layout,
        "token_kept": token_kept,
        "columns": mapping.described(read.mapping, read.table.headings) if read is not None and read.own_layout else [],
        "bulleted": read is not None and any("bulleted list" in note.message for note in read.notes),
        "split_bullets": read is not None and read.split_bullets,
    }
    return render(request, "recommendations/import_check.html", context, status=status)


def _keep(
    request: HttpRequest,
    plan: imports.ImportPlan,
    engagement: Engagement,
    *,
    data: bytes,
    filename: str,
    choices: dict | None = None,
) -> str:
    """Keep the upload for its confirmation if there is anything to confirm (its token); else let go of the
    user's waiting upload ("")."""
    if not plan.can_apply:
        pending.discard(user=request.user)
        return ""
    return pending.keep(
        user=request.user, engagement=engagement, data=data, filename=filename, digest=plan.digest(), choices=choices
    )


def _choices(kept: PendingImport) -> tuple[str | None, dict[int, str] | None, bool]:
    """(sheet, columns, split bulleted lists) as the lead chose them for a kept upload of a council's own plan."""
    choices = kept.choices or {}
    columns = choices.get("columns")
    return (
        choices.get("sheet") or None,
        {int(index): field for index, field in columns.items()} if columns is not None else None,
        bool(choices.get("split_bullets")),
    )


def _columns_page(
    request: HttpRequest, kept: PendingImport, form: ColumnsForm, *, remembered_columns: bool = False
) -> HttpResponse:
    context = {
        "form": form,
        "token": kept.token,
        "filename": kept.filename,
        "engagement": kept.engagement,
        "table": form.table,
        "remembered": remembered_columns,
        "errors": form.error_list if form.is_bound else [],
    }
    return render(request, "recommendations/import_columns.html", context, status=200 if not form.errors else 400)


def _own_plan_upload(request: HttpRequest, membership: Membership, form: ImportForm) -> HttpResponse:
    """A council's own plan: kept, with the columns as the council last mapped such headings or as guessed,
    and the mapping step shown (the dry run follows it)."""
    read = form.read
    table = read.table
    last = remembered.last_columns(council=membership.council, table=table)
    columns = last if last is not None else read.mapping
    token = pending.keep(
        user=request.user,
        engagement=form.cleaned_data["engagement"],
        data=form.data_bytes,
        filename=form.filename,
        digest="",
        choices={"sheet": table.sheet, "columns": {str(i): f for i, f in columns.items()}, "split_bullets": False},
    )
    kept = pending.kept(user=request.user, council=membership.council, token=token)
    return _columns_page(request, kept, ColumnsForm(table=table, columns=columns), remembered_columns=last is not None)


@require_http_methods(["GET", "POST"])
@council_view
def plan_import(request: HttpRequest, membership: Membership) -> HttpResponse:
    """GET: choose the engagement and the file. POST: the dry run of that file (nothing is written)."""
    require(permissions.can_manage_plan(membership))
    form = _form(request, membership)
    if request.method == "POST" and form.is_valid():
        if form.read.own_layout:
            return _own_plan_upload(request, membership, form)
        engagement = form.cleaned_data["engagement"]
        plan = imports.plan_import(engagement=engagement, read=form.read)
        token = _keep(request, plan, engagement, data=form.data_bytes, filename=form.filename)
        return _check_page(request, plan, token=token)
    return render(request, "recommendations/import_form.html", {"form": form, "max_rows": imports.MAX_ROWS})


@require_POST
@council_view
def plan_import_columns(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The mapping step of a council's own plan: what each column holds (and which sheet), then its dry run.
    `step`: "columns" (the mapping chosen: its dry run), "sheet" (another sheet: its columns), "change" (back
    from the dry run to the mapping), "split" (the dry run again, bulleted lists split or not)."""
    require(permissions.can_manage_plan(membership))
    kept = pending.kept(user=request.user, council=membership.council, token=request.POST.get("token", ""))
    if kept is None:
        messages.error(request, "The file you uploaded is no longer waiting to be imported. Upload it again")
        return redirect("plan_import", membership.council.slug)
    engagement = selectors.engagement_get(
        user=request.user, council_slug=membership.council.slug, pk=kept.engagement_id
    )
    data, filename = bytes(kept.data), kept.filename
    step = request.POST.get("step", "")
    sheet, columns, split = _choices(kept)
    if step == "sheet":
        sheet = request.POST.get("sheet") or sheet
    try:
        table = read_table(data=data, filename=filename, sheet=sheet)
    except imports.FileRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_import", membership.council.slug)
    if isinstance(table, ReadFile):  # the export's layout asks no questions
        return redirect("plan_import", membership.council.slug)
    if step == "sheet":
        last = remembered.last_columns(council=membership.council, table=table)
        columns = last if last is not None else mapping.guess(table.headings, table.samples(20))
        pending.choose(
            kept,
            choices={"sheet": table.sheet, "columns": {str(i): f for i, f in columns.items()}, "split_bullets": split},
            digest="",
        )
        return _columns_page(request, kept, ColumnsForm(table=table, columns=columns), remembered_columns=bool(last))
    if step == "change":
        return _columns_page(request, kept, ColumnsForm(table=table, columns=columns or {}))
    if step == "split":
        split = request.POST.get("split_bullets") == "yes"
    else:
        form = ColumnsForm(request.POST, table=table, columns=columns or {})
        if not form.is_valid():
            return _columns_page(request, kept, form)
        columns = form.columns()
        remembered.remember(council=membership.council, table=table, columns=columns)
    read = read_mapped(table, columns=columns, split_bullets=split)
    plan = imports.plan_import(engagement=engagement, read=read)
    pending.choose(
        kept,
        choices={"sheet": table.sheet, "columns": {str(i): f for i, f in columns.items()}, "split_bullets": split},
        digest=plan.digest(),
    )
    return _check_page(request, plan, token=kept.token if plan.can_apply else "", read=read, token_kept=kept.token)


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
    sheet, columns, split = _choices(kept)
    if kept.choices and not kept.digest:  # a council's own plan whose columns are not yet chosen
        messages.error(request, "Check what each column holds and check the import before you confirm it")
        return redirect("plan_import", membership.council.slug)
    try:
        result = imports.import_apply(
            engagement=engagement,
            data=data,
            filename=filename,
            by=request.user,
            expected_digest=kept.digest,
            sheet=sheet,
            columns=columns,
            split_bullets=split,
            invite=request.POST.get("invite") == "yes",
        )
    except imports.PlanChanged as exc:
        token = _keep(request, exc.plan, engagement, data=data, filename=filename, choices=kept.choices)
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
