"""Status and RAG as GOV.UK tags: always the words, with colour only as a second cue."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from recommendations.models import Rag, Status

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
def overdue_tag(is_overdue: bool) -> SafeString:
    if not is_overdue:
        return SafeString("")
    return format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', "Overdue")


@register.simple_tag
def number_link(number: object, context: str = "") -> SafeString:
    """A dashboard number as a link to the table that lists what it counts; `context` is read out with it."""
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    return format_html('<a class="govuk-link" href="{}">{}{}</a>', number.url, number.value, hidden)


@register.filter
def days(value: int) -> str:
    """A number of days in words: '1 day', '12 days'."""
    value = abs(value)
    return f"{value} day" if value == 1 else f"{value} days"
