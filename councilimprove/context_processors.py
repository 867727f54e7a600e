from typing import Any

from django.conf import settings
from django.http import HttpRequest


def constants() -> dict[str, Any]:
    """What the layout shows that depends on the settings alone: all that its `once` blocks see
    (councilimprove/templatetags/layout.py)."""
    idle = settings.SESSION_COOKIE_AGE
    return {
        "service_name": settings.SERVICE_NAME,
        "session_timeout": {"idle_seconds": idle, "warning_seconds": min(settings.SESSION_TIMEOUT_WARNING, idle)},
    }


def service(request: HttpRequest) -> dict[str, str]:
    """The service name, for the header and page titles."""
    return {"service_name": settings.SERVICE_NAME}


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """For a signed-in page: how long a session lasts without a request, and how long before that the timeout
    warning opens (templates/includes/timeout_warning.html, static/js/timeout-warning.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_timeout": constants()["session_timeout"]}
