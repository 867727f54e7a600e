"""The pages this work changed pass axe with what they now show: the review queue with before → after and the
Reviews tab's count, My work's waiting lines, an item flagged as overdue yet Green and with no recent update, the
tables' flag filter, the dashboard's flags, and the council's settings (with an error too)."""

import datetime as dt
import re

import pytest

from recommendations import services
from recommendations.models import Council, Rag, Status, User

from ..factories import ActionFactory, RecommendationFactory, at
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def test_flags_reviews_and_settings_pass_axe(new_page: object, council: Council, officer: User, lead: User) -> None:
    recommendation = RecommendationFactory(
        engagement__council=council, reference="R1", owner=officer, due_date=dt.date(2020, 3, 31)
    )
    services.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 2, 1)
    )
    action = ActionFactory(recommendation=recommendation, reference="1.1", owner=officer)
    update = services.update_create(
        item=action, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, percent_complete=40
    )
    services.update_submit(update=update, notify=False)

    page = new_page(lead)
    page.goto("/councils/borsetshire/reviews/")
    tab = page.get_by_role("navigation", name="Menu").get_by_role("link", name=re.compile(r"^Reviews"))
    assert re.fullmatch(r'- link "Reviews \(1 waiting ?\)".*', tab.aria_snapshot().splitlines()[0])
    assert "Complete 0% → to 40%" in " ".join(page.locator("main").inner_text().split())
    assert_accessible(page)

    page.goto(f"/councils/borsetshire/recommendations/{recommendation.pk}/?as_at=2020-06-01")
    assert page.get_by_text("Rated Green but overdue").first.is_visible()
    assert_accessible(page)

    page.goto("/councils/borsetshire/recommendations/?flag=stale")
    assert "No update since 1 Feb 2020" in page.locator("table").inner_text()
    assert_accessible(page)

    page.goto("/councils/borsetshire/?as_at=2020-06-01")
    assert page.get_by_role("heading", name="Overdue but rated Green").is_visible()
    assert_accessible(page)

    page.goto("/councils/borsetshire/people/")
    clicked(page.get_by_role("link", name="Change the council's settings"))
    page.get_by_label("How often should each open recommendation and action have an update signed off?").fill("0")
    clicked(page.get_by_role("button", name="Save settings"))
    assert page.title().startswith("Error: Council settings")
    assert_accessible(page)

    officer_page = new_page(officer)
    officer_page.goto("/councils/borsetshire/my-work/")
    assert officer_page.get_by_role("link", name="Your update on 1.1").is_visible()
    assert_accessible(officer_page)
