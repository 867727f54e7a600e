"""The council's people: who is a member, in which role; invite, change a role, deactivate a leaver.

Only improvement leads reach these pages (DESIGN.md §2: leads manage people). Other members get 403:
the list holds colleagues' e-mail addresses and what each person owns, which they do not need to do their
own work (owners' names already show on the plan). Outsiders get 404, as everywhere.

The invitation's one-time link to set a password (`invite_accept`) is here too, since an invitation is
what it completes.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councilimprove.accounts import ChoosePasswordView
from recommendations import permissions, selectors, services
from recommendations.forms.people import CouncilSettingsForm, DeactivateForm, InviteForm, RoleForm
from recommendations.services.people import Handover, invitation_expiry_days, reassign_candidates

from ..models import Membership
from .base import council_view, require, service_errors_on


def _people_list(membership: Membership) -> str:
    return reverse("people_list", args=[membership.council.slug])


@require_GET
@council_view
def people_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_manage_people(membership))
    members = selectors.members_for(user=request.user, council_slug=membership.council.slug)
    storage = selectors.storage_for(user=request.user, council_slug=membership.council.slug)
    return render(request, "recommendations/people_list.html", {"members": members, "storage": storage})


@require_http_methods(["GET", "POST"])
@council_view
def council_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The council's settings, for its leads: how often progress is expected (the update interval), and how
    many days before an update round's due date owners are reminded."""
    require(permissions.can_manage_people(membership))
    council = membership.council
    form = CouncilSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "update_interval_months": council.update_interval_months,
            "reminder_days_before_due": council.reminder_days_before_due,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.council_settings_update(council=council, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(request, "Settings saved")
            return redirect("people_list", council.slug)
    return render(request, "recommendations/council_settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@council_view
def people_invite(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_manage_people(membership))
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.member_invite(council=membership.council, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(
                request, f"{invited.user} has been added as {invited.get_role_display().lower()} and sent an email"
            )
            return redirect(_people_list(membership))
    return render(
        request, "recommendations/people_invite.html", {"form": form, "expiry_days": invitation_expiry_days()}
    )


@require_http_methods(["GET", "POST"])
@council_view
def people_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_people(membership))
    member = selectors.member_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    if request.method == "GET":
        form = RoleForm(initial={"role": member.role})
    else:
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                services.membership_change_role(membership=member, role=form.cleaned_data["role"], by=request.user)
            except ValidationError as exc:
                service_errors_on(form, exc)
            else:
                messages.success(request, f"{member.user} is now {member.get_role_display().lower()}")
                if member.pk == membership.pk and not permissions.can_manage_people(member):
                    return redirect(membership.council)  # they gave up managing people themselves
                return redirect(_people_list(membership))
    return render(request, "recommendations/people_edit.html", {"member": member, "form": form})


@require_POST
@council_view
def people_resend(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_people(membership))
    member = selectors.member_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    try:
        services.member_invite_resend(membership=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation has been sent to {member.user.email} again")
    return redirect("people_edit", membership.council.slug, member.pk)


@require_http_methods(["GET", "POST"])
@council_view
def people_deactivate(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """GET shows what the leaver owns and asks who takes it over; only the POST deactivates."""
    require(permissions.can_manage_people(membership))
    slug = membership.council.slug
    member = selectors.member_get(user=request.user, council_slug=slug, pk=pk)
    recommendations = list(
        selectors.recommendations_for(user=request.user, council_slug=slug).filter(owner=member.user)
    )
    actions = list(selectors.actions_for(user=request.user, council_slug=slug).filter(owner=member.user))
    owns_items = bool(recommendations or actions)
    candidates = reassign_candidates(council=membership.council, leaver=member)
    form = DeactivateForm(
        request.POST if request.method == "POST" else None, candidates=candidates, owns_items=owns_items
    )
    if request.method == "POST" and member.is_active and form.is_valid():
        try:
            handover = services.membership_deactivate(
                membership=member, by=request.user, reassign_to=form.cleaned_data.get("reassign_to")
            )
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(request, _handover_message(handover))
            if member.pk == membership.pk:
                return redirect("home")  # they removed their own access
            return redirect(_people_list(membership))
    context: dict[str, Any] = {
        "member": member,
        "form": form,
        "recommendations": recommendations,
        "actions": actions,
        "owns_items": owns_items,
        "candidates": candidates,
    }
    return render(request, "recommendations/people_deactivate.html", context)


def _handover_message(handover: Handover) -> str:
    name = handover.membership.user
    moved = []
    if handover.recommendations:
        moved.append(f"{handover.recommendations} recommendation{'s' if handover.recommendations != 1 else ''}")
    if handover.actions:
        moved.append(f"{handover.actions} action{'s' if handover.actions != 1 else ''}")
    if not moved:
        return f"{name} no longer has access to {handover.membership.council.name}"
    return (
        f"{name} no longer has access to {handover.membership.council.name}. "
        f"Their {' and '.join(moved)} now belong to {handover.reassign_to}"
    )


class InviteAcceptView(ChoosePasswordView):
    """The invitation's one-time link: the new member chooses a password and is signed in, as GOV.UK
    services do after an invitation (the link proved they hold the address). The link is Django's
    password-reset token, so it stops working once the password is set and expires after
    PASSWORD_RESET_TIMEOUT. Signing in goes through login() with an explicit backend, never
    authenticate(), so django-axes (whose backend needs a request) is not involved; like a reset, setting
    the password clears any sign-in lockout on the account."""

    template_name = "registration/invite_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context.get("validlink"):
            context["invitee"] = self.user
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been set and you are signed in")
        return response
