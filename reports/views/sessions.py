"""Panel sessions: every member reads them; leads record them, with their findings and next steps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from recommendations import permissions
from recommendations import selectors as core_selectors
from recommendations.forms.plan import add_service_errors
from recommendations.models import Membership
from recommendations.services.plan import StaleEdit
from recommendations.views.base import council_view, require

from .. import selectors
from ..forms import (
    MAX_ROWS,
    FindingRows,
    NextStepRows,
    SessionForm,
    finding_rows,
    next_step_rows,
    shown_as_typed,
    with_another_row,
)
from ..models import PanelSession
from ..presenters import findings_by_theme
from ..services import sessions as services


@require_GET
@council_view
def session_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    sessions = selectors.sessions_for(user=request.user, council_slug=membership.council.slug)
    return render(
        request,
        "reports/session_list.html",
        {"sessions": sessions, "can_manage_plan": permissions.can_manage_plan(membership)},
    )


@require_GET
@council_view
def session_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    can_manage_plan = permissions.can_manage_plan(membership)
    # Its summary reports: leads see drafts too; other members only those published.
    reports = selectors.reports_of_session(session=session, published_only=not can_manage_plan)
    return render(
        request,
        "reports/session_detail.html",
        {
            "session": session,
            "themes": findings_by_theme(session.findings.all()),
            "reports": list(reports),
            "can_manage_plan": can_manage_plan,
        },
    )


@require_http_methods(["GET", "POST"])
@council_view
def session_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    return _session_page(request, membership, session=None)


@require_http_methods(["GET", "POST"])
@council_view
def session_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    session = selectors.session_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    return _session_page(request, membership, session=session)


def _session_page(request: HttpRequest, membership: Membership, *, session: PanelSession | None) -> HttpResponse:
    slug = membership.council.slug
    choices = {
        "engagements": core_selectors.engagements_in_order(user=request.user, council_slug=slug),
        "peers": core_selectors.peers_for(user=request.user, council_slug=slug),
        "recommendations": core_selectors.recommendation_choices_for(user=request.user, council_slug=slug),
    }
    if request.method == "GET":
        form = SessionForm(initial=_initial(session), **choices)
        findings = finding_rows(
            initial=[
                {"theme": finding.theme, "kind": finding.kind, "text": finding.text}
                for finding in session.findings.all()
            ]
            if session
            else None
        )
        next_steps = next_step_rows(
            initial=[{"text": step.text} for step in session.next_steps.all()] if session else None
        )
        return _render(request, session, form, findings, next_steps)

    adding = request.POST.get("add", "")
    if adding in ("findings", "next_steps"):  # "Add another": the page again with one more row, nothing saved
        data = with_another_row(request.POST, adding)
        form, findings, next_steps = SessionForm(data, **choices), finding_rows(data), next_step_rows(data)
        shown_as_typed(form, findings, next_steps)
        stale = request.POST.get("stale") == "yes"  # still on the copy it was told about: keep the link
        return _render(request, session, form, findings, next_steps, stale=stale, checked=False)

    form = SessionForm(request.POST, **choices)
    findings, next_steps = finding_rows(request.POST), next_step_rows(request.POST)
    valid = [part.is_valid() for part in (form, findings, next_steps)]  # every part, so every error shows
    if all(valid):
        fields = {
            "by": request.user,
            "engagement": form.cleaned_data["engagement"],
            "held_on": form.cleaned_data["held_on"],
            "mode": form.cleaned_data["mode"],
            "peers": form.cleaned_data["peers"],
            "recommendations": form.cleaned_data["recommendations"],
            "findings": findings.rows(),
            "next_steps": next_steps.rows(),
            **{name: form.cleaned_data[name] for name in services.SESSION_DETAILS},
        }
        try:
            if session is None:
                saved = services.session_create(council=membership.council, **fields)
            else:
                # A form without the version it was opened at is treated as an old one (refused).
                expected = form.cleaned_data["version"] or 0
                saved = services.session_update(session=session, expected_version=expected, **fields)
        except StaleEdit as stale:
            # The form again with what this lead typed, now on the latest version: saving it again replaces
            # the other person's changes, which the page links to first.
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            form = SessionForm(data, **choices)
            form.is_valid()
            form.add_error(None, stale.messages[0] + ". Read the session as it is now before you save yours again")
            return _render(request, session, form, findings, next_steps, stale=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "added" if session is None else "updated"
            messages.success(request, f"The session on {date_format(saved.held_on, 'j F Y')} has been {done}")
            return redirect("session_detail", slug, saved.pk)
    return _render(request, session, form, findings, next_steps)


def _initial(session: PanelSession | None) -> dict[str, object]:
    if session is None:
        return {}
    return {
        "engagement": session.engagement_id,
        "held_on": session.held_on,
        "mode": session.mode,
        "peers": [peer.pk for peer in session.peers.all()],
        "recommendations": [recommendation.pk for recommendation in session.recommendations.all()],
        **{name: getattr(session, name) for name in services.SESSION_DETAILS},
        "version": session.version,
    }


def _render(
    request: HttpRequest,
    session: PanelSession | None,
    form: SessionForm,
    findings: FindingRows,
    next_steps: NextStepRows,
    *,
    stale: bool = False,
    checked: bool = True,
) -> HttpResponse:
    errors = form.error_list + findings.error_list + next_steps.error_list if checked else []
    context = {
        "session": session,
        "form": form,
        "findings": findings,
        "next_steps": next_steps,
        "errors": errors,
        "stale": stale,
        "max_rows": MAX_ROWS,
    }
    return render(request, "reports/session_form.html", context)
