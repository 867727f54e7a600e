"""Signing in and out, and choosing a password: Django's views with django-axes' lockout made legible.

Five failed passwords for one account from one address lock it (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME).
From the third failure the form says how many tries are left; the lockout page says when sign-in opens
again; choosing a password through an e-mailed link (a reset or an invitation) clears the account's lockout,
because the link proves the person holds the address."""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from councilimprove.forms import ChoosePasswordForm, PreferencesForm, SignInForm
from recommendations import permissions, selectors
from recommendations.models import Membership, User
from recommendations.services.reminders import reminder_preferences_set

WARN_FROM_FAILURE = 3  # the failure after which the form says how many tries are left


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the address as accounts store it (lower case), so failures typed in any
    case count against one account and a reset finds them."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(typed).strip().lower()


def duration_in_words(delta: dt.timedelta) -> str:
    """'1 hour', '30 minutes', '1 hour and 30 minutes' ('20 seconds' under a minute)."""
    if delta.total_seconds() < 60:
        seconds = int(delta.total_seconds())
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    minutes = rest // 60
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)


def time_in_words(moment: dt.datetime) -> str:
    """GOV.UK style, in the service's time zone: '3:37pm on 6 December 2026'."""
    local = timezone.localtime(moment)
    return f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'} on {local.day} {local:%B %Y}"


def lockout_words() -> str:
    cool_off = get_cool_off()
    return duration_in_words(cool_off) if cool_off else ""


TIMED_OUT = "timeout=1"  # on the sign-in page's address: the session ran out


def login_required_json(view: Callable[[HttpRequest], JsonResponse]) -> Callable[[HttpRequest], JsonResponse]:
    """A POST-only view for a signed-in page's script: a visitor who is not signed in gets 401, not a redirect."""

    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest) -> JsonResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False}, status=401)
        return view(request)

    return wrapper


def landing_url(user: User) -> str:
    """Where someone lands after signing in (when no page asked for them): a member of one council lands where
    their work is. Officers on My work; improvement leads on Reviews when an update waits for sign-off, else on
    the dashboard; leadership and advisers on the dashboard. A member of several councils (or none) chooses."""
    memberships = list(selectors.memberships_for(user=user)[:2])
    if len(memberships) != 1:
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    membership = memberships[0]
    slug = membership.council.slug
    if membership.role == Membership.Role.OFFICER:
        return reverse("my_work", args=[slug])
    if permissions.can_review(membership) and selectors.reviews_waiting_count(membership=membership):
        return reverse("review_list", args=[slug])
    return reverse("council_home", args=[slug])


class SignInView(auth_views.LoginView):
    """Django's sign-in with the lockout made legible; a safe `next` is followed (LoginView checks it is on
    this site), else each role lands where its work is (`landing_url`)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """`timed_out`: they were signed out for being idle (`timeout=1`), and after how long."""
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("timeout") == "1":
            context["timed_out_after"] = duration_in_words(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
        return context

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        """After a wrong password (not a missing field), from the third failure: how many tries are left."""
        context: dict[str, Any] = {"form": form}
        if form.has_error("__all__", code="invalid_login"):
            credentials = {"username": form.cleaned_data.get("username", "")}
            failures = AxesProxyHandler.get_failures(self.request, credentials)
            tries_left = get_failure_limit(self.request, credentials) - failures
            if failures >= WARN_FROM_FAILURE and tries_left > 0:
                context.update(tries_left=tries_left, lockout_for=lockout_words())
        return self.render_to_response(self.get_context_data(**context))


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying when sign-in opens again (the last failure plus the
    cool-off: every attempt while locked counts as another) and that a password reset unlocks it."""
    cool_off = get_cool_off(request)
    last_attempt = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {
        "opens_at": time_in_words(last_attempt + cool_off) if cool_off else "",
        "lockout_for": duration_in_words(cool_off) if cool_off else "",
    }
    return render(request, "registration/locked_out.html", context, status=axes_settings.AXES_HTTP_RESPONSE_CODE)


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """The e-mailed link's page for a new password. Saving it clears the account's sign-in lockout."""

    form_class = ChoosePasswordForm

    def form_valid(self, form: ChoosePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.email.lower())
        return response


class SignedOutByTimeoutMiddleware:
    """A request that still carries a session cookie, but whose session has ended (it ran out: signing out
    deletes the cookie), and that is sent to sign in, is sent with `timeout=1`: the sign-in page then says
    why. (The timeout warning's script sends the same when the time runs out in an open page.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 302
            and request.COOKIES.get(settings.SESSION_COOKIE_NAME)  # signing out empties and deletes it
            and not request.user.is_authenticated
        ):
            location = urlsplit(response["Location"])
            if location.path == resolve_url(settings.LOGIN_URL) and "timeout" not in parse_qs(location.query):
                query = f"{location.query}&{TIMED_OUT}" if location.query else TIMED_OUT
                response["Location"] = urlunsplit(location._replace(query=query))
        return response


@login_required_json
def session_extend(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in" (POST): the request itself starts the idle time again (SESSION_SAVE_EVERY_REQUEST);
    the answer says how long the session now lasts. Signed out already: 401, and the page sends them to sign in."""
    request.session.modified = True
    return JsonResponse({"signed_in": True, "expires_in": request.session.get_expiry_age()})


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (a link cannot sign anyone out); a GET shows the button that does it."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's email preferences: the optional reminders (for leads) on or off. Reminders about
    their own items in an update round always go, and the page says so."""
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial=PreferencesForm.initial_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        reminder_preferences_set(user=request.user, **form.choices_made())
        messages.success(request, "Email preferences saved")
        return redirect("account_preferences")
    return render(request, "pages/preferences.html", {"form": form})
