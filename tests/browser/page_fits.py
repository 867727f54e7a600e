"""What the page-fit walk checks (test_every_page_fits_lead.py and _officer.py): given the St Helens demo, every
page of the URL walk that answers a GET with HTML, opened by the lead and by the officer at 1280 px and at 320 px
(WCAG 1.4.10: a 1280 px window at 400% zoom), fits its window (nothing scrolls sideways but a wide table's own
region; at 1280 px the navigation is one line), passes axe, and has a <title> that starts with its h1. The walk
is two test modules, the lead's and the officer's, so the two test processes take one each (a module runs whole
in one process); each copies the demo from its process's one seeded copy."""

import datetime as dt

from django.urls import get_resolver, reverse

from recommendations import selectors, services
from recommendations.models import Action, Council, Engagement, Membership, Recommendation, User
from reports.models import PanelSession, SummaryReport

from ..test_page_titles import title_problem
from ..test_url_walk import COMMON_ARGUMENTS, EXPECTATIONS, walk
from .conftest import axe_violations

WIDTHS = (1280, 320)
# Files, not pages; and pages that only send a signed-in user on (home, sign-in).
NOT_PAGES = {
    "health",
    "health_ready",
    "evidence_download",
    "plan_export_xlsx",
    "plan_export_csv",
    "plan_import_template",
    "report_pdf",
    "report_version_pdf",
    "progress_report_pdf",
    "progress_report_xlsx",
    "home",
    "login",
}


def st_helens_pages() -> list[str]:
    """A concrete address for every GET page of the URL walk, on St Helens' own records."""
    council = Council.objects.get(slug="st-helens")
    officer = User.objects.get(email="officer@st-helens.example")
    action = Action.objects.filter(recommendation__engagement__council=council, owner=officer).first()
    draft = services.update_create(item=action, author=officer, status="in_progress", rag="green")
    waiting_item = Action.objects.filter(recommendation__engagement__council=council).exclude(pk=action.pk)
    waiting_item = next(item for item in waiting_item if services.waiting_update(item) is None)
    waiting = services.update_create(
        item=waiting_item, author=officer, status="in_progress", rag="green", narrative="Line one\nLine two"
    )
    services.update_submit(update=waiting, notify=False)
    recommendation = Recommendation.objects.filter(engagement__council=council).order_by("pk").first()
    engagement = Engagement.objects.filter(council=council).order_by("pk").first()
    session = PanelSession.objects.filter(engagement__council=council).order_by("pk").first()
    report = SummaryReport.objects.filter(session__engagement__council=council).order_by("pk").first()
    member = Membership.objects.get(council=council, user=officer)
    lead = User.objects.get(email="lead@st-helens.example")
    due = selectors.local_today() + dt.timedelta(days=14)
    update_round = services.round_open(by=lead, council=council, period_end=dt.date(2027, 1, 31), due_date=due)
    ids = {
        "recommendation_detail": recommendation.pk,
        "recommendation_update_new": recommendation.pk,
        "recommendation_edit": recommendation.pk,
        "action_create": recommendation.pk,
        "action_detail": action.pk,
        "action_update_new": action.pk,
        "action_edit": action.pk,
        "update_edit": draft.pk,
        "update_delete": draft.pk,
        "review_detail": waiting.pk,
        "people_edit": member.pk,
        "people_deactivate": member.pk,
        "engagement_detail": engagement.pk,
        "engagement_edit": engagement.pk,
        "engagement_peer_add": engagement.pk,
        "recommendation_create": engagement.pk,
        "session_detail": session.pk,
        "session_edit": session.pk,
        "report_detail": report.pk,
        "report_edit": report.pk,
        "report_publish": report.pk,
        "round_detail": update_round.pk,
        "round_close": update_round.pk,
    }
    urls = []
    for namespace, pattern in walk(get_resolver().url_patterns):
        if namespace == "admin" or pattern.name in NOT_PAGES or EXPECTATIONS[pattern.name][0] != "get":
            continue
        params = list(dict.fromkeys(getattr(pattern.pattern, "converters", {})))
        arguments = {**COMMON_ARGUMENTS, "slug": council.slug, "pk": ids[pattern.name] if "pk" in params else None}
        urls.append(reverse(pattern.name, kwargs={name: arguments[name] for name in params}))
    return urls


def page_problems(page: object) -> list[str]:
    problems = []
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.app-table-scroll'))
                .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 40))"""
        )
        problems.append(f"{widths[0]} px wide in a {widths[1]} px window: {wide}")
    for violation in axe_violations(page):
        targets = [node["target"] for node in violation["nodes"]][:3]
        problems.append(f"axe {violation['id']}: {violation['help']} {targets}")
    if widths[1] >= WIDTHS[0]:  # the navigation on one line on a wide screen
        tops = page.evaluate(
            "() => [...document.querySelectorAll('.govuk-service-navigation__item')]"
            ".map(e => Math.round(e.getBoundingClientRect().top))"
        )
        if len(set(tops)) > 1:
            problems.append(f"the navigation takes {len(set(tops))} lines at {widths[1]} px")
    title = title_problem(page.content())
    if title:
        problems.append(title)
    return problems


def assert_every_page_fits(new_page: object, email: str) -> None:
    """Every page of the walk, opened by `email` at 1280 px and then 320 px: no problem on any (`page_problems`)."""
    urls = st_helens_pages()
    assert len(urls) > 30
    problems = []
    page = new_page(User.objects.get(email=email))
    for url in urls:
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{email} {url} at {width} px: {problem}" for problem in page_problems(page)]
    assert problems == [], "\n".join(problems)
