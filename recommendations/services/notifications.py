"""E-mails about progress updates: rendered now, sent by a job once the transaction that caused them has
committed (councilimprove/mail.py). Each names the item once (its `__str__` starts with its reference),
shortened at a word, and links to the page the recipient acts on."""

from django.urls import reverse

from councilimprove.mail import email_queue, shorten, site_link
from recommendations.models import Membership, ProgressUpdate


def update_submitted(*, update: ProgressUpdate) -> None:
    """Tell the council's leads that an update waits for their sign-off, with a link to its review."""
    item = update.item
    council = item.council
    leads = Membership.objects.active_leads(council.pk).select_related("user")
    email_queue(
        template="emails/update_submitted.html",
        context={
            "update": update,
            "item": item,
            "item_name": shorten(str(item)),
            "link": site_link(reverse("review_detail", args=[council.slug, update.pk])),
        },
        to=sorted({membership.user.email for membership in leads} - {update.author.email}),
    )


def update_reviewed(*, update: ProgressUpdate, later: ProgressUpdate | None = None) -> None:
    """Tell the author that their update was approved (with the lead's RAG and reason where they rated it
    differently; `later` is the approved update that already sets the position, when there is one) or
    returned with a comment."""
    item = update.item
    approved = update.review_state == ProgressUpdate.ReviewState.APPROVED
    link = item.get_absolute_url() if approved else reverse("update_edit", args=[item.council.slug, update.pk])
    email_queue(
        template="emails/update_approved.html" if approved else "emails/update_returned.html",
        context={
            "update": update,
            "item": item,
            "item_name": shorten(str(item)),
            "later": later,
            "later_when": later and (later.submitted_at or later.approved_at),
            "link": site_link(link),
        },
        to=[] if update.author_id == update.reviewer_id else [update.author.email],
    )
