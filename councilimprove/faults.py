"""Faults that are waits, not errors.

When the database cannot be reached, a page answers 503 with the service's "try again in a minute" page and
a Retry-After header, never the 500 page. The page renders with a plain context (no context processors, no
user, no session), so it needs nothing from the database. A form that was being sent comes back as a form
that sends the same values again (passwords and files excepted: a page never holds those), so what the user
typed is not lost; a progress form's submission key makes sending it twice safe.

Expected refusals (403, 404) log one line, without a traceback."""

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
NOT_SENT_AGAIN = ("password",)  # fields whose names contain these are never written into a page


def _kept(name: str) -> bool:
    return not any(word in name.lower() for word in NOT_SENT_AGAIN)


def _typed(name: str) -> bool:
    """What the user typed, as opposed to what the page carried for itself (tokens, keys, versions)."""
    hidden = ("csrfmiddlewaretoken", "submission_key", "version", "token", "-TOTAL_FORMS", "-INITIAL_FORMS")
    return not any(part in name for part in hidden) and not name.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS"))


def _leave_the_session_alone(request: HttpRequest) -> None:
    """A session that could not be read is left as it is: SessionMiddleware would otherwise read it again on
    the way out (and fail again), and an empty session would make it delete the cookie, signing the user out.
    With an empty cache under its key it does neither, and it never saves on a 5xx."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        session._session_cache = {}


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page, made without a query. A POST gets a form that sends what it carried once more."""
    _leave_the_session_alone(request)
    posted = [(name, value) for name, value in request.POST.lists() if _kept(name)] if request.method == "POST" else []
    fields = [(name, value) for name, values in posted for value in values]
    context = {
        "request": request,  # for the CSP nonce only
        "service_name": settings.SERVICE_NAME,
        "retry_url": request.get_full_path(),
        "was_post": request.method == "POST",
        "fields": fields,
        "typed": [(name.replace("_", " ").capitalize(), value) for name, value in fields if _typed(name) and value],
        "left_out": bool(request.FILES) or any(not _kept(name) for name in request.POST),
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database answers 503, logged in one line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database fault raised outside a view (a middleware's query) is a wait as well."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return unavailable_response(request)
    return defaults.server_error(request)


class RefusalsInOneLine(logging.Filter):
    """On django.request: a 403 or 404 is the service working as meant, so its record carries no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in {403, 404}:
            record.exc_info = None
            record.exc_text = None
        return True
