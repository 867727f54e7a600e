"""E-mails about progress updates, sent once the transaction that caused them has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from recommendations.models import Membership, ProgressUpdate


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, subject: str, template: str, context: dict[str, object], to: list[str]) -> None:
    if not to:
        return
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False), robust=True
    )


def update_submitted(*, update: ProgressUpdate) -> None:
    """Tell the council's leads that an update waits for their sign-off."""
    item = update.item
    council = item.council
    leads = Membership.objects.active_leads(council.pk)
    _send(
        subject=f"Progress on {item.reference} is waiting for your review",
        template="emails/update_submitted.txt",
        context={"update": update, "item": item, "link": _link(reverse("review_list", args=[council.slug]))},
        to=sorted({membership.user.email for membership in leads.select_related("user")} - {update.author.email}),
    )


def update_reviewed(*, update: ProgressUpdate) -> None:
    """Tell the author that their update was approved or returned."""
    item = update.item
    approved = update.review_state == ProgressUpdate.ReviewState.APPROVED
    link = item.get_absolute_url() if approved else reverse("update_edit", args=[item.council.slug, update.pk])
    _send(
        subject=f"Your progress update on {item.reference} was {'approved' if approved else 'returned'}",
        template="emails/update_reviewed.txt",
        context={"update": update, "item": item, "approved": approved, "link": _link(link)},
        to=[] if update.author_id == update.reviewer_id else [update.author.email],
    )
