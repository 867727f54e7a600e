"""Status and RAG as GOV.UK tags: always the words, with colour only as a second cue."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from recommendations.models import Rag, Status
from recommendations.templatetags.components import tag_html

register = template.Library()

STATUS_CLASSES = {
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.COMPLETE: "green",
    Status.CLOSED: "teal",
}
RAG_CLASSES = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}


@register.simple_tag
def status_tag(value: str) -> SafeString:
    label = Status(value).label if value in Status.values else "Not started"
    return tag_html(label, STATUS_CLASSES.get(value, "grey"))


@register.simple_tag
def rag_tag(value: str) -> SafeString:
    if value not in Rag.values:
        return tag_html("Not assessed", "grey")
    return tag_html(Rag(value).label, RAG_CLASSES[value])


@register.simple_tag
def overdue_tag(is_overdue: bool) -> SafeString:
    if not is_overdue:
        return SafeString("")
    return tag_html("Overdue", "red")


@register.simple_tag
def number_link(number: object, context: str = "") -> SafeString:
    """A dashboard number as a link to the table that lists what it counts; `context` is read out with it, so that
    the link's name says what it opens ("8 recommendations in progress", not "8")."""
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    return format_html('<a class="govuk-link" href="{}">{}{}</a>', number.url, number.value, hidden)


@register.simple_tag
def count_link(number: object, noun: str, context: str = "") -> SafeString:
    """A number and its noun as one link ("8 recommendations"), `noun` given as "recommendation,recommendations";
    `context`, read out after it, says which ("overdue")."""
    singular, plural = noun.split(",")
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    words = singular if number.value == 1 else plural
    return format_html('<a class="govuk-link" href="{}">{} {}{}</a>', number.url, number.value, words, hidden)


@register.filter
def days(value: int) -> str:
    """A number of days in words: '1 day', '12 days'."""
    value = abs(value)
    return f"{value} day" if value == 1 else f"{value} days"
