"""What every council view shares: sign-in, and the user's membership of the council in the URL."""

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse

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


# The council's sections: (label, URL name, who may use it).
SECTIONS: tuple[tuple[str, str, Callable[[Membership], bool] | None], ...] = (
    ("Dashboard", "council_home", None),
    ("My work", "my_work", None),
    ("Recommendations", "recommendation_list", None),
    ("Actions", "action_list", None),
    ("Engagements", "engagement_list", None),
    ("Import", "plan_import", permissions.can_manage_plan),
    ("Sessions", "session_list", None),
    ("Reviews", "review_list", permissions.can_review),
    ("People", "people_list", permissions.can_manage_people),
)
SLUG_MARK = "slug-mark"


@cache
def section_urls(urlconf: str | None, script_prefix: str) -> dict[str, tuple[str, str]]:
    """Each section's URL around the council's slug, reversed once a process (for each URLconf and prefix)."""
    urls = {}
    for _, name, _ in SECTIONS:
        before, _, after = reverse(name, args=[SLUG_MARK]).partition(SLUG_MARK)
        urls[name] = (before, after)
    return urls


@receiver(setting_changed)
def _reverse_again(**kwargs: Any) -> None:
    section_urls.cache_clear()


def navigation(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    """The council's sections this member can use; the one the page belongs to is marked current."""
    slug = membership.council.slug
    urls = section_urls(get_urlconf(), get_script_prefix())
    items = [
        {"label": label, "url": urls[name][0] + slug + urls[name][1], "name": name}
        for label, name, allowed in SECTIONS
        if allowed is None or allowed(membership)
    ]
    for item in items:  # the Reviews tab says how many wait (for leads only; read with the membership)
        if item["name"] == "review_list":
            # A request that writes may have changed the count since the membership was read: it counts again.
            unchanged = request.method in ("GET", "HEAD")
            item["count"] = selectors.reviews_waiting_count(membership=membership, read_with_it=unchanged)
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
