"""Given the St Helens demo: the lead opens an update round for the whole open plan (after an error, unticking one
item) and removes another from the round's page; the officer finds the round at the top of My work, records
progress on one of their items from there and submits it; the dashboard counts it; the lead approves it from the
round's page, closes the round after the confirmation page, and the round's page shows what was recorded and
links to the round's progress report to committee, which the lead downloads as a PDF. The officer reaches the
item from the link in the round's opening e-mail. Every page passes axe, the error states included."""

import datetime as dt
import re
from io import BytesIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from recommendations import selectors, services
from recommendations.models import Action, RoundItem, UpdateRound, User
from recommendations.tasks import reminders_send

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "st-helens"


def _fill_date(page: object, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _owned_and_open(officer: User) -> Action:
    """An open action of the officer's with no update waiting for sign-off (the demo has one: 8.1)."""
    actions = Action.objects.filter(recommendation__engagement__council__slug=SLUG, owner=officer).order_by("pk")
    for action in actions:
        if action.status not in ("complete", "closed") and not services.waiting_update(action):
            return action
    raise AssertionError("The demo has no open action of the officer's without an update waiting")


def test_a_round_is_opened_answered_signed_off_and_closed(new_page: object, demo: None) -> None:
    lead_user = User.objects.get(email="lead@st-helens.example")
    officer_user = User.objects.get(email="officer@st-helens.example")
    action = _owned_and_open(officer_user)
    due = selectors.local_today() + dt.timedelta(days=14)

    # The lead opens a round from the dashboard, first forgetting the dates.
    lead = new_page(lead_user)
    lead.goto(f"/councils/{SLUG}/")
    clicked(lead.get_by_role("link", name="All update rounds"))  # not in the navigation: it would not fit
    assert lead.title().startswith("Update rounds")
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Open an update round"))
    assert_accessible(lead)
    lead.get_by_label("The council's whole open plan").check()
    clicked(lead.get_by_role("button", name="Continue"))
    assert lead.title().startswith("Error: Open an update round")
    summary = lead.locator(".govuk-error-summary").inner_text()
    assert "Enter the last day of the period" in summary and "Enter the date updates are due" in summary
    assert lead.get_by_label("The council's whole open plan").is_checked()  # kept as chosen
    assert_accessible(lead)
    _fill_date(lead, "Last day of the period the updates cover", dt.date(2027, 1, 31))
    _fill_date(lead, "Date updates are due", due)
    clicked(lead.get_by_role("button", name="Continue"))
    assert lead.title().startswith("Choose the items to ask about")
    assert_accessible(lead)
    boxes = lead.locator("input[type=checkbox]")
    total = boxes.count()
    assert total > 3 and lead.locator("input[type=checkbox]:checked").count() == total  # all ticked
    unticked = boxes.nth(0)
    left_out_label = lead.locator(f"label[for='{unticked.get_attribute('id')}']").inner_text()
    unticked.uncheck()
    clicked(lead.get_by_role("button", name="Open the round"))

    update_round = UpdateRound.objects.get(council__slug=SLUG, closed_at__isnull=True)
    assert lead.title().startswith("Progress to 31 January 2027")
    assert "Update round opened" in lead.locator(".govuk-notification-banner").inner_text()
    assert f"0 of {total - 1} items updated" in lead.locator("main").inner_text()
    assert left_out_label not in lead.locator("main table").inner_text()
    assert_accessible(lead)

    # ...and removes one more item from the round's page.
    removed = update_round.items.exclude(action=action).order_by("pk").first()
    remove = lead.locator(f"form[action$='/items/{removed.pk}/remove/']")
    clicked(remove.get_by_role("button", name=f"Remove {removed.item.reference} from the round"))
    assert "removed from the round" in lead.locator(".govuk-notification-banner").inner_text()
    assert not RoundItem.objects.filter(pk=removed.pk).exists()
    assert f"0 of {total - 2} items updated" in lead.locator("main").inner_text()
    assert_accessible(lead)

    # The reminders job sends the officer the round's opening e-mail, with a link to record progress on each
    # of their items in it; the officer follows the action's link.
    mail.outbox.clear()
    reminders_send.enqueue(at=timezone.now().isoformat())  # the hourly job (run at once in tests)
    (opening,) = [email for email in mail.outbox if email.to == [officer_user.email]]
    assert opening.subject.startswith("Progress updates needed by")
    links = re.findall(r"Record progress: (\S+)", opening.body)
    (link,) = [link for link in links if link.endswith(f"/actions/{action.pk}/updates/new/")]
    officer = new_page(officer_user)
    officer.goto(urlparse(link).path)  # the e-mail's address is SITE_URL's; the path is the page
    assert_accessible(officer)
    officer.get_by_label("In progress").check()
    officer.get_by_label("Green (on track)").check()
    officer.get_by_label("Progress since the last update").fill("The member development programme has started.")
    clicked(officer.get_by_role("button", name="Submit for review"))
    officer.goto(f"/councils/{SLUG}/my-work/")  # My work shows the round at the top, the update in
    assert officer.get_by_role("heading", name="Update round: Progress to 31 January 2027").is_visible()
    assert "14 days left" in officer.locator("main").inner_text()
    mine = officer.get_by_role("region", name="Your items in the round")
    row = mine.locator("tr", has=officer.locator(f"a[href='{action.get_absolute_url()}']"))
    assert "Waiting for sign-off" in row.inner_text()
    assert_accessible(officer)

    # The dashboard counts it, linked to the round.
    lead.goto(f"/councils/{SLUG}/")
    assert re.search(
        rf"1 of {total - 2} items updated, 1 of them waiting for sign-off", lead.locator("main").inner_text()
    )
    assert_accessible(lead)

    # The lead approves it from the round's page.
    clicked(lead.get_by_role("link", name="Progress to 31 January 2027"))
    clicked(lead.get_by_role("link", name=f"Review the update on {action.reference}"))
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Approve the update"))
    assert "approved" in lead.locator(".govuk-notification-banner").inner_text()

    # ...closes the round after the confirmation page...
    lead.goto(update_round.get_absolute_url())
    clicked(lead.get_by_role("button", name="Close the round"))
    assert lead.title().startswith("Close the round Progress to 31 January 2027")
    assert "1 updated and signed off" in lead.locator("main").inner_text()
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Close the round"))

    # ...and the round's page shows what was recorded.
    assert "Round closed" in lead.locator(".govuk-notification-banner").inner_text()
    outcomes = lead.locator("main table").inner_text()
    assert outcomes.count("Updated and signed off") == 1
    assert outcomes.count("No update received") == total - 3
    assert lead.get_by_role("button", name=re.compile("^Remove")).count() == 0
    assert_accessible(lead)
    clicked(lead.get_by_role("link", name="Progress report to committee for this round"))
    assert lead.title().startswith("Progress to 31 January 2027")  # the report of the round, as signed off
    assert_accessible(lead)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Download this report as a PDF").click()
    with open(download.value.path(), "rb") as file:
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(file.read())).pages)
    assert "Progress to 31 January 2027, as signed off by" in " ".join(text.split())
    assert "The member development programme has started." in " ".join(text.split())
    recorded = RoundItem.objects.get(round=update_round, action=action)
    assert recorded.outcome == RoundItem.Outcome.UPDATED and recorded.update.narrative.startswith("The member")
