from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from councilimprove import accounts, views
from councilimprove.converters import IdConverter
from councilimprove.forms import ResetPasswordForm
from recommendations.views.people import InviteAcceptView

register_converter(IdConverter, "id")

handler500 = "councilimprove.faults.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("health/", views.health, name="health"),
    path("health/ready/", views.health_ready, name="health_ready"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("accounts/session/", accounts.session_extend, name="session_extend"),
    path("accounts/preferences/", accounts.preferences, name="account_preferences"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetPasswordForm),
        name="password_reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.ChoosePasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/invite/<uidb64>/<token>/", InviteAcceptView.as_view(), name="invite_accept"),
    path("councils/", include("recommendations.urls")),
    path("councils/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
