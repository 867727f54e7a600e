"""Signing in and out, and choosing a password: Django's views with django-axes' lockout made legible.

Five failed passwords for one account from one address lock it (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME).
From the third failure the form says how many tries are left; the lockout page says when sign-in opens
again; choosing a password through an e-mailed link (a reset or an invitation) clears the account's lockout,
because the link proves the person holds the address."""

import datetime as dt
from typing import Any

from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from councilimprove.forms import ChoosePasswordForm, SignInForm

WARN_FROM_FAILURE = 3  # the failure after which the form says how many tries are left


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the address as accounts store it (lower case), so failures typed in any
    case count against one account and a reset finds them."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(typed).strip().lower()


def duration_in_words(delta: dt.timedelta) -> str:
    """'1 hour', '30 minutes', '1 hour and 30 minutes'."""
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


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

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


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (a link cannot sign anyone out); a GET shows the button that does it."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")
