"""What every council view shares: sign-in, and the user's membership of the council in the URL."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from recommendations import permissions, selectors
from recommendations.models import Membership

CouncilView = Callable[..., HttpResponse]


def council_view(view: CouncilView) -> CouncilView:
    """Resolve the user's active membership of the council named by `slug` (404 outside it) and pass it
    to the view as `membership`; templates get `council` and `membership` through the context processor."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = selectors.membership_get(user=request.user, council_slug=slug)
        request.membership = membership  # type: ignore[attr-defined]
        with selectors.membership_known(membership):  # the selectors the view calls need not look it up again
            return view(request, membership, *args, **kwargs)

    return wrapper


def require(allowed: bool) -> None:
    """A member without the right gets 403 (they know the council exists; outsiders got 404 already)."""
    if not allowed:
        raise PermissionDenied


def navigation(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    """The council's sections this member can use; the one the page belongs to is marked current."""
    slug = membership.council.slug
    sections = [
        ("Dashboard", "council_home", True),
        ("My work", "my_work", True),
        ("Recommendations", "recommendation_list", True),
        ("Actions", "action_list", True),
        ("Engagements", "engagement_list", True),
        ("Import", "plan_import", permissions.can_manage_plan(membership)),
        ("Sessions", "session_list", True),
        ("Reviews", "review_list", permissions.can_review(membership)),
        ("People", "people_list", permissions.can_manage_people(membership)),
    ]
    items = [
        {"label": label, "url": reverse(name, args=[slug]), "name": name} for label, name, shown in sections if shown
    ]
    for item in items:  # the Reviews tab says how many wait (one query, for leads only)
        if item["name"] == "review_list":
            item["count"] = selectors.reviews_waiting_count(membership=membership)
    for item in items[1:]:  # the longest matching section wins; the overview only on its own page
        item["current"] = request.path.startswith(item["url"])
    items[0]["current"] = request.path == items[0]["url"]
    return items


def membership_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the council of the page being shown, for the header and navigation."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        return {}
    # Built once a request: a template rendered with the request inside the page (a cached fragment, say) runs
    # the context processors again, and the navigation costs a query for a lead.
    built = getattr(request, "_membership_context", None)
    if built is None or built["membership"] is not membership:
        built = {"membership": membership, "council": membership.council, "navigation": navigation(request, membership)}
        request._membership_context = built  # type: ignore[attr-defined]
    return built


def service_errors_on(form: Form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one, else in the error summary."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
