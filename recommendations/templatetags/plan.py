"""Status and RAG as GOV.UK tags: always the words, with colour only as a second cue."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from recommendations.models import Rag, Status
from recommendations.vocabulary import interval_words, overdue_words

register = template.Library()

STATUS_CLASSES = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.COMPLETE: "govuk-tag--green",
    Status.CLOSED: "govuk-tag--teal",
}
RAG_CLASSES = {Rag.GREEN: "govuk-tag--green", Rag.AMBER: "govuk-tag--orange", Rag.RED: "govuk-tag--red"}


@register.simple_tag
def status_tag(value: str) -> SafeString:
    label = Status(value).label if value in Status.values else "Not started"
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_CLASSES.get(value, "govuk-tag--grey"), label)


@register.simple_tag
def rag_tag(value: str) -> SafeString:
    if value not in Rag.values:
        return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "Not assessed")
    return format_html('<strong class="govuk-tag {}">{}</strong>', RAG_CLASSES[value], Rag(value).label)


@register.simple_tag
def overdue_tag(item: object, as_at: dt.date | None = None) -> SafeString:
    """How overdue an item (`with_position` at `as_at`, today where None) is: "1 year 4 months overdue"."""
    if not getattr(item, "is_overdue", False):
        return SafeString("")
    words = overdue_words(item.position_due_date, as_at or timezone.localdate())
    return format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', words[0].upper() + words[1:])


def attention_words(item: object) -> list[tuple[str, str]]:
    """What stands out about an item (`with_attention_flags`), as (tag class, words): rated Green while overdue,
    and no update approved within the council's interval ("No update since 5 Mar 2026", or "No update yet")."""
    flags = []
    if getattr(item, "is_overdue_green", False):
        flags.append(("govuk-tag--orange", "Rated Green but overdue"))
    if getattr(item, "is_stale", False):
        last = getattr(item, "last_approved_at", None)
        since = f"No update since {date_format(timezone.localtime(last), 'j M Y')}" if last else "No update yet"
        flags.append(("govuk-tag--yellow", since))
    return flags


@register.simple_tag
def attention_tags(item: object) -> SafeString:
    """The tags of `attention_words`, each a GOV.UK tag with its words."""
    return format_html_join(" ", '<strong class="govuk-tag {}">{}</strong>', attention_words(item))


@register.simple_tag
def number_link(number: object, context: str = "") -> SafeString:
    """A dashboard number as a link to the table that lists what it counts; `context` is read out with it."""
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    return format_html('<a class="govuk-link" href="{}">{}{}</a>', number.url, number.value, hidden)


@register.filter
def interval(months: int) -> str:
    """A council's update interval in words: "3 months", "1 year"."""
    return interval_words(months)


@register.filter
def days(value: int) -> str:
    """A number of days in words: '1 day', '12 days'."""
    value = abs(value)
    return f"{value} day" if value == 1 else f"{value} days"
