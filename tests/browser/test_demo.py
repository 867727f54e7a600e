"""Given the St Helens demo, when a lead signs in and reads the plan, then every page passes axe."""

import pytest

from nonprod.demo import DEMO_PASSWORD
from recommendations.models import Recommendation, User

from ..factories import UserFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_signs_in_and_reads_the_st_helens_plan(new_page: object, demo: None) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("lead@st-helens.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    page.wait_for_url("**/councils/st-helens/reviews/")  # a lead lands on what waits for sign-off
    assert "St Helens Borough Council" in page.locator("header").inner_text()
    assert_accessible(page)

    clicked(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Recommendations"))
    clicked(page.get_by_role("link", name="Assistant Chief Executive").first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("R1")
    assert "Progress updates" in page.content()
    assert_accessible(page)

    clicked(page.locator("table a").first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Action")
    assert_accessible(page)


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_the_demo_as_seeded_whatever_the_one_before_changed(demo: None, turn: str) -> None:
    """The demo is seeded once and copied for each test (tests/shared_data.py): what one test changes, the
    next never sees, and the ids it adds start where the seeded demo's end."""
    st_helens = Recommendation.objects.filter(engagement__council__slug="st-helens")
    assert not User.objects.filter(email="changed@st-helens.example").exists()
    assert st_helens.count() == 8
    assert not st_helens.filter(heading__startswith="Changed").exists()
    newest = User.objects.order_by("pk").last()

    added = UserFactory(email="changed@st-helens.example")
    st_helens.filter(reference="R1").update(heading="Changed by one test")

    assert added.pk == newest.pk + 1
