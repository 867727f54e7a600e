from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str]:
    """The service name, for the header and page titles."""
    return {"service_name": settings.SERVICE_NAME}


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """For a signed-in page: how long a session lasts without a request, and how long before that the timeout
    warning opens (templates/includes/timeout_warning.html, static/js/timeout-warning.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    idle = settings.SESSION_COOKIE_AGE
    return {"session_timeout": {"idle_seconds": idle, "warning_seconds": min(settings.SESSION_TIMEOUT_WARNING, idle)}}
